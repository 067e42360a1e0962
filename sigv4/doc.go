// Package sigv4 implements AWS Signature Version 4: canonical requests,
// strings to sign, the derived signing key, header signing, presigned URLs,
// server-side verification and the chained signatures of event-stream
// chunks.
//
// Signing is a pure function of its inputs. The caller passes the
// credentials, region, service, signing time and payload hash; nothing reads
// the clock or the environment. The result is therefore exact and testable:
// every step (canonical request, string to sign, signature, Authorization
// header) is available through [Signer.Steps].
//
// # Paths
//
// The canonical URI is built from the path exactly as it travels on the
// wire. A Bedrock model ID such as "amazon.nova-pro-v1:0" goes into the
// request line as "amazon.nova-pro-v1%3A0" (set URL.RawPath, or URL.Opaque,
// so that net/http sends that form) and is signed, for every service but S3,
// escaped once more: "%253A". An ARN's "/" travels as "%2F" and is signed as
// "%252F". [Signer.SingleEncode] gives S3's behaviour, where the wire path is
// signed as is; [Signer.NormalizePath] removes dot segments and empty
// segments first (off for Bedrock, as in the AWS SDKs).
//
// # Headers
//
// Every header of the request is signed, lower-cased, its values trimmed and
// inner runs of blanks folded, multiple values joined by commas in order,
// except a fixed set that proxies and agents change in flight
// (authorization, user-agent, x-amzn-trace-id, expect, connection,
// transfer-encoding and the other hop-by-hop headers; see
// [NeverSignedHeaders]). The host comes from Request.Host, else URL.Host,
// without a default port; content-length comes from Request.ContentLength
// when it is positive, since net/http sends it from there. Header values
// that contain CR, LF or NUL are refused.
//
// # Servers
//
// A server, such as the emulator in client/bedrocktest, verifies a request
// with a [Verifier]: [Verifier.VerifyHTTP] (Authorization header) or
// [Verifier.VerifyPresigned] (query-string authentication). Both recompute
// the signature over exactly the headers named by the client, taking the
// host from Request.Host and the path from Request.RequestURI, and return a
// [*VerifyError] whose Code is the AWS error code to send back.
// [Signer.ServerSteps] is the building block for servers with their own
// checks.
//
// # Event streams
//
// [Signer.SignEventChunk] signs one event-stream frame given the previous
// signature; the seed is the signature of the initial request, see
// [SignatureFromAuthorization]. The package signs bytes and knows nothing of
// the event-stream encoding.
package sigv4
