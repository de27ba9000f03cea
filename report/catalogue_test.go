package report

import (
	"bufio"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// repoRoot is the module root, seen from this package's directory.
const repoRoot = ".."

// passCauses are dkim.Cause values only ever set together with a pass
// result; dkim's resultFindings emits "dkim."+Cause only for results that are
// not pass, so these never become finding IDs.
var passCauses = map[string]bool{"verified": true, "key-ready": true, "body-length": true, "not-signed": true}

// emitted is what a scan of the source found.
type emitted struct {
	ids        map[string][]string // finding ID → where it is emitted
	severity   map[string]string   // ID or prefix → severity set beside it in a Finding literal
	prefixes   map[string][]string // "spf." / "dkim." + a computed suffix → where
	unresolved []string            // ID expressions the scan could not follow
	dkimCauses map[string]bool     // dkim.Cause values
}

// scanSource parses every non-test Go file of the module and collects the
// finding IDs the code can emit: string literals passed as the first
// argument of report.NewFinding or internal/check's finding helper, ID
// fields of Finding composite literals, the spf package's warning codes
// (internal/check emits them as "spf."+Code) and the dkim package's Cause
// constants (emitted as "dkim."+Cause).
func scanSource(t *testing.T) *emitted {
	t.Helper()
	e := &emitted{ids: map[string][]string{}, severity: map[string]string{}, prefixes: map[string][]string{}, dkimCauses: map[string]bool{}}
	fset := token.NewFileSet()
	err := filepath.WalkDir(repoRoot, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() {
			if path != repoRoot && (strings.HasPrefix(name, ".") || name == "testdata" || name == "vendor") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(repoRoot, path)
		pkgDir := filepath.ToSlash(filepath.Dir(rel))
		e.scanFile(fset, f, pkgDir)
		return nil
	})
	if err != nil {
		t.Fatalf("scanning the source: %v", err)
	}
	return e
}

func (e *emitted) scanFile(fset *token.FileSet, f *ast.File, pkgDir string) {
	for _, decl := range f.Decls {
		switch d := decl.(type) {
		case *ast.GenDecl:
			if pkgDir == "dkim" && d.Tok == token.CONST {
				for _, spec := range d.Specs {
					vs := spec.(*ast.ValueSpec)
					if id, ok := vs.Type.(*ast.Ident); !ok || id.Name != "Cause" {
						continue
					}
					for _, v := range vs.Values {
						if s, ok := stringLit(v); ok {
							e.dkimCauses[s] = true
						}
					}
				}
			}
		case *ast.FuncDecl:
			if d.Body == nil {
				continue
			}
			fn := d
			ast.Inspect(d.Body, func(n ast.Node) bool {
				where := func() string { return fset.Position(n.Pos()).String() }
				switch n := n.(type) {
				case *ast.CallExpr:
					name := calleeName(n.Fun)
					switch {
					case (name == "NewFinding" || name == "finding" || isFindingNew(n.Fun)) && len(n.Args) > 0:
						e.idExpr(fn, n.Args[0], where())
					case pkgDir == "spf" && name == "warn" && len(n.Args) > 0:
						// The analyzer's warn(id, …) takes catalogue IDs.
						e.idExpr(fn, n.Args[0], where())
					}
				case *ast.CompositeLit:
					switch typeName(n.Type) {
					case "Finding":
						var idX, sevX ast.Expr
						for _, el := range n.Elts {
							if kv, ok := el.(*ast.KeyValueExpr); ok && isIdent(kv.Key, "ID") {
								idX = kv.Value
								e.idExpr(fn, kv.Value, where())
							} else if ok && isIdent(kv.Key, "Severity") {
								sevX = kv.Value
							}
						}
						e.noteSeverity(idX, sevX)
					}
				}
				return true
			})
		}
	}
}

// noteSeverity records the severity a Finding literal sets beside a literal
// ID (or a literal prefix + computed suffix), when it is a named constant.
func (e *emitted) noteSeverity(idX, sevX ast.Expr) {
	var sev string
	switch typeName(sevX) {
	case "SeverityError":
		sev = "error"
	case "SeverityWarning", "SeverityWarn":
		sev = "warn"
	case "SeverityInfo":
		sev = "info"
	default:
		return
	}
	if s, ok := stringLit(idX); ok {
		e.severity[s] = sev
	} else if b, ok := idX.(*ast.BinaryExpr); ok {
		if p, ok := stringLit(b.X); ok {
			e.severity[p] = sev
		}
	}
}

// idExpr classifies the expression that gives a finding its ID.
func (e *emitted) idExpr(fn *ast.FuncDecl, x ast.Expr, where string) {
	e.idExprDepth(fn, x, where, 0)
}

func (e *emitted) idExprDepth(fn *ast.FuncDecl, x ast.Expr, where string, depth int) {
	if depth > 4 {
		e.unresolved = append(e.unresolved, where)
		return
	}
	if s, ok := stringLit(x); ok {
		e.ids[s] = append(e.ids[s], where)
		return
	}
	switch x := x.(type) {
	case *ast.BinaryExpr:
		if p, ok := stringLit(x.X); ok && x.Op == token.ADD {
			e.prefixes[p] = append(e.prefixes[p], where)
			return
		}
	case *ast.SelectorExpr:
		// f.ID: an ID copied from another Finding, whose own literal is
		// scanned where it is built.
		if x.Sel.Name == "ID" {
			return
		}
	case *ast.Ident:
		// A parameter of a wrapper (func finding(id, …) { NewFinding(id, …) }).
		if isParam(fn, x.Name) && (fn.Name.Name == "finding" || fn.Name.Name == "NewFinding" || fn.Name.Name == "New" || fn.Name.Name == "warn") {
			return
		}
		// A local variable: follow every assignment to it.
		found := false
		ast.Inspect(fn.Body, func(n ast.Node) bool {
			as, ok := n.(*ast.AssignStmt)
			if !ok || len(as.Lhs) != len(as.Rhs) {
				return true
			}
			for i, l := range as.Lhs {
				if isIdent(l, x.Name) {
					found = true
					if r, ok := as.Rhs[i].(*ast.BinaryExpr); ok && isIdent(r.Y, x.Name) {
						e.idExprDepth(fn, r, where, depth+1)
						continue
					}
					e.idExprDepth(fn, as.Rhs[i], where, depth+1)
				}
			}
			return true
		})
		if found {
			return
		}
		// A parameter of a local helper (add := func(id string, …) {…}):
		// follow the calls of the helper in the same function.
		if helper := closureOf(fn, x); helper != "" {
			ast.Inspect(fn.Body, func(n ast.Node) bool {
				if c, ok := n.(*ast.CallExpr); ok && isIdent(c.Fun, helper) && len(c.Args) > 0 {
					e.idExprDepth(fn, c.Args[0], where, depth+1)
				}
				return true
			})
			return
		}
	}
	e.unresolved = append(e.unresolved, where)
}

// closureOf returns the name of the local function literal (name := func…)
// in fn that has a first parameter x and contains x's use, or "".
func closureOf(fn *ast.FuncDecl, x *ast.Ident) string {
	name := ""
	ast.Inspect(fn.Body, func(n ast.Node) bool {
		as, ok := n.(*ast.AssignStmt)
		if !ok || len(as.Lhs) != 1 || len(as.Rhs) != 1 {
			return true
		}
		lit, ok := as.Rhs[0].(*ast.FuncLit)
		if !ok || x.Pos() < lit.Pos() || x.Pos() >= lit.End() {
			return true
		}
		ps := lit.Type.Params.List
		if len(ps) > 0 && len(ps[0].Names) > 0 && ps[0].Names[0].Name == x.Name {
			if l, ok := as.Lhs[0].(*ast.Ident); ok {
				name = l.Name
			}
		}
		return true
	})
	return name
}

// isFindingNew reports whether f is finding.New (package report/finding),
// not some other package's New.
func isFindingNew(f ast.Expr) bool {
	sel, ok := f.(*ast.SelectorExpr)
	return ok && sel.Sel.Name == "New" && isIdent(sel.X, "finding")
}

func calleeName(f ast.Expr) string {
	switch f := f.(type) {
	case *ast.Ident:
		return f.Name
	case *ast.SelectorExpr:
		return f.Sel.Name
	}
	return ""
}

func typeName(x ast.Expr) string {
	switch x := x.(type) {
	case *ast.Ident:
		return x.Name
	case *ast.SelectorExpr:
		return x.Sel.Name
	}
	return ""
}

func isIdent(x ast.Expr, name string) bool {
	id, ok := x.(*ast.Ident)
	return ok && id.Name == name
}

func isParam(fn *ast.FuncDecl, name string) bool {
	for _, f := range fn.Type.Params.List {
		for _, n := range f.Names {
			if n.Name == name {
				return true
			}
		}
	}
	return false
}

func stringLit(x ast.Expr) (string, bool) {
	bl, ok := x.(*ast.BasicLit)
	if !ok || bl.Kind != token.STRING {
		return "", false
	}
	s, err := strconv.Unquote(bl.Value)
	return s, err == nil
}

// emittedIDs expands the scan into the full set of IDs, as the catalogue
// spells them (after Canonical).
func (e *emitted) emittedIDs(t *testing.T) map[string]string {
	t.Helper()
	out := map[string]string{}
	for id, where := range e.ids {
		out[id] = where[0]
	}
	for p, where := range e.prefixes {
		switch p {
		case "dkim.":
			for c := range e.dkimCauses {
				if !passCauses[c] {
					out[p+c] = "dkim.Cause " + c + " via " + where[0]
				}
			}
		default:
			t.Errorf("IDs built as %q + something at %v: the scan does not know that suffix's values", p, where)
		}
	}
	return out
}

func TestScanFindsTheKnownShapes(t *testing.T) {
	t.Parallel()
	e := scanSource(t)
	// Guards against a scan that silently finds nothing: each shape the
	// code uses today must show up.
	var spfIDs int
	for id := range e.ids {
		if strings.HasPrefix(id, "spf.") {
			spfIDs++
		}
	}
	if spfIDs < 25 {
		t.Errorf("found %d spf.* IDs, expected the analyzer's warn calls and the check's SPF findings (≥ 25)", spfIDs)
	}
	if len(e.dkimCauses) < 20 {
		t.Errorf("found %d dkim.Cause constants, expected ≥ 20", len(e.dkimCauses))
	}
	for c := range passCauses {
		if !e.dkimCauses[c] {
			t.Errorf("passCauses lists %q, which is no longer a dkim.Cause constant", c)
		}
	}
	if len(e.prefixes["dkim."]) == 0 {
		t.Errorf("no ID built as \"dkim.\" + …: the scan missed dkim's resultFindings")
	}
	for _, id := range []string{"dmarc.no-aligned-pass", "message.from-invalid", "dkim.key-mismatch", "spf.fail"} {
		if len(e.ids[id]) == 0 {
			t.Errorf("the scan did not find %q", id)
		}
	}
}

// TestEmittedIDsCatalogued is the promise of the catalogue: every finding ID
// the code can emit has an entry, so NewFinding never falls back to an
// uncatalogued warning and FINDINGS.md documents it.
func TestEmittedIDsCatalogued(t *testing.T) {
	t.Parallel()
	e := scanSource(t)
	for _, where := range e.unresolved {
		t.Errorf("%s: a finding ID the scan cannot follow (use a string literal, or teach scanSource)", where)
	}
	ids := e.emittedIDs(t)
	var missing, unused []string
	for id, where := range ids {
		if _, ok := Catalogue[id]; !ok {
			missing = append(missing, id+" ("+where+")")
		}
	}
	// Findings built outside NewFinding carry their own severity: it must
	// be the one the catalogue (and so FINDINGS.md) promises.
	for id, sev := range e.severity {
		if strings.HasSuffix(id, ".") {
			for c := range e.dkimCauses {
				if full := id + c; id == "dkim." && !passCauses[c] {
					if ent, ok := Catalogue[full]; ok && string(ent.Severity) != sev {
						t.Errorf("%s is emitted with severity %s, catalogued as %s", full, sev, ent.Severity)
					}
				}
			}
			continue
		}
		if ent, ok := Catalogue[id]; ok && string(ent.Severity) != sev {
			t.Errorf("%s is emitted with severity %s, catalogued as %s", id, sev, ent.Severity)
		}
	}
	for id := range Catalogue {
		if _, ok := ids[id]; !ok {
			unused = append(unused, id)
		}
	}
	sort.Strings(missing)
	sort.Strings(unused)
	for _, m := range missing {
		t.Errorf("emitted but not catalogued: %s", m)
	}
	if len(unused) > 0 {
		// Not an error: the catalogue reserves IDs for findings that are
		// planned or emitted through paths the scan cannot see.
		t.Logf("catalogued but not emitted by any code the scan sees: %s", strings.Join(unused, ", "))
	}
}

func TestCatalogueEntries(t *testing.T) {
	t.Parallel()
	idRE := regexp.MustCompile(`^[a-z]+\.[a-z0-9]+(-[a-z0-9]+)*$`)
	for id, e := range Catalogue {
		if !idRE.MatchString(id) {
			t.Errorf("ID %q is not of the form area.words-with-dashes", id)
		}
		switch e.Severity {
		case SeverityError, SeverityWarn, SeverityInfo:
		default:
			t.Errorf("%s: severity %q", id, e.Severity)
		}
		if e.Title == "" {
			t.Errorf("%s: no title", id)
		}
	}
}

func TestNewFinding(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		id, wantID string
		wantSev    Severity
	}{
		{id: "dmarc.no-aligned-pass", wantID: "dmarc.no-aligned-pass", wantSev: SeverityError},
		{id: "spf.lookup-limit", wantID: "spf.lookup-limit", wantSev: SeverityError},
		{id: "no.such-id", wantID: "no.such-id", wantSev: SeverityWarn},
	} {
		t.Run(tc.id, func(t *testing.T) {
			t.Parallel()
			f := NewFinding(tc.id, "d", "f")
			if f.ID != tc.wantID || f.Severity != tc.wantSev || f.Detail != "d" || f.Fix != "f" || f.Title == "" {
				t.Errorf("NewFinding(%q) = %+v, want ID %q severity %s", tc.id, f, tc.wantID, tc.wantSev)
			}
		})
	}
}

// findingsDoc reads FINDINGS.md: every table row whose first cell is a
// back-quoted ID, with its severity cell.
func findingsDoc(t *testing.T) map[string]string {
	t.Helper()
	f, err := os.Open(filepath.Join(repoRoot, "FINDINGS.md"))
	if err != nil {
		t.Fatalf("FINDINGS.md: %v", err)
	}
	defer f.Close()
	row := regexp.MustCompile("^\\| `([^`]+)` \\| (\\w+) \\| (.+) \\|$")
	doc := map[string]string{}
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if !strings.HasPrefix(line, "| `") {
			continue
		}
		m := row.FindStringSubmatch(line)
		if m == nil {
			t.Errorf("FINDINGS.md:%d: a row that is not | `id` | severity | meaning |", n)
			continue
		}
		if _, dup := doc[m[1]]; dup {
			t.Errorf("FINDINGS.md:%d: %s documented twice", n, m[1])
		}
		if strings.TrimSpace(m[3]) == "" {
			t.Errorf("FINDINGS.md:%d: %s has no meaning", n, m[1])
		}
		doc[m[1]] = m[2]
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return doc
}

// TestFindingsDocumented keeps FINDINGS.md and the catalogue in step, both
// ways, severities included.
func TestFindingsDocumented(t *testing.T) {
	t.Parallel()
	doc := findingsDoc(t)
	for id, e := range Catalogue {
		sev, ok := doc[id]
		switch {
		case !ok:
			t.Errorf("%s is in the catalogue but not in FINDINGS.md", id)
		case sev != string(e.Severity):
			t.Errorf("%s: FINDINGS.md says %s, the catalogue %s", id, sev, e.Severity)
		}
	}
	for id := range doc {
		if _, ok := Catalogue[id]; !ok {
			t.Errorf("FINDINGS.md documents %s, which is not in the catalogue", id)
		}
	}
}
