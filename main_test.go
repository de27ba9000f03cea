package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestLibrariesFromAnotherModule builds and runs a program in a module of its
// own that imports preflight/dns, spf, dkim and dmarc: the public packages
// must work as libraries (nothing under internal/ is reachable from there).
// It runs offline: GOPROXY=off, the module cache and go.sum of this module.
func TestLibrariesFromAnotherModule(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a separate module; skipped with -short")
	}
	root, err := filepath.Abs(".")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	src, err := os.ReadFile("testdata/extmod/main.go.txt")
	if err != nil {
		t.Fatal(err)
	}
	sum, err := os.ReadFile("go.sum")
	if err != nil {
		t.Fatal(err)
	}
	gomod := "module example.com/consumer\n\ngo 1.26\n\nrequire preflight v0.0.0\n\nreplace preflight => " + root + "\n"
	for name, data := range map[string][]byte{"main.go": src, "go.sum": sum, "go.mod": []byte(gomod)} {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.Command("go", "run", ".")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOPROXY=off", "GOWORK=off")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("go run in another module: %v\n%s", err, out)
	}
	want := "spf pass brand.example\ndkim pass brand.example\ndmarc pass reject\n"
	if got := string(out); !strings.HasSuffix(got, want) {
		t.Errorf("the other module printed\n%s\nwant\n%s", got, want)
	}
}
