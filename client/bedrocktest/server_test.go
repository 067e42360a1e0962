package bedrocktest

import (
	"context"
	"crypto/tls"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestStartTLS(t *testing.T) {
	s := NewUnstartedServer(&Options{Clock: func() time.Time { return testTime }})
	s.StartTLS()
	defer s.Close()
	if !strings.HasPrefix(s.URL, "https://127.0.0.1:") {
		t.Errorf("URL %q", s.URL)
	}
	if s.Certificate() == nil {
		t.Fatal("no certificate")
	}
	resp, body := send(t, s, "POST", novaPath+"/converse", helloBody)
	if resp.StatusCode != 200 || resp.ProtoMajor != 2 || resp.TLS == nil {
		t.Errorf("status %d proto %s tls %v: %s", resp.StatusCode, resp.Proto, resp.TLS != nil, body)
	}
	// A client that does not trust the certificate is refused.
	_, err := (&http.Client{}).Get(s.URL + "/async-invoke")
	if err == nil {
		t.Error("an untrusting client connected")
	}
}

func TestStartTLSHTTP1Only(t *testing.T) {
	s := NewUnstartedServer(&Options{Clock: func() time.Time { return testTime }})
	s.EnableHTTP2 = false
	s.TLS = &tls.Config{MinVersion: tls.VersionTLS12}
	s.StartTLS()
	defer s.Close()
	resp, _ := send(t, s, "POST", novaPath+"/converse", helloBody)
	if resp.ProtoMajor != 1 {
		t.Errorf("proto %s", resp.Proto)
	}
	if s.TLS.MinVersion != tls.VersionTLS12 {
		t.Error("TLS config fields not kept")
	}
}

func TestPlainServerProtocols(t *testing.T) {
	s := newServer(t, nil)
	if !strings.HasPrefix(s.URL, "http://127.0.0.1:") {
		t.Errorf("URL %q", s.URL)
	}
	// Client speaks h2c; a default client speaks HTTP/1.1; both work.
	resp, _ := send(t, s, "POST", novaPath+"/converse", helloBody)
	if resp.ProtoMajor != 2 {
		t.Errorf("Client(): proto %s", resp.Proto)
	}
	r := sign(t, req(t, s, "POST", novaPath+"/converse", []byte(helloBody)), DefaultCredentials)
	resp, err := (&http.Client{Transport: &http.Transport{}}).Do(r)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.ProtoMajor != 1 {
		t.Errorf("plain client: %d %s", resp.StatusCode, resp.Proto)
	}
}

func TestCloseEndsStreams(t *testing.T) {
	s := NewServer(&Options{Clock: func() time.Time { return testTime }, StreamPacing: time.Hour})
	resp, err := s.Client().Do(sign(t, req(t, s, "POST", novaPath+"/converse-stream", []byte(helloBody)), DefaultCredentials))
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		io.Copy(io.Discard, resp.Body)
		close(done)
	}()
	s.Close() // must not wait for the hour-long pacing
	<-done
	s.Close() // idempotent
	if _, err := s.Client().Get(s.URL + "/async-invoke"); err == nil {
		t.Error("closed server answered")
	}
}

func TestCloseClientConnections(t *testing.T) {
	s := newServer(t, &Options{StreamPacing: time.Hour})
	resp, err := s.Client().Do(sign(t, req(t, s, "POST", novaPath+"/converse-stream", []byte(helloBody)), DefaultCredentials))
	if err != nil {
		t.Fatal(err)
	}
	s.CloseClientConnections()
	if _, err := io.Copy(io.Discard, resp.Body); err == nil {
		t.Error("stream ended cleanly after CloseClientConnections")
	}
	// The server still serves new connections.
	if resp, _ := send(t, s, "POST", novaPath+"/converse", helloBody); resp.StatusCode != 200 {
		t.Errorf("status %d", resp.StatusCode)
	}
}

func TestClientCancelEndsHandler(t *testing.T) {
	s := newServer(t, &Options{StreamPacing: time.Hour})
	ctx, cancel := context.WithCancel(context.Background())
	r := sign(t, req(t, s, "POST", novaPath+"/converse-stream", []byte(helloBody)), DefaultCredentials).WithContext(ctx)
	resp, err := s.Client().Do(r)
	if err != nil {
		t.Fatal(err)
	}
	cancel()
	resp.Body.Close()
	// Close waits for the handler: it returns only if the cancel reached it.
	s.Close()
}

func TestStartTwicePanics(t *testing.T) {
	s := newServer(t, nil)
	defer func() {
		if recover() == nil {
			t.Error("second Start did not panic")
		}
	}()
	s.Start()
}

func TestServerAccessors(t *testing.T) {
	s := newServer(t, &Options{Region: "eu-west-3"})
	if s.Region() != "eu-west-3" || s.Options().Region != "eu-west-3" {
		t.Errorf("Region %q", s.Region())
	}
	if !strings.Contains(s.String(), s.URL) {
		t.Errorf("String %q", s.String())
	}
	d := NewUnstartedServer(nil)
	defer d.Close()
	if d.Region() != DefaultRegion || !d.EnableHTTP2 {
		t.Errorf("defaults: region %q, EnableHTTP2 %v", d.Region(), d.EnableHTTP2)
	}
}
