package client

import (
	"context"
	"io"
	"net/http"
	"testing"

	"github.com/bedrockwire/bedrockwire/modelspec"
	"github.com/bedrockwire/bedrockwire/sigv4"
)

// benchBidiStream returns a stream whose body is read by a goroutine that
// discards it, as the HTTP/2 transport would take it, so that Send costs
// framing, signing and the hand-over, without the network.
func benchBidiStream(b *testing.B) *BidiStream {
	c, err := New(Options{Region: "us-east-1", Credentials: sigv4.StaticCredentials(bidiCreds), HTTPClient: &http.Client{}})
	if err != nil {
		b.Fatal(err)
	}
	fs, err := newFrameSigner(&c.signer, bidiCreds, "us-east-1", SigningName, goldenSeed)
	if err != nil {
		b.Fatal(err)
	}
	p := newFramePipe()
	s := &BidiStream{c: c, sendSem: make(chan struct{}, 1), pipe: p, fs: fs, respDone: make(chan struct{})}
	buf := make([]byte, 64<<10)
	go func() {
		r := pipeBody{p}
		for {
			if _, err := r.Read(buf); err != nil {
				return
			}
		}
	}()
	b.Cleanup(func() { p.close(ErrStreamClosed) })
	return s
}

// BenchmarkBidiSendAudioChunk: one 32 ms chunk of 16 kHz 16-bit mono audio
// (1,024 bytes of PCM) as Nova Sonic's audioInput event, from PCM to a
// signed envelope handed to the connection.
func BenchmarkBidiSendAudioChunk(b *testing.B) {
	s := benchBidiStream(b)
	pcm := make([]byte, 1024)
	for i := range pcm {
		pcm[i] = byte(i * 7)
	}
	const prompt, content = "8a5bd1a0-5b46-4ac1-9d7d-1f54f0c61e57", "c0b1f7a2-3f4e-4a9b-8c6d-2e1f0a9b8c7d"
	js := make([]byte, 0, modelspec.AudioInputSize(prompt, content, len(pcm)))
	ctx := context.Background()
	b.SetBytes(int64(len(pcm)))
	b.ReportAllocs()
	for b.Loop() {
		js = modelspec.AppendAudioInput(js[:0], prompt, content, pcm)
		if err := s.Send(ctx, js); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBidiFrameAudioChunk is the framing and signing alone.
func BenchmarkBidiFrameAudioChunk(b *testing.B) {
	var signer sigv4.Signer
	fs, err := newFrameSigner(&signer, bidiCreds, "us-east-1", SigningName, goldenSeed)
	if err != nil {
		b.Fatal(err)
	}
	js := modelspec.AppendAudioInput(nil, "p", "c", make([]byte, 1024))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := fs.event(goldenFrameTime, js); err != nil {
			b.Fatal(err)
		}
		fs.commit()
	}
}

// BenchmarkBidiSendAudioChunkH2C is BenchmarkBidiSendAudioChunk over a real
// HTTP/2 connection on loopback to a server that verifies nothing and
// discards the frames: what the transport adds.
func BenchmarkBidiSendAudioChunkH2C(b *testing.B) {
	bs := newBidiServer(b, func(bc *bidiConn) {
		bc.begin()
		io.Copy(io.Discard, bc.r.Body)
	})
	c := bs.client(b)
	s, err := c.InvokeModelWithBidirectionalStream(b.Context(), "amazon.nova-2-sonic-v1:0")
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	pcm := make([]byte, 1024)
	const prompt, content = "8a5bd1a0-5b46-4ac1-9d7d-1f54f0c61e57", "c0b1f7a2-3f4e-4a9b-8c6d-2e1f0a9b8c7d"
	js := make([]byte, 0, modelspec.AudioInputSize(prompt, content, len(pcm)))
	ctx := context.Background()
	b.SetBytes(int64(len(pcm)))
	b.ReportAllocs()
	for b.Loop() {
		js = modelspec.AppendAudioInput(js[:0], prompt, content, pcm)
		if err := s.Send(ctx, js); err != nil {
			b.Fatal(err)
		}
	}
}
