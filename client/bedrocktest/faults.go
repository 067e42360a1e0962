package bedrocktest

import "time"

// A Fault changes how the emulator answers the next matching calls. Faults
// apply after authentication, in the order they were injected; each is used
// up after Times calls.
//
// What a fault does, checked in this order:
//
//   - Delay holds back the first byte of the response (on top of
//     Options.Latency).
//   - Abort cuts the connection before any response header is sent (an
//     HTTP/2 stream is reset).
//   - Error answers with that HTTP error instead of calling the model.
//   - on stream operations, after AfterEvents events have been sent,
//     CutStream sends the first half of the next event's bytes and cuts the
//     connection, or Exception sends an exception message and ends the
//     stream.
type Fault struct {
	// Operation restricts the fault to one operation (OpConverse, …); ""
	// matches all.
	Operation string
	// ModelID restricts the fault to one {modelId} path label as sent
	// (unescaped); "" matches all.
	ModelID string
	// Times is how many calls the fault affects; 0 means 1.
	Times int

	Delay time.Duration
	Abort bool
	Error *Error

	AfterEvents int
	CutStream   bool
	Exception   *Error
}

func (f *Fault) matches(op, modelID string) bool {
	return (f.Operation == "" || f.Operation == op) && (f.ModelID == "" || f.ModelID == modelID)
}

// Inject queues a fault for the next matching calls.
func (s *Server) Inject(f Fault) {
	if f.Times <= 0 {
		f.Times = 1
	}
	s.mu.Lock()
	s.faults = append(s.faults, &f)
	s.mu.Unlock()
}

// Throttle answers the next n calls with 429 ThrottlingException.
func (s *Server) Throttle(n int) {
	s.Inject(Fault{Times: n, Error: ThrottlingError()})
}

// FailNext answers the next n calls with err (for example
// ServiceUnavailableError()).
func (s *Server) FailNext(n int, err *Error) {
	s.Inject(Fault{Times: n, Error: err})
}

// ClearFaults removes every pending fault.
func (s *Server) ClearFaults() {
	s.mu.Lock()
	s.faults = nil
	s.mu.Unlock()
}

// takeFault returns a copy of the first fault matching the call and uses
// one of its times, or nil.
func (s *Server) takeFault(op, modelID string) *Fault {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, f := range s.faults {
		if !f.matches(op, modelID) {
			continue
		}
		c := *f
		f.Times--
		if f.Times <= 0 {
			s.faults = append(s.faults[:i:i], s.faults[i+1:]...)
		}
		return &c
	}
	return nil
}
