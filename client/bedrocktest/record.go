package bedrocktest

import (
	"net/http"
	"time"
)

// A Request is what the emulator received for one call and how it answered,
// kept for assertions. Server.Requests returns copies.
type Request struct {
	// ID is the x-amzn-RequestId the emulator answered with.
	ID string
	// Time is the emulator's clock when the request arrived.
	Time time.Time

	// Operation is the operation name (OpConverse, …), or "" when the path
	// matched none.
	Operation string
	// ModelID is the {modelId} path label, unescaped; for StartAsyncInvoke
	// the body's modelId.
	ModelID string

	Method   string
	Path     string // the escaped path, exactly as on the request line
	RawQuery string
	Proto    string // "HTTP/1.1" or "HTTP/2.0"
	Header   http.Header
	// Body is the request body; for the bidirectional operation, nil (see
	// Events).
	Body []byte

	// Auth is how the request authenticated: "sigv4", "presigned",
	// "bearer", or "none" (anonymous or rejected before a scheme was
	// recognised).
	Auth string
	// AccessKeyID is the SigV4 access key that signed the request.
	AccessKeyID string

	// Events are, for the bidirectional operation, the model events (the
	// decoded "bytes" JSON) received, in order, as verified frames arrived.
	Events [][]byte
	// InputClosed reports that the bidirectional client ended its input
	// with the signed empty frame.
	InputClosed bool

	// Status is the HTTP status answered (0 while a handler still runs or
	// when the connection was cut before headers). ErrorType is the error
	// name answered before or during a stream, "" on success.
	Status    int
	ErrorType string
	// Aborted reports that the emulator cut the connection (a fault).
	Aborted bool
}

func (r *Request) clone() Request {
	c := *r
	c.Header = r.Header.Clone()
	if r.Events != nil {
		c.Events = append([][]byte(nil), r.Events...)
	}
	return c
}

// Requests returns a copy of every request received so far, oldest first.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Request, len(s.records))
	for i, r := range s.records {
		out[i] = r.clone()
	}
	return out
}

// LastRequest returns the most recent request and true, or false when none
// has arrived.
func (s *Server) LastRequest() (Request, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.records) == 0 {
		return Request{}, false
	}
	return s.records[len(s.records)-1].clone(), true
}

// ResetRequests forgets the requests recorded so far.
func (s *Server) ResetRequests() {
	s.mu.Lock()
	s.records = nil
	s.mu.Unlock()
}

// update changes a recorded request under the server's lock.
func (s *Server) update(r *Request, f func(r *Request)) {
	s.mu.Lock()
	f(r)
	s.mu.Unlock()
}
