package dkim

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestLoadPrivateKeyTooLarge: a key file over MaxPrivateKeyFile is refused
// (from its size when it is a regular file; after MaxPrivateKeyFile+1 bytes
// when it is a device or a pipe, such as /dev/zero, which never ends).
func TestLoadPrivateKeyTooLarge(t *testing.T) {
	t.Parallel()
	big := filepath.Join(t.TempDir(), "big.pem")
	if err := os.WriteFile(big, []byte(strings.Repeat("A", MaxPrivateKeyFile+1)), 0o600); err != nil {
		t.Fatal(err)
	}
	paths := []string{big}
	if _, err := os.Stat("/dev/zero"); err == nil {
		paths = append(paths, "/dev/zero")
	}
	for _, p := range paths {
		_, _, err := LoadPrivateKey(p)
		if !errors.Is(err, ErrPrivateKey) || !strings.HasSuffix(err.Error(), p+": the file is larger than 64 KiB: not a private key") {
			t.Errorf("LoadPrivateKey(%s): %v", p, err)
		}
	}
}
