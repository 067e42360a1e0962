package main

import (
	"bytes"
	"context"
	"encoding/binary"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bedrockwire/bedrockwire/client/bedrocktest"
	"github.com/bedrockwire/bedrockwire/client/novasonic"
	"github.com/google/go-cmp/cmp"
)

// sonicTone returns ms milliseconds of a 440 Hz tone as 16-bit PCM.
func sonicTone(rate, ms int) []byte {
	n := rate * ms / 1000
	pcm := make([]byte, 0, 2*n)
	for i := range n {
		v := int16(8000 * math.Sin(2*math.Pi*440*float64(i)/float64(rate)))
		pcm = binary.LittleEndian.AppendUint16(pcm, uint16(v))
	}
	return pcm
}

// sonicTestEnv is the CLI test environment with SigV4 keys of the emulator
// instead of its API key.
func sonicTestEnv(t *testing.T, srv *bedrocktest.Server) *cliTestEnv {
	te := newTestEnv(t, srv)
	delete(te.vars, "AWS_BEARER_TOKEN_BEDROCK")
	te.vars["AWS_ACCESS_KEY_ID"] = bedrocktest.DefaultCredentials.AccessKeyID
	te.vars["AWS_SECRET_ACCESS_KEY"] = bedrocktest.DefaultCredentials.SecretAccessKey
	te.vars["AWS_REGION"] = srv.Region()
	return te
}

func writeSonicWAV(t *testing.T, pcm []byte, rate int) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "question.wav")
	if err := os.WriteFile(path, novasonic.AppendWAV(nil, pcm, rate), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestSonicCommand: a 0.5 s question through the emulator's speech model:
// both transcripts on stdout, the answer's speech in the WAV file.
func TestSonicCommand(t *testing.T) {
	srv := bedrocktest.NewServer(nil)
	t.Cleanup(srv.Close)
	in := writeSonicWAV(t, sonicTone(16000, 500), 16000)
	out := filepath.Join(t.TempDir(), "answer.wav")
	te := sonicTestEnv(t, srv)
	te.vars["AWS_BEARER_TOKEN_BEDROCK"] = "ignored-api-key" // present but not used
	r := te.run(t, context.Background(), "sonic", "--in", in, "--out", out, "--voice", "tiffany",
		"--system", "Be brief.", "--silence", "64ms")
	heard := "(564 ms of audio)" // 500 ms of question, 64 ms of silence
	r.wantOK(t, "bedrock sonic: wrote "+out+" (0.4 s of 24000 Hz audio)\n")
	if diff := cmp.Diff("you: "+heard+"\nsonic: You said: "+heard+"\n", r.stdout); diff != "" {
		t.Errorf("stdout (-want +got):\n%s", diff)
	}
	f, err := os.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	w, err := novasonic.ReadWAV(f)
	if err != nil {
		t.Fatal(err)
	}
	if w.SampleRate != 24000 || !bytes.Equal(w.PCM, bedrocktest.SpeechAudio("You said: "+heard, 24000)) {
		t.Errorf("answer: %d Hz, %d bytes, not the model's speech", w.SampleRate, len(w.PCM))
	}
	rec, _ := srv.LastRequest()
	var sent string
	for _, e := range rec.Events {
		sent += string(e)
	}
	for _, want := range []string{`"voiceId":"tiffany"`, `"content":"Be brief."`, `"sampleRateHertz":24000`} {
		if !strings.Contains(sent, want) {
			t.Errorf("the input events lack %s", want)
		}
	}
	if rec.Auth != "sigv4" || !rec.InputClosed {
		t.Errorf("auth %q, input closed %v", rec.Auth, rec.InputClosed)
	}
}

// TestSonicCommandErrors: usage errors, a bearer token alone, unusable
// WAV files.
func TestSonicCommandErrors(t *testing.T) {
	srv := bedrocktest.NewServer(nil)
	t.Cleanup(srv.Close)
	good := writeSonicWAV(t, sonicTone(16000, 100), 16000)
	for _, tc := range []struct {
		name   string
		bearer bool
		args   []string
		code   int
		stderr string
	}{
		{"no input", false, []string{"sonic"}, exitUsage, "--in QUESTION.wav is required"},
		{"extra argument", false, []string{"sonic", "--in", good, "what"}, exitUsage, `unexpected argument "what"`},
		{"bad flag", false, []string{"sonic", "--bogus"}, exitUsage, "usage: bedrock sonic"},
		{"44.1 kHz", false, []string{"sonic", "--in", writeSonicWAV(t, sonicTone(44100, 100), 44100)}, exitFailure, "44100 Hz audio; Nova Sonic takes 16000 Hz"},
		{"not a WAV", false, []string{"sonic", "--in", writeSonicFile(t, "notes.txt", "hello, this is a text file and no WAV")}, exitFailure, "not a RIFF/WAVE file"},
		{"missing file", false, []string{"sonic", "--in", filepath.Join(t.TempDir(), "nope.wav")}, exitFailure, "no such file"},
		{"bearer only", true, []string{"sonic", "--in", good}, exitFailure, "needs SigV4 credentials"},
	} {
		te := sonicTestEnv(t, srv)
		if tc.bearer {
			te = newTestEnv(t, srv) // the emulator's API key and nothing else
		}
		r := te.run(t, context.Background(), tc.args...)
		if r.code != tc.code || !strings.Contains(r.stderr, tc.stderr) {
			t.Errorf("%s: exit %d, stderr %q; want %d and %q", tc.name, r.code, r.stderr, tc.code, tc.stderr)
		}
		if tc.bearer && strings.Contains(r.stderr, bedrocktest.DefaultAPIKey) {
			t.Errorf("%s: stderr shows the API key", tc.name)
		}
	}
}

func writeSonicFile(t *testing.T, name, content string) string {
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestSonicHelp(t *testing.T) {
	r := newTestEnv(t, nil).run(t, context.Background(), "sonic", "--help")
	if r.code != exitOK || !strings.Contains(r.stdout, "EXAMPLES") || !strings.Contains(r.stdout, "bedrock sonic --in question.wav --out answer.wav") {
		t.Errorf("help: exit %d\n%s", r.code, r.stdout)
	}
}
