package dns

import (
	"errors"
	"io"
	"os"
	"strings"
	"testing"
)

// endless is a reader that never ends: the same bytes again and again.
type endless struct {
	unit []byte
	n    int64 // bytes read so far
}

func (e *endless) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = e.unit[(e.n+int64(i))%int64(len(e.unit))]
	}
	e.n += int64(len(p))
	return len(p), nil
}

// TestZoneTooLarge: a zone file that does not end stops at the limit with
// an error matching ErrZoneTooLarge, whatever the parser made of the cut;
// one of exactly the limit is read. (MaxFileSize makes the limit small
// enough for a fast test; the default is MaxZoneFile.)
func TestZoneTooLarge(t *testing.T) {
	t.Parallel()
	const limit = 256 << 10
	for _, unit := range []string{"\n", "example.com. 300 IN TXT \"x\"\n", "; a comment\n", "example.com. 300 IN TXT \"" + strings.Repeat("y", 200)} {
		src := &endless{unit: []byte(unit)}
		err := (&Zone{MaxFileSize: limit}).Add(src, "stream", "")
		if !errors.Is(err, ErrZoneTooLarge) || err.Error() != "zone file stream: the file is larger than 256 KiB, the limit of a zone file" {
			t.Errorf("endless %q: %v", unit[:5], err)
		}
		if src.n > limit+64<<10 {
			t.Errorf("endless %q: read %d bytes past the limit", unit[:5], src.n-limit)
		}
	}
	line := "example.com. 300 IN TXT \"x\"\n"
	exact := io.MultiReader(strings.NewReader(line), io.LimitReader(&endless{unit: []byte("\n")}, limit-int64(len(line))))
	if err := (&Zone{MaxFileSize: limit}).Add(exact, "exact", ""); err != nil {
		t.Errorf("a zone of exactly the limit: %v", err)
	}
	if MaxZoneFile != 64<<20 {
		t.Errorf("MaxZoneFile = %d; DNS.md (Limits) says 64 MiB", MaxZoneFile)
	}
}

// TestZoneBinary: /dev/zero (or any file with a NUL byte) given as a zone
// file is refused at its first block, not read to the limit.
func TestZoneBinary(t *testing.T) {
	t.Parallel()
	err := (&Zone{}).Add(strings.NewReader("example.com. 300 IN TXT \"x\"\n\x00"), "bin", "")
	if err == nil || err.Error() != "zone file bin: binary data (a NUL byte at offset 28): not a zone file" {
		t.Errorf("NUL byte: %v", err)
	}
	if _, err := os.Stat("/dev/zero"); err != nil {
		t.Skip("no /dev/zero")
	}
	if _, err := LoadZone("/dev/zero"); err == nil || !strings.Contains(err.Error(), "binary data") {
		t.Errorf("LoadZone(/dev/zero): %v", err)
	}
}

// TestLoadZoneLargeFile: a regular file over MaxZoneFile is refused from its
// size, before it is read (the file here is sparse: no disk used).
func TestLoadZoneLargeFile(t *testing.T) {
	t.Parallel()
	p := t.TempDir() + "/big.zone"
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(MaxZoneFile + 1); err != nil {
		t.Skip(err)
	}
	f.Close()
	if _, err := LoadZone(p); !errors.Is(err, ErrZoneTooLarge) || !strings.HasSuffix(err.Error(), "big.zone: the file is larger than 64 MiB, the limit of a zone file") {
		t.Errorf("LoadZone: %v", err)
	}
}
