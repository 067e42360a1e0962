package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	"github.com/bedrockwire/bedrockwire/eventstream"
)

var updateDecode = flag.Bool("update-decode", false, "rewrite testdata/decode/*.golden from the current output of bedrock decode")

// runDecodeCmd runs "bedrock decode args..." in-process with stdin.
func runDecodeCmd(t *testing.T, stdin []byte, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	e := &env{
		stdin:  bytes.NewReader(stdin),
		stdout: &out,
		stderr: &errb,
		getenv: func(string) string { return "" },
	}
	code = run(context.Background(), e, append([]string{"decode"}, args...))
	return code, out.String(), errb.String()
}

// decodeGolden compares got with testdata/decode/<name>, or rewrites it
// under -update-decode.
func decodeGolden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", "decode", name)
	if *updateDecode {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./cmd/bedrock -run TestDecode -update-decode to create it)", err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("%s (-want +got):\n%s", path, diff)
	}
}

const streams = "../../testdata/streams/"

// TestDecodeGolden holds the exact output, JSON lines and --pretty, for
// each capture under testdata/streams, and the exact error for the bad ones.
func TestDecodeGolden(t *testing.T) {
	tests := []struct {
		stream     string
		wantCode   int
		wantStderr string
	}{
		{"converse-stream.bin", exitOK, ""},
		{"converse-stream-throttled.bin", exitOK, ""},
		{"invoke-stream.bin", exitOK, ""},
		{"every-header-type.bin", exitOK, ""},
		{"signed-envelope.bin", exitOK, ""},
		{"converse-stream-bad-crc.bin", exitFailure,
			"bedrock decode: " + streams + "converse-stream-bad-crc.bin: eventstream: message at offset 325: message CRC mismatch: stored 0x7d4ecc30, computed 0x7d4ecccf\n"},
		{"converse-stream-cut.bin", exitFailure,
			"bedrock decode: " + streams + "converse-stream-cut.bin: eventstream: truncated at offset 375: message at offset 325 needs 209 bytes, got 50: unexpected EOF\n"},
	}
	for _, tc := range tests {
		base := strings.TrimSuffix(tc.stream, ".bin")
		for _, pretty := range []bool{false, true} {
			args, golden := []string{streams + tc.stream}, base+".jsonl"
			if pretty {
				args, golden = append(args, "--pretty"), base+".pretty"
			}
			t.Run(golden, func(t *testing.T) {
				code, stdout, stderr := runDecodeCmd(t, nil, args...)
				if code != tc.wantCode {
					t.Errorf("exit code %d, want %d", code, tc.wantCode)
				}
				if diff := cmp.Diff(tc.wantStderr, stderr); diff != "" {
					t.Errorf("stderr (-want +got):\n%s", diff)
				}
				decodeGolden(t, golden, stdout)
			})
		}
	}
}

// TestDecodeContract checks the JSON-lines contract field by field on the
// capture holding every header type, independently of the golden files.
func TestDecodeContract(t *testing.T) {
	code, stdout, stderr := runDecodeCmd(t, nil, streams+"every-header-type.bin")
	if code != exitOK || stderr != "" {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	want := `{"headers":[` +
		`{"name":"bool-true","type":"true"},` +
		`{"name":"bool-false","type":"false"},` +
		`{"name":"byte","type":"byte","value":-2},` +
		`{"name":"short","type":"short","value":-300},` +
		`{"name":"int","type":"int","value":70000},` +
		`{"name":"long","type":"long","value":72623859790382856},` +
		`{"name":"bytes","type":"bytes","value":"AP8Q"},` +
		`{"name":"string","type":"string","value":"héllo \"quoted\" <tag> & \\ \t"},` +
		`{"name":":date","type":"timestamp","value":1700000000123},` +
		`{"name":"uuid","type":"uuid","value":"0f8fad5b-d9cb-469f-a165-70867728950e"}` +
		`],"payload":"AAEC/2JpbmFyeQ=="}` + "\n"
	if diff := cmp.Diff(want, stdout); diff != "" {
		t.Errorf("output (-want +got):\n%s", diff)
	}
	// The line is JSON that encoding/json reads back to the same values.
	var got struct {
		Headers []map[string]any `json:"headers"`
		Payload []byte           `json:"payload"`
	}
	if err := json.Unmarshal([]byte(stdout), &got); err != nil {
		t.Fatal(err)
	}
	if s := got.Headers[7]["value"]; s != "héllo \"quoted\" <tag> & \\ \t" {
		t.Errorf("string value read back as %q", s)
	}
	if _, ok := got.Headers[0]["value"]; ok {
		t.Errorf("boolean header has a value key")
	}
	if !bytes.Equal(got.Payload, []byte("\x00\x01\x02\xffbinary")) {
		t.Errorf("payload read back as %q", got.Payload)
	}
}

// TestDecodeStdin reads from standard input, with "-" and with no argument,
// and an empty input prints nothing and succeeds.
func TestDecodeStdin(t *testing.T) {
	capture, err := os.ReadFile(streams + "converse-stream.bin")
	if err != nil {
		t.Fatal(err)
	}
	_, want, _ := runDecodeCmd(t, nil, streams+"converse-stream.bin")
	for _, args := range [][]string{{"-"}, {}} {
		code, stdout, stderr := runDecodeCmd(t, capture, args...)
		if code != exitOK || stderr != "" {
			t.Errorf("args %q: exit %d, stderr %q", args, code, stderr)
		}
		if diff := cmp.Diff(want, stdout); diff != "" {
			t.Errorf("args %q: output (-want +got):\n%s", args, diff)
		}
	}
	code, stdout, stderr := runDecodeCmd(t, capture[:100])
	wantErr := "bedrock decode: <stdin>: eventstream: truncated at offset 100: message at offset 0 needs 155 bytes, got 100: unexpected EOF\n"
	if code != exitFailure || stdout != "" || stderr != wantErr {
		t.Errorf("cut stdin: exit %d, stdout %q, stderr (-want +got):\n%s", code, stdout, cmp.Diff(wantErr, stderr))
	}
	code, stdout, stderr = runDecodeCmd(t, nil, "-")
	if code != exitOK || stdout != "" || stderr != "" {
		t.Errorf("empty input: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
}

// TestDecodeUsage covers --help, bad flags and arguments, and a missing
// file.
func TestDecodeUsage(t *testing.T) {
	code, stdout, stderr := runDecodeCmd(t, nil, "--help")
	if code != exitOK || stdout != decodeHelp || stderr != "" {
		t.Errorf("--help: exit %d, stderr %q, stdout starts %.40q", code, stderr, stdout)
	}
	tests := []struct {
		args       []string
		wantCode   int
		wantStderr string
	}{
		{[]string{"a.bin", "b.bin"}, exitUsage, "bedrock decode: one input at a time, got 2\n" + decodeUsage},
		{[]string{"--color"}, exitUsage, "bedrock decode: flag provided but not defined: -color\n" + decodeUsage},
		{[]string{"testdata/decode/no-such-file.bin"}, exitFailure, "bedrock decode: open testdata/decode/no-such-file.bin: no such file or directory\n"},
	}
	for _, tc := range tests {
		code, stdout, stderr := runDecodeCmd(t, nil, tc.args...)
		if code != tc.wantCode || stdout != "" {
			t.Errorf("%q: exit %d (want %d), stdout %q", tc.args, code, tc.wantCode, stdout)
		}
		if diff := cmp.Diff(tc.wantStderr, stderr); diff != "" {
			t.Errorf("%q: stderr (-want +got):\n%s", tc.args, diff)
		}
	}
}

// TestDecodeJSONString holds the hand-written string encoder to
// encoding/json: its output is JSON that reads back as the input, for
// valid UTF-8, and control characters, quotes and line separators are
// escaped.
func TestDecodeJSONString(t *testing.T) {
	cases := map[string]string{
		"":                   `""`,
		"plain":              `"plain"`,
		"a\"b\\c":            `"a\"b\\c"`,
		"\n\r\t\x00\x1f\x7f": `"\n\r\t\u0000\u001f\u007f"`,
		"<&>":                `"<&>"`,
		"\u2028\u2029":       `"\u2028\u2029"`,
		"bad \xff utf-8":     `"bad \ufffd utf-8"`,
		"héllo, 世界 🌍":        `"héllo, 世界 🌍"`,
	}
	for in, want := range cases {
		if got := string(decodeAppendJSONString(nil, in)); got != want {
			t.Errorf("%q: got %s, want %s", in, got, want)
		}
	}
	rng := rand.New(rand.NewPCG(3, 4))
	for range 2000 {
		var b strings.Builder
		for range rng.IntN(20) {
			switch rng.IntN(3) {
			case 0:
				b.WriteByte(byte(rng.IntN(128)))
			case 1:
				b.WriteRune(rune(rng.IntN(0x11000)))
			default:
				b.WriteRune(rune(0x2000 + rng.IntN(64)))
			}
		}
		in := b.String()
		if !utf8.ValidString(in) {
			continue
		}
		out := decodeAppendJSONString(nil, in)
		var back string
		if err := json.Unmarshal(out, &back); err != nil || back != in {
			t.Fatalf("%q encodes as %s, which reads back as %q (%v)", in, out, back, err)
		}
	}
}

// FuzzDecodeCommand runs bedrock decode on arbitrary input: it exits 0 or 1
// and never panics; in JSON mode it prints one valid JSON line per message
// the decoder accepts, each with the contract's shape.
func FuzzDecodeCommand(f *testing.F) {
	entries, err := os.ReadDir(streams)
	if err != nil {
		f.Fatal(err)
	}
	for _, e := range entries {
		b, err := os.ReadFile(streams + e.Name())
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b, false)
		f.Add(b, true)
	}
	f.Fuzz(func(t *testing.T, data []byte, pretty bool) {
		args := []string{"-"}
		if pretty {
			args = append(args, "--pretty")
		}
		code, stdout, stderr := runDecodeCmd(t, data, args...)
		if code != exitOK && code != exitFailure {
			t.Fatalf("exit code %d", code)
		}
		if (code == exitOK) != (stderr == "") {
			t.Fatalf("exit %d with stderr %q", code, stderr)
		}
		if pretty {
			return
		}
		wantLines := 0
		for p := data; ; wantLines++ {
			_, n, err := eventstream.ParseMessage(p)
			if err != nil {
				break
			}
			p = p[n:]
		}
		lines := strings.Split(stdout, "\n")
		if lines[len(lines)-1] != "" || len(lines)-1 != wantLines {
			t.Fatalf("%d lines for %d messages", len(lines)-1, wantLines)
		}
		for _, line := range lines[:wantLines] {
			var m struct {
				Headers []struct {
					Name  *string `json:"name"`
					Type  string  `json:"type"`
					Value any     `json:"value"`
				} `json:"headers"`
				Payload *[]byte `json:"payload"`
			}
			dec := json.NewDecoder(strings.NewReader(line))
			dec.DisallowUnknownFields()
			if err := dec.Decode(&m); err != nil || m.Headers == nil || m.Payload == nil {
				t.Fatalf("line %s: %v", line, err)
			}
			for _, h := range m.Headers {
				if h.Name == nil || (h.Value == nil) != (h.Type == "true" || h.Type == "false") {
					t.Fatalf("header in line %s", line)
				}
			}
		}
	})
}
