package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"
	"unicode"
	"unicode/utf8"

	"github.com/bedrockwire/bedrockwire/eventstream"
)

func init() {
	register(&command{name: "decode", summary: "print the messages of an event-stream capture as JSON lines", run: runDecode})
}

const decodeHelp = `NAME
    bedrock decode — show the messages of an AWS event stream

SYNOPSIS
    bedrock decode [--pretty] [FILE|-]

DESCRIPTION
    Reads concatenated application/vnd.amazon.eventstream messages — the
    body of a ConverseStream or InvokeModelWithResponseStream response, or
    the frames of a bidirectional stream — from FILE, or from standard input
    when FILE is - or absent, checks every message (both CRCs, the lengths,
    each header) and prints one JSON object per message, in order:

      {"headers":[{"name":":event-type","type":"string","value":"chunk"},...],"payload":"<base64>"}

    Headers appear in wire order. "type" is one of true, false, byte, short,
    int, long, bytes, string, timestamp, uuid. "value" is a number for the
    integer types, milliseconds since the Unix epoch for timestamp, standard
    base64 for bytes, the canonical lower-case 8-4-4-4-12 form for uuid, and
    absent for true and false. "payload" is standard base64 ("" when empty).
    This output is a contract: other tools may rely on it.

    On a bad message, the messages before it are printed, then the error —
    the byte offset and the check that failed — goes to standard error and
    the exit status is 1.

OPTIONS
    --pretty   a view for people instead: each message with its offset and
               length, its headers in a table, and its payload as indented
               JSON, as text, as a nested event-stream message (the payload
               of a signed envelope), or as a hex dump; a JSON payload
               with a base64 "bytes" member (InvokeModelWithResponseStream
               chunks) also shows those bytes decoded

EXIT STATUS
    0 when the whole input decodes; 1 on a bad or truncated message or an
    unreadable file; 2 on bad flags or arguments.

EXAMPLES
    bedrock decode capture.bin
    bedrock decode capture.bin | jq -r 'select(any(.headers[]; .name==":event-type" and .value=="contentBlockDelta")) | .payload | @base64d'
    bedrock decode - < body.bin
    bedrock decode --pretty testdata/streams/converse-stream.bin
`

const decodeUsage = "usage: bedrock decode [--pretty] [FILE|-]\nRun 'bedrock decode --help' for details.\n"

func runDecode(ctx context.Context, e *env, args []string) int {
	fs := flag.NewFlagSet("decode", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	pretty := fs.Bool("pretty", false, "human view")
	help := fs.Bool("help", false, "show the manual")
	// Flags may come before and after the file name.
	var files []string
	for rest := args; ; {
		if err := fs.Parse(rest); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				io.WriteString(e.stdout, decodeHelp)
				return exitOK
			}
			fmt.Fprintf(e.stderr, "bedrock decode: %v\n%s", err, decodeUsage)
			return exitUsage
		}
		rest = fs.Args()
		if len(rest) == 0 {
			break
		}
		files = append(files, rest[0])
		rest = rest[1:]
	}
	if *help {
		io.WriteString(e.stdout, decodeHelp)
		return exitOK
	}
	if len(files) > 1 {
		fmt.Fprintf(e.stderr, "bedrock decode: one input at a time, got %d\n%s", len(files), decodeUsage)
		return exitUsage
	}
	in, name := e.stdin, "<stdin>"
	if len(files) == 1 && files[0] != "-" {
		f, err := os.Open(files[0])
		if err != nil {
			fmt.Fprintf(e.stderr, "bedrock decode: %v\n", err)
			return exitFailure
		}
		defer f.Close()
		in, name = f, files[0]
	}

	out := bufio.NewWriter(e.stdout)
	d := eventstream.NewDecoder(in)
	var line []byte
	var err error
	for n := 1; ctx.Err() == nil; n++ {
		start := d.InputOffset()
		var m *eventstream.Message
		if m, err = d.Decode(); err != nil {
			break
		}
		if *pretty {
			if n > 1 {
				out.WriteByte('\n')
			}
			fmt.Fprintf(out, "message %d  offset %d  length %d%s\n", n, start, d.InputOffset()-start, decodeKind(m))
			decodeWritePretty(out, m, "  ")
		} else {
			line = decodeAppendJSON(line[:0], m)
			out.Write(line)
		}
	}
	if ferr := out.Flush(); ferr != nil {
		fmt.Fprintf(e.stderr, "bedrock decode: writing output: %v\n", ferr)
		return exitFailure
	}
	if ctx.Err() != nil {
		fmt.Fprintf(e.stderr, "bedrock decode: %v\n", ctx.Err())
		return exitInterrupt
	}
	if err != io.EOF {
		fmt.Fprintf(e.stderr, "bedrock decode: %s: %v\n", name, err)
		return exitFailure
	}
	return exitOK
}

// decodeAppendJSON appends m as one line of the JSON-lines contract.
func decodeAppendJSON(dst []byte, m *eventstream.Message) []byte {
	dst = append(dst, `{"headers":[`...)
	for i, h := range m.Headers {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = append(dst, `{"name":`...)
		dst = decodeAppendJSONString(dst, h.Name)
		dst = append(dst, `,"type":"`...)
		dst = append(dst, h.Value.Type().String()...)
		dst = append(dst, '"')
		switch h.Value.Type() {
		case eventstream.TypeByte, eventstream.TypeShort, eventstream.TypeInt, eventstream.TypeLong:
			n, _ := h.Value.Int()
			dst = strconv.AppendInt(append(dst, `,"value":`...), n, 10)
		case eventstream.TypeTimestamp:
			ms, _ := h.Value.UnixMilli()
			dst = strconv.AppendInt(append(dst, `,"value":`...), ms, 10)
		case eventstream.TypeBytes:
			b, _ := h.Value.Bytes()
			dst = append(dst, `,"value":"`...)
			dst = base64.StdEncoding.AppendEncode(dst, b)
			dst = append(dst, '"')
		case eventstream.TypeString:
			s, _ := h.Value.Str()
			dst = decodeAppendJSONString(append(dst, `,"value":`...), s)
		case eventstream.TypeUUID:
			dst = append(dst, `,"value":"`...)
			dst = append(dst, h.Value.String()...)
			dst = append(dst, '"')
		}
		dst = append(dst, '}')
	}
	dst = append(dst, `],"payload":"`...)
	dst = base64.StdEncoding.AppendEncode(dst, m.Payload)
	return append(dst, "\"}\n"...)
}

// decodeAppendJSONString appends s as a JSON string. It escapes what JSON
// requires and nothing more (no HTML escaping); bytes that are not UTF-8
// become U+FFFD, as encoding/json does.
func decodeAppendJSONString(dst []byte, s string) []byte {
	const hexdigits = "0123456789abcdef"
	dst = append(dst, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '"' || c == '\\':
				dst = append(dst, '\\', c)
			case c == '\n':
				dst = append(dst, '\\', 'n')
			case c == '\r':
				dst = append(dst, '\\', 'r')
			case c == '\t':
				dst = append(dst, '\\', 't')
			case c < 0x20 || c == 0x7f:
				dst = append(dst, '\\', 'u', '0', '0', hexdigits[c>>4], hexdigits[c&0xf])
			default:
				dst = append(dst, c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			dst = append(dst, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			dst = append(dst, `\u202`...)
			dst = append(dst, hexdigits[r&0xf])
		default:
			dst = append(dst, s[i:i+size]...)
		}
		i += size
	}
	return append(dst, '"')
}

// decodeWritePretty writes the human view of m, each line indented.
func decodeWritePretty(w io.Writer, m *eventstream.Message, indent string) {
	if len(m.Headers) == 0 {
		fmt.Fprintf(w, "%sno headers\n", indent)
	} else {
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		for _, h := range m.Headers {
			fmt.Fprintf(tw, "%s%s\t%s", indent, decodePrintable(h.Name), h.Value.Type())
			if v := decodePrettyValue(h.Value); v != "" {
				fmt.Fprintf(tw, "\t%s", v)
			}
			fmt.Fprintln(tw)
		}
		tw.Flush()
	}
	p := m.Payload
	switch {
	case len(p) == 0:
		fmt.Fprintf(w, "%spayload: empty\n", indent)
	case json.Valid(p):
		var buf bytes.Buffer
		json.Indent(&buf, p, indent+"  ", "  ")
		fmt.Fprintf(w, "%spayload: %d bytes, JSON\n%s  %s\n", indent, len(p), indent, buf.Bytes())
		// InvokeModelWithResponseStream and the bidirectional stream carry
		// the model's own JSON base64-encoded in a "bytes" member.
		var chunk struct {
			Bytes []byte `json:"bytes"`
		}
		if json.Unmarshal(p, &chunk) == nil && len(chunk.Bytes) > 0 && json.Valid(chunk.Bytes) {
			buf.Reset()
			json.Indent(&buf, chunk.Bytes, indent+"  ", "  ")
			fmt.Fprintf(w, "%sbytes, decoded: %d bytes, JSON\n%s  %s\n", indent, len(chunk.Bytes), indent, buf.Bytes())
		}
	case decodeIsText(p):
		fmt.Fprintf(w, "%spayload: %d bytes, text\n", indent, len(p))
		for l := range strings.Lines(string(p)) {
			fmt.Fprintf(w, "%s  %s\n", indent, strings.TrimSuffix(l, "\n"))
		}
	default:
		if inner, n, err := eventstream.ParseMessage(p); err == nil && n == len(p) {
			fmt.Fprintf(w, "%spayload: %d bytes, event-stream message\n", indent, len(p))
			decodeWritePretty(w, inner, indent+"  ")
			return
		}
		fmt.Fprintf(w, "%spayload: %d bytes, binary\n", indent, len(p))
		for l := range strings.Lines(hex.Dump(p)) {
			fmt.Fprintf(w, "%s  %s", indent, l)
		}
	}
}

// decodeKind names the kind of m by its event semantics, for the heading
// of the human view.
func decodeKind(m *eventstream.Message) string {
	switch m.Type() {
	case eventstream.EventMessage:
		return "  event " + decodePrintable(m.EventType())
	case eventstream.ExceptionMessage:
		return "  exception " + decodePrintable(m.ExceptionType())
	case eventstream.ErrorMessage:
		return "  error " + decodePrintable(m.ErrorCode())
	}
	return ""
}

// decodePrettyValue formats a header value for the human view: strings
// quoted when they would be ambiguous, byte arrays in hex.
func decodePrettyValue(v eventstream.Value) string {
	switch v.Type() {
	case eventstream.TypeTrue, eventstream.TypeFalse:
		return ""
	case eventstream.TypeBytes:
		b, _ := v.Bytes()
		return hex.EncodeToString(b) + " (" + strconv.Itoa(len(b)) + " bytes)"
	case eventstream.TypeString:
		s, _ := v.Str()
		if s == "" || s != strings.TrimSpace(s) || decodePrintable(s) != s {
			return strconv.Quote(s)
		}
		return s
	}
	return v.String()
}

// decodePrintable quotes s when it holds characters a terminal would not
// show as themselves.
func decodePrintable(s string) string {
	for _, r := range s {
		if r == utf8.RuneError || !unicode.IsPrint(r) {
			return strconv.Quote(s)
		}
	}
	return s
}

// decodeIsText reports whether p is UTF-8 text without control characters
// other than tab and line ends.
func decodeIsText(p []byte) bool {
	if !utf8.Valid(p) {
		return false
	}
	for _, r := range string(p) {
		if r < 0x20 && r != '\t' && r != '\n' && r != '\r' || r == 0x7f {
			return false
		}
	}
	return true
}
