package cli

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"preflight/dns"
	"preflight/report"
)

// dnsOptions are the DNS flags every DNS-using command shares (a contract,
// DESIGN.md "CLI contract").
type dnsOptions struct {
	servers  []string
	zones    []string
	overlays []string
	record   string
	timeout  time.Duration
}

func (o *dnsOptions) register(fs *pflag.FlagSet) {
	fs.StringArrayVar(&o.servers, "resolver", nil, "DNS server HOST[:PORT] to ask (repeatable; IPv6 as [::1]:53); default: /etc/resolv.conf")
	fs.StringArrayVar(&o.zones, "zone", nil, "answer only from this RFC 1035 zone file, offline (repeatable; at most 64 MiB); a name it lacks is NXDOMAIN, but in a --record recording a question never recorded is \"not recorded\" (exit 3)")
	fs.StringArrayVar(&o.overlays, "overlay", nil, "zone file whose records replace live answers for the names and types it defines (repeatable)")
	fs.StringVar(&o.record, "record", "", "write every DNS answer seen to this zone file, to replay later with --zone")
	fs.DurationVar(&o.timeout, "timeout", 2*time.Second, "timeout of one DNS query to one server")
}

// dnsStack is the resolver chain of one run:
// Cache → [Recorder] → [Overlay] → Zone or Net.
type dnsStack struct {
	cache      *dns.Cache
	rec        *dns.Recorder
	recordPath string
}

func (o *dnsOptions) build() (*dnsStack, error) {
	if len(o.zones) > 0 && len(o.servers) > 0 {
		return nil, usageErrorf("--zone answers only from zone files; it cannot be combined with --resolver (use --overlay to combine a zone with live DNS)")
	}
	if o.timeout <= 0 {
		return nil, usageErrorf("--timeout must be positive")
	}
	if o.record != "" {
		for _, p := range append(append([]string{}, o.zones...), o.overlays...) {
			if samePath(p, o.record) {
				return nil, usageErrorf("--record %s would overwrite an input zone file; write the recording elsewhere", o.record)
			}
		}
	}
	var base dns.Resolver
	if len(o.zones) > 0 {
		z, err := dns.LoadZone(o.zones...)
		if err != nil {
			return nil, inputError(err)
		}
		base = z
	} else {
		servers := o.servers
		if len(servers) == 0 {
			var err error
			conf := "/etc/resolv.conf"
			if p := os.Getenv("PREFLIGHT_RESOLV_CONF"); p != "" {
				conf = p
			}
			if servers, err = dns.SystemServers(conf); err != nil {
				return nil, inputError(err)
			}
		}
		n, err := dns.NewNet(servers, o.timeout)
		if err != nil {
			return nil, inputError(err)
		}
		base = n
	}
	if len(o.overlays) > 0 {
		z, err := dns.LoadZone(o.overlays...)
		if err != nil {
			return nil, inputError(err)
		}
		base = &dns.Overlay{Zone: z, Live: base}
	}
	s := &dnsStack{recordPath: o.record}
	if o.record != "" {
		s.rec = &dns.Recorder{Upstream: base}
		base = s.rec
	}
	s.cache = dns.NewCache(base, nil)
	return s, nil
}

func (s *dnsStack) finish(stderr io.Writer, now time.Time) error {
	if s.rec == nil {
		return nil
	}
	f, err := os.Create(s.recordPath)
	if err != nil {
		return inputError(fmt.Errorf("--record: %w", err))
	}
	if err := s.rec.WriteZone(f, now); err != nil {
		f.Close()
		return fmt.Errorf("--record: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("--record: %w", err)
	}
	if missing := s.rec.Incomplete(); len(missing) > 0 {
		fmt.Fprintf(stderr, "preflight: warning: the recording %s is incomplete: %d question(s) failed temporarily (%s); replaying it will not reproduce this run\n",
			report.Safe(s.recordPath), len(missing), report.Safe(joinMax(missing, 3)))
	}
	return nil
}

func samePath(a, b string) bool {
	if fa, err := os.Stat(a); err == nil {
		if fb, err := os.Stat(b); err == nil {
			return os.SameFile(fa, fb)
		}
	}
	aa, _ := filepath.Abs(a)
	bb, _ := filepath.Abs(b)
	return aa == bb
}

func joinMax(items []string, n int) string {
	if len(items) <= n {
		return strings.Join(items, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(items[:n], ", "), len(items)-n)
}
