package dns

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"
	"time"

	mdns "github.com/miekg/dns"
)

// TypeExists is the private-use RR type (RFC 6895 §3.1: 65280–65534) that a
// recording uses to keep a name in existence without answering any real
// type: a NODATA answer replays as NODATA because the name exists with only
// this record. Zone answers queries for it like for any unknown type.
const TypeExists Type = 65280

// Recorder passes lookups to Upstream and remembers every answer, so that
// WriteZone can write them as a zone file that Zone replays with the same
// answers:
//
//   - the first line starts with RecordingHeader, so that Zone knows the
//     file is a recording and answers only the questions it holds;
//   - an answer is written as its records (and the CNAME chain leading to
//     them);
//   - NXDOMAIN is written as a "; NXDOMAIN name TYPE" comment: the name is
//     absent from the file, and the comment says that absence was seen;
//   - NODATA is written as a "; NODATA name TYPE" comment and an empty
//     TYPE65280 record at the name (unless the name already exists through
//     other recorded data), so the name exists even for readers that ignore
//     the comments;
//   - a temporary failure is written as a "; TEMPERROR" comment; the
//     recording is then incomplete (Incomplete reports it, and the run must
//     warn) and replay answers that question with ErrNotRecorded.
//
// A question the recorded run never asked replays as ErrNotRecorded too:
// a recording says nothing about DNS it did not see.
type Recorder struct {
	Upstream Resolver

	mu   sync.Mutex
	seen map[cacheKey]recorded
}

type recorded struct {
	res Result
	err error
}

// Lookup implements Resolver.
func (r *Recorder) Lookup(ctx context.Context, name string, t Type) (Result, error) {
	res, err := r.Upstream.Lookup(ctx, name, t)
	key := cacheKey{CanonicalName(name), t}
	r.mu.Lock()
	if r.seen == nil {
		r.seen = map[cacheKey]recorded{}
	}
	// A definite answer wins over an earlier failure of the same question.
	if prev, ok := r.seen[key]; !ok || prev.err != nil {
		r.seen[key] = recorded{res, err}
	}
	r.mu.Unlock()
	return res, err
}

// Incomplete returns the questions whose only outcome was a failure.
func (r *Recorder) Incomplete() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []string
	for k, v := range r.seen {
		if v.err != nil {
			out = append(out, k.name+" "+k.t.String())
		}
	}
	sort.Strings(out)
	return out
}

// WriteZone writes everything recorded as an RFC 1035 zone file.
func (r *Recorder) WriteZone(w io.Writer, now time.Time) error {
	r.mu.Lock()
	keys := make([]cacheKey, 0, len(r.seen))
	for k := range r.seen {
		keys = append(keys, k)
	}
	seen := make(map[cacheKey]recorded, len(r.seen))
	for k, v := range r.seen {
		seen[k] = v
	}
	r.mu.Unlock()
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].name != keys[j].name {
			return keys[i].name < keys[j].name
		}
		return keys[i].t < keys[j].t
	})

	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "%s, %s\n", RecordingHeader, now.UTC().Format(time.RFC3339))
	fmt.Fprintf(bw, "; Replay with --zone FILE. Only the questions of the recorded run replay: their\n")
	fmt.Fprintf(bw, "; records, and the NXDOMAIN and NODATA comments below. Any other question is\n")
	fmt.Fprintf(bw, "; \"not recorded\", a temporary failure (exit 3): record again to refresh the file.\n")
	fmt.Fprintf(bw, "; A TYPE%d record keeps a name in existence for readers that ignore comments.\n", TypeExists)

	// Owners that will exist in the file, to tell when a NODATA needs its
	// placeholder.
	exists := map[string]bool{}
	mark := func(name string) {
		for n := name; ; {
			exists[n] = true
			i := strings.IndexByte(n, '.')
			if i < 0 {
				return
			}
			n = n[i+1:]
		}
	}
	written := map[string]bool{}
	var lines []string
	emit := func(rr mdns.RR) {
		s := rr.String()
		if !written[s] {
			written[s] = true
			lines = append(lines, s)
		}
		mark(CanonicalName(rr.Header().Name))
	}
	var comments []string
	for _, k := range keys {
		v := seen[k]
		if v.err != nil {
			comments = append(comments, fmt.Sprintf("; TEMPERROR %s %s: %s -- not recorded, replays as a temporary failure",
				k.name, k.t, oneLine(v.err.Error())))
			continue
		}
		owner := k.name
		for _, c := range v.res.CNAMEs {
			emit(&mdns.CNAME{Hdr: hdr(owner, TypeCNAME, v.res.TTL), Target: mdns.Fqdn(c)})
			owner = c
		}
		for _, rec := range v.res.Records {
			if rr := toRR(rec); rr != nil {
				emit(rr)
			}
		}
	}
	for _, k := range keys {
		v := seen[k]
		if v.err != nil {
			continue
		}
		end := k.name
		if n := len(v.res.CNAMEs); n > 0 {
			end = v.res.CNAMEs[n-1]
		}
		switch v.res.Status {
		case StatusNXDomain:
			comments = append(comments, fmt.Sprintf("; NXDOMAIN %s %s", k.name, k.t))
		case StatusNoData:
			comments = append(comments, fmt.Sprintf("; NODATA %s %s", k.name, k.t))
			if !exists[end] {
				emit(&mdns.RFC3597{Hdr: hdr(end, TypeExists, v.res.TTL)})
			}
		}
	}
	for _, l := range comments {
		fmt.Fprintln(bw, l)
	}
	for _, l := range lines {
		fmt.Fprintln(bw, l)
	}
	return bw.Flush()
}

func hdr(name string, t Type, ttl uint32) mdns.RR_Header {
	return mdns.RR_Header{Name: mdns.Fqdn(name), Rrtype: uint16(t), Class: mdns.ClassINET, Ttl: ttl}
}

// toRR turns a Record back into a miekg/dns record for writing.
func toRR(rec Record) mdns.RR {
	h := hdr(rec.Name, rec.Type, rec.TTL)
	switch rec.Type {
	case TypeA:
		return &mdns.A{Hdr: h, A: rec.IP.AsSlice()}
	case TypeAAAA:
		return &mdns.AAAA{Hdr: h, AAAA: rec.IP.AsSlice()}
	case TypeTXT:
		return &mdns.TXT{Hdr: h, Txt: splitTXT(rec.Data)}
	case TypeMX:
		return &mdns.MX{Hdr: h, Preference: rec.Pref, Mx: mdns.Fqdn(rec.Target)}
	case TypePTR:
		return &mdns.PTR{Hdr: h, Ptr: mdns.Fqdn(rec.Target)}
	case TypeNS:
		return &mdns.NS{Hdr: h, Ns: mdns.Fqdn(rec.Target)}
	case TypeCNAME:
		return &mdns.CNAME{Hdr: h, Target: mdns.Fqdn(rec.Target)}
	case TypeSOA, TypeCAA, TypeTLSA:
		// Data is the presentation form: parse it back.
		rr, err := mdns.NewRR(fmt.Sprintf("%s %d IN %s %s", mdns.Fqdn(rec.Name), rec.TTL, rec.Type, rec.Data))
		if err == nil && rr != nil {
			return rr
		}
	}
	return nil
}

// splitTXT cuts a joined TXT value into character-strings of at most 255
// octets; replay joins them again, so the value is unchanged.
func splitTXT(s string) []string {
	if s == "" {
		return []string{""}
	}
	var out []string
	for len(s) > 255 {
		out = append(out, escapeTXT(s[:255]))
		s = s[255:]
	}
	return append(out, escapeTXT(s))
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

func errCNAMELoop(name string) error {
	return fmt.Errorf("CNAME chain from %s is longer than %d or loops", name, maxCNAME)
}
