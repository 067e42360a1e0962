package bedrocktest

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestSplitWords(t *testing.T) {
	tests := map[string][]string{
		"":                     nil,
		"one":                  {"one"},
		"You said: hi":         {"You", " said:", " hi"},
		"  lead":               {"  lead"},
		"trail  ":              {"trail", "  "},
		"a\n\nb c":             {"a", "\n\nb", " c"},
		"Zürich ist schön.":    {"Zürich", " ist", " schön."},
		"tab\tsep\r\nnewlines": {"tab", "\tsep", "\r\nnewlines"},
	}
	for in, want := range tests {
		got := splitWords(in)
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("splitWords(%q) (-want +got):\n%s", in, diff)
		}
		if strings.Join(got, "") != in {
			t.Errorf("splitWords(%q) does not join back", in)
		}
	}
}

func FuzzSplitWords(f *testing.F) {
	f.Add("You said: hi")
	f.Add(" \t\n")
	f.Fuzz(func(t *testing.T, s string) {
		if got := strings.Join(splitWords(s), ""); got != s {
			t.Fatalf("join(splitWords(%q)) = %q", s, got)
		}
	})
}
