package receiver

import (
	"net/netip"
	"testing"

	"preflight/dkim"
	"preflight/dmarc"
)

func BenchmarkPredict(b *testing.B) {
	in := view(b, QQ, "news@pct.example", dmarc.SPFInput{Result: "fail", Domain: "pct.example"},
		[]dkim.Result{{Domain: "esp.example", Result: dkim.StatusPass, Algorithm: "rsa-sha256", KeyBits: 2048}})
	in.SPF = SPF{Result: "fail", Domain: "pct.example", IP: netip.MustParseAddr("192.0.2.1")}
	for b.Loop() {
		Predict(QQ, in)
	}
}
