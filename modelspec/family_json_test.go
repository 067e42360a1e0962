package modelspec

import (
	"bytes"
	"encoding/json"
	"testing"
)

// stdJSONString is what encoding/json writes for s with HTML escaping off.
func stdJSONString(t testing.TB, s string) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(s); err != nil {
		t.Fatal(err)
	}
	return string(bytes.TrimSuffix(b.Bytes(), []byte("\n")))
}

// TestAppendJSONString checks the fast string encoder against encoding/json.
func TestAppendJSONString(t *testing.T) {
	for _, s := range []string{"", "plain", `q"b\s`, "\n\r\t\x00\x1f", "\b\f", "<&>", "Zürich €", "\u2028\u2029", "bad\xffutf8", "\x7f"} {
		if got, want := string(AppendJSONString(nil, s)), stdJSONString(t, s); got != want {
			t.Errorf("AppendJSONString(%q) = %s, want %s", s, got, want)
		}
	}
	if got := string(AppendJSONString([]byte("x:"), "y")); got != `x:"y"` {
		t.Errorf("AppendJSONString does not append: %s", got)
	}
}

func FuzzAppendJSONString(f *testing.F) {
	f.Add("a\"b\\c\u2028\xff")
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := string(AppendJSONString(nil, s)), stdJSONString(t, s); got != want {
			t.Fatalf("AppendJSONString(%q) = %s, want %s", s, got, want)
		}
	})
}
