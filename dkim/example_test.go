package dkim_test

import (
	"context"
	"crypto/ed25519"
	"encoding/base64"
	"fmt"
	"strings"

	msgauth "github.com/emersion/go-msgauth/dkim"

	"preflight/dkim"
	"preflight/dns"
)

// Verify a message signed by d=brand.example s=s1, against a zone that
// publishes the key. In real use Resolver is preflight's DNS stack.
func ExampleVerifier_Verify() {
	seed := make([]byte, ed25519.SeedSize) // a demo key: never use a fixed seed
	key := ed25519.NewKeyFromSeed(seed)
	var signed strings.Builder
	msgauth.Sign(&signed, strings.NewReader("From: news@brand.example\r\nSubject: hi\r\n\r\nHello\r\n"),
		&msgauth.SignOptions{Domain: "brand.example", Selector: "s1", Signer: key})
	zone, _ := dns.ParseZone(`s1._domainkey.brand.example. 300 IN TXT "v=DKIM1; k=ed25519; p=`+
		base64.StdEncoding.EncodeToString(key.Public().(ed25519.PublicKey))+`"`, "example")

	v := dkim.Verifier{Resolver: zone}
	rep, err := v.Verify(context.Background(), strings.NewReader(signed.String()))
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, s := range rep.Signatures {
		fmt.Println(s.Domain, s.Selector, s.Result, s.Cause)
	}
	// Tampering with the body:
	rep, _ = v.Verify(context.Background(), strings.NewReader(signed.String()+"P.S. added later\r\n"))
	fmt.Println(rep.Signatures[0].Result, rep.Signatures[0].Cause)
	// Output:
	// brand.example s1 pass verified
	// fail body-hash-mismatch
}

// Lint a key record offline.
func ExampleParseKey() {
	k, err := dkim.ParseKey("v=DKIM1; k=ed25519; t=y; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=")
	fmt.Println(k.Type, k.Bits, k.Testing(), err)
	_, err = dkim.ParseKey("v=DKIM1; k=rsa; p=")
	fmt.Println(err)
	// Output:
	// ed25519 256 true <nil>
	// dkim: key revoked
}
