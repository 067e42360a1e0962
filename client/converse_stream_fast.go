package client

import (
	"unicode/utf16"
	"unicode/utf8"
)

// The hot path of a ConverseStream is the text delta,
//
//	{"contentBlockIndex":0,"delta":{"text":"Hello"},"p":"abcdefgh"}
//
// thousands of times per reply. parseTextDeltaFast reads exactly that shape
// (members in any order, any JSON whitespace, the "p" padding skipped)
// without reflection. Anything else — another delta kind, an unknown member,
// a duplicate member, a number it cannot read exactly, a string whose
// decoding encoding/json would alter (invalid UTF-8, lone surrogates) — makes
// it report ok=false, and the caller decodes with encoding/json, which also
// produces the errors. So the fast path never accepts what the slow path
// rejects, and never decodes differently; FuzzConverseTextDeltaFast holds
// it to that.

// parseTextDeltaFast decodes a text delta event payload.
func parseTextDeltaFast(p []byte) (ContentBlockDeltaEvent, bool) {
	var (
		idx             int
		text            string
		haveIdx, haveTx bool
		haveP           bool
	)
	i := skipWS(p, 0)
	if i >= len(p) || p[i] != '{' {
		return ContentBlockDeltaEvent{}, false
	}
	i = skipWS(p, i+1)
	for {
		key, j, ok := plainKey(p, i)
		if !ok {
			return ContentBlockDeltaEvent{}, false
		}
		j = skipWS(p, j)
		if j >= len(p) || p[j] != ':' {
			return ContentBlockDeltaEvent{}, false
		}
		j = skipWS(p, j+1)
		switch string(key) {
		case "contentBlockIndex":
			if haveIdx {
				return ContentBlockDeltaEvent{}, false
			}
			idx, j, ok = smallUint(p, j)
			haveIdx = true
		case "delta":
			if haveTx {
				return ContentBlockDeltaEvent{}, false
			}
			text, j, ok = textDeltaObject(p, j)
			haveTx = true
		case "p":
			if haveP {
				return ContentBlockDeltaEvent{}, false
			}
			j, ok = skipString(p, j)
			haveP = true
		default:
			return ContentBlockDeltaEvent{}, false
		}
		if !ok {
			return ContentBlockDeltaEvent{}, false
		}
		j = skipWS(p, j)
		if j >= len(p) {
			return ContentBlockDeltaEvent{}, false
		}
		if p[j] == '}' {
			i = j + 1
			break
		}
		if p[j] != ',' {
			return ContentBlockDeltaEvent{}, false
		}
		i = skipWS(p, j+1)
	}
	if skipWS(p, i) != len(p) || !haveIdx || !haveTx {
		return ContentBlockDeltaEvent{}, false
	}
	return ContentBlockDeltaEvent{ContentBlockIndex: idx, Delta: TextDelta{Text: text}}, true
}

func skipWS(p []byte, i int) int {
	for i < len(p) {
		switch p[i] {
		case ' ', '\t', '\n', '\r':
			i++
		default:
			return i
		}
	}
	return i
}

// plainKey reads a member name without escapes.
func plainKey(p []byte, i int) ([]byte, int, bool) {
	if i >= len(p) || p[i] != '"' {
		return nil, i, false
	}
	for j := i + 1; j < len(p); j++ {
		switch c := p[j]; {
		case c == '"':
			return p[i+1 : j], j + 1, true
		case c == '\\' || c < 0x20 || c >= 0x80:
			return nil, j, false
		}
	}
	return nil, len(p), false
}

// smallUint reads a non-negative integer of at most 9 digits with no
// fraction or exponent.
func smallUint(p []byte, i int) (int, int, bool) {
	start, n := i, 0
	for i < len(p) && p[i] >= '0' && p[i] <= '9' {
		n = n*10 + int(p[i]-'0')
		i++
	}
	d := i - start
	if d == 0 || d > 9 || (d > 1 && p[start] == '0') {
		return 0, i, false
	}
	if i < len(p) && (p[i] == '.' || p[i] == 'e' || p[i] == 'E') {
		return 0, i, false
	}
	return n, i, true
}

// textDeltaObject reads {"text":"…"}.
func textDeltaObject(p []byte, i int) (string, int, bool) {
	if i >= len(p) || p[i] != '{' {
		return "", i, false
	}
	i = skipWS(p, i+1)
	key, i, ok := plainKey(p, i)
	if !ok || string(key) != "text" {
		return "", i, false
	}
	i = skipWS(p, i)
	if i >= len(p) || p[i] != ':' {
		return "", i, false
	}
	s, i, ok := jsonString(p, skipWS(p, i+1))
	if !ok {
		return "", i, false
	}
	i = skipWS(p, i)
	if i >= len(p) || p[i] != '}' {
		return "", i, false
	}
	return s, i + 1, true
}

// skipString steps over a JSON string, checking that it is well formed.
func skipString(p []byte, i int) (int, bool) {
	if i >= len(p) || p[i] != '"' {
		return i, false
	}
	for i++; i < len(p); i++ {
		switch c := p[i]; {
		case c == '"':
			return i + 1, true
		case c == '\\':
			i++
			if i >= len(p) {
				return i, false
			}
			switch p[i] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
			case 'u':
				if _, ok := hex4(p, i+1); !ok {
					return i, false
				}
				i += 4
			default:
				return i, false
			}
		case c < 0x20:
			return i, false
		}
	}
	return i, false
}

// jsonString decodes a JSON string. It declines (ok=false) where
// encoding/json would substitute U+FFFD: invalid UTF-8 and lone surrogates.
func jsonString(p []byte, i int) (string, int, bool) {
	if i >= len(p) || p[i] != '"' {
		return "", i, false
	}
	start := i + 1
	ascii := true
	j := start
	for ; j < len(p); j++ {
		c := p[j]
		if c == '"' {
			seg := p[start:j]
			if !ascii && !utf8.Valid(seg) {
				return "", j, false
			}
			return string(seg), j + 1, true
		}
		if c == '\\' {
			break
		}
		if c < 0x20 {
			return "", j, false
		}
		if c >= 0x80 {
			ascii = false
		}
	}
	if j >= len(p) {
		return "", j, false
	}
	// Escapes: decode into a buffer.
	var stack [256]byte
	buf := append(stack[:0], p[start:j]...)
	for j < len(p) {
		c := p[j]
		switch {
		case c == '"':
			if !ascii && !utf8.Valid(buf) {
				return "", j, false
			}
			return string(buf), j + 1, true
		case c < 0x20:
			return "", j, false
		case c != '\\':
			if c >= 0x80 {
				ascii = false
			}
			buf = append(buf, c)
			j++
			continue
		}
		j++
		if j >= len(p) {
			return "", j, false
		}
		switch p[j] {
		case '"', '\\', '/':
			buf = append(buf, p[j])
		case 'b':
			buf = append(buf, '\b')
		case 'f':
			buf = append(buf, '\f')
		case 'n':
			buf = append(buf, '\n')
		case 'r':
			buf = append(buf, '\r')
		case 't':
			buf = append(buf, '\t')
		case 'u':
			r, ok := hex4(p, j+1)
			if !ok {
				return "", j, false
			}
			j += 4
			if utf16.IsSurrogate(r) {
				// needs a low surrogate right after
				if j+2 >= len(p) {
					return "", j, false
				}
				if p[j+1] != '\\' || p[j+2] != 'u' {
					return "", j, false
				}
				r2, ok := hex4(p, j+3)
				if !ok {
					return "", j, false
				}
				r = utf16.DecodeRune(r, r2)
				if r == utf8.RuneError {
					return "", j, false
				}
				j += 6
			}
			buf = utf8.AppendRune(buf, r)
		default:
			return "", j, false
		}
		j++
	}
	return "", j, false
}

// hex4 reads four hex digits at p[i:].
func hex4(p []byte, i int) (rune, bool) {
	if i+4 > len(p) {
		return 0, false
	}
	var r rune
	for _, c := range p[i : i+4] {
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c = c - 'a' + 10
		case 'A' <= c && c <= 'F':
			c = c - 'A' + 10
		default:
			return 0, false
		}
		r = r<<4 | rune(c)
	}
	return r, true
}
