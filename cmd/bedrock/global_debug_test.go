package main

import (
	"bytes"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// textValue is a value that renders as text, as the client's header does.
type textValue string

func (v textValue) MarshalText() ([]byte, error) { return []byte(v), nil }

// TestCLIDebugHeaderGroup checks that the client's header value prints one
// attribute per header, each masked again by name, and that a value of
// another form prints as it is.
func TestCLIDebugHeaderGroup(t *testing.T) {
	var b bytes.Buffer
	l := cliDebugLogger(&b)
	l.Debug("bedrock request", "op", "Converse",
		"header", textValue("Authorization: Bearer **** (3 bytes)\nContent-Type: application/json\nX-Custom-Token: abc"))
	l.Debug("odd", "header", textValue("no colon here"))
	l.Debug("plain", "header", "X-Custom-Token: abc")
	want := `level=DEBUG msg="bedrock request" op=Converse header.Authorization="Bearer **** (3 bytes)" header.Content-Type=application/json header.X-Custom-Token=****` + "\n" +
		`level=DEBUG msg=odd header="no colon here"` + "\n" +
		`level=DEBUG msg=plain header="X-Custom-Token: abc"` + "\n"
	if diff := cmp.Diff(want, b.String()); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}
