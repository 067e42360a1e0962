package client

import (
	"bufio"
	"context"
	"encoding/binary"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/bedrockwire/bedrockwire/eventstream"
	"github.com/bedrockwire/bedrockwire/internal/leakcheck"
)

// An HTTP/2 peer that stops reading its socket must not hang the client:
// the default client's transport closes a connection whose socket takes no
// bytes for DefaultWriteByteTimeout. These tests run a hand-made HTTP/2
// server (h2c, prior knowledge) that answers a stream's headers and one
// event, then never reads again while the client still writes a large
// request body.

// TestDefaultHTTPClient: a Client without Options.HTTPClient uses the shared
// default client, net/http's default transport with the HTTP/2 write
// timeout.
func TestDefaultHTTPClient(t *testing.T) {
	c, err := New(Options{Region: "us-east-1", BearerToken: "token"})
	if err != nil {
		t.Fatal(err)
	}
	if c.http != defaultHTTPClient() {
		t.Fatal("Client without HTTPClient does not use the shared default client")
	}
	tr, ok := c.http.Transport.(*http.Transport)
	if !ok {
		t.Fatalf("default transport is %T", c.http.Transport)
	}
	if tr.HTTP2 == nil || tr.HTTP2.WriteByteTimeout != DefaultWriteByteTimeout {
		t.Errorf("default transport HTTP2 = %+v, want WriteByteTimeout %v", tr.HTTP2, DefaultWriteByteTimeout)
	}
	if !tr.ForceAttemptHTTP2 || tr.Proxy == nil {
		t.Errorf("default transport lost net/http's defaults: ForceAttemptHTTP2 %v, Proxy set %v", tr.ForceAttemptHTTP2, tr.Proxy != nil)
	}
	if tr == http.DefaultTransport {
		t.Error("default transport is net/http's own: the program's other clients would get the setting too")
	}
}

// TestStreamCloseStuckPeer: with the write timeout, Close of a response
// stream returns although the peer stopped reading while the request body
// was still being written; without it, Close would wait forever.
func TestStreamCloseStuckPeer(t *testing.T) {
	addr := stuckH2Server(t)
	tr := withWriteByteTimeout(&http.Transport{Protocols: new(http.Protocols)}, 500*time.Millisecond)
	tr.Protocols.SetUnencryptedHTTP2(true)
	defer tr.CloseIdleConnections()
	c, err := New(Options{Endpoint: "http://" + addr, BearerToken: "token", HTTPClient: &http.Client{Transport: tr},
		Retry: RetryPolicy{MaxAttempts: 1}})
	if err != nil {
		t.Fatal(err)
	}
	// Far more than loopback socket buffers hold, so the transport's body
	// writer blocks in the socket while holding the connection.
	body := make([]byte, 24_000_000) // under the 25 MB service limit
	s, err := c.InvokeModelWithResponseStream(context.Background(), &InvokeModelInput{ModelID: "amazon.nova-lite-v1:0", Body: body})
	if err != nil {
		t.Fatal(err)
	}
	if !s.Next() {
		t.Fatalf("no first event: %v", s.Err())
	}
	// Close once the body writer sits in a socket write (it then holds the
	// connection's write lock, which Close needs to return the unread
	// response data's flow-control credit).
	for deadline := time.Now().Add(2 * time.Second); time.Now().Before(deadline) && !bodyWriterBlocked(); {
		time.Sleep(time.Millisecond)
	}
	closed := make(chan struct{})
	go func() { s.Close(); close(closed) }()
	select {
	case <-closed:
	case <-time.After(20 * time.Second):
		t.Fatal("Stream.Close still blocked 20 s after the peer stopped reading")
	}
}

// bodyWriterBlocked reports whether a goroutine waits in a socket write of
// an HTTP/2 DATA frame.
func bodyWriterBlocked() bool {
	for _, stack := range leakcheck.Take() {
		if strings.Contains(stack, "[IO wait") && strings.Contains(stack, "http2Framer).WriteData") {
			return true
		}
	}
	return false
}

// stuckH2Server accepts one connection, answers the first request's headers
// with 200 and 256 KiB of chunk events, and from then on reads nothing. It returns
// its address; the connection is closed when the test ends.
func stuckH2Server(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	t.Cleanup(func() { close(done); ln.Close() })
	go func() {
		conn, err := ln.Accept()
		if err != nil {
			return
		}
		defer conn.Close()
		if err := answerThenStopReading(conn); err != nil {
			t.Errorf("stuck server: %v", err)
		}
		<-done
	}()
	return ln.Addr().String()
}

// HTTP/2 frame types and flags the stuck server uses (RFC 9113 §6).
const (
	h2Data, h2Headers, h2Settings, h2WindowUpdate = 0x0, 0x1, 0x4, 0x8
	h2EndHeaders, h2Ack                           = 0x4, 0x1
)

func answerThenStopReading(conn net.Conn) error {
	r := bufio.NewReader(conn)
	preface := make([]byte, len("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"))
	if _, err := io.ReadFull(r, preface); err != nil {
		return err
	}
	// Room for the whole body: the client may write as much as it likes,
	// and only the socket holds it back.
	settings := binary.BigEndian.AppendUint16(nil, 0x4) // SETTINGS_INITIAL_WINDOW_SIZE
	settings = binary.BigEndian.AppendUint32(settings, 1<<31-1)
	if err := writeFrame(conn, h2Settings, 0, 0, settings); err != nil {
		return err
	}
	if err := writeFrame(conn, h2WindowUpdate, 0, 0, binary.BigEndian.AppendUint32(nil, 1<<31-1-65535)); err != nil {
		return err
	}
	for { // read frames until the request's headers
		var hdr [9]byte
		if _, err := io.ReadFull(r, hdr[:]); err != nil {
			return err
		}
		n := int(hdr[0])<<16 | int(hdr[1])<<8 | int(hdr[2])
		if _, err := r.Discard(n); err != nil {
			return err
		}
		if hdr[3] == h2Settings && hdr[4]&h2Ack == 0 {
			if err := writeFrame(conn, h2Settings, h2Ack, 0, nil); err != nil {
				return err
			}
		}
		if hdr[3] == h2Headers {
			break
		}
	}
	// HPACK: ":status: 200" is static entry 8; content-type a literal
	// without indexing with a new name (RFC 7541 §6.2.2).
	block := []byte{0x88, 0x00, byte(len("content-type"))}
	block = append(block, "content-type"...)
	block = append(block, byte(len("application/vnd.amazon.eventstream")))
	block = append(block, "application/vnd.amazon.eventstream"...)
	if err := writeFrame(conn, h2Headers, h2EndHeaders, 1, block); err != nil {
		return err
	}
	event, err := eventstream.AppendMessage(nil, &eventstream.Message{
		Headers: []eventstream.Header{
			{Name: ":event-type", Value: eventstream.StringValue("chunk")},
			{Name: ":content-type", Value: eventstream.StringValue("application/json")},
			{Name: ":message-type", Value: eventstream.StringValue("event")},
		},
		Payload: []byte(`{"bytes":"e30="}`),
	})
	if err != nil {
		return err
	}
	// The first event, then 256 KiB more of them: more than the client's
	// stream reads in one go, so response data lies unread when it closes.
	data := event
	for len(data) < 256<<10 {
		data = append(data, event...)
	}
	for len(data) > 0 {
		n := min(len(data), 16384) // the default SETTINGS_MAX_FRAME_SIZE
		if err := writeFrame(conn, h2Data, 0, 1, data[:n]); err != nil {
			return err
		}
		data = data[n:]
	}
	return nil
}

func writeFrame(w io.Writer, typ, flags byte, stream uint32, payload []byte) error {
	f := []byte{byte(len(payload) >> 16), byte(len(payload) >> 8), byte(len(payload)), typ, flags}
	f = binary.BigEndian.AppendUint32(f, stream)
	_, err := w.Write(append(f, payload...))
	return err
}
