package eventstream

import (
	"bytes"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// readHex reads an annotated hex file from testdata: everything after a '#'
// on a line is a comment, whitespace is ignored, the rest is hex digits.
func readHex(t testing.TB, name string) []byte {
	t.Helper()
	src, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	var digits strings.Builder
	for line := range strings.SplitSeq(string(src), "\n") {
		if i := strings.IndexByte(line, '#'); i >= 0 {
			line = line[:i]
		}
		digits.WriteString(strings.Join(strings.Fields(line), ""))
	}
	b, err := hex.DecodeString(digits.String())
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return b
}

// cmpMessages compares messages through their exported fields and their
// values' Equal method.
var cmpMessages = cmp.Options{
	cmp.Comparer(func(a, b Value) bool { return a.Equal(b) }),
}

func mustTime(ms int64) time.Time { return time.UnixMilli(ms) }

var fooBar = []byte("{'foo':'bar'}")

// knownAnswers pairs each vector file with the messages it holds.
var knownAnswers = []struct {
	file string
	msgs []*Message
}{
	{"vectors/aws-c-empty.hex", []*Message{{}}},
	{"vectors/aws-c-payload.hex", []*Message{{Payload: fooBar}}},
	{"vectors/aws-c-header.hex", []*Message{{
		Headers: []Header{{"content-type", StringValue("application/json")}},
		Payload: fooBar,
	}}},
}

func TestKnownAnswersDecode(t *testing.T) {
	for _, tc := range knownAnswers {
		t.Run(tc.file, func(t *testing.T) {
			wire := readHex(t, tc.file)
			d := NewDecoder(bytes.NewReader(wire))
			var got []*Message
			for {
				m, err := d.Decode()
				if err != nil {
					if err.Error() != "EOF" {
						t.Fatalf("Decode: %v", err)
					}
					break
				}
				got = append(got, m.Clone())
			}
			if diff := cmp.Diff(tc.msgs, got, cmpMessages); diff != "" {
				t.Errorf("decoded messages (-want +got):\n%s", diff)
			}
			if d.InputOffset() != int64(len(wire)) {
				t.Errorf("InputOffset = %d, want %d", d.InputOffset(), len(wire))
			}
		})
	}
}

func TestKnownAnswersEncode(t *testing.T) {
	for _, tc := range knownAnswers {
		t.Run(tc.file, func(t *testing.T) {
			want := readHex(t, tc.file)
			var got []byte
			for _, m := range tc.msgs {
				var err error
				if got, err = AppendMessage(got, m); err != nil {
					t.Fatalf("AppendMessage: %v", err)
				}
			}
			if diff := cmp.Diff(hex.EncodeToString(want), hex.EncodeToString(got)); diff != "" {
				t.Errorf("encoded bytes (-want +got):\n%s", diff)
			}
		})
	}
}
