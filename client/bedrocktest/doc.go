// Package bedrocktest runs a local Amazon Bedrock Runtime for tests, in the
// manner of net/http/httptest.
//
//	srv := bedrocktest.NewServer(nil)
//	defer srv.Close()
//	c, _ := client.New(client.Options{
//		Region:      srv.Region(),
//		Endpoint:    srv.URL,
//		HTTPClient:  srv.Client(),
//		Credentials: sigv4.StaticCredentials(bedrocktest.DefaultCredentials),
//	})
//
// NewServer starts an emulator on a loopback port that speaks HTTP/1.1 and
// HTTP/2 over cleartext (h2c); NewUnstartedServer followed by StartTLS serves
// HTTPS with HTTP/2 negotiated by ALPN. Server.Client returns an *http.Client
// that already trusts the server and speaks HTTP/2 to it, which the
// bidirectional operation needs. Server is also an http.Handler.
//
// # Authentication
//
// The emulator checks authentication the way the service does: SigV4 header
// signatures recomputed over exactly the signed headers (service "bedrock",
// the server's region, host and x-amz-date signed, a 15-minute clock-skew
// window against Options.Clock, the payload hash checked against the body,
// session tokens and their expiry), presigned query strings, bearer API keys
// (refused on the bidirectional operation, as the service refuses them), and
// the chained :chunk-signature of every frame of
// InvokeModelWithBidirectionalStream. Failures answer with the status,
// x-amzn-ErrorType and JSON body AWS sends; a signature mismatch carries the
// canonical request and string to sign the emulator computed.
//
// It accepts DefaultCredentials, DefaultSessionCredentials and DefaultAPIKey
// unless Options says otherwise.
//
// # Built-in models
//
// Every runtime operation is answered for every model of the modelspec
// catalog, by deterministic built-in models chosen by the model's
// modalities: a text model that answers "You said: …" and calls tools,
// reasons and cites when asked (see the comment in textmodel.go for the
// rules); embedding models whose vectors are Vector; image models whose PNGs
// are Image; a Nova Sonic-like speech model whose audio is SpeechAudio.
// InvokeModel bodies and stream chunks follow each family's format
// (Anthropic, Nova, Titan, Llama, Mistral, Cohere, …). Requests are
// validated with the service's ValidationException messages for the common
// mistakes.
//
// Beside the runtime, the same endpoint serves the model catalog of the
// Bedrock control plane (ListFoundationModels, GetFoundationModel,
// ListInferenceProfiles, GetInferenceProfile) from modelspec, and Agent
// Runtime's Rerank, all signed with the same service name "bedrock".
//
// # Scripts, faults and records
//
// Server.Script queues replies per model (text, tool calls, reasoning, raw
// InvokeModel bodies and chunks, bidirectional events, errors).
// Server.Inject queues faults: an HTTP error (Throttle and FailNext are
// shorthands), a delayed first byte, a connection cut before the headers,
// a stream cut mid-message or an exception after N events. Options adds
// latency, stream pacing and the "p" padding of stream events.
// Server.Requests returns every request received, with how it authenticated,
// its body or bidirectional events, and the answer's status and error type.
package bedrocktest
