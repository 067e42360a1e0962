// Package interop holds bedrockwire against the official AWS SDK for Go v2:
// the same keys and times must give the same signatures, each side's
// event-stream frames must decode on the other, and the SDK's Bedrock Runtime
// client must be served by the bedrocktest emulator exactly as by the service.
//
// It is a separate module so that the main module never depends on the SDK.
package interop
