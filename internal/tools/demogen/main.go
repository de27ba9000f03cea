// Command demogen writes the demo messages of testdata/demo: each scenario of
// the README and the golden tests as an .eml, DKIM-signed the way a
// made-up ESP would sign it, and the DKIM key records into demo.zone
// (between the "; BEGIN demogen keys" and "; END demogen keys" lines).
//
// The keys live in testdata/demo/keys/ and exist only for this demo: they
// sign nothing real. Run it from the repository root:
//
//	go run ./internal/tools/demogen
package main

import (
	"bytes"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/emersion/go-msgauth/dkim"
)

const dir = "testdata/demo"

type key struct {
	file     string
	domain   string // where the public key is published
	selector string
	publish  bool
}

var keys = map[string]key{
	// The ESP's own key: d=esp.example, what an ESP signs with by default.
	"esp": {"esp-s1.key", "esp.example", "s1", true},
	// The key the ESP uses once the brand sets up custom DKIM: published
	// by the brand at esp1._domainkey.brand.example.
	"brand": {"brand-esp1.key", "brand.example", "esp1", true},
	// A new key the brand generated but has not published (the public key
	// in DNS is still brand-esp1's): --dkim-key with it shows the mismatch.
	"unpublished": {"brand-unpublished.key", "brand.example", "esp1", false},
}

type scenario struct {
	file, from, returnPath, subject, ip string
	sign                                []string // key names, in order (top signature first)
	about                               string
}

var scenarios = []scenario{
	{"aligned-dkim.eml", "Brand News <news@brand.example>", "bounce-42@esp.example", "Spring sale — custom DKIM", "192.0.2.10",
		[]string{"brand", "esp"}, "DKIM-aligned pass: the ESP signs with d=brand.example (and d=esp.example)"},
	{"custom-return-path.eml", "Brand News <news@brand.example>", "bounce-42@bounce.brand.example", "Spring sale — custom Return-Path", "192.0.2.10",
		[]string{"esp"}, "SPF-aligned pass: the Return-Path is bounce.brand.example, pointed at the ESP"},
	{"esp-defaults.eml", "Brand News <news@brand.example>", "bounce-42@esp.example", "Spring sale — ESP defaults", "192.0.2.10",
		[]string{"esp"}, "nothing aligned under p=reject: QQ's 550 DMARC check failed"},
	{"quarantine.eml", "Shop <deals@shop.example>", "bounce-43@esp.example", "Weekly deals", "192.0.2.10",
		[]string{"esp"}, "nothing aligned under p=quarantine: accepted, delivered to spam"},
	{"policy-none.eml", "Startup <hello@startup.example>", "bounce-44@esp.example", "Product update", "192.0.2.10",
		[]string{"esp"}, "nothing aligned under p=none: accepted"},
	{"subdomain-sp.eml", "Alerts <alerts@notify.brand.example>", "bounce-45@esp.example", "Your order shipped", "192.0.2.10",
		[]string{"esp"}, "a subdomain From governed by brand.example's sp=quarantine"},
	{"no-dmarc.eml", "Club <club@nodmarc.example>", "bounce-46@esp.example", "Members' news", "192.0.2.10",
		[]string{"esp"}, "no DMARC record at all"},
	{"two-dmarc.eml", "Travel <trips@twodmarc.example>", "bounce-47@esp.example", "Summer trips", "192.0.2.10",
		[]string{"esp"}, "two DMARC records at _dmarc.twodmarc.example: no policy applies"},
	{"spf-fail-none.eml", "Legacy <info@legacy.example>", "bounce@legacy.example", "Newsletter", "192.0.2.10",
		[]string{"esp"}, "SPF -all fails for the Return-Path domain under p=none: QQ's 550 SPF check failed"},
}

func main() {
	log.SetFlags(0)
	signers := map[string]crypto.Signer{}
	var zone strings.Builder
	for _, name := range []string{"esp", "brand", "unpublished"} {
		k := keys[name]
		s, err := loadOrCreate(filepath.Join(dir, "keys", k.file))
		if err != nil {
			log.Fatal(err)
		}
		signers[name] = s
		if k.publish {
			der, err := x509.MarshalPKIXPublicKey(s.Public())
			if err != nil {
				log.Fatal(err)
			}
			zone.WriteString(txtRecord(k.selector+"._domainkey."+k.domain+".", "v=DKIM1; k=rsa; p="+base64.StdEncoding.EncodeToString(der)))
		}
	}
	for _, sc := range scenarios {
		msg := message(sc)
		for i := len(sc.sign) - 1; i >= 0; i-- { // the first listed ends on top
			k := keys[sc.sign[i]]
			var out bytes.Buffer
			err := dkim.Sign(&out, bytes.NewReader(msg), &dkim.SignOptions{
				Domain: k.domain, Selector: k.selector, Signer: signers[sc.sign[i]],
				HeaderCanonicalization: dkim.CanonicalizationRelaxed, BodyCanonicalization: dkim.CanonicalizationRelaxed,
				HeaderKeys: []string{"From", "From", "To", "Subject", "Date", "Message-ID", "MIME-Version", "Content-Type", "List-Unsubscribe", "List-Unsubscribe-Post"},
			})
			if err != nil {
				log.Fatalf("%s: %v", sc.file, err)
			}
			msg = out.Bytes()
		}
		// Received is added after signing, by the receiving mailbox, as in
		// a copy saved from a seed inbox.
		recv := fmt.Sprintf("Received: from mta1.esp.example (mta1.esp.example [%s])\r\n\tby mx.seed-inbox.example with ESMTPS id 4Zq8; Thu, 15 Jan 2026 10:00:02 +0000\r\n", sc.ip)
		msg = append([]byte("Return-Path: <"+sc.returnPath+">\r\n"+recv), msg...)
		if err := os.WriteFile(filepath.Join(dir, sc.file), msg, 0o644); err != nil {
			log.Fatal(err)
		}
	}
	if err := spliceZone(filepath.Join(dir, "demo.zone"), zone.String()); err != nil {
		log.Fatal(err)
	}
}

func message(sc scenario) []byte {
	local := strings.SplitN(sc.file, ".", 2)[0]
	h := []string{
		"From: " + sc.from,
		"To: reader@qq.com",
		"Subject: " + sc.subject,
		"Date: Thu, 15 Jan 2026 10:00:00 +0000",
		"Message-ID: <" + local + "@mail.esp.example>",
		"MIME-Version: 1.0",
		"Content-Type: text/plain; charset=utf-8",
		"List-Unsubscribe: <https://esp.example/u/" + local + ">, <mailto:unsub-" + local + "@esp.example>",
		"List-Unsubscribe-Post: List-Unsubscribe=One-Click",
	}
	body := "Hello,\r\n\r\nThis is the preflight demo: " + sc.about + ".\r\n\r\n-- \r\nUnsubscribe: https://esp.example/u/" + local + "\r\n"
	return []byte(strings.Join(h, "\r\n") + "\r\n\r\n" + body)
}

func loadOrCreate(path string) (crypto.Signer, error) {
	if data, err := os.ReadFile(path); err == nil {
		block, _ := pem.Decode(data)
		if block == nil {
			return nil, fmt.Errorf("%s: no PEM block", path)
		}
		k, err := x509.ParsePKCS8PrivateKey(block.Bytes)
		if err != nil {
			return nil, err
		}
		return k.(crypto.Signer), nil
	}
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, err
	}
	der, err := x509.MarshalPKCS8PrivateKey(k)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, err
	}
	return k, os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), 0o600)
}

// txtRecord writes a TXT record split into 255-octet strings.
func txtRecord(owner, value string) string {
	var parts []string
	for len(value) > 200 {
		parts = append(parts, `"`+value[:200]+`"`)
		value = value[200:]
	}
	parts = append(parts, `"`+value+`"`)
	return fmt.Sprintf("%s 3600 IN TXT ( %s )\n", owner, strings.Join(parts, "\n        "))
}

var keyBlock = regexp.MustCompile(`(?s); BEGIN demogen keys\n.*; END demogen keys\n`)

func spliceZone(path, records string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	block := "; BEGIN demogen keys\n" + records + "; END demogen keys\n"
	if !keyBlock.Match(data) {
		return fmt.Errorf("%s has no '; BEGIN demogen keys' block", path)
	}
	return os.WriteFile(path, keyBlock.ReplaceAll(data, []byte(block)), 0o644)
}
