// Package bedrocktest runs a local Amazon Bedrock Runtime for tests, in the
// manner of net/http/httptest.
//
// NewServer starts an emulator on a loopback port that speaks HTTP/1.1 and
// HTTP/2 over cleartext (h2c); NewUnstartedServer followed by StartTLS serves
// HTTPS with HTTP/2 negotiated by ALPN. Server.Client returns an *http.Client
// that already trusts the server and speaks HTTP/2 to it, which the
// bidirectional operation needs.
//
// The emulator checks authentication the way the service does: SigV4 header
// signatures over exactly the signed headers (service "bedrock", the server's
// region, a 15-minute clock-skew window, payload hash checked against the
// body, session tokens), presigned query strings, bearer API keys, and the
// chained frame signatures of InvokeModelWithBidirectionalStream. Failures
// answer with the status, x-amzn-ErrorType and JSON body AWS sends.
//
// Every runtime operation is answered by deterministic built-in models: a
// text model that echoes the conversation and calls tools, reasons and cites
// when asked; an embedding model; an image model that returns a small PNG; a
// speech-to-speech model for the bidirectional stream. Tests queue their own
// replies with Server.Script, inject faults with Server.Inject and read back
// what was received with Server.Requests.
package bedrocktest
