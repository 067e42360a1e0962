package sigv4

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
)

// ParseRawRequest reads one HTTP/1.1 request written out as text, in the
// format of the files of AWS's SigV4 test suite (request.txt): a request
// line, header lines, a blank line and the body. Lines end in LF or CRLF.
//
// The result is built for signing, not for sending as is: the request
// target is kept exactly as written (URL.Opaque), so that a path such as
// "/example space/" or "/ሴ" is signed from its literal bytes; the Host
// header becomes Request.Host and URL.Host; a header line that starts with
// a blank continues the previous header and, as in the test suite, adds one
// more value to it. scheme ("https" when empty) becomes URL.Scheme.
//
// Errors describe the first malformed line; ParseRawRequest never panics.
func ParseRawRequest(data []byte, scheme string) (*http.Request, error) {
	if scheme == "" {
		scheme = "https"
	}
	head, body, _ := cutBlankLine(data)
	lines := strings.Split(string(head), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimSuffix(l, "\r")
	}
	if len(lines) == 0 || strings.TrimSpace(lines[0]) == "" {
		return nil, errors.New("sigv4: raw request: empty request line")
	}
	method, target, err := parseRequestLine(lines[0])
	if err != nil {
		return nil, err
	}
	header := make(http.Header)
	var last string
	for i, line := range lines[1:] {
		if line == "" {
			continue
		}
		if line[0] == ' ' || line[0] == '\t' {
			if last == "" {
				return nil, fmt.Errorf("sigv4: raw request: line %d: continuation before any header", i+2)
			}
			header[last] = append(header[last], strings.Trim(line, " \t"))
			continue
		}
		name, value, ok := strings.Cut(line, ":")
		if !ok || name == "" || strings.ContainsAny(name, " \t") {
			return nil, fmt.Errorf("sigv4: raw request: line %d: want \"Name: value\", got %q", i+2, line)
		}
		if _, err := appendLowerName(nil, name); err != nil {
			return nil, fmt.Errorf("sigv4: raw request: line %d: %w", i+2, err)
		}
		last = http.CanonicalHeaderKey(name)
		header[last] = append(header[last], strings.Trim(value, " \t"))
	}
	hosts := header["Host"]
	delete(header, "Host")
	if len(hosts) > 1 {
		return nil, errors.New("sigv4: raw request: more than one Host header")
	}
	host := ""
	if len(hosts) == 1 {
		host = strings.Trim(hosts[0], " \t")
	}
	path, query, _ := strings.Cut(target, "?")
	u := &url.URL{Scheme: scheme, Host: host, Opaque: path, RawQuery: query}
	if strings.HasPrefix(path, "//") {
		// Opaque "//x" would read as an authority: spell it out.
		u.Opaque = "//" + host + path
	}
	req := &http.Request{
		Method:     method,
		URL:        u,
		Proto:      "HTTP/1.1",
		ProtoMajor: 1,
		ProtoMinor: 1,
		Header:     header,
		Host:       host,
	}
	if len(body) > 0 {
		b := bytes.Clone(body)
		req.Body = io.NopCloser(bytes.NewReader(b))
		req.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(b)), nil }
		// ContentLength stays 0 (unknown) unless the text has a
		// Content-Length header, which is then signed as written: the
		// signer signs exactly the headers of the text.
	} else {
		req.Body = http.NoBody
	}
	return req, nil
}

// cutBlankLine splits data at the first empty line.
func cutBlankLine(data []byte) (head, body []byte, found bool) {
	for i := 0; i < len(data); i++ {
		if data[i] != '\n' {
			continue
		}
		rest := data[i+1:]
		if bytes.HasPrefix(rest, []byte("\r\n")) {
			return data[:i], rest[2:], true
		}
		if len(rest) > 0 && rest[0] == '\n' {
			return data[:i], rest[1:], true
		}
	}
	return data, nil, false
}

// parseRequestLine splits "METHOD target HTTP/1.1"; the target may contain
// spaces, as in the test suite's get-space case.
func parseRequestLine(line string) (method, target string, err error) {
	line = strings.TrimRight(line, "\r")
	method, rest, ok := strings.Cut(line, " ")
	if !ok || !validMethod(method) {
		return "", "", fmt.Errorf("sigv4: raw request: malformed request line %q", line)
	}
	if i := strings.LastIndexByte(rest, ' '); i >= 0 && strings.HasPrefix(rest[i+1:], "HTTP/") {
		rest = rest[:i]
	}
	if rest == "" || (rest[0] != '/' && rest != "*") {
		return "", "", fmt.Errorf("sigv4: raw request: request target %q must start with '/'", rest)
	}
	return method, rest, nil
}
