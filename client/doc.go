// Package client is an Amazon Bedrock client over plain net/http.
//
// It speaks the service's wire formats directly: restJson1 requests signed
// with SigV4 (package sigv4) or sent with a Bedrock API key as a bearer token,
// and application/vnd.amazon.eventstream responses read message by message
// (package eventstream). There is no generated code and no dependency outside
// the standard library.
//
// Build a client with New from explicit Options, or with FromEnvironment,
// which resolves the region, credentials, endpoint and retry settings the way
// the AWS SDKs do (AWS_BEARER_TOKEN_BEDROCK, the SigV4 credential chain,
// AWS_ENDPOINT_URL_BEDROCK_RUNTIME, AWS_USE_FIPS_ENDPOINT, AWS_MAX_ATTEMPTS, …).
//
// Every operation takes a context first. A failed call returns an error that
// errors.As matches with *Error, which carries the operation, HTTP status,
// service error code, message and request ID; IsThrottling, IsValidation and
// their siblings answer the common questions. Calls are retried per the AWS
// standard retry mode: a bounded number of attempts with exponential backoff
// and full jitter, a retry quota, Retry-After honoured, and never once a
// stream has begun to deliver events.
//
// Streaming operations return a *Stream: call Next until it returns false,
// read each value with Event, then check Err; or range over All. Close
// releases the connection; it is idempotent and may be called from another
// goroutine while Next blocks.
//
// The operations, one file per family: InvokeModel and its response stream
// (invoke.go, invoke_stream.go); Converse and ConverseStream with typed
// unions and ConverseAccumulator (converse*.go); CountTokens and
// ApplyGuardrail; InvokeModelWithBidirectionalStream, an HTTP/2 duplex stream
// whose frames are signed in a chain from the request's signature (bidi*.go;
// SigV4 only; package novasonic runs a Nova Sonic session on it);
// StartAsyncInvoke, GetAsyncInvoke, ListAsyncInvokes and WaitAsyncInvoke
// (async*.go). Two more services share the client, its auth and its retries,
// each on its own host: the control plane (bedrock.{region}: the model catalog,
// inference profiles, batch inference jobs and their JSONL records) and Agent
// Runtime (bedrock-agent-runtime.{region}: Rerank). With Options.Endpoint set,
// all three go to that one endpoint, which is how package bedrocktest serves
// them.
package client
