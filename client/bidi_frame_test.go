package client

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/bedrockwire/bedrockwire/eventstream"
	"github.com/bedrockwire/bedrockwire/modelspec"
	"github.com/bedrockwire/bedrockwire/sigv4"
	"github.com/google/go-cmp/cmp"
)

// TestChunkSignatureVectors: the chained chunk signatures of
// bidirectional-stream.md §4.4 (aws-sdk-go-v2 aws/signer/v4/stream_test.go),
// computed with the signer the client uses for frames.
func TestChunkSignatureVectors(t *testing.T) {
	creds := sigv4.Credentials{AccessKeyID: "AKID", SecretAccessKey: "SECRET"}
	var signer sigv4.Signer
	prev := []byte("foobarbazqux")
	for i, v := range []struct {
		headers, payload string
		unix             int64
		want             string
	}{
		{"foo", "foo", 10, "e3a136405ec1152f62136742efd41f8639cd647a1cf21fab12aedb22cccd8999"},
		{"bar", "bar", 20, "92a6ad677e839d3003672cb2cefc71ef80d42e8cb300fefce0807e8398c74068"},
		{"baz", "baz", 30, "46d6660bd40f2ff5d6246a347895cabe7f4e89d9e1f4c6dad6dabdc801923be1"},
		{"", "", 30, "492bcb3e21de447c85f8a9bef6c0eb833e992e405b9b3584be84edaccc5aad18"},
	} {
		var sig [32]byte
		got, err := signer.AppendEventChunkSignature(sig[:0], creds, "us-east-1", "transcribestreaming",
			time.Unix(v.unix, 0), prev, []byte(v.headers), []byte(v.payload))
		if err != nil {
			t.Fatal(err)
		}
		if hex.EncodeToString(got) != v.want {
			t.Errorf("vector %d: signature %x, want %s", i+1, got, v.want)
		}
		prev = got
	}
}

// goldenFrameTime is the signing time of the golden frames, with
// milliseconds, which the :date header keeps.
var goldenFrameTime = time.Date(2026, 7, 31, 12, 0, 0, 123_000_000, time.UTC)

// goldenSeed is the seed signature of the golden frames.
var goldenSeed = func() []byte { s := sha256.Sum256([]byte("seed")); return s[:] }()

// hexLines renders b as hex, 32 bytes a line.
func hexLines(b []byte) string {
	var sb strings.Builder
	for len(b) > 0 {
		n := min(32, len(b))
		sb.WriteString(hex.EncodeToString(b[:n]))
		sb.WriteByte('\n')
		b = b[n:]
	}
	return sb.String()
}

// TestBidiFrameGolden: the exact bytes of the envelopes for a fixed time,
// key and seed (testdata/bidi/frames.golden), each one also taken apart and
// checked on its own: the :date header, the chained signature recomputed
// by the server-side verifier, the inner chunk message.
func TestBidiFrameGolden(t *testing.T) {
	var signer sigv4.Signer
	fs, err := newFrameSigner(&signer, bidiCreds, "us-east-1", SigningName, goldenSeed)
	if err != nil {
		t.Fatal(err)
	}
	events := []string{
		`{"event":{"sessionStart":{"inferenceConfiguration":{"maxTokens":1024,"topP":0.9,"temperature":0.7}}}}`,
		string(modelspec.AppendAudioInput(nil, "p1", "audio1", []byte{0, 1, 2, 3, 0xfe, 0xff})),
	}
	var golden strings.Builder
	var frames [][]byte
	for i, e := range events {
		f, err := fs.event(goldenFrameTime.Add(time.Duration(i)*time.Second), []byte(e))
		if err != nil {
			t.Fatal(err)
		}
		fs.commit()
		frames = append(frames, bytes.Clone(f))
		fmt.Fprintf(&golden, "# frame %d: %s\n%s", i+1, e, hexLines(f))
	}
	end, err := fs.end(goldenFrameTime.Add(2 * time.Second))
	if err != nil {
		t.Fatal(err)
	}
	fs.commit()
	frames = append(frames, bytes.Clone(end))
	fmt.Fprintf(&golden, "# frame 3: end of input\n%s", hexLines(end))
	checkGolden(t, "bidi/frames.golden", []byte(golden.String()))

	prev := goldenSeed
	for i, f := range frames {
		dec := eventstream.NewDecoder(bytes.NewReader(f))
		m, err := dec.Decode()
		if err != nil {
			t.Fatalf("frame %d: %v", i+1, err)
		}
		m = m.Clone() // the decoder reuses its message
		if _, err := dec.Decode(); err != io.EOF {
			t.Errorf("frame %d: more than one message: %v", i+1, err)
		}
		wantDate := append([]byte{5, ':', 'd', 'a', 't', 'e', 8}, binary.BigEndian.AppendUint64(nil, uint64(goldenFrameTime.Add(time.Duration(i)*time.Second).UnixMilli()))...)
		dateHdr, _ := eventstream.AppendHeaders(nil, m.Headers[:1])
		if !bytes.Equal(dateHdr, wantDate) || len(m.Headers) != 2 {
			t.Errorf("frame %d: headers %v, want :date %x then :chunk-signature", i+1, m.Headers, wantDate)
		}
		sig, _ := m.Headers[1].Value.Bytes()
		ts, _ := m.Headers[0].Value.Time()
		ok, err := signer.VerifyEventChunk(bidiCreds, "us-east-1", SigningName, ts, prev, dateHdr, m.Payload, sig)
		if err != nil || !ok {
			t.Errorf("frame %d: signature does not verify (%v)", i+1, err)
		}
		prev = bytes.Clone(sig)
		if i == len(frames)-1 {
			if len(m.Payload) != 0 {
				t.Errorf("end frame has a %d-byte payload", len(m.Payload))
			}
			continue
		}
		inner, err := eventstream.NewDecoder(bytes.NewReader(m.Payload)).Decode()
		if err != nil {
			t.Fatalf("frame %d inner: %v", i+1, err)
		}
		if inner.Type() != eventstream.EventMessage || inner.EventType() != "chunk" || inner.ContentType() != "application/json" {
			t.Errorf("frame %d inner headers %v", i+1, inner.Headers)
		}
		want := `{"bytes":"` + base64.StdEncoding.EncodeToString([]byte(events[i])) + `"}`
		if diff := cmp.Diff(want, string(inner.Payload)); diff != "" {
			t.Errorf("frame %d inner payload (-want +got):\n%s", i+1, diff)
		}
	}
}

// TestFrameSignerCommit: a frame built but not committed leaves the chain
// where it was, so a withdrawn Send does not break it.
func TestFrameSignerCommit(t *testing.T) {
	var signer sigv4.Signer
	a, _ := newFrameSigner(&signer, bidiCreds, "us-east-1", SigningName, goldenSeed)
	b, _ := newFrameSigner(&signer, bidiCreds, "us-east-1", SigningName, goldenSeed)
	if _, err := a.event(goldenFrameTime, []byte(`{"withdrawn":true}`)); err != nil {
		t.Fatal(err)
	}
	fa, _ := a.event(goldenFrameTime, []byte(`{"x":1}`))
	fb, _ := b.event(goldenFrameTime, []byte(`{"x":1}`))
	if !bytes.Equal(fa, fb) {
		t.Error("an uncommitted frame changed the chain")
	}
	if _, err := newFrameSigner(&signer, bidiCreds, "us-east-1", SigningName, []byte("short")); err == nil {
		t.Error("a 5-byte seed was accepted")
	}
	if _, err := a.event(goldenFrameTime, make([]byte, MaxBidiEventBytes+1)); err == nil {
		t.Error("an oversized event was framed")
	}
}

// TestFramePipe: a write gives up on its context without taking anything,
// and reports how much of a frame was taken when the pipe breaks.
func TestFramePipe(t *testing.T) {
	p := newFramePipe()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	n, err := p.write(ctx, []byte("frame"))
	if n != 0 || !errors.Is(err, context.Canceled) {
		t.Errorf("write with a done context = %d, %v", n, err)
	}
	if p.closeErr() != nil {
		t.Error("a withdrawn write closed the pipe")
	}
	r := pipeBody{p}
	done := make(chan struct{})
	go func() {
		defer close(done)
		buf := make([]byte, 3)
		if n, err := r.Read(buf); n != 3 || err != nil {
			t.Errorf("Read = %d, %v", n, err)
		}
		p.close(errors.New("broken"))
	}()
	n, err = p.write(context.Background(), []byte("frame"))
	<-done
	if n != 3 || err == nil || err.Error() != "broken" {
		t.Errorf("write into a pipe broken after 3 bytes = %d, %v", n, err)
	}
	if _, err := r.Read(make([]byte, 8)); err == nil || err.Error() != "broken" {
		t.Errorf("Read after break = %v", err)
	}

	p = newFramePipe()
	p.closeWrite()
	if _, err := (pipeBody{p}).Read(make([]byte, 8)); err != io.EOF {
		t.Errorf("Read after closeWrite = %v, want EOF", err)
	}
	pipeBody{p}.Close()
	if p.closeErr() != io.EOF {
		t.Errorf("body Close after closeWrite changed the cause to %v", p.closeErr())
	}
}
