package client

import (
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestUnionKeysCoverMembers reads the package source and holds each union's
// key function (contentBlockKey, …) to the union's members: one case per
// type with the union's sealing method (isContentBlock, …), UnknownBlock
// aside, each returning the member's own unionKey. A member added without
// its case would fail to marshal; this catches it first.
func TestUnionKeysCoverMembers(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	members := map[string][]string{}  // union name -> member types
	keyCases := map[string][]string{} // union name -> case types of its key function
	badCases := map[string][]string{} // union name -> cases that do more than return the key
	keyFuncs := map[string]*ast.FuncDecl{}
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		f, err := parser.ParseFile(fset, name, src, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			fn, ok := d.(*ast.FuncDecl)
			if !ok {
				continue
			}
			if fn.Recv != nil {
				union, ok := strings.CutPrefix(fn.Name.Name, "is")
				recv, isIdent := fn.Recv.List[0].Type.(*ast.Ident)
				if ok && isIdent && union != "" && recv.Name != "UnknownBlock" && fn.Type.Params.NumFields() == 0 {
					members[union] = append(members[union], recv.Name)
				}
				continue
			}
			union, ok := strings.CutSuffix(fn.Name.Name, "Key")
			if !ok || union == "" {
				continue
			}
			union = strings.ToUpper(union[:1]) + union[1:]
			keyFuncs[union] = fn
			ast.Inspect(fn.Body, func(n ast.Node) bool {
				cc, ok := n.(*ast.CaseClause)
				if !ok {
					return true
				}
				for _, e := range cc.List {
					keyCases[union] = append(keyCases[union], nodeString(fset, src, e))
				}
				if len(cc.Body) != 1 || nodeString(fset, src, cc.Body[0]) != "return m.unionKey()" {
					badCases[union] = append(badCases[union], nodeString(fset, src, cc))
				}
				return true
			})
		}
	}
	if len(members) != 11 {
		t.Errorf("found %d unions, want 11: %v", len(members), members)
	}
	for union, ms := range members {
		if keyFuncs[union] == nil {
			t.Errorf("union %s has no key function", union)
		}
		for _, c := range badCases[union] {
			t.Errorf("a case of the %s key function does more than return m.unionKey():\n%s", union, c)
		}
		slices.Sort(ms)
		got := slices.Sorted(slices.Values(keyCases[union]))
		if diff := cmp.Diff(ms, got); diff != "" {
			t.Errorf("%sKey cases (-members +cases):\n%s", strings.ToLower(union[:1])+union[1:], diff)
		}
	}
}

// nodeString returns the source text of n.
func nodeString(fset *token.FileSet, src []byte, n ast.Node) string {
	return string(src[fset.Position(n.Pos()).Offset:fset.Position(n.End()).Offset])
}

// TestUnionPointerMembers checks that a pointer to a member marshals as the
// member, and that a nil one is an error, not a panic.
func TestUnionPointerMembers(t *testing.T) {
	byValue, err := json.Marshal(Message{Role: RoleUser, Content: []ContentBlock{
		TextBlock{Text: "a"},
		ImageBlock{Format: ImageFormatPNG, Source: BytesSource("hi")},
		UnknownBlock{Name: "future", Raw: json.RawMessage(`{"x":1}`)},
	}})
	if err != nil {
		t.Fatal(err)
	}
	src := BytesSource("hi")
	byPointer, err := json.Marshal(Message{Role: RoleUser, Content: []ContentBlock{
		&TextBlock{Text: "a"},
		&ImageBlock{Format: ImageFormatPNG, Source: &src},
		&UnknownBlock{Name: "future", Raw: json.RawMessage(`{"x":1}`)},
	}})
	if err != nil {
		t.Fatal(err)
	}
	want := `{"role":"user","content":[{"text":"a"},{"image":{"format":"png","source":{"bytes":"aGk="}}},{"future":{"x":1}}]}`
	if string(byValue) != want || string(byPointer) != want {
		t.Errorf("by value:   %s\nby pointer: %s\nwant:       %s", byValue, byPointer, want)
	}
	for name, m := range map[string]Message{
		"nil pointer":   {Role: RoleUser, Content: []ContentBlock{(*TextBlock)(nil)}},
		"nil interface": {Role: RoleUser, Content: []ContentBlock{nil}},
	} {
		if _, err := json.Marshal(m); err == nil || !strings.Contains(err.Error(), "[0]: nil union member") {
			t.Errorf("%s: error %v, want [0]: nil union member", name, err)
		}
	}
	if _, err := json.Marshal(ToolConfig{Tools: []Tool{ToolSpec{Name: "t"}}, ToolChoice: (*SpecificToolChoice)(nil)}); err == nil ||
		!strings.Contains(err.Error(), "nil union member") {
		t.Errorf("nil tool choice pointer: error %v", err)
	}
}

// embeddedText joins ContentBlock by embedding a member, as a type of
// another package can.
type embeddedText struct {
	TextBlock
	Note string
}

// embeddedS3 joins Source through a pointer to a member without a
// MarshalJSON of its own: its JSON is its own, flattened.
type embeddedS3 struct {
	*S3Location
	Extra string `json:"extra"`
}

// TestUnionEmbeddedMembers checks that a struct embedding a member is
// written under the member's key, with its own JSON.
func TestUnionEmbeddedMembers(t *testing.T) {
	got, err := json.Marshal(Message{Role: RoleUser, Content: []ContentBlock{
		embeddedText{TextBlock: TextBlock{Text: "a"}, Note: "n"},
		&embeddedText{TextBlock: TextBlock{Text: "b"}},
		DocumentBlock{Format: DocumentFormatPDF, Name: "d", Source: embeddedS3{&S3Location{URI: "s3://b/k"}, "x"}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	want := `{"role":"user","content":[{"text":"a"},{"text":"b"},` +
		`{"document":{"format":"pdf","name":"d","source":{"s3Location":{"uri":"s3://b/k","extra":"x"}}}}]}`
	if string(got) != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	_, err = json.Marshal(Message{Role: RoleUser, Content: []ContentBlock{embeddedText{}, DocumentBlock{Source: embeddedS3{}}}})
	const wantErr = "client.embeddedS3 is not a member of this union"
	if err == nil || !strings.Contains(err.Error(), wantErr) {
		t.Errorf("nil embedded member: error %v, want it to contain %q", err, wantErr)
	}
}

// TestUnionListNullAndEmpty checks that null decodes to a nil list and []
// to an empty one, for lists and the members' own containers alike, and
// that errors say where.
func TestUnionListNullAndEmpty(t *testing.T) {
	var m Message
	if err := json.Unmarshal([]byte(`{"role":"user","content":null}`), &m); err != nil || m.Content != nil {
		t.Errorf("null content: %#v, %v; want nil", m.Content, err)
	}
	if err := json.Unmarshal([]byte(`{"role":"user","content":[]}`), &m); err != nil || m.Content == nil || len(m.Content) != 0 {
		t.Errorf("empty content: %#v, %v; want empty, not nil", m.Content, err)
	}
	var tr ToolResultBlock
	if err := json.Unmarshal([]byte(`{"toolUseId":"t","content":[{"text":"a"},{"json":{"k":1}}]}`), &tr); err != nil {
		t.Fatal(err)
	}
	want := []ToolResultContent{TextBlock{Text: "a"}, JSONBlock{JSON: json.RawMessage(`{"k":1}`)}}
	if diff := cmp.Diff(want, tr.Content); diff != "" {
		t.Errorf("tool result content (-want +got):\n%s", diff)
	}
	err := json.Unmarshal([]byte(`{"role":"user","content":[{"text":"a"},{"image":{"format":"png","source":{"s3Location":5}}}]}`), &m)
	if err == nil || !strings.Contains(err.Error(), "[1]: image: ") || !strings.Contains(err.Error(), "s3Location: ") {
		t.Errorf("nested error %v does not say where", err)
	}
}

// TestDecodeAs decodes members of each kind of Go type: struct, []byte,
// string and slice, and checks an error leaves no member.
func TestDecodeAs(t *testing.T) {
	for _, tt := range []struct {
		inner string
		zero  unionMember
		want  unionMember
	}{
		{`"hi"`, TextBlock{}, TextBlock{Text: "hi"}},
		{`"aGk="`, BytesSource(nil), BytesSource("hi")},
		{`"plain"`, TextSource(""), TextSource("plain")},
		{`[{"text":"a"}]`, ContentSource(nil), ContentSource{{Text: "a"}}},
		{`{}`, ARTooComplexFinding{}, ARTooComplexFinding{}},
	} {
		got, err := decodeAs([]byte(tt.inner), tt.zero)
		if err != nil {
			t.Errorf("decodeAs(%s, %T): %v", tt.inner, tt.zero, err)
			continue
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("decodeAs(%s, %T) (-want +got):\n%s", tt.inner, tt.zero, diff)
		}
	}
	if got, err := decodeAs([]byte(`5`), TextBlock{}); err == nil || got != nil {
		t.Errorf("bad text: %v, %v; want nil and an error", got, err)
	}
}

// TestNoCompare checks that noCompare takes no room and makes its structs
// incomparable.
func TestNoCompare(t *testing.T) {
	if s := reflect.TypeFor[noCompare]().Size(); s != 0 {
		t.Errorf("noCompare is %d bytes", s)
	}
	for _, typ := range []reflect.Type{
		reflect.TypeFor[imageBlockWire](), reflect.TypeFor[documentBlockWire](), reflect.TypeFor[videoBlockWire](),
		reflect.TypeFor[audioBlockWire](), reflect.TypeFor[cachePointWire](), reflect.TypeFor[reasoningTextWire](),
		reflect.TypeFor[serviceEndpoint](), reflect.TypeFor[retryQuota](),
	} {
		if typ.Comparable() {
			t.Errorf("%v is comparable", typ)
		}
	}
}

// FuzzMessageRoundTrip decodes any JSON as a Message and a ConverseInput:
// no panic, and what decodes marshals and decodes again.
func FuzzMessageRoundTrip(f *testing.F) {
	f.Add(`{"role":"user","content":[{"text":"a"},{"image":{"format":"png","source":{"bytes":"aGk="}}},{"future":{"x":1}}]}`)
	f.Add(`{"role":"assistant","content":[{"toolUse":{"toolUseId":"t","name":"n","input":{}}},{"reasoningContent":{"reasoningText":{"text":"r","signature":"s"}}}]}`)
	f.Add(`{"role":"user","content":[{"toolResult":{"toolUseId":"t","content":[{"json":{"a":1}},{"document":{"format":"txt","name":"d","source":{"text":"x"}}}]}}]}`)
	f.Add(`{"role":"user","content":[{"citationsContent":{"content":[{"text":"c"}],"citations":[{"location":{"web":{"url":"u"}}}]}},{"guardContent":{"text":{"text":"g"}}}]}`)
	f.Add(`{"modelId":"m","messages":[],"system":[{"text":"s"},{"cachePoint":{"type":"default"}}],"toolConfig":{"tools":[{"toolSpec":{"name":"t","inputSchema":{"json":{}}}}],"toolChoice":{"tool":{"name":"t"}}}}`)
	f.Fuzz(func(t *testing.T, data string) {
		var m Message
		if json.Unmarshal([]byte(data), &m) == nil {
			b, err := json.Marshal(m)
			if err != nil {
				t.Fatalf("decoded %s, marshal failed: %v", data, err)
			}
			var again Message
			if err := json.Unmarshal(b, &again); err != nil {
				t.Fatalf("decoded %s, marshalled %s, decoding again failed: %v", data, b, err)
			}
		}
		var in ConverseInput
		if json.Unmarshal([]byte(data), &in) == nil {
			if _, err := json.Marshal(in); err != nil {
				t.Fatalf("decoded input %s, marshal failed: %v", data, err)
			}
		}
	})
}
