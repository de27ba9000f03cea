package report_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"reflect"
	"sort"
	"strings"
	"testing"

	"preflight/report"
)

// schemaNode is the subset of JSON Schema (draft 2020-12) that
// report/schema.json uses and this validator checks: type, required,
// properties, additionalProperties (false), items, enum, minimum, and $ref
// to "#/$defs/…". Annotations (description, title) are ignored.
type schemaNode struct {
	Ref                  string                 `json:"$ref"`
	Type                 string                 `json:"type"`
	Properties           map[string]*schemaNode `json:"properties"`
	Required             []string               `json:"required"`
	AdditionalProperties *bool                  `json:"additionalProperties"`
	Items                *schemaNode            `json:"items"`
	Enum                 []any                  `json:"enum"`
	Minimum              *float64               `json:"minimum"`
	Defs                 map[string]*schemaNode `json:"$defs"`
}

func loadSchema(t *testing.T) *schemaNode {
	t.Helper()
	b, err := os.ReadFile("schema.json")
	if err != nil {
		t.Fatal(err)
	}
	var meta map[string]any
	if err := json.Unmarshal(b, &meta); err != nil {
		t.Fatalf("schema.json is not JSON: %v", err)
	}
	if meta["$schema"] != "https://json-schema.org/draft/2020-12/schema" {
		t.Errorf("schema.json $schema = %v, want draft 2020-12", meta["$schema"])
	}
	var s schemaNode
	dec := json.NewDecoder(bytes.NewReader(b))
	if err := dec.Decode(&s); err != nil {
		t.Fatal(err)
	}
	return &s
}

// validate checks v (decoded with UseNumber) against n and returns every
// violation, with its JSON pointer.
func validate(root, n *schemaNode, v any, ptr string) []string {
	if n.Ref != "" {
		name, ok := strings.CutPrefix(n.Ref, "#/$defs/")
		def := root.Defs[name]
		if !ok || def == nil {
			return []string{fmt.Sprintf("%s: unresolvable $ref %q", ptr, n.Ref)}
		}
		return validate(root, def, v, ptr)
	}
	var errs []string
	bad := func(format string, args ...any) { errs = append(errs, ptr+": "+fmt.Sprintf(format, args...)) }
	switch n.Type {
	case "":
	case "object":
		obj, ok := v.(map[string]any)
		if !ok {
			bad("%T, want object", v)
			return errs
		}
		for _, r := range n.Required {
			if _, ok := obj[r]; !ok {
				bad("required property %q missing", r)
			}
		}
		keys := make([]string, 0, len(obj))
		for k := range obj {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if p, ok := n.Properties[k]; ok {
				errs = append(errs, validate(root, p, obj[k], ptr+"/"+k)...)
			} else if n.AdditionalProperties != nil && !*n.AdditionalProperties {
				bad("property %q not in the schema", k)
			}
		}
	case "array":
		arr, ok := v.([]any)
		if !ok {
			bad("%T, want array", v)
			return errs
		}
		if n.Items != nil {
			for i, e := range arr {
				errs = append(errs, validate(root, n.Items, e, fmt.Sprintf("%s/%d", ptr, i))...)
			}
		}
	case "string":
		if _, ok := v.(string); !ok {
			bad("%T, want string", v)
		}
	case "boolean":
		if _, ok := v.(bool); !ok {
			bad("%T, want boolean", v)
		}
	case "integer", "number":
		num, ok := v.(json.Number)
		if !ok {
			bad("%T, want %s", v, n.Type)
			return errs
		}
		f, err := num.Float64()
		if err != nil {
			bad("%v", err)
			return errs
		}
		if n.Type == "integer" && f != math.Trunc(f) {
			bad("%s is not an integer", num)
		}
		if n.Minimum != nil && f < *n.Minimum {
			bad("%s is below the minimum %v", num, *n.Minimum)
		}
	default:
		bad("the validator does not know type %q", n.Type)
	}
	if len(n.Enum) > 0 {
		found := false
		for _, e := range n.Enum {
			if fmt.Sprint(e) == fmt.Sprint(v) {
				found = true
			}
		}
		if !found {
			bad("%v is not one of %v", v, n.Enum)
		}
	}
	return errs
}

func decodeLine(t *testing.T, line string) any {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(line))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		t.Fatalf("not JSON: %v", err)
	}
	return v
}

// TestSchemaValidatesRealOutput: every report the JSON renderer writes for
// the demo messages, a plan and an unreadable file is valid under
// report/schema.json.
func TestSchemaValidatesRealOutput(t *testing.T) {
	t.Parallel()
	root := loadSchema(t)
	reps := append(demoReports(t), hostileReports(t)...)
	out := render(t, renderers[0].new, reps)
	for i, line := range strings.Split(strings.TrimSuffix(string(out), "\n"), "\n") {
		for _, e := range validate(root, root, decodeLine(t, line), "") {
			t.Errorf("report %d (%q): %s", i+1, reps[i].Message.Path, e)
		}
	}
}

// TestValidatorCatchesViolations keeps the validator honest: each broken
// document must be refused.
func TestValidatorCatchesViolations(t *testing.T) {
	t.Parallel()
	root := loadSchema(t)
	reps := demoReports(t)
	good, err := report.MarshalJSONLine(reps[0])
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name   string
		mutate func(m map[string]any)
	}{
		{name: "missing required", mutate: func(m map[string]any) { delete(m, "verdict") }},
		{name: "unknown property", mutate: func(m map[string]any) { m["extra"] = 1 }},
		{name: "wrong type", mutate: func(m map[string]any) { m["findings"] = "none" }},
		{name: "enum", mutate: func(m map[string]any) { m["verdict"].(map[string]any)["disposition"] = "bounce" }},
		{name: "minimum", mutate: func(m map[string]any) { m["dns"].(map[string]any)["queries"] = json.Number("-1") }},
		{name: "integer", mutate: func(m map[string]any) { m["dns"].(map[string]any)["queries"] = json.Number("1.5") }},
		{name: "item", mutate: func(m map[string]any) { m["assumptions"] = []any{true} }},
		{name: "nested ref", mutate: func(m map[string]any) {
			m["findings"] = []any{map[string]any{"id": "x", "severity": "fatal", "title": "t"}}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			v := decodeLine(t, string(good)).(map[string]any)
			tc.mutate(v)
			if errs := validate(root, root, v, ""); len(errs) == 0 {
				t.Errorf("the validator accepted a document with a %s violation", tc.name)
			}
		})
	}
}

// TestSchemaCoversModel keeps schema.json in step with the Go model: every
// struct's JSON fields are the properties of its schema, and its required
// list is exactly the fields without omitempty.
func TestSchemaCoversModel(t *testing.T) {
	t.Parallel()
	root := loadSchema(t)
	// Every struct type reachable from Report, found by reflection, so a
	// new type needs its $defs entry.
	types := map[string]reflect.Type{}
	var walk func(rt reflect.Type, name string)
	walk = func(rt reflect.Type, name string) {
		switch rt.Kind() {
		case reflect.Pointer, reflect.Slice:
			walk(rt.Elem(), rt.Elem().Name())
		case reflect.Struct:
			if _, seen := types[name]; seen {
				return
			}
			types[name] = rt
			for i := 0; i < rt.NumField(); i++ {
				walk(rt.Field(i).Type, rt.Field(i).Type.Name())
			}
		}
	}
	walk(reflect.TypeFor[report.Report](), "")
	if len(types) < 10 {
		t.Fatalf("found %d struct types in the model", len(types))
	}
	for name, rt := range types {
		node := root
		if name != "" {
			node = root.Defs[name]
			if node == nil {
				t.Errorf("schema.json has no $defs/%s", name)
				continue
			}
		}
		var fields, required []string
		for i := 0; i < rt.NumField(); i++ {
			tag := rt.Field(i).Tag.Get("json")
			fname, opts, _ := strings.Cut(tag, ",")
			if fname == "-" || fname == "" {
				continue
			}
			fields = append(fields, fname)
			if !strings.Contains(opts, "omitempty") {
				required = append(required, fname)
			}
		}
		var props []string
		for p := range node.Properties {
			props = append(props, p)
		}
		sort.Strings(fields)
		sort.Strings(props)
		req := append([]string(nil), node.Required...)
		sort.Strings(required)
		sort.Strings(req)
		if strings.Join(fields, ",") != strings.Join(props, ",") {
			t.Errorf("%s: Go fields %v, schema properties %v", orRoot(name), fields, props)
		}
		if strings.Join(required, ",") != strings.Join(req, ",") {
			t.Errorf("%s: fields without omitempty %v, schema required %v", orRoot(name), required, req)
		}
	}
}

func orRoot(s string) string {
	if s == "" {
		return "Report"
	}
	return s
}
