package cli

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"preflight/internal/dnstest"
)

// TestResolverAtSign: --resolver @IP is dig's spelling of the server, and
// works like --resolver IP.
func TestResolverAtSign(t *testing.T) {
	t.Parallel()
	srv := dnstest.Start(t, loopZone)
	code, out, stderr := run(t, "lookup", "--resolver", "@"+srv.Addr, "MX", "example.org")
	if code != ExitOK || !strings.Contains(out, "10 mx.example.org.") {
		t.Errorf("exit %d\n%s%s", code, out, stderr)
	}
}

// TestResolverName: a --resolver given by name is resolved once, up
// front; a name that does not resolve is a usage error (exit 2), not a
// temporary failure of every query (exit 3).
func TestResolverName(t *testing.T) {
	t.Parallel()
	srv := dnstest.Start(t, loopZone)
	host, port, _ := strings.Cut(srv.Addr, ":")
	hosts := func(_ context.Context, name string) ([]string, error) {
		if name == "ns.test" {
			return []string{host}, nil
		}
		return nil, errors.New("no such host")
	}
	o := dnsOptions{servers: []string{"ns.test:" + port}, timeout: time.Second, deadline: time.Second, lookupHost: hosts}
	s, err := o.build()
	if err != nil {
		t.Fatal(err)
	}
	res, err := s.cache.Lookup(context.Background(), "example.org", 15)
	if err != nil || len(res.Records) != 1 {
		t.Errorf("lookup through ns.test: %v %+v", err, res)
	}
	o = dnsOptions{servers: []string{"nosuch.test"}, timeout: time.Second, deadline: time.Second, lookupHost: hosts}
	_, err = o.build()
	var ee *exitError
	if !errors.As(err, &ee) || ee.code != ExitUsage || !strings.Contains(err.Error(), "--resolver nosuch.test: the name does not resolve") {
		t.Errorf("unresolvable name: %v", err)
	}
}
