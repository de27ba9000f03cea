package dns

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	mdns "github.com/miekg/dns"
)

// Zone answers only from RFC 1035 zone files: offline and deterministic, for
// tests, CI and the README demo. Names absent from every loaded zone are
// NXDOMAIN; a name that exists (or is an empty non-terminal, RFC 8020) but has
// no record of the asked type is NODATA. CNAMEs are followed within the zone
// data; RFC 4592 wildcards ("*.example.com") synthesise answers for names
// below their closest encloser that do not exist.
//
// A recording is different. A file whose first line starts with
// RecordingHeader was written by Recorder, and it knows only the questions
// that run asked: records answer as usual, a question recorded as NXDOMAIN
// or NODATA (the "; NXDOMAIN name TYPE" and "; NODATA name TYPE" comments)
// replays as such, and any other question that finds no records is not
// NXDOMAIN but "not recorded": an error matching ErrNotRecorded and
// ErrTemporary, so that a check of a new template against an old recording
// gives temperror, never a verdict built on DNS nobody asked. When
// recordings and hand-written files are loaded together, a name that a
// hand-written file defines still replays NODATA for its missing types.
//
// Zone files may use $ORIGIN, $TTL, relative names and every syntax
// github.com/miekg/dns accepts; $INCLUDE is refused so that a zone file
// cannot make preflight read other files. Records of several files merge.
//
// The zero value is an empty zone; a Zone is safe for concurrent lookups once
// loading is done.
type Zone struct {
	// MaxFileSize is the most Add reads of one file; 0 means MaxZoneFile.
	MaxFileSize int64

	nodes map[string]*zoneNode // canonical owner name → records
	exist map[string]bool      // every owner name and all their ancestors
	files []string             // sources, for negative answers

	recording bool                // a recording was loaded
	negatives map[cacheKey]Status // questions a recording saw answered NXDOMAIN or NODATA
	handExist map[string]bool     // names that hand-written files define (and their ancestors)
}

// RecordingHeader starts the first line of every file Recorder writes; Zone
// replays such a file as a recording (see Zone). Delete that line to turn a
// recording into a plain zone file, where absent names are NXDOMAIN.
const RecordingHeader = "; preflight DNS recording"

// ErrNotRecorded marks a question that a replayed recording cannot answer:
// the recorded run never asked it, or its answer was a temporary failure.
// It also matches ErrTemporary (errors.Is): the answer is unknown, not
// "none".
var ErrNotRecorded error = &alsoTemporary{"dns: not recorded: the replayed recording never saw this question (record again with --record)"}

type alsoTemporary struct{ msg string }

func (e *alsoTemporary) Error() string        { return e.msg }
func (e *alsoTemporary) Is(target error) bool { return target == ErrTemporary }

type zoneNode struct {
	rrsets map[Type][]Record
	source map[Type]string
}

// MaxZoneFile is the most LoadZone and Add read of one zone file: 64 MiB,
// far above a hand-written zone or the recording of a large batch (a few
// MiB), and low enough that a wrong path (/dev/zero, a FIFO that never
// ends) fails with ErrZoneTooLarge instead of filling the memory.
const MaxZoneFile = 64 << 20

// ErrZoneTooLarge is the error of a zone file longer than MaxZoneFile.
var ErrZoneTooLarge = errors.New("dns: zone file too large")

// LoadZone reads zone files into a new Zone. Relative names in a file without
// $ORIGIN are an error; so is a file over MaxZoneFile (ErrZoneTooLarge).
func LoadZone(paths ...string) (*Zone, error) {
	z := &Zone{}
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			return nil, fmt.Errorf("zone file: %w", err)
		}
		if st, err := f.Stat(); err == nil && st.Mode().IsRegular() && st.Size() > MaxZoneFile {
			f.Close()
			return nil, zoneTooLarge(p, MaxZoneFile)
		}
		err = z.Add(f, p, "")
		f.Close()
		if err != nil {
			return nil, err
		}
	}
	return z, nil
}

// ParseZone parses zone-file text (handy in tests).
func ParseZone(text, source string) (*Zone, error) {
	z := &Zone{}
	if err := z.Add(strings.NewReader(text), source, ""); err != nil {
		return nil, err
	}
	return z, nil
}

// Add reads one more zone file. origin is the initial $ORIGIN ("" for the
// root). source names the file in answers and errors.
func (z *Zone) Add(r io.Reader, source, origin string) error {
	if z.nodes == nil {
		z.nodes = map[string]*zoneNode{}
		z.exist = map[string]bool{}
		z.negatives = map[cacheKey]Status{}
		z.handExist = map[string]bool{}
	}
	if origin != "" {
		origin = mdns.Fqdn(origin)
	}
	limit := z.MaxFileSize
	if limit <= 0 {
		limit = MaxZoneFile
	}
	lim := &zoneLimit{r: r, left: limit}
	tap := &commentTap{r: lim}
	zp := mdns.NewZoneParser(tap, origin, source)
	z.files = append(z.files, source)
	zp.SetIncludeAllowed(false)
	zp.SetDefaultTTL(3600)
	var recs []Record
	for rr, ok := zp.Next(); ok; rr, ok = zp.Next() {
		if rr.Header().Class != mdns.ClassINET {
			continue
		}
		if soa, ok := rr.(*mdns.SOA); ok {
			// RFC 2308 §5: negative answers live min(SOA TTL, MINIMUM).
			soa.Hdr.Ttl = min(soa.Hdr.Ttl, soa.Minttl)
		}
		rec, known := fromRR(rr)
		if !known {
			// Keep the owner alive: an unknown type still makes the name
			// exist (this is how recorded NODATA answers replay).
			rec = Record{Name: CanonicalName(rr.Header().Name), Type: Type(rr.Header().Rrtype), TTL: rr.Header().Ttl}
		}
		recs = append(recs, rec)
	}
	switch {
	case lim.over:
		// Whatever the parser made of the cut, the cause is the size.
		return zoneTooLarge(source, limit)
	case lim.binary:
		return fmt.Errorf("zone file %s: binary data (a NUL byte at offset %d): not a zone file", source, lim.nul)
	}
	if err := zp.Err(); err != nil {
		return fmt.Errorf("zone file %s", strings.TrimPrefix(err.Error(), "dns: "))
	}
	tap.finish()
	recording := len(tap.comments) > 0 && strings.HasPrefix(tap.comments[0].text, RecordingHeader) && tap.comments[0].line == 1
	for _, rec := range recs {
		z.add(rec, source)
		if !recording {
			markExist(z.handExist, rec.Name)
		}
	}
	if recording {
		z.recording = true
		for _, c := range tap.comments {
			if k, st, ok := parseNegative(c.text); ok {
				z.negatives[k] = st
			}
		}
	}
	return nil
}

// zoneTooLarge is an error matching ErrZoneTooLarge whose text is for the
// person who gave the file.
func zoneTooLarge(source string, limit int64) error {
	return &zoneSizeError{fmt.Sprintf("zone file %s: the file is larger than %s, the limit of a zone file", source, sizeText(limit))}
}

// sizeText writes a limit as people do: "64 MiB", "512 KiB", "100 bytes".
func sizeText(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

type zoneSizeError struct{ msg string }

func (e *zoneSizeError) Error() string        { return e.msg }
func (e *zoneSizeError) Is(target error) bool { return target == ErrZoneTooLarge }

// zoneLimit reads at most left bytes of r, then fails: the zone parser stops
// at a read error, so a stream that never ends stops at the limit. A NUL
// byte, which no zone file (text) holds, fails at once: /dev/zero given as
// a zone is refused without reading 64 MiB of it.
type zoneLimit struct {
	r      io.Reader
	left   int64
	read   int64
	over   bool
	binary bool
	nul    int64 // offset of the first NUL byte
}

func (l *zoneLimit) Read(p []byte) (int, error) {
	if l.binary {
		return 0, errBinaryZone // the parser stops; Add says why
	}
	n, err := l.read1(p)
	if i := bytes.IndexByte(p[:n], 0); i >= 0 {
		l.binary, l.nul = true, l.read+int64(i)
		return 0, errBinaryZone
	}
	l.read += int64(n)
	return n, err
}

var errBinaryZone = errors.New("dns: binary zone file")

func (l *zoneLimit) read1(p []byte) (int, error) {
	if l.left <= 0 {
		// One more byte tells a file of exactly the limit from a
		// longer one.
		var one [1]byte
		n, err := l.r.Read(one[:])
		if n > 0 {
			l.over = true
			return 0, ErrZoneTooLarge
		}
		return 0, err
	}
	if int64(len(p)) > l.left {
		p = p[:l.left]
	}
	n, err := l.r.Read(p)
	l.left -= int64(n)
	return n, err
}

// Recording reports whether a recording was loaded (see Zone).
func (z *Zone) Recording() bool { return z.recording }

// parseNegative reads a recording's "; NXDOMAIN name TYPE" or "; NODATA
// name TYPE" comment (anything after the type is commentary).
func parseNegative(line string) (cacheKey, Status, bool) {
	f := strings.Fields(line)
	if len(f) < 4 || f[0] != ";" {
		return cacheKey{}, 0, false
	}
	var st Status
	switch f[1] {
	case "NXDOMAIN":
		st = StatusNXDomain
	case "NODATA":
		st = StatusNoData
	default:
		return cacheKey{}, 0, false
	}
	t, ok := typeFromString(f[3])
	if !ok || CheckName(f[2]) != nil {
		return cacheKey{}, 0, false
	}
	return cacheKey{CanonicalName(f[2]), t}, st, true
}

// typeFromString parses a mnemonic of Type.String ("TXT", "TYPE65280").
func typeFromString(s string) (Type, bool) {
	for t, name := range typeNames {
		if name == s {
			return t, true
		}
	}
	if n, ok := strings.CutPrefix(s, "TYPE"); ok {
		if v, err := strconv.ParseUint(n, 10, 16); err == nil {
			return Type(v), true
		}
	}
	return 0, false
}

// commentTap passes a zone file through to the parser and keeps its comment
// lines (those starting with ";"), with their line numbers; other lines
// and comments longer than maxCommentLine are not kept.
type commentTap struct {
	r        io.Reader
	line     int    // current line number, from 1
	cur      []byte // the current line while it may be a comment
	skip     bool   // the current line is not a kept comment
	comments []comment
}

type comment struct {
	line int
	text string
}

const maxCommentLine = 1024

func (t *commentTap) Read(p []byte) (int, error) {
	n, err := t.r.Read(p)
	for _, c := range p[:n] {
		if c == '\n' {
			t.endLine()
			continue
		}
		switch {
		case t.skip:
		case len(t.cur) == 0 && c != ';':
			t.skip = true
		case len(t.cur) >= maxCommentLine:
			t.skip, t.cur = true, t.cur[:0]
		default:
			t.cur = append(t.cur, c)
		}
	}
	return n, err
}

func (t *commentTap) endLine() {
	if t.line == 0 {
		t.line = 1
	}
	if !t.skip && len(t.cur) > 0 {
		t.comments = append(t.comments, comment{t.line, strings.TrimRight(string(t.cur), "\r")})
	}
	t.line++
	t.cur, t.skip = t.cur[:0], false
}

// finish ends the last line when the file does not end with a newline.
func (t *commentTap) finish() {
	if len(t.cur) > 0 {
		t.endLine()
	}
}

func (z *Zone) add(rec Record, source string) {
	n := z.nodes[rec.Name]
	if n == nil {
		n = &zoneNode{rrsets: map[Type][]Record{}, source: map[Type]string{}}
		z.nodes[rec.Name] = n
	}
	for _, have := range n.rrsets[rec.Type] {
		if have.Data == rec.Data {
			return
		}
	}
	n.rrsets[rec.Type] = append(n.rrsets[rec.Type], rec)
	if _, ok := n.source[rec.Type]; !ok {
		n.source[rec.Type] = "zone " + source
	}
	markExist(z.exist, rec.Name)
}

// markExist marks name and all its ancestors as existing.
func markExist(m map[string]bool, name string) {
	for {
		m[name] = true
		i := strings.IndexByte(name, '.')
		if i < 0 {
			return
		}
		name = name[i+1:]
	}
}

// Defines reports whether the zone has an RRset of type t at name itself (not
// through a wildcard or CNAME). Overlay uses it.
func (z *Zone) Defines(name string, t Type) bool {
	n := z.nodes[CanonicalName(name)]
	if n == nil {
		return false
	}
	_, ok := n.rrsets[t]
	if !ok && t != TypeCNAME {
		_, ok = n.rrsets[TypeCNAME]
	}
	return ok
}

// maxCNAME bounds the alias chains followed (Net and Zone).
const maxCNAME = 10

// Lookup implements Resolver.
func (z *Zone) Lookup(ctx context.Context, name string, t Type) (Result, error) {
	qname := CanonicalName(name)
	if err := CheckName(qname); err != nil {
		return Result{}, &Error{Name: qname, Type: t, Rcode: -1, Err: err}
	}
	if err := ctx.Err(); err != nil {
		return Result{}, &Error{Name: qname, Type: t, Rcode: -1, Err: Temporary(err)}
	}
	res := Result{Name: qname, Type: t, Source: "zone " + strings.Join(z.files, ", ")}
	cur := qname
	for hops := 0; ; hops++ {
		node := z.find(cur)
		if node == nil {
			return z.negative(res, cur, StatusNXDomain)
		}
		if recs, ok := node.rrsets[t]; ok {
			res.Status, res.Rcode = StatusAnswer, RcodeSuccess
			res.Source = node.source[t]
			res.TTL = recs[0].TTL
			for _, r := range recs {
				r.Name = cur // wildcard synthesis (RFC 4592 §3.3.1)
				res.Records = append(res.Records, r)
				res.TTL = min(res.TTL, r.TTL)
			}
			return res, nil
		}
		if cn, ok := node.rrsets[TypeCNAME]; ok && t != TypeCNAME {
			if hops >= maxCNAME {
				return Result{}, &Error{Name: qname, Type: t, Rcode: -1, Server: "zone", Err: Temporary(errCNAMELoop(qname))}
			}
			res.CNAMEs = append(res.CNAMEs, cn[0].Target)
			cur = cn[0].Target
			continue
		}
		return z.negative(res, cur, StatusNoData)
	}
}

// negative ends a lookup of res.Name that found no records of res.Type at
// cur (the end of its CNAME chain): st, or in a recording what was
// recorded, or ErrNotRecorded.
func (z *Zone) negative(res Result, cur string, st Status) (Result, error) {
	if z.recording {
		rec, ok := z.negatives[cacheKey{res.Name, res.Type}]
		if !ok {
			rec, ok = z.negatives[cacheKey{cur, res.Type}]
		}
		switch {
		case ok:
			st = rec
		case st == StatusNoData && z.handExist[cur]:
			// A hand-written file loaded beside the recording defines
			// the name: its missing types are NODATA, as in any zone.
		default:
			return Result{}, &Error{Name: res.Name, Type: res.Type, Rcode: -1, Server: res.Source,
				Err: fmt.Errorf("%w", ErrNotRecorded)}
		}
	}
	res.Status, res.Rcode = st, RcodeSuccess
	if st == StatusNXDomain {
		res.Rcode = RcodeNXDomain
	}
	res.TTL = z.negativeTTL(cur)
	return res, nil
}

// find returns the node that answers for name: the name itself, an empty
// non-terminal (an empty node), or a wildcard at the closest encloser. It
// returns nil when the name does not exist.
func (z *Zone) find(name string) *zoneNode {
	if n := z.nodes[name]; n != nil {
		return n
	}
	if z.exist[name] {
		return &zoneNode{} // empty non-terminal: NODATA
	}
	// RFC 4592 §3.3: the closest encloser is the longest existing ancestor;
	// only a wildcard directly below it applies.
	for anc := name; ; {
		i := strings.IndexByte(anc, '.')
		if i < 0 {
			break
		}
		anc = anc[i+1:]
		if z.exist[anc] {
			return z.nodes["*."+anc]
		}
	}
	return z.nodes["*"]
}

// negativeTTL is the SOA minimum of the closest enclosing SOA, as RFC 2308
// negative caching uses, or 0.
func (z *Zone) negativeTTL(name string) uint32 {
	for anc := name; ; {
		if n := z.nodes[anc]; n != nil {
			if soa, ok := n.rrsets[TypeSOA]; ok && len(soa) > 0 {
				return soa[0].TTL
			}
		}
		i := strings.IndexByte(anc, '.')
		if i < 0 {
			return 0
		}
		anc = anc[i+1:]
	}
}
