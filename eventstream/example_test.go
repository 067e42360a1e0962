package eventstream_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/bedrockwire/bedrockwire/eventstream"
)

// A response body of a streaming operation, read message by message. Each
// message is valid until the next Decode.
func ExampleDecoder() {
	var body bytes.Buffer
	enc := eventstream.NewEncoder(&body)
	enc.Encode(eventstream.NewEvent("contentBlockDelta", "application/json", []byte(`{"delta":{"text":"Hi"}}`)))
	enc.Encode(eventstream.NewException("throttlingException", "application/json", []byte(`{"message":"slow down"}`)))

	d := eventstream.NewDecoder(&body)
	for {
		m, err := d.Decode()
		if err == io.EOF {
			break
		}
		if err != nil {
			fmt.Println("bad stream:", err)
			return
		}
		switch m.Type() {
		case eventstream.EventMessage:
			fmt.Printf("event %s: %s\n", m.EventType(), m.Payload)
		case eventstream.ExceptionMessage:
			fmt.Printf("exception %s: %s\n", m.ExceptionType(), m.Payload)
		case eventstream.ErrorMessage:
			fmt.Printf("error %s: %s\n", m.ErrorCode(), m.ErrorMessage())
		}
	}
	// Output:
	// event contentBlockDelta: {"delta":{"text":"Hi"}}
	// exception throttlingException: {"message":"slow down"}
}

// Building a message with typed headers and encoding it.
func ExampleAppendMessage() {
	m := &eventstream.Message{
		Headers: []eventstream.Header{
			{Name: eventstream.HeaderDate, Value: eventstream.TimestampValue(time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC))},
			{Name: "attempt", Value: eventstream.IntValue(2)},
		},
		Payload: []byte("hello"),
	}
	wire, err := eventstream.AppendMessage(nil, m)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%d bytes: % x\n", len(wire), wire[:12])

	back, n, err := eventstream.ParseMessage(wire)
	fmt.Println(n, back.Headers, string(back.Payload), err)
	// Output:
	// 49 bytes: 00 00 00 31 00 00 00 1c ed 62 12 10
	// 49 [:date:timestamp=1735787045000 (2025-01-02T03:04:05.000Z) attempt:int=2] hello <nil>
}

// Errors say which check failed and where; errors.As gives the details.
func ExampleChecksumError() {
	wire, _ := eventstream.AppendMessage(nil, eventstream.NewEvent("chunk", "application/json", []byte(`{}`)))
	wire[len(wire)-5] ^= 1 // corrupt the payload

	_, err := eventstream.NewDecoder(bytes.NewReader(wire)).Decode()
	fmt.Println(err)
	var ce *eventstream.ChecksumError
	if errors.As(err, &ce) {
		fmt.Println(ce.Checksum, "at offset", ce.Offset)
	}
	// Output:
	// eventstream: message at offset 0: message CRC mismatch: stored 0x6744ab4e, computed 0x10439bd8
	// message CRC at offset 0
}

// A stream cut inside a message is an io.ErrUnexpectedEOF.
func ExampleTruncatedError() {
	wire, _ := eventstream.AppendMessage(nil, eventstream.NewError("InternalFailure", "try again"))
	_, err := eventstream.NewDecoder(bytes.NewReader(wire[:40])).Decode()
	fmt.Println(errors.Is(err, io.ErrUnexpectedEOF))
	fmt.Println(err)
	// Output:
	// true
	// eventstream: truncated at offset 40: message at offset 0 needs 95 bytes, got 40: unexpected EOF
}
