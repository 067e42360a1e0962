package client

import (
	"net/http"
	"sync"
	"time"
)

// DefaultWriteByteTimeout is how long the default HTTP client waits for a
// connection's socket to take any data before it closes the connection.
// Under HTTP/2 many streams share one socket; a peer that stops reading it
// would otherwise leave a stream's Close, and every other writer on the
// connection, blocked for good. A live Bedrock endpoint takes bytes within
// milliseconds (HTTP/2 flow control keeps the client from writing more than
// the peer has room for), so only a dead or stuck peer reaches it.
const DefaultWriteByteTimeout = 30 * time.Second

// defaultHTTPClient is the client of a Client whose Options.HTTPClient is
// nil: net/http's default transport settings (proxy from the environment,
// HTTP/2 when the endpoint offers it, the usual dial and TLS timeouts) plus
// DefaultWriteByteTimeout for HTTP/2. It is shared, so Clients share its
// connection pool.
var defaultHTTPClient = sync.OnceValue(func() *http.Client {
	tr, ok := http.DefaultTransport.(*http.Transport)
	if !ok {
		return http.DefaultClient // replaced by the program: keep its choice
	}
	return &http.Client{Transport: withWriteByteTimeout(tr.Clone(), DefaultWriteByteTimeout)}
})

// withWriteByteTimeout sets tr's HTTP/2 write timeout, keeping the rest of
// its HTTP/2 settings.
func withWriteByteTimeout(tr *http.Transport, d time.Duration) *http.Transport {
	cfg := http.HTTP2Config{}
	if tr.HTTP2 != nil {
		cfg = *tr.HTTP2
	}
	cfg.WriteByteTimeout = d
	tr.HTTP2 = &cfg
	return tr
}
