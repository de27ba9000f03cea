package receiver

import (
	"testing"

	"preflight/dmarc"
)

func BenchmarkPredict(b *testing.B) {
	ev := evaluate(b, "news@pct.example", dmarc.SPFInput{Result: "fail", Domain: "pct.example"},
		[]Signature{{Domain: "esp.example", Result: "pass", Algorithm: "rsa-sha256", KeyBits: 2048}}, dmarc.Options{})
	in := Input{DMARC: ev, SPF: SPF{Result: "fail", Domain: "pct.example", IP: "192.0.2.1"},
		DKIM: []Signature{{Domain: "esp.example", Result: "pass", Algorithm: "rsa-sha256", KeyBits: 2048}}}
	for b.Loop() {
		Predict(QQ, in)
	}
}
