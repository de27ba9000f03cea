// Package serve is `preflight serve`: one page where a support engineer
// pastes (or drops) a bounce, a message or only its headers, or fills in a
// plan (From, Return-Path, DKIM d=/s=, IP), and gets the diagnosis `check`
// and `bounce` give, rendered as HTML by package report — plus a JSON
// endpoint that returns the same preflight/v1 objects as --format json.
//
// It is built for a machine of one's own: it listens on loopback by
// default, refuses requests whose Host is not the address it serves
// (DNS rebinding), sends a strict Content-Security-Policy and loads nothing
// from elsewhere (assets are embedded), bounds request size, time and the
// number of checks at once, and neither stores nor logs what is pasted.
package serve

import (
	"bytes"
	"context"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io"
	"log"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"time"

	"preflight/dns"
	"preflight/internal/bounce"
	"preflight/internal/check"
	"preflight/report"
)

//go:embed assets
var assets embed.FS

// Limits of one request.
const (
	// MaxInput is the largest body accepted (a pasted bounce with its
	// returned message, or a dropped .eml file).
	MaxInput = 10 << 20
	// DefaultTimeout bounds the work of one request (DNS included).
	DefaultTimeout = 30 * time.Second
	// DefaultConcurrency is how many checks run at once; more wait.
	DefaultConcurrency = 4
)

// Config is what the server needs: the shared resolver (one cache for all
// requests), the clock, and the limits.
type Config struct {
	Resolver dns.Resolver
	Now      func() time.Time
	// Receiver is the default receiver profile ID ("qq").
	Receiver string
	// Timeout bounds one request; Concurrency the checks at once.
	Timeout     time.Duration
	Concurrency int
	// Hosts are the Host header values accepted (host or host:port); nil
	// accepts any (a server not on loopback).
	Hosts []string
	// Lang is the page's language when the browser names none it has
	// (--lang); "" is English.
	Lang report.Lang
}

// Server is the HTTP handler of `preflight serve`.
type Server struct {
	cfg   Config
	sem   chan struct{}
	mux   *http.ServeMux
	pages map[report.Lang]*template.Template
}

// New returns the handler.
func New(cfg Config) *Server {
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	if cfg.Concurrency <= 0 {
		cfg.Concurrency = DefaultConcurrency
	}
	if cfg.Receiver == "" {
		cfg.Receiver = "qq"
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	s := &Server{cfg: cfg, sem: make(chan struct{}, cfg.Concurrency), mux: http.NewServeMux()}
	s.pages = map[report.Lang]*template.Template{}
	for _, l := range []report.Lang{report.LangEN, report.LangZH} {
		s.pages[l] = template.Must(template.New("").Funcs(template.FuncMap{
			"t": func(key string, args ...any) string { return tr(l, key, args...) },
		}).ParseFS(assets, "assets/page.tmpl"))
	}
	s.mux.HandleFunc("GET /{$}", s.handlePage)
	s.mux.HandleFunc("POST /{$}", s.handlePage)
	s.mux.HandleFunc("POST /api/v1/check", s.handleAPI)
	s.mux.HandleFunc("GET /static/app.js", s.asset("assets/app.js", "text/javascript; charset=utf-8"))
	s.mux.HandleFunc("GET /static/page.css", s.handleCSS)
	return s
}

// csp allows only this origin's script and style, posting only to itself;
// the report's SVG is inline markup, not an image.
const csp = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
	"form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Security-Policy", csp)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Cache-Control", "no-store")
	if !s.hostAllowed(r.Host) {
		http.Error(w, "preflight serve: this server answers only to the address it listens on", http.StatusMisdirectedRequest)
		return
	}
	s.mux.ServeHTTP(w, r)
}

func (s *Server) hostAllowed(host string) bool {
	if s.cfg.Hosts == nil {
		return true
	}
	for _, h := range s.cfg.Hosts {
		if strings.EqualFold(h, host) {
			return true
		}
	}
	return false
}

// LoopbackHosts returns the Host values a server listening on addr (a
// loopback host:port) answers to: the address itself, and localhost,
// 127.0.0.1 and [::1] with its port.
func LoopbackHosts(addr string) []string {
	_, port, err := net.SplitHostPort(addr)
	if err != nil {
		return []string{addr}
	}
	return []string{addr, net.JoinHostPort("localhost", port), net.JoinHostPort("127.0.0.1", port), net.JoinHostPort("::1", port)}
}

// IsLoopback reports whether addr (host:port) is a loopback address.
func IsLoopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if host == "localhost" {
		return true
	}
	ip, err := netip.ParseAddr(host)
	return err == nil && ip.IsLoopback()
}

func (s *Server) asset(name, ctype string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		b, err := assets.ReadFile(name)
		if err != nil {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", ctype)
		w.Write(b)
	}
}

func (s *Server) handleCSS(w http.ResponseWriter, r *http.Request) {
	page, _ := assets.ReadFile("assets/page.css")
	w.Header().Set("Content-Type", "text/css; charset=utf-8")
	io.WriteString(w, report.HTMLStyle())
	w.Write(page)
}

// Request is what the page's form and the JSON endpoint take.
type Request struct {
	// Input is the pasted (or dropped) text: a bounce, a message, or a
	// message's header section. Empty with a plan.
	Input string `json:"input"`
	// Kind is auto (default), bounce, message or plan.
	Kind string `json:"kind,omitempty"`
	// Receiver is a profile ID, or "all".
	Receiver string `json:"receiver,omitempty"`
	Plan     Plan   `json:"plan"`
	// Lang is en or zh: the page's language; for the JSON endpoint, given,
	// it adds the localized texts beside the IDs (l10n).
	Lang string `json:"lang,omitempty"`
}

// Plan is the campaign plan of the form: what `check` takes as flags.
type Plan struct {
	From     string `json:"from,omitempty"`
	MailFrom string `json:"mail_from,omitempty"`
	DKIM     string `json:"dkim,omitempty"` // D:S, as --expect-dkim
	IP       string `json:"ip,omitempty"`
	HELO     string `json:"helo,omitempty"`
}

func (p Plan) empty() bool { return p == Plan{} }

// Result is the outcome of one request: a check report, a bounce
// diagnosis, or a notice (a feedback report, an automatic reply, a
// delivery report) named for what it is.
type Result struct {
	Kind    string // "check", "bounce" or "notice"
	Reports []*report.Report
	Bounce  *report.Bounce
	Notice  *report.BounceNotice
}

// inputError is a problem with what was pasted: HTTP 400 with its text,
// kept as a catalogue key and its arguments so the page can say it in its
// language.
type inputError struct {
	key  string
	args []any
}

func (e inputError) Error() string { return tr(report.LangEN, e.key, e.args...) }

func badInput(key string, args ...any) error { return inputError{key, args} }

// errBusy: every check slot stayed taken until the request's deadline.
var errBusy = errors.New("the server is busy; try again")

// Diagnose runs the check or the bounce diagnosis that req asks for.
func (s *Server) Diagnose(ctx context.Context, req Request) (*Result, error) {
	select {
	case s.sem <- struct{}{}:
		defer func() { <-s.sem }()
	case <-ctx.Done():
		return nil, errBusy
	}
	kind := req.Kind
	if kind == "" {
		kind = "auto"
	}
	input := strings.TrimLeft(req.Input, "\r\n\t ")
	switch kind {
	case "auto", "bounce", "message", "plan":
	default:
		return nil, badInput("unknown kind %q (use auto, bounce, message or plan)", kind)
	}
	if input == "" {
		if req.Plan.empty() {
			return nil, badInput("paste a bounce or a message, or fill in the plan")
		}
		kind = "plan"
	}
	if kind == "auto" || kind == "bounce" {
		a, err := bounce.Analyze(strings.NewReader(input))
		var notice *bounce.Notice
		switch {
		case err == nil:
			return s.explainBounce(ctx, a)
		case errors.As(err, &notice):
			return &Result{Kind: "notice", Notice: check.NoticeReport(notice, "pasted")}, nil
		case kind == "bounce":
			return nil, badInput("%s", strings.TrimPrefix(err.Error(), "bounce: "))
		case !errors.Is(err, bounce.ErrNotBounce):
			return nil, badInput("%s", strings.TrimPrefix(err.Error(), "bounce: "))
		}
		kind = "message"
	}
	plan, err := s.plan(req.Plan)
	if err != nil {
		return nil, err
	}
	var msg *check.Message
	if kind == "message" {
		m, err := check.ParseMessage([]byte(input), "pasted message")
		if err != nil {
			return nil, badInput("%s (paste a whole message, its header section, or a bounce)", strings.TrimPrefix(err.Error(), "check: "))
		}
		msg = m
		plan.HeadersOnly = !strings.Contains(strings.ReplaceAll(input, "\r\n", "\n"), "\n\n")
	}
	profiles, auto, err := s.profiles(req.Receiver)
	if err != nil {
		return nil, err
	}
	// One check for every receiver chosen: SPF, DKIM and DMARC run once,
	// each receiver gets its verdict (report.Verdicts).
	cfg := check.Config{Resolver: s.cfg.Resolver, Now: s.cfg.Now, AutoReceivers: auto}
	if len(profiles) == 1 {
		cfg.Receiver = profiles[0]
	} else {
		cfg.Receivers = profiles
	}
	r := check.Check(ctx, cfg, msg, plan)
	return &Result{Kind: "check", Reports: []*report.Report{r.Report}}, nil
}

func (s *Server) explainBounce(ctx context.Context, a *bounce.Analysis) (*Result, error) {
	cfg := check.RecheckConfig{Resolver: func() (dns.Resolver, error) { return s.cfg.Resolver, nil }, Now: s.cfg.Now}
	b, err := check.ExplainBounce(ctx, cfg, a)
	if err != nil {
		return nil, err
	}
	return &Result{Kind: "bounce", Bounce: b}, nil
}

func (s *Server) plan(p Plan) (check.Plan, error) {
	var out check.Plan
	out.From = strings.TrimSpace(p.From)
	if mf := strings.TrimSpace(p.MailFrom); mf != "" {
		out.MailFrom, out.MailFromSet = mf, true
	}
	out.HELO = strings.TrimSpace(p.HELO)
	for _, f := range strings.FieldsFunc(p.IP, func(r rune) bool { return r == ',' || r == ' ' }) {
		ip, err := netip.ParseAddr(f)
		if err != nil {
			return out, badInput("IP %q is not an IPv4 or IPv6 address", f)
		}
		out.IPs = append(out.IPs, ip)
	}
	for _, f := range strings.FieldsFunc(p.DKIM, func(r rune) bool { return r == ',' || r == ' ' }) {
		ds, err := check.ParseDomainSelector(f)
		if err != nil {
			return out, badInput("DKIM: %v", err)
		}
		out.ExpectDKIM = append(out.ExpectDKIM, ds)
	}
	return out, nil
}

// profiles parses the receiver choice as check's --receiver does: a name,
// a comma list, all, or auto (the providers of the To/Cc recipients).
func (s *Server) profiles(name string) ([]*check.Profile, bool, error) {
	if name == "" {
		name = s.cfg.Receiver
	}
	ps, auto, err := check.ParseReceivers(name)
	if err != nil {
		return nil, false, badInput("unknown receiver %q (use %s or all)", name, strings.Join(check.ProfileNames(), ", "))
	}
	return ps, auto, nil
}

// pageData is what page.tmpl renders.
type pageData struct {
	Req       Request
	Receivers []receiverOption
	Error     string
	Result    template.HTML // the report fragments (escaped by report's templates)
	Lang      report.Lang
}

type receiverOption struct {
	ID, Name string
	Selected bool
}

func (s *Server) handlePage(w http.ResponseWriter, r *http.Request) {
	data := pageData{Req: Request{Receiver: s.cfg.Receiver}}
	status := http.StatusOK
	if r.Method == http.MethodPost {
		req, err := s.readForm(w, r)
		data.Req = req
		data.Lang = s.lang(r, req.Lang)
		if err == nil {
			ctx, cancel := context.WithTimeout(r.Context(), s.cfg.Timeout)
			defer cancel()
			var res *Result
			res, err = s.Diagnose(ctx, req)
			if err == nil {
				data.Result, err = renderFragment(res, data.Lang)
			}
		}
		if err != nil {
			status, data.Error = errorStatus(err, data.Lang)
		}
	} else {
		data.Lang = s.lang(r, r.URL.Query().Get("lang"))
	}
	data.Req.Lang = string(data.Lang)
	data.Receivers = s.receiverOptions(data.Req.Receiver, data.Lang)
	var buf bytes.Buffer
	if err := s.pages[data.Lang].ExecuteTemplate(&buf, "page", data); err != nil {
		http.Error(w, "preflight serve: rendering the page failed", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// lang is the page's language: the form's or the URL's choice, else the
// browser's Accept-Language.
func (s *Server) lang(r *http.Request, given string) report.Lang {
	if l, ok := report.ParseLang(given); ok && given != "" {
		return l
	}
	if al := r.Header.Get("Accept-Language"); al != "" {
		return report.MatchLang(al)
	}
	if s.cfg.Lang == report.LangZH {
		return report.LangZH
	}
	return report.LangEN
}

func (s *Server) receiverOptions(sel string, l report.Lang) []receiverOption {
	if sel == "" {
		sel = s.cfg.Receiver
	}
	var out []receiverOption
	for _, n := range check.ProfileNames() {
		p, _ := check.LookupProfile(n)
		out = append(out, receiverOption{ID: n, Name: p.DisplayName(), Selected: n == sel})
	}
	return append(out, receiverOption{ID: "all", Name: tr(l, "All receivers"), Selected: sel == "all"},
		receiverOption{ID: "auto", Name: tr(l, "The recipients' providers (To/Cc)"), Selected: sel == "auto"})
}

// readForm reads the form (urlencoded or multipart with a dropped file).
func (s *Server) readForm(w http.ResponseWriter, r *http.Request) (Request, error) {
	r.Body = http.MaxBytesReader(w, r.Body, MaxInput+64<<10)
	var req Request
	// ParseMultipartForm drops the error of the ParseForm it runs first
	// (an oversized urlencoded body would read as an empty form), so each
	// kind of body is parsed by its own call.
	if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/") {
		if err := r.ParseMultipartForm(MaxInput); err != nil {
			return req, sizeOr(err)
		}
	} else if err := r.ParseForm(); err != nil {
		return req, sizeOr(err)
	}
	req.Input = r.PostFormValue("input")
	req.Kind = r.PostFormValue("kind")
	req.Receiver = r.PostFormValue("receiver")
	req.Lang = r.PostFormValue("lang")
	req.Plan = Plan{From: r.PostFormValue("from"), MailFrom: r.PostFormValue("mail_from"),
		DKIM: r.PostFormValue("dkim"), IP: r.PostFormValue("ip"), HELO: r.PostFormValue("helo")}
	if r.MultipartForm != nil {
		if fhs := r.MultipartForm.File["file"]; len(fhs) > 0 && fhs[0].Size > 0 {
			f, err := fhs[0].Open()
			if err != nil {
				return req, err
			}
			b, err := io.ReadAll(io.LimitReader(f, MaxInput+1))
			f.Close()
			if err != nil {
				return req, err
			}
			if len(b) > MaxInput {
				return req, errTooLarge
			}
			req.Input = string(b)
		}
	}
	return req, nil
}

// errTooLarge: the body is over MaxInput.
var errTooLarge = fmt.Errorf("the input is larger than %d MiB", MaxInput>>20)

func sizeOr(err error) error {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) || strings.Contains(err.Error(), "too large") {
		return errTooLarge
	}
	return badInput("the form could not be read")
}

func errorStatus(err error, l report.Lang) (int, string) {
	var ie inputError
	switch {
	case errors.Is(err, errTooLarge):
		return http.StatusRequestEntityTooLarge, tr(l, "the input is larger than %d MiB", MaxInput>>20)
	case errors.As(err, &ie):
		return http.StatusBadRequest, tr(l, ie.key, ie.args...)
	case errors.Is(err, errBusy):
		return http.StatusServiceUnavailable, tr(l, err.Error())
	case errors.Is(err, context.DeadlineExceeded):
		return http.StatusServiceUnavailable, tr(l, "the check took too long (DNS did not answer in time); try again")
	}
	return http.StatusInternalServerError, "the check failed: " + report.Safe(err.Error())
}

// renderFragment renders a result with report's HTML templates.
func renderFragment(res *Result, l report.Lang) (template.HTML, error) {
	var buf bytes.Buffer
	switch res.Kind {
	case "bounce":
		if err := report.WriteBounceHTMLFragmentLang(&buf, res.Bounce, l); err != nil {
			return "", err
		}
	case "notice":
		if err := report.WriteBounceNoticeHTMLFragment(&buf, res.Notice, l); err != nil {
			return "", err
		}
	default:
		for i, r := range res.Reports {
			if err := report.WriteHTMLFragmentLang(&buf, r, i+1, l); err != nil {
				return "", err
			}
		}
	}
	// report's templates escaped every string; the fragment is markup.
	return template.HTML(buf.String()), nil
}

// handleAPI is the JSON endpoint: a Request in, the preflight/v1 objects
// of --format json out (JSON Lines: a report per receiver, or a diagnosis
// per bounced recipient).
func (s *Server) handleAPI(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, MaxInput+64<<10)
	var req Request
	dec := json.NewDecoder(r.Body)
	if err := dec.Decode(&req); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			apiError(w, http.StatusRequestEntityTooLarge, errTooLarge.Error())
			return
		}
		apiError(w, http.StatusBadRequest, "the body is not a JSON request: "+report.Safe(err.Error()))
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), s.cfg.Timeout)
	defer cancel()
	lang, _ := report.ParseLang(req.Lang)
	if req.Lang == "" {
		lang = report.LangEN
	}
	res, err := s.Diagnose(ctx, req)
	if err != nil {
		code, msg := errorStatus(err, lang)
		apiError(w, code, msg)
		return
	}
	var buf bytes.Buffer
	if res.Kind == "notice" {
		o := report.Options{Format: report.FormatJSON}
		if req.Lang != "" && lang != report.LangEN {
			o.JSONLang = lang
		}
		err = report.WriteBounceNotice(&buf, res.Notice, o)
	} else if res.Kind == "bounce" {
		o := report.Options{Format: report.FormatJSON}
		if req.Lang != "" && lang != report.LangEN {
			o.JSONLang = lang
		}
		err = report.WriteBounce(&buf, res.Bounce, o)
	} else {
		rd := report.NewJSONRenderer(&buf)
		if req.Lang != "" && lang != report.LangEN {
			rd = report.NewJSONRendererLang(&buf, lang)
		}
		for _, rep := range res.Reports {
			if err = rd.Add(rep); err != nil {
				break
			}
		}
	}
	if err != nil {
		apiError(w, http.StatusInternalServerError, "rendering failed")
		return
	}
	w.Header().Set("Content-Type", "application/jsonl; charset=utf-8")
	w.Write(buf.Bytes())
}

func apiError(w http.ResponseWriter, code int, msg string) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(code)
	b, _ := json.Marshal(map[string]string{"schema": report.Schema, "error": msg})
	w.Write(append(b, '\n'))
}

// Serve serves h on ln until ctx is done, then shuts down gracefully
// (requests in flight get five seconds).
func Serve(ctx context.Context, ln net.Listener, h http.Handler) error {
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      90 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          log.New(io.Discard, "", 0), // nothing pasted is logged
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(sctx)
		return nil
	}
}
