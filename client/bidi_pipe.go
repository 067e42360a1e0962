package client

import (
	"context"
	"io"
	"sync"
)

// framePipe is the request body of a bidirectional stream: Send hands each
// frame to the HTTP transport, which reads it as the connection can take it.
// It works like io.Pipe, with two differences: a write also gives up when
// its context is done, reporting how much of the frame was taken, and the
// pipe can be broken from either end with a cause that both ends then see.
type framePipe struct {
	wrCh chan []byte // a frame offered to the reader
	rdCh chan int    // how much of it the reader took

	once sync.Once
	done chan struct{} // closed when the pipe is closed or broken
	err  error         // why: io.EOF after closeWrite, else the cause
}

func newFramePipe() *framePipe {
	return &framePipe{wrCh: make(chan []byte), rdCh: make(chan int), done: make(chan struct{})}
}

// write hands b to the reader and waits until all of it was read, the pipe
// was closed, or ctx is done. It returns how many bytes were taken.
func (p *framePipe) write(ctx context.Context, b []byte) (int, error) {
	n := 0
	for len(b) > 0 {
		select {
		case p.wrCh <- b:
			nw := <-p.rdCh
			b = b[nw:]
			n += nw
		case <-p.done:
			return n, p.err
		case <-ctx.Done():
			return n, context.Cause(ctx)
		}
	}
	return n, nil
}

// closeWrite ends the body: the reader sees io.EOF once it has read what
// was written.
func (p *framePipe) closeWrite() { p.close(io.EOF) }

// close closes the pipe with err (io.EOF: a clean end) unless it is closed
// already, and reports whether this call closed it.
func (p *framePipe) close(err error) bool {
	closed := false
	p.once.Do(func() {
		p.err = err
		close(p.done)
		closed = true
	})
	return closed
}

// closeErr returns why the pipe was closed, or nil while it is open.
func (p *framePipe) closeErr() error {
	select {
	case <-p.done:
		return p.err
	default:
		return nil
	}
}

// pipeBody is the reading end of a framePipe, the http.Request body.
type pipeBody struct{ p *framePipe }

// Read copies (part of) the frame on offer.
func (r pipeBody) Read(b []byte) (int, error) {
	select {
	case bw := <-r.p.wrCh:
		n := copy(b, bw)
		r.p.rdCh <- n
		return n, nil
	case <-r.p.done:
		return 0, r.p.err
	}
}

// Close is called by the transport when it stops reading the body, for
// instance when the response ended; later writes fail.
func (r pipeBody) Close() error {
	r.p.close(errBodyClosed)
	return nil
}
