package cli

import (
	"bytes"
	"context"
	"crypto"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/spf13/pflag"

	"preflight/dkim"
	"preflight/dmarc"
	"preflight/dns"
	"preflight/internal/check"
	"preflight/report"
)

func dkimCommand() *command {
	var o dkimOptions
	return &command{
		name:    "dkim",
		usage:   "dkim [flags] MESSAGE | dkim [flags] --domain D --selector S [--key FILE] [MESSAGE]",
		summary: "verify and explain every DKIM signature, or check a published DKIM key",
		long: `With MESSAGE (a file, or - for stdin), verifies every DKIM-Signature as a
receiver would and says in plain words why each passes or fails: key not found
(NXDOMAIN/NODATA) vs a temporary DNS failure, revoked or short keys, rsa-sha1,
body changed vs signed header changed, From not signed, expiry (x= against
--now), testing keys (t=y), l=, i= outside d=. Files with LF line endings are
verified as they travel, with CRLF. It also advises on what the signer should
sign (From oversigned, Subject, Date, Message-ID, List-Unsubscribe). With
--headers-only (a bounce that returned only the headers), the header
signatures are verified and the body is assumed unchanged.

With --domain and --selector, checks the key record at S._domainkey.D; with
--key FILE (PEM PKCS#1 or PKCS#8, RSA or Ed25519) also that it matches the
private key. With --key and a MESSAGE, signs the message as an ESP would
(relaxed/relaxed, From oversigned) and verifies it against DNS. The private
key is never printed.

JSON (--format json) is JSON Lines: one object per signature, in the shape of
the "dkim" array of 'preflight check'. Exit code: 0 when every signature (or
the key) passes or the message is unsigned, 1 when one does not, 3 when only
a temporary DNS failure stood in the way.`,
		examples: []string{
			"preflight dkim campaign.eml",
			"preflight dkim --domain brand.example --selector s1",
			"preflight dkim --domain brand.example --selector s1 --key s1.private.pem",
			"preflight dkim --zone internal/cli/testdata/dkim/dkim.zone --now 2026-11-27T12:00:00Z internal/cli/testdata/dkim/signed.eml",
		},
		formats: []string{"text", "json"},
		dns:     true,
		setup: func(fs *pflag.FlagSet) func(context.Context, *env, []string) error {
			fs.StringVar(&o.domain, "domain", "", "signing domain (d=) of the key to check")
			fs.StringVar(&o.selector, "selector", "", "selector (s=) of the key to check")
			fs.StringVar(&o.key, "key", "", "private key file (PEM) to match against the published key, or to sign MESSAGE with")
			fs.BoolVar(&o.headersOnly, "headers-only", false, "MESSAGE is a header section without its body (a bounce's text/rfc822-headers): verify the header signatures, assume the body")
			return func(ctx context.Context, e *env, args []string) error { return runDKIM(ctx, e, &o, args) }
		},
	}
}

type dkimOptions struct {
	domain, selector, key string
	headersOnly           bool
}

func runDKIM(ctx context.Context, e *env, o *dkimOptions, args []string) error {
	keyMode := o.domain != "" || o.selector != ""
	switch {
	case len(args) > 1:
		return usageErrorf("takes one MESSAGE, got %d (e.g. preflight dkim campaign.eml)", len(args))
	case keyMode && (o.domain == "" || o.selector == ""):
		return usageErrorf("--domain and --selector go together (e.g. --domain brand.example --selector s1)")
	case !keyMode && len(args) == 0:
		return usageErrorf("want a MESSAGE, or --domain D --selector S to check a published key")
	case keyMode && len(args) == 1 && o.key == "":
		return usageErrorf("--domain and --selector with a MESSAGE sign it, which needs --key FILE; to verify the message's own signatures, leave them out")
	case keyMode && o.headersOnly:
		return usageErrorf("--headers-only applies to verifying a MESSAGE, not to --domain/--selector")
	case !keyMode && o.key != "":
		return usageErrorf("--key needs --domain and --selector (the d= and s= to sign or check with)")
	}
	if keyMode {
		d, err := domainArg("--domain", o.domain)
		if err != nil {
			return err
		}
		if o.selector, err = selectorArg("--selector", o.selector); err != nil {
			return err
		}
		o.domain = d.String()
	}
	r, err := e.resolver()
	if err != nil {
		return err
	}
	v := &dkim.Verifier{Resolver: r, Now: func() time.Time { return e.now }}

	var signer crypto.Signer
	var keyFindings []report.Finding
	if o.key != "" {
		signer, keyFindings, err = dkim.LoadPrivateKey(o.key)
		if err != nil {
			return inputError(err)
		}
	}

	var lines []report.DKIMLine
	var msgFindings []report.Finding
	var path string
	switch {
	case keyMode && len(args) == 0:
		res := v.CheckKey(ctx, dns.Domain(o.domain), o.selector, signer)
		res.Findings = append(res.Findings, keyFindings...)
		lines = append(lines, report.DKIMLine{Result: res})
	case keyMode:
		path = args[0]
		// Signing reads the message three times: a file is re-read
		// (streamed), stdin is held in memory.
		src, _, err := openMessage(e, path)
		if err != nil {
			return err
		}
		defer src.Close()
		res, err := v.SimulateSigning(ctx, src, dkim.SignOptions{Domain: dns.Domain(o.domain), Selector: o.selector, Signer: signer})
		if err != nil {
			return inputError(fmt.Errorf("%s: %w", path, err))
		}
		res.Findings = append(res.Findings, keyFindings...)
		lines = append(lines, report.DKIMLine{Message: path, Result: res})
	default:
		path = args[0]
		rc, data, err := openMessage(e, path)
		if err != nil {
			return err
		}
		var fromDomain string
		var m *check.Message
		if data != nil {
			m, err = check.ParseMessage(data, path)
		} else {
			m, err = check.ReadMessageFile(path)
		}
		if err == nil {
			fromDomain = check.FromAuthor(m).Domain
		}
		verify := v.Verify
		if o.headersOnly {
			verify = v.VerifyHeaders
		}
		rep, err := verify(ctx, rc)
		rc.Close()
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			return inputError(fmt.Errorf("%s: %w", path, err))
		}
		for _, s := range rep.Signatures {
			setAlignment(&s, fromDomain)
			lines = append(lines, report.DKIMLine{Message: path, Result: s, FromDomain: fromDomain})
		}
		msgFindings = rep.Findings
		if len(lines) == 0 {
			lines = append(lines, report.DKIMLine{Message: path, Result: dkim.Result{Result: dkim.StatusNone,
				Reason: "The message has no DKIM signature."}})
		}
	}

	if ctx.Err() != nil {
		return nil // interrupted: the key lookups were cut short (Run exits 130)
	}
	for _, l := range lines {
		switch l.Result.Result {
		case dkim.StatusPass, dkim.StatusNone:
		case dkim.StatusTempError:
			e.setCode(ExitIndeterminate)
		default:
			e.setCode(ExitFail)
		}
	}
	return report.WriteDKIM(e.stdout, report.DKIMCheck{Path: path, KeyCheck: keyMode && len(args) == 0, Lines: lines, Findings: msgFindings}, e.options())
}

// setAlignment marks whether a signature's d= aligns with the From domain
// as DMARC's default relaxed mode compares them (organizational domains);
// left unset when the message has no usable From.
func setAlignment(s *dkim.Result, from string) {
	fd, err := dns.ParseDomain(from)
	if err != nil || from == "" {
		return
	}
	id, err := dns.ParseDomain(string(s.Domain))
	if err != nil {
		return
	}
	a := dmarc.Aligned(fd, id, dmarc.AlignRelaxed)
	s.Aligned = &a
}

// messageFile is a message opened for reading more than once.
type messageFile interface {
	io.ReadSeeker
	io.Closer
}

// openMessage opens MESSAGE (- for stdin). A regular file is streamed from
// disk and read no further than the size it has now; anything else (stdin,
// a FIFO, a device) can be read only once, so it is read into memory and
// returned as data too. Either way a message over check.MaxMessage is an
// input error, and reading /dev/zero stops there.
func openMessage(e *env, path string) (messageFile, []byte, error) {
	var r io.Reader = e.stdin
	if path != "-" {
		f, err := os.Open(path)
		if err != nil {
			var pe *os.PathError
			if errors.As(err, &pe) {
				err = pe.Err
			}
			return nil, nil, inputError(fmt.Errorf("%s: %w", path, err))
		}
		st, err := f.Stat()
		switch {
		case err != nil:
			f.Close()
			return nil, nil, inputError(fmt.Errorf("%s: %w", path, err))
		case st.IsDir():
			f.Close()
			return nil, nil, usageErrorf("%s is a directory; preflight dkim takes one message file", path)
		case st.Mode().IsRegular() && st.Size() > check.MaxMessage:
			f.Close()
			return nil, nil, inputError(messageTooLarge(path))
		case st.Mode().IsRegular():
			return fileSection{io.NewSectionReader(f, 0, st.Size()), f}, nil, nil
		}
		defer f.Close()
		r = f
	}
	data, ok, err := check.ReadAtMost(r, check.MaxMessage)
	if err != nil {
		return nil, nil, inputError(fmt.Errorf("%s: %w", path, err))
	}
	if !ok {
		return nil, nil, inputError(messageTooLarge(path))
	}
	return nopCloser{bytes.NewReader(data)}, data, nil
}

func messageTooLarge(path string) error {
	return fmt.Errorf("%s: the message is larger than %d MiB, the limit of a message", path, check.MaxMessage>>20)
}

type fileSection struct {
	*io.SectionReader
	f *os.File
}

func (s fileSection) Close() error { return s.f.Close() }

type nopCloser struct{ *bytes.Reader }

func (nopCloser) Close() error { return nil }
