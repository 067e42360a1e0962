// Package eventstream reads and writes the AWS event-stream binary message
// format (media type application/vnd.amazon.eventstream), the framing of
// every AWS streaming operation: Bedrock ConverseStream,
// InvokeModelWithResponseStream, InvokeModelWithBidirectionalStream and the
// signed envelopes of client-to-service streams.
//
// A message is a prelude (total length, headers length, prelude CRC), a block
// of typed headers, a payload and a CRC over everything before it:
//
//	[total_length u32][headers_length u32][prelude_crc u32][headers][payload][message_crc u32]
//
// All integers are big-endian and both CRCs are the IEEE CRC-32 of
// hash/crc32.
//
// # Decoding
//
// A [Decoder] reads one [Message] at a time from an io.Reader. It reads in
// large chunks into one reusable buffer and validates each message fully
// before returning it: the prelude CRC, the relation between the lengths,
// the decoder's size limits, the message CRC, and every header (name length
// 1..255, a known type, a value that fits). The message it returns, and the
// byte slices inside it, are valid only until the next call to Decode; call
// [Message.Clone] to keep one. Header names and string values are Go
// strings: the usual ones (":message-type", "event", "application/json",
// Bedrock event names, …) come from a fixed table and others are interned per
// decoder, so decoding a steady stream allocates nothing per message.
//
// The decoder never allocates on a length it has only been told about: its
// buffer grows only when it is full of bytes that actually arrived, so a
// frame declaring 4 GB on a 20-byte input costs nothing beyond the initial
// buffer. By default it accepts the sizes the specification allows (24 MiB of
// payload, 128 KiB of headers); [WithMaxPayloadLength] and
// [WithMaxHeadersLength] change the caps.
//
// Errors name the check that failed and the byte offset in the stream:
// [*ChecksumError], [*LengthError], [*HeaderError], and [*TruncatedError],
// which wraps io.ErrUnexpectedEOF for a stream cut inside a message. Decode
// returns io.EOF only when the stream ends exactly between two messages.
// After any error the decoder keeps returning that error: the specification
// requires a reader to stop at the first bad message.
//
// # Encoding
//
// [AppendMessage] and [AppendHeaders] append the exact wire bytes to a slice;
// an [Encoder] writes each message to an io.Writer with one Write call. The
// encoder refuses what the decoder would refuse: empty or over-long header
// names, string and byte-array values over 32,767 bytes, header blocks and
// payloads over the specification's limits.
//
// # Event semantics
//
// AWS layers events, modelled exceptions and unmodelled errors over the
// format with the ":message-type" header. [Message.Type] classifies a
// message, and [Message.EventType], [Message.ExceptionType],
// [Message.ErrorCode], [Message.ErrorMessage] and [Message.ContentType] read
// the headers that go with each kind without allocating. [NewEvent],
// [NewException] and [NewError] build such messages.
package eventstream
