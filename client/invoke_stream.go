package client

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
)

// ResponseChunk is one event of InvokeModelWithResponseStream: a piece of
// the model's native streaming response, usually a JSON object.
type ResponseChunk struct {
	Bytes []byte
}

// InvokeModelWithResponseStream sends a model-native request and streams the
// model's response as chunks. in.Accept is sent as X-Amzn-Bedrock-Accept.
// The content type of the chunks is in the stream's
// Header().Get("X-Amzn-Bedrock-Content-Type").
func (c *Client) InvokeModelWithResponseStream(ctx context.Context, in *InvokeModelInput) (*Stream[ResponseChunk], error) {
	const op = "InvokeModelWithResponseStream"
	r, err := invokeRequest(op, in, "invoke-with-response-stream", "X-Amzn-Bedrock-Accept")
	if err != nil {
		return nil, err
	}
	r.eventStream = true
	resp, err := c.send(ctx, r)
	if err != nil {
		return nil, err
	}
	return newStream(ctx, op, resp, decodeResponseChunk), nil
}

// decodeResponseChunk decodes a "chunk" event, {"bytes":"<base64>"} plus
// members to ignore (the random padding "p"). Other event types from a newer
// service are skipped.
func decodeResponseChunk(eventType string, payload []byte) (ResponseChunk, bool, error) {
	if eventType != "chunk" {
		return ResponseChunk{}, true, nil
	}
	if b, ok := chunkBytesFast(payload); ok {
		out := make([]byte, base64.StdEncoding.DecodedLen(len(b)))
		n, err := base64.StdEncoding.Decode(out, b)
		if err != nil {
			return ResponseChunk{}, false, fmt.Errorf("bytes: %w", err)
		}
		return ResponseChunk{Bytes: out[:n]}, false, nil
	}
	var v struct {
		Bytes []byte `json:"bytes"`
	}
	if err := json.Unmarshal(payload, &v); err != nil {
		return ResponseChunk{}, false, err
	}
	if v.Bytes == nil {
		return ResponseChunk{}, false, errors.New(`chunk without "bytes"`)
	}
	return ResponseChunk{Bytes: v.Bytes}, false, nil
}

// chunkBytesFast finds the base64 text of "bytes" in a flat JSON object whose
// only members are "bytes" and the padding "p", plain strings without
// escapes — what Bedrock sends. It
// reports false for anything else, which the caller then decodes with
// encoding/json.
func chunkBytesFast(p []byte) ([]byte, bool) {
	i := skipSpace(p, 0)
	if i >= len(p) || p[i] != '{' {
		return nil, false
	}
	i = skipSpace(p, i+1)
	if i < len(p) && p[i] == '}' {
		return nil, false // no "bytes"
	}
	var found []byte
	seen := false
	for {
		key, j, ok := plainString(p, i)
		if !ok {
			return nil, false
		}
		j = skipSpace(p, j)
		if j >= len(p) || p[j] != ':' {
			return nil, false
		}
		val, k, ok := plainString(p, skipSpace(p, j+1))
		if !ok {
			return nil, false
		}
		switch string(key) {
		case "bytes":
			if seen {
				return nil, false // duplicate member: let encoding/json decide
			}
			seen, found = true, val
		case "p": // the padding Bedrock adds
		default:
			// Any other member, "BYTES" among them (encoding/json matches
			// names case-insensitively), goes the slow, exact way.
			return nil, false
		}
		k = skipSpace(p, k)
		if k >= len(p) {
			return nil, false
		}
		switch p[k] {
		case ',':
			i = skipSpace(p, k+1)
		case '}':
			if !seen || skipSpace(p, k+1) != len(p) {
				return nil, false
			}
			return found, true
		default:
			return nil, false
		}
	}
}

// plainString reads a JSON string without escapes at p[i] and returns its
// contents and the index after the closing quote.
func plainString(p []byte, i int) ([]byte, int, bool) {
	if i >= len(p) || p[i] != '"' {
		return nil, 0, false
	}
	end := bytes.IndexByte(p[i+1:], '"')
	if end < 0 {
		return nil, 0, false
	}
	s := p[i+1 : i+1+end]
	for _, c := range s {
		if c == '\\' || c < 0x20 {
			return nil, 0, false
		}
	}
	return s, i + 2 + end, true
}

func skipSpace(p []byte, i int) int {
	for i < len(p) && (p[i] == ' ' || p[i] == '\t' || p[i] == '\n' || p[i] == '\r') {
		i++
	}
	return i
}
