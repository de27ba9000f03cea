package dkim

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"io"
	"strings"
	"testing"

	msgauth "github.com/emersion/go-msgauth/dkim"
	"github.com/google/go-cmp/cmp"
)

func TestParseTags(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in      string
		want    []Tag
		wantErr error
	}{
		{in: "", want: nil},
		{in: "v=1; a=rsa-sha256;", want: []Tag{{"v", "1"}, {"a", "rsa-sha256"}}},
		{in: " v = 1 ;\r\n\ta=rsa-sha256 ", want: []Tag{{"v", "1"}, {"a", "rsa-sha256"}}},
		{in: "b=abc\r\n def", want: []Tag{{"b", "abc\r\n def"}}},
		{in: "x1 = extra ; t = y:n", want: []Tag{{"x1", "extra"}, {"t", "y:n"}}},
		{in: "v=1; v=1", wantErr: ErrDuplicateTag},
		{in: "k=rsa; t; p=abc", wantErr: ErrSyntax},
		{in: "1a=b", wantErr: ErrSyntax},
		{in: "=b", wantErr: ErrSyntax},
		{in: "a=caf\xc3\xa9", want: []Tag{{"a", "caf\xc3\xa9"}}},
		{in: "a=b\x01", wantErr: ErrSyntax},
		{in: "a=\x00", wantErr: ErrSyntax},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			t.Parallel()
			got, err := ParseTags(tc.in)
			if !errors.Is(err, tc.wantErr) {
				t.Fatalf("err = %v, want %v", err, tc.wantErr)
			}
			if tc.wantErr == nil {
				if diff := cmp.Diff(tc.want, got); diff != "" {
					t.Errorf("tags (-want +got):\n%s", diff)
				}
			}
		})
	}
}

func TestParseSignature(t *testing.T) {
	t.Parallel()
	const base = "v=1; a=rsa-sha256; c=relaxed/simple; d=Example.COM.; s=Sel; h=From:To : Subject; bh=AAAA; b=AA AA"
	sig, err := ParseSignature(base + "; l=42; t=1000; x=2000; i=jo=40sub.example.com")
	if err != nil {
		t.Fatal(err)
	}
	want := &Signature{Version: "1", Algorithm: "rsa-sha256", KeyAlgorithm: "rsa", HashAlgorithm: "sha256",
		HeaderCanon: Relaxed, BodyCanon: Simple, Domain: "example.com", Selector: "sel",
		Headers: []string{"From", "To", "Subject"}, Identifier: "jo@sub.example.com", HasIdentifier: true,
		BodyLength: 42, SignedAt: 1000, ExpiresAt: 2000, QueryMethods: []string{"dns/txt"},
		BodyHash: []byte{0, 0, 0}, Sig: []byte{0, 0, 0}}
	if diff := cmp.Diff(want, sig, cmp.FilterPath(func(p cmp.Path) bool { return p.String() == "Tags" }, cmp.Ignore())); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if sig.SignsHeader("from") != 1 {
		t.Error("SignsHeader is not case-insensitive")
	}

	errs := []struct {
		name, in string
		want     error
	}{
		{"no-version", strings.Replace(base, "v=1; ", "", 1), ErrVersion},
		{"version-0.5", strings.Replace(base, "v=1", "v=0.5", 1), ErrVersion},
		{"missing-bh", strings.Replace(base, "bh=AAAA; ", "", 1), ErrMissingTag},
		{"unknown-algorithm", strings.Replace(base, "rsa-sha256", "rsa-md5", 1), ErrAlgorithm},
		{"ed25519-sha1", strings.Replace(base, "rsa-sha256", "ed25519-sha1", 1), ErrAlgorithm},
		{"unknown-canon", strings.Replace(base, "relaxed/simple", "nowsp", 1), ErrCanonicalization},
		{"from-not-signed", strings.Replace(base, "From:", "", 1), ErrFromNotSigned},
		{"identifier-outside", base + "; i=a@evil.example", ErrIdentifier},
		{"identifier-suffix-trick", base + "; i=a@notexample.com", ErrIdentifier},
		{"bad-length", base + "; l=-1", ErrTagValue},
		{"huge-length", base + "; l=99999999999999999999999", ErrTagValue},
		{"bad-time", base + "; t=yesterday", ErrTagValue},
		{"bad-base64", strings.Replace(base, "bh=AAAA", "bh=!!", 1), ErrTagValue},
		{"bad-domain", strings.Replace(base, "d=Example.COM.", "d=exa mple..com", 1), ErrTagValue},
		{"duplicate", base + "; d=other.example", ErrDuplicateTag},
	}
	for _, tc := range errs {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			sig, err := ParseSignature(tc.in)
			if !errors.Is(err, tc.want) {
				t.Errorf("err = %v, want %v", err, tc.want)
			}
			if sig == nil {
				t.Fatal("nil signature with an error")
			}
			if tc.name != "bad-domain" && sig.Domain != "example.com" {
				t.Errorf("domain %q not salvaged", sig.Domain)
			}
		})
	}
}

func TestParseKey(t *testing.T) {
	t.Parallel()
	testKeys(t)
	rsaRec := keyRecord(t, &rsa2048.PublicKey, "")
	tests := []struct {
		name    string
		in      string
		wantErr error
		check   func(*Key) bool
	}{
		{name: "rsa", in: rsaRec, check: func(k *Key) bool { return k.Type == "rsa" && k.Bits == 2048 && !k.Testing() }},
		{name: "pkcs1", in: "p=MIGJAoGBALVI635dLK4cJJAH3Lx6upo3X/Lm1tQz3mezcWTA3BUBnyIsdnRf57aD5BtNmhPrYYDlWlzw3UgnKisIxktkk5+iMQMlFtAS10JB8L3YadXNJY+JBcbeSi5TgJe4WFzNgW95FWDAuSTRXSWZfA/8xjflbTLDx0euFZOM7C4T0GwLAgMBAAE=", check: func(k *Key) bool { return k.Bits == 1024 }},
		{name: "ed25519", in: keyRecord(t, edKey.Public(), ""), check: func(k *Key) bool { return k.Type == "ed25519" && k.Bits == 256 }},
		{name: "flags", in: keyRecord(t, &rsa2048.PublicKey, "t=y:s; h=sha256; s=email; n=hi; g=*; "), check: func(k *Key) bool {
			return k.Testing() && k.Strict() && k.AllowsHash("sha256") && !k.AllowsHash("sha1") && k.AllowsEmail() && k.Notes == "hi"
		}},
		{name: "service-other", in: keyRecord(t, &rsa2048.PublicKey, "s=chat; "), check: func(k *Key) bool { return !k.AllowsEmail() }},
		{name: "revoked", in: "v=DKIM1; k=rsa; p=", wantErr: ErrKeyRevoked, check: func(k *Key) bool { return k.Revoked }},
		{name: "no-p", in: "v=DKIM1; k=rsa", wantErr: ErrKeySyntax},
		{name: "empty", in: "", wantErr: ErrKeySyntax},
		{name: "bad-version", in: "v=DKIM3; p=AAAA", wantErr: ErrVersion},
		{name: "bad-base64", in: "p=!!!", wantErr: ErrKeySyntax},
		{name: "not-a-key", in: "p=AAAA", wantErr: ErrKeySyntax},
		{name: "unknown-type", in: "k=foobar; " + strings.TrimPrefix(rsaRec, "v=DKIM1; k=rsa; "), wantErr: ErrAlgorithm},
		{name: "ed25519-wrong-size", in: "k=ed25519; p=AAAA", wantErr: ErrKeySyntax},
		{name: "ed25519-as-rsa", in: "k=rsa; p=" + strings.TrimPrefix(keyRecord(t, edKey.Public(), ""), "v=DKIM1; k=ed25519; p="), wantErr: ErrKeySyntax},
		{name: "malformed", in: "k=rsa; t; p=AAAA", wantErr: ErrSyntax},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			k, err := ParseKey(tc.in)
			if !errors.Is(err, tc.wantErr) {
				t.Fatalf("err = %v, want %v", err, tc.wantErr)
			}
			if k == nil {
				t.Fatal("nil key")
			}
			if tc.check != nil && !tc.check(k) {
				t.Errorf("unexpected key %+v", k)
			}
		})
	}
}

// TestBodyCanonAgainstLibrary checks our streaming canonicalizers against
// go-msgauth's: a body signed by go-msgauth must hash the same with ours,
// whatever the write boundaries.
func TestBodyCanonAgainstLibrary(t *testing.T) {
	t.Parallel()
	testKeys(t)
	bodies := []string{
		"", "\r\n", "\r\n\r\n", "a", "a\r\n", "a\r\n\r\n\r\n", " a \t b  \r\n\t\r\n", "x\ry\r\n", "trailing\r",
		"line one  \r\n  line two\t\r\n\r\n\r\nend\r\n\r\n", "lf only\nsecond\n\n",
		"x \ry", "a\r\n\r", "\r\r\n", "a\r\n\r\r\n\r\nb", " \r", "\t\r\n \r\n",
	}
	for _, body := range bodies {
		for _, canon := range []msgauth.Canonicalization{msgauth.CanonicalizationSimple, msgauth.CanonicalizationRelaxed} {
			msg := "From: a@brand.example\r\n\r\n" + body
			signed := libSign(t, msg, &msgauth.SignOptions{Domain: "brand.example", Selector: "s1", Signer: edKey, BodyCanonicalization: canon})
			sig, _ := ParseSignature(strings.SplitN(strings.SplitN(signed, ":", 2)[1], "\r\nFrom:", 2)[0])
			for _, chunk := range []int{1, 2, 3, 7, 1 << 20} {
				h := sha256.New()
				bc := newBodyCanon(Canonicalization(canon), h)
				b := []byte(strings.ReplaceAll(strings.ReplaceAll(body, "\r\n", "\n"), "\n", "\r\n"))
				if !strings.Contains(body, "\n") || strings.Contains(body, "\r\n") {
					b = []byte(body)
				}
				for len(b) > 0 {
					n := min(chunk, len(b))
					bc.Write(b[:n])
					b = b[n:]
				}
				bc.Close()
				if !bytes.Equal(h.Sum(nil), sig.BodyHash) {
					t.Errorf("%s body %q, writes of %d: body hash differs from go-msgauth", canon, body, chunk)
				}
			}
		}
	}
}

func TestCRLFReader(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"a\nb\n", "a\r\nb\r\n"},
		{"a\r\nb\r\n", "a\r\nb\r\n"},
		{"a\r\rb\n\n", "a\r\rb\r\n\r\n"},
		{"\n", "\r\n"},
		{"", ""},
	}
	for _, tc := range tests {
		for _, size := range []int{1, 2, 3, 64} {
			r := newCRLFReader(&oneByteReader{strings.NewReader(tc.in)})
			var out bytes.Buffer
			buf := make([]byte, size)
			for {
				n, err := r.Read(buf)
				out.Write(buf[:n])
				if err == io.EOF {
					break
				}
				if err != nil {
					t.Fatal(err)
				}
			}
			if out.String() != tc.want {
				t.Errorf("%q with reads of %d: got %q, want %q", tc.in, size, out.String(), tc.want)
			}
		}
	}
}

type oneByteReader struct{ r io.Reader }

func (o *oneByteReader) Read(p []byte) (int, error) {
	if len(p) > 1 {
		p = p[:1]
	}
	return o.r.Read(p)
}

func TestStripSignatureValue(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"DKIM-Signature: v=1; b=abc; bh=xyz\r\n", "DKIM-Signature: v=1; b=; bh=xyz\r\n"},
		{"DKIM-Signature: v=1; bh=xyz; b=ab\r\n c\r\n", "DKIM-Signature: v=1; bh=xyz; b="},
		{"DKIM-Signature: v=1; bh=xyz;\r\n b = ab ; d=x\r\n", "DKIM-Signature: v=1; bh=xyz;\r\n b =; d=x\r\n"},
	}
	for _, tc := range tests {
		if got := stripSignatureValue(tc.in); got != tc.want {
			t.Errorf("stripSignatureValue(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestVerifyBadInput feeds junk; Verify must return, never panic.
func TestVerifyBadInput(t *testing.T) {
	t.Parallel()
	inputs := []string{
		"", "\r\n", "no colon at all", "\x00\x01\x02\xff\xfe",
		"DKIM-Signature:\r\n\r\nbody", "DKIM-Signature: ;;;;\r\n\r\n",
		"DKIM-Signature: v=1; a=rsa-sha256; d=; s=; h=from; bh=; b=\r\nFrom: x\r\n\r\n",
		"Subject: caf\xc3\xa9 \xff\r\nDKIM-Signature: v=1; d=\xff.example; s=\x80\r\n\r\n",
		" leading continuation\r\nFrom: a@b\r\n\r\n",
		strings.Repeat("DKIM-Signature: v=1; a=rsa-sha256; d=a.example; s=s; h=from; bh=AAAA; b=AAAA\r\n", 40) + "From: a@a.example\r\n\r\nbody",
	}
	for i, in := range inputs {
		rep, err := (&Verifier{Resolver: zoneOf(t, nil)}).Verify(context.Background(), strings.NewReader(in))
		if err != nil {
			continue
		}
		for _, s := range rep.Signatures {
			if s.Result == StatusPass {
				t.Errorf("input %d: junk passed: %+v", i, s)
			}
			if s.Reason == "" {
				t.Errorf("input %d: empty reason", i)
			}
		}
	}
}
