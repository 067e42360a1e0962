package client

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bedrockwire/bedrockwire/eventstream"
	"github.com/bedrockwire/bedrockwire/sigv4"
)

// bidiCreds are the keys of the bidirectional test clients and server.
var bidiCreds = sigv4.Credentials{AccessKeyID: "AKIDBIDITEST", SecretAccessKey: "bidi/test/secret/key"}

// bidiServer is a local HTTP/2 server (h2c, HTTP/1.1 also served so that
// refusals can be tested) for the bidirectional operation. It checks each
// request's SigV4 signature and every frame's chained :chunk-signature on
// its own, with sigv4.Verifier and Signer.VerifyEventChunk, and then runs
// the test's script, which reads the input and answers.
type bidiServer struct {
	srv      *httptest.Server
	tr       *http.Transport // h2c with prior knowledge
	verifier *sigv4.Verifier
	script   func(bc *bidiConn)

	mu    sync.Mutex
	conns []*bidiConn
	errs  []string // what the server refused
}

func newBidiServer(t testing.TB, script func(bc *bidiConn)) *bidiServer {
	t.Helper()
	bs := &bidiServer{script: script}
	bs.verifier = &sigv4.Verifier{Region: "us-east-1", Service: SigningName,
		Credentials: func(id string) (sigv4.Credentials, bool) { return bidiCreds, id == bidiCreds.AccessKeyID },
		Now:         func() time.Time { return testTime }}
	bs.srv = httptest.NewUnstartedServer(bs)
	bs.srv.Config.Protocols = new(http.Protocols)
	bs.srv.Config.Protocols.SetHTTP1(true)
	bs.srv.Config.Protocols.SetUnencryptedHTTP2(true)
	bs.srv.Start()
	bs.tr = &http.Transport{Protocols: new(http.Protocols)}
	bs.tr.Protocols.SetUnencryptedHTTP2(true)
	t.Cleanup(func() { bs.srv.Close(); bs.tr.CloseIdleConnections() })
	return bs
}

// client returns a SigV4 test client (fixed clock) for the server.
func (bs *bidiServer) client(t testing.TB) *testClient {
	return newTestClient(t, bs.srv.URL, &http.Client{Transport: bs.tr}, func(o *Options) {
		o.BearerToken = ""
		o.Credentials = sigv4.StaticCredentials(bidiCreds)
	})
}

func (bs *bidiServer) refused(format string, args ...any) {
	bs.mu.Lock()
	bs.errs = append(bs.errs, fmt.Sprintf(format, args...))
	bs.mu.Unlock()
}

// refusals returns what the server refused so far.
func (bs *bidiServer) refusals() []string {
	bs.mu.Lock()
	defer bs.mu.Unlock()
	return append([]string(nil), bs.errs...)
}

// conn returns the i-th connection's record.
func (bs *bidiServer) conn(i int) *bidiConn {
	bs.mu.Lock()
	defer bs.mu.Unlock()
	if i >= len(bs.conns) {
		return nil
	}
	return bs.conns[i]
}

func (bs *bidiServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.ProtoMajor < 2 {
		// answer an HTTP/1 client as if all were well, so that the client's
		// own check is what refuses it
		http.NewResponseController(w).EnableFullDuplex()
		w.Header().Set("Content-Type", eventStreamContentType)
		w.WriteHeader(200)
		w.(http.Flusher).Flush()
		io.Copy(io.Discard, r.Body) // until the client goes away
		return
	}
	fail := func(status int, code, msg string) {
		bs.refused("%s: %s", code, msg)
		w.Header().Set("X-Amzn-Errortype", code)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		json.NewEncoder(w).Encode(map[string]string{"message": msg})
	}
	if got := r.Header.Get(sigv4.HeaderContentSHA256); got != sigv4.StreamingEventsPayload {
		fail(400, "ValidationException", "X-Amz-Content-Sha256 is "+got)
		return
	}
	if got := r.Header.Get("Content-Type"); got != eventStreamContentType {
		fail(400, "ValidationException", "Content-Type is "+got)
		return
	}
	auth, err := bs.verifier.VerifyHTTP(r, sigv4.StreamingEventsPayload)
	if err != nil {
		var ve *sigv4.VerifyError
		if errors.As(err, &ve) {
			fail(403, ve.Code, ve.Message)
		} else {
			fail(403, "AccessDeniedException", err.Error())
		}
		return
	}
	for _, h := range []string{"content-type", "host", "x-amz-content-sha256", "x-amz-date"} {
		if !strings.Contains(";"+strings.Join(auth.SignedHeaders, ";")+";", ";"+h+";") {
			fail(403, "AccessDeniedException", "header not signed: "+h)
			return
		}
	}
	seed, err := hex.DecodeString(auth.Signature)
	if err != nil {
		fail(403, "IncompleteSignatureException", err.Error())
		return
	}
	bc := &bidiConn{bs: bs, w: w, r: r, dec: eventstream.NewDecoder(r.Body), prev: seed,
		RequestURI: r.RequestURI, Header: r.Header.Clone()}
	bs.mu.Lock()
	bs.conns = append(bs.conns, bc)
	bs.mu.Unlock()
	bs.script(bc)
}

// bidiConn is one bidirectional exchange on the server side.
type bidiConn struct {
	bs   *bidiServer
	w    http.ResponseWriter
	r    *http.Request
	dec  *eventstream.Decoder
	prev []byte // the previous signature, the request's at first

	RequestURI string
	Header     http.Header

	mu         sync.Mutex
	frames     int      // envelopes read and verified
	events     [][]byte // model events received
	ended      bool     // the empty end frame arrived
	headerSent bool
}

// next reads and verifies the next envelope and returns the model event it
// carries; end is true for the empty frame that ends the input. A frame
// that fails verification is an error naming it.
func (bc *bidiConn) next() (event []byte, end bool, err error) {
	m, err := bc.dec.Decode()
	if err != nil {
		return nil, false, err
	}
	bc.mu.Lock()
	n := bc.frames + 1
	bc.mu.Unlock()
	if len(m.Headers) != 2 || m.Headers[0].Name != eventstream.HeaderDate || m.Headers[1].Name != eventstream.HeaderChunkSignature {
		return nil, false, fmt.Errorf("frame %d: headers %v, want :date and :chunk-signature", n, m.Headers)
	}
	t, ok := m.Headers[0].Value.Time()
	if !ok {
		return nil, false, fmt.Errorf("frame %d: :date is %v, not a timestamp", n, m.Headers[0].Value)
	}
	sig, ok := m.Headers[1].Value.Bytes()
	if !ok || len(sig) != 32 {
		return nil, false, fmt.Errorf("frame %d: :chunk-signature is %v, not 32 bytes", n, m.Headers[1].Value)
	}
	dateHdr, err := eventstream.AppendHeaders(nil, m.Headers[:1])
	if err != nil {
		return nil, false, err
	}
	valid, err := bc.bs.verifier.Signer.VerifyEventChunk(bidiCreds, "us-east-1", SigningName, t, bc.prev, dateHdr, m.Payload, sig)
	if err != nil || !valid {
		return nil, false, fmt.Errorf("frame %d: signature does not match (%v)", n, err)
	}
	bc.prev = append([]byte(nil), sig...)
	bc.mu.Lock()
	bc.frames = n
	bc.mu.Unlock()
	if len(m.Payload) == 0 {
		bc.mu.Lock()
		bc.ended = true
		bc.mu.Unlock()
		return nil, true, nil
	}
	inner, err := eventstream.NewDecoder(bytes.NewReader(m.Payload)).Decode()
	if err != nil {
		return nil, false, fmt.Errorf("frame %d: inner message: %w", n, err)
	}
	var hs []string
	for _, h := range inner.Headers {
		hs = append(hs, h.String())
	}
	if got, want := strings.Join(hs, " "), ":event-type:string=chunk :message-type:string=event :content-type:string=application/json"; got != want {
		return nil, false, fmt.Errorf("frame %d: inner headers %q, want %q", n, got, want)
	}
	var part struct {
		Bytes []byte `json:"bytes"`
	}
	if err := json.Unmarshal(inner.Payload, &part); err != nil || part.Bytes == nil {
		return nil, false, fmt.Errorf("frame %d: inner payload %q is not {\"bytes\":…}", n, inner.Payload)
	}
	bc.mu.Lock()
	bc.events = append(bc.events, part.Bytes)
	bc.mu.Unlock()
	return part.Bytes, false, nil
}

// fail records a refused frame and tells the client: an HTTP 403 before
// the response began, an unmodelled error message after.
func (bc *bidiConn) fail(err error) {
	bc.bs.refused("%v", err)
	if !bc.headerSent {
		bc.w.Header().Set("X-Amzn-Errortype", "InvalidSignatureException")
		bc.w.WriteHeader(403)
		fmt.Fprintf(bc.w, `{"message":%q}`, err.Error())
		return
	}
	bc.write(eventstream.NewError("InvalidSignatureException", err.Error()))
}

// begin sends the response headers.
func (bc *bidiConn) begin() {
	if bc.headerSent {
		return
	}
	bc.headerSent = true
	bc.w.Header().Set("Content-Type", eventStreamContentType)
	bc.w.Header().Set("X-Amzn-Requestid", "bidi-request-1")
	bc.w.WriteHeader(200)
	bc.w.(http.Flusher).Flush()
}

func (bc *bidiConn) write(m *eventstream.Message) bool {
	bc.begin()
	b, err := eventstream.AppendMessage(nil, m)
	if err != nil {
		panic(err)
	}
	if _, err := bc.w.Write(b); err != nil {
		return false
	}
	bc.w.(http.Flusher).Flush()
	return true
}

// send answers one model event, as the service does: a chunk event with the
// JSON base64-encoded in "bytes", and a padding member.
func (bc *bidiConn) send(event string) bool {
	payload := `{"bytes":"` + base64.StdEncoding.EncodeToString([]byte(event)) + `","p":"abcdefgh"}`
	return bc.write(eventstream.NewEvent("chunk", "application/json", []byte(payload)))
}

// exception ends the response with a modelled exception.
func (bc *bidiConn) exception(typ, message string) bool {
	return bc.write(eventstream.NewException(typ, "application/json", []byte(fmt.Sprintf(`{"message":%q}`, message))))
}

// received returns the model events received so far.
func (bc *bidiConn) received() []string {
	bc.mu.Lock()
	defer bc.mu.Unlock()
	var out []string
	for _, e := range bc.events {
		out = append(out, string(e))
	}
	return out
}

func (bc *bidiConn) counts() (frames int, ended bool) {
	bc.mu.Lock()
	defer bc.mu.Unlock()
	return bc.frames, bc.ended
}

// echo is a script: it answers every event with {"echo":<event>} as soon
// as it arrives (so the headers wait for the first event), and after the
// end frame sends then, then ends the response. A bad frame is refused.
func echo(then ...string) func(bc *bidiConn) {
	return func(bc *bidiConn) {
		for {
			ev, end, err := bc.next()
			if err == io.EOF {
				break
			}
			if err != nil {
				bc.fail(err)
				return
			}
			if end {
				break
			}
			if !bc.send(`{"echo":` + string(ev) + `}`) {
				return
			}
		}
		bc.begin()
		for _, ev := range then {
			if !bc.send(ev) {
				return
			}
		}
	}
}

// holdUntilGone waits until the client goes away.
func holdUntilGone(bc *bidiConn) { <-bc.r.Context().Done() }

// Helpers to make sure error-message helpers compile against eventstream.
var _ = eventstream.NewError
