package report

import (
	"io"
	"strings"
)

// AuthResOptions tune the Authentication-Results renderer.
type AuthResOptions struct {
	// AuthservID, when set, is the authserv-id of every header
	// (--authserv-id).
	AuthservID string
	// ForReceiver returns the authserv-id predicted for a receiver ID and
	// what it rests on (for the header's comment); nil gives the
	// placeholder "receiver.invalid".
	ForReceiver func(id string) (authserv, basis string)
}

// NewAuthResRenderer returns a Renderer that writes, for each report, the
// Authentication-Results header field (RFC 8601) the receiver would add:
// the authserv-id of the report's receiver, then spf, one dkim per
// signature (none without one) and dmarc, each with the properties RFC
// 8601 §2.7 and RFC 7489 §11.2 define (smtp.mailfrom or smtp.helo,
// header.d and header.s, header.from). A comment on a result says what it
// rests on when it was assumed or judged by the receiver's own rules (a
// DKIM pass it does not count is "policy"), and a comment at the end names
// what was checked and where the authserv-id comes from, so that a
// prediction is never mistaken for a receiver's stamp. Headers are folded
// under 78 columns, one result per line; several reports are separated by
// an empty line.
//
// Values are written as RFC 8601 §2.2 allows: a token or
// local-part@domain as is, anything else as a quoted-string. Comments
// carry no ";" (some parsers, go-msgauth's among them, split on it
// first), and their parentheses and backslashes are quoted-pairs.
func NewAuthResRenderer(w io.Writer, o AuthResOptions) Renderer {
	return &authresRenderer{w: w, o: o}
}

type authresRenderer struct {
	w io.Writer
	o AuthResOptions
	n int
}

func (a *authresRenderer) Add(r *Report) error {
	id, basis := a.o.AuthservID, "given with --authserv-id"
	if id == "" {
		id, basis = "receiver.invalid", "a placeholder"
		if a.o.ForReceiver != nil {
			id, basis = a.o.ForReceiver(r.Verdict.Receiver)
		}
	}
	sep := ""
	if a.n > 0 {
		sep = "\n"
	}
	a.n++
	_, err := io.WriteString(a.w, sep+AuthResHeader(SafeCopy(r), id, basis)+"\n")
	return err
}

func (a *authresRenderer) Close() error { return nil }

// resinfo is one result of the header: method=result (comment) props.
type resinfo struct {
	method, result, comment string
	props                   [][2]string
}

func (ri resinfo) String() string {
	var b strings.Builder
	b.WriteString(ri.method + "=" + arResult(ri.result))
	if ri.comment != "" {
		b.WriteString(" " + arComment(ri.comment))
	}
	for _, p := range ri.props {
		if p[1] != "" {
			b.WriteString(" " + p[0] + "=" + arValue(p[1]))
		}
	}
	return b.String()
}

// AuthResHeader is the Authentication-Results header field of r, folded,
// with authservID and a comment saying what it rests on (basis). r's
// strings are written as they are: pass a SafeCopy.
func AuthResHeader(r *Report, authservID, basis string) string {
	what := r.Message.Path
	switch what {
	case "":
		what = "the plan"
	case "-":
		what = "stdin"
	}
	trailer := arComment("predicted by preflight for " + what + ", authserv-id: " + basis)
	if r.Error != "" {
		return foldAuthRes([]string{"Authentication-Results: " + authservID + ";", "none " + arComment("cannot be checked: "+Prose(r.Error)) + " " + trailer})
	}
	var infos []resinfo
	infos = append(infos, spfResinfo(r))
	if len(r.DKIM) == 0 {
		infos = append(infos, resinfo{method: "dkim", result: "none", comment: "no signature"})
	}
	for _, d := range r.DKIM {
		infos = append(infos, dkimResinfo(d))
	}
	dm := resinfo{method: "dmarc", result: orDefault(r.DMARC.Result, "none"),
		props: [][2]string{{"header.from", r.Message.FromDomain}}}
	var dis []string
	if r.DMARC.Policy != "" {
		dis = append(dis, orDefault(r.DMARC.PolicyTag, "p")+"="+r.DMARC.Policy)
	}
	if r.Verdict.Disposition != "" {
		dis = append(dis, "dis="+string(r.Verdict.Disposition))
	}
	dm.comment = strings.Join(dis, " ")
	infos = append(infos, dm)

	lines := []string{"Authentication-Results: " + authservID + ";"}
	for i, ri := range infos {
		l := ri.String()
		if i < len(infos)-1 {
			l += ";"
		} else {
			l += " " + trailer
		}
		lines = append(lines, l)
	}
	return foldAuthRes(lines)
}

func spfResinfo(r *Report) resinfo {
	s := r.SPF
	ri := resinfo{method: "spf", result: orDefault(s.Result, "none")}
	switch {
	case s.Result == "":
		ri.comment = "not evaluated: " + Prose(s.Explanation)
	case s.Assumed:
		ri.comment = "assumed: no sending IP given"
	case len(s.PerIP) > 1:
		for _, p := range s.PerIP {
			if p.Result == s.Result {
				ri.comment = "the worst of the sending IPs: " + p.IP
				break
			}
		}
	case len(r.Envelope.IPs) == 1:
		ri.comment = "sending IP " + r.Envelope.IPs[0]
	}
	switch {
	case s.Identity == "helo" && s.Domain != "":
		ri.props = append(ri.props, [2]string{"smtp.helo", s.Domain})
	case r.Envelope.MailFrom != "" && r.Envelope.MailFrom != "<>":
		ri.props = append(ri.props, [2]string{"smtp.mailfrom", r.Envelope.MailFrom})
	case r.Envelope.HELO != "":
		ri.props = append(ri.props, [2]string{"smtp.helo", r.Envelope.HELO})
	}
	return ri
}

func dkimResinfo(d DKIM) resinfo {
	ri := resinfo{method: "dkim", result: orDefault(d.Result, "none"),
		props: [][2]string{{"header.d", d.Domain}, {"header.s", d.Selector}}}
	var why []string
	switch {
	case d.Assumed:
		why = append(why, "assumed: the ESP will sign")
	case d.Simulated:
		why = append(why, "simulated with --dkim-key")
	case d.HeadersOnly:
		why = append(why, "headers only: the body hash is assumed")
	}
	if d.Result == "pass" && !d.Counted {
		// RFC 8601 §2.7.1: "policy", a signature that verified but that
		// local policy does not accept.
		ri.result = "policy"
		why = append(why, "verified, but not counted: "+d.Note)
	}
	ri.comment = strings.Join(why, ", ")
	return ri
}

// foldAuthRes joins the header's lines with folding whitespace (a line
// break and a tab), then folds any line longer than 78 columns at spaces
// outside quoted-strings (RFC 5322 §2.2.3).
func foldAuthRes(lines []string) string {
	var out []string
	for i, l := range lines {
		if i > 0 {
			l = "\t" + l
		}
		out = append(out, foldLine(l, 78)...)
	}
	return strings.Join(out, "\n")
}

func foldLine(l string, width int) []string {
	var out []string
	for len(l) > width {
		cut, quoted := -1, false
		for i := 1; i < len(l) && i <= width; i++ {
			switch l[i] {
			case '"':
				if l[i-1] != '\\' {
					quoted = !quoted
				}
			case ' ':
				if !quoted && i > 1 {
					cut = i
				}
			}
		}
		if cut < 0 {
			break // one word longer than the line: left whole
		}
		out = append(out, l[:cut])
		l = "\t" + strings.TrimLeft(l[cut:], " ")
	}
	return append(out, l)
}

// ValidAuthservID reports whether s can be written as an authserv-id as
// is: an RFC 2045 token, such as a host name (RFC 8601 §2.5).
func ValidAuthservID(s string) bool { return isARToken(s) }

// arResult is a result keyword as RFC 8601 §2.2 wants it (a word of
// lower-case letters, as the models' RFC 8601 words are); anything else
// is "none", which claims nothing.
func arResult(s string) string {
	if s == "" {
		return "none"
	}
	for i := 0; i < len(s); i++ {
		if s[i] < 'a' || s[i] > 'z' {
			return "none"
		}
	}
	return s
}

// arValue writes a property value: a token (RFC 2045 §5.1) or a
// local-part@domain of atoms as is, anything else as a quoted-string.
func arValue(s string) string {
	if isARToken(s) {
		return s
	}
	if local, dom, ok := strings.Cut(s, "@"); ok && isDotAtom(local) && isARToken(dom) {
		return s
	}
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		if s[i] == '"' || s[i] == '\\' {
			b.WriteByte('\\')
		}
		b.WriteByte(s[i])
	}
	b.WriteByte('"')
	return b.String()
}

func isARToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c <= ' ' || c >= 0x7f || strings.IndexByte(`()<>@,;:\"/[]?=`, c) >= 0 {
			return false
		}
	}
	return true
}

// isDotAtom reports whether s is a dot-atom (RFC 5322 §3.2.3).
func isDotAtom(s string) bool {
	if s == "" || strings.HasPrefix(s, ".") || strings.HasSuffix(s, ".") || strings.Contains(s, "..") {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		alnum := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
		if !alnum && strings.IndexByte("!#$%&'*+-/=?^_`{|}~.", c) < 0 {
			return false
		}
	}
	return true
}

// arComment writes s as a comment: parentheses and backslashes as
// quoted-pairs, ";" as "," (see NewAuthResRenderer), runs of white space
// as one space.
func arComment(s string) string {
	s = strings.Join(strings.Fields(strings.ReplaceAll(s, ";", ",")), " ")
	var b strings.Builder
	b.WriteByte('(')
	for i := 0; i < len(s); i++ {
		if c := s[i]; c == '(' || c == ')' || c == '\\' {
			b.WriteByte('\\')
		}
		b.WriteByte(s[i])
	}
	b.WriteByte(')')
	return b.String()
}
