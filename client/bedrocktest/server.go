package bedrocktest

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"log"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/bedrockwire/bedrockwire/sigv4"
)

// A Server is a Bedrock Runtime emulator listening on a system-chosen port on
// the local loopback interface, for use in end-to-end tests.
type Server struct {
	// URL is the endpoint, of the form http://127.0.0.1:port or
	// https://127.0.0.1:port, with no trailing slash. Use it as the client's
	// endpoint override.
	URL string

	// Listener is where the server accepts connections. It may be replaced
	// after NewUnstartedServer and before Start or StartTLS, to serve on a
	// chosen address (close the one it replaces).
	Listener net.Listener

	// EnableHTTP2 offers HTTP/2 (h2c on Start, ALPN "h2" on StartTLS). It is
	// true after NewUnstartedServer; set it false before starting to test how
	// a client copes with an HTTP/1.1-only endpoint.
	EnableHTTP2 bool

	// TLS is the optional TLS configuration, populated with a new config
	// after TLS is started. If set on an unstarted server before StartTLS is
	// called, existing fields are copied into the new config.
	TLS *tls.Config

	// Config may be changed after NewUnstartedServer and before Start or
	// StartTLS.
	Config *http.Server

	opts        Options
	certificate *x509.Certificate
	client      *http.Client

	ctx    context.Context
	cancel context.CancelFunc

	connsMu sync.Mutex
	conns   map[net.Conn]struct{}

	mu       sync.Mutex
	started  bool
	closed   bool
	handlers sync.WaitGroup
	requestN uint64
	records  []*Request
	scripts  map[string][]Reply // model ID ("" = any) → queued replies
	faults   []*Fault
	asyncs   []*asyncInvocation
	jobs     []*batchJob // batch.go
	verifier *sigv4.Verifier

	// sleep waits for d or until ctx ends; tests replace it to observe delays
	// without depending on the wall clock.
	sleep func(ctx context.Context, d time.Duration) error
}

// NewServer starts and returns a new Server configured by opts (nil means
// the zero Options). The caller should call Close when finished, to shut it
// down.
func NewServer(opts *Options) *Server {
	s := NewUnstartedServer(opts)
	s.Start()
	return s
}

// NewTLSServer starts and returns a new Server using TLS, with HTTP/2
// negotiated by ALPN. The caller should call Close when finished.
func NewTLSServer(opts *Options) *Server {
	s := NewUnstartedServer(opts)
	s.StartTLS()
	return s
}

// NewUnstartedServer returns a new Server but doesn't start it.
//
// After changing its configuration, the caller should call Start or
// StartTLS. The caller should call Close when finished, to shut it down.
func NewUnstartedServer(opts *Options) *Server {
	var o Options
	if opts != nil {
		o = *opts
	}
	ctx, cancel := context.WithCancel(context.Background())
	s := &Server{
		conns:       make(map[net.Conn]struct{}),
		EnableHTTP2: true,
		opts:        o,
		ctx:         ctx,
		cancel:      cancel,
		scripts:     make(map[string][]Reply),
		sleep:       sleepContext,
	}
	s.verifier = s.newVerifier()
	s.Listener = &trackingListener{Listener: newLocalListener(), s: s}
	s.Config = &http.Server{
		Handler:     s,
		BaseContext: func(net.Listener) context.Context { return ctx },
		ErrorLog:    log.New(discard{}, "", 0),
	}
	return s
}

// Options returns a copy of the options the server was created with.
func (s *Server) Options() Options { return s.opts }

// Region returns the region signatures must be scoped to.
func (s *Server) Region() string { return s.opts.region() }

// Start starts a server from NewUnstartedServer, serving HTTP/1.1 and, when
// EnableHTTP2 is set, HTTP/2 with prior knowledge (h2c).
func (s *Server) Start() {
	s.mu.Lock()
	if s.started {
		s.mu.Unlock()
		panic("bedrocktest: Server already started")
	}
	s.started = true
	s.mu.Unlock()
	s.trackListener()

	var p http.Protocols
	p.SetHTTP1(true)
	p.SetUnencryptedHTTP2(s.EnableHTTP2)
	s.Config.Protocols = &p

	tr := &http.Transport{Protocols: new(http.Protocols)}
	if s.EnableHTTP2 {
		// h2c with prior knowledge: every operation, the bidirectional one
		// included, works over this client.
		tr.Protocols.SetUnencryptedHTTP2(true)
	} else {
		tr.Protocols.SetHTTP1(true)
	}
	s.client = &http.Client{Transport: tr}
	s.URL = "http://" + s.Listener.Addr().String()
	go s.Config.Serve(s.Listener)
}

// StartTLS starts TLS on a server from NewUnstartedServer, with a
// certificate made for 127.0.0.1, ::1, localhost and example.com that
// Client and Certificate hand out.
func (s *Server) StartTLS() {
	s.mu.Lock()
	if s.started {
		s.mu.Unlock()
		panic("bedrocktest: Server already started")
	}
	s.started = true
	s.mu.Unlock()
	s.trackListener()

	cert, leaf, err := testCertificate()
	if err != nil {
		panic("bedrocktest: " + err.Error())
	}
	existing := s.TLS
	if existing != nil {
		s.TLS = existing.Clone()
	} else {
		s.TLS = new(tls.Config)
	}
	if s.TLS.NextProtos == nil {
		if s.EnableHTTP2 {
			s.TLS.NextProtos = []string{"h2", "http/1.1"}
		} else {
			s.TLS.NextProtos = []string{"http/1.1"}
		}
	}
	if len(s.TLS.Certificates) == 0 {
		s.TLS.Certificates = []tls.Certificate{cert}
	}
	s.certificate = leaf
	var p http.Protocols
	p.SetHTTP1(true)
	p.SetHTTP2(s.EnableHTTP2)
	s.Config.Protocols = &p
	s.Config.TLSConfig = s.TLS

	pool := x509.NewCertPool()
	pool.AddCert(leaf)
	tr := &http.Transport{
		TLSClientConfig:   &tls.Config{RootCAs: pool},
		ForceAttemptHTTP2: s.EnableHTTP2,
		Protocols:         new(http.Protocols),
	}
	tr.Protocols.SetHTTP1(true)
	tr.Protocols.SetHTTP2(s.EnableHTTP2)
	s.client = &http.Client{Transport: tr}
	s.Listener = tls.NewListener(s.Listener, s.TLS)
	s.URL = "https://" + s.Listener.Addr().String()
	go s.Config.Serve(s.Listener)
}

// Close shuts down the server: it stops accepting connections, ends every
// request in progress (streams are cut) and blocks until all handlers have
// returned. Close is idempotent.
func (s *Server) Close() {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return
	}
	s.closed = true
	s.mu.Unlock()

	s.cancel()
	s.Config.Close()
	s.Listener.Close()
	s.handlers.Wait()
	if s.client != nil {
		s.client.CloseIdleConnections()
	}
}

// CloseClientConnections closes every open connection to the server,
// cutting any request or stream in progress.
func (s *Server) CloseClientConnections() {
	s.cancelConnections()
}

// Certificate returns the certificate used by the server, or nil if the
// server doesn't use TLS.
func (s *Server) Certificate() *x509.Certificate { return s.certificate }

// Client returns an HTTP client configured for making requests to the
// server: it trusts the server's certificate and speaks HTTP/2 to it (h2c
// with prior knowledge on a plain server), so the bidirectional operation
// works. It is closed when the server is closed.
func (s *Server) Client() *http.Client { return s.client }

// String describes the server without secrets.
func (s *Server) String() string {
	return fmt.Sprintf("bedrocktest.Server{URL: %s, %v}", s.URL, s.opts)
}

// enter registers a running handler; it reports false once Close began.
func (s *Server) enter() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return false
	}
	s.handlers.Add(1)
	return true
}

func (s *Server) leave() { s.handlers.Done() }

func (s *Server) cancelConnections() {
	s.connsMu.Lock()
	conns := make([]net.Conn, 0, len(s.conns))
	for c := range s.conns {
		conns = append(conns, c)
	}
	s.connsMu.Unlock()
	for _, c := range conns {
		c.Close()
	}
}

func newLocalListener() net.Listener {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		if l, err = net.Listen("tcp6", "[::1]:0"); err != nil {
			panic(fmt.Sprintf("bedrocktest: failed to listen on a port: %v", err))
		}
	}
	return l
}

func sleepContext(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }

// trackListener wraps a Listener set by the caller (to serve on a chosen
// address) so that its connections are tracked too.
func (s *Server) trackListener() {
	if _, ok := s.Listener.(*trackingListener); !ok {
		s.Listener = &trackingListener{Listener: s.Listener, s: s}
	}
}

// trackingListener remembers the connections it accepts so that
// CloseClientConnections can cut them while the server keeps serving.
type trackingListener struct {
	net.Listener
	s *Server
}

func (l *trackingListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	tc := &trackedConn{Conn: c, s: l.s}
	l.s.connsMu.Lock()
	l.s.conns[tc] = struct{}{}
	l.s.connsMu.Unlock()
	return tc, nil
}

type trackedConn struct {
	net.Conn
	s    *Server
	once sync.Once
}

func (c *trackedConn) Close() error {
	c.once.Do(func() {
		c.s.connsMu.Lock()
		delete(c.s.conns, c)
		c.s.connsMu.Unlock()
	})
	return c.Conn.Close()
}
