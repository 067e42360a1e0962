package sigv4

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"
)

// neverSigned reports whether the lower-cased header name belongs to the
// headers that are never signed: they are added, removed or rewritten by
// proxies, agents and transports on the way, and the Authorization header
// cannot sign itself.
func neverSigned(lname string) bool {
	switch lname {
	case "authorization", "user-agent", "x-amzn-trace-id", "expect",
		"connection", "keep-alive", "proxy-authorization", "proxy-connection",
		"te", "trailer", "transfer-encoding", "upgrade", "via",
		"x-forwarded-for", "x-forwarded-proto", "x-forwarded-host":
		return true
	}
	return false
}

// NeverSignedHeaders lists, lower-cased, the headers the signer leaves out
// of the signature.
func NeverSignedHeaders() []string {
	return []string{"authorization", "connection", "expect", "keep-alive",
		"proxy-authorization", "proxy-connection", "te", "trailer",
		"transfer-encoding", "upgrade", "user-agent", "via",
		"x-amzn-trace-id", "x-forwarded-for", "x-forwarded-host", "x-forwarded-proto"}
}

// hdrEntry is one header value list taking part in the canonical headers.
type hdrEntry struct {
	lname string   // lower-cased name
	key   string   // the map key it came from ("" for an added header)
	vals  []string // values, in order; nil when one is used
	one   string   // the single value of an added header
	// verbatim marks a value known to stand in the canonical request as it
	// is: nothing to trim or fold, no CR, LF or NUL.
	verbatim bool
}

// qpair is one encoded query parameter.
type qpair struct{ k, v []byte }

// scratch holds the buffers of one signature. It is pooled so that a
// signature allocates only its results.
type scratch struct {
	buf   []byte // canonical request, then string to sign
	names []byte // lower-cased header names
	qbuf  []byte // encoded query keys and values
	hdrs  []hdrEntry
	order []int32 // s.hdrs sorted: indices in canonical order
	qry   []qpair
	hash  hasher         // for the HMAC of the string to sign
	date  amzTime        // x-amz-date of the signature
	added [3]addedHeader // backing of canonInput.added
	// foldedAuthHeader is set when the request holds one of the headers
	// SignHTTP sets under a non-canonical spelling.
	foldedAuthHeader bool
}

var scratchPool = sync.Pool{New: func() any {
	return &scratch{
		buf:   make([]byte, 0, 1024),
		names: make([]byte, 0, 256),
		qbuf:  make([]byte, 0, 256),
		hdrs:  make([]hdrEntry, 0, 16),
		order: make([]int32, 0, 16),
		qry:   make([]qpair, 0, 8),
		hash:  newHasher(),
	}
}}

func getScratch() *scratch { return scratchPool.Get().(*scratch) }

func putScratch(s *scratch) {
	if cap(s.buf) > 64<<10 || cap(s.names) > 16<<10 || cap(s.qbuf) > 64<<10 ||
		cap(s.hdrs) > 256 || cap(s.qry) > 256 {
		return // do not keep the buffers of an outsized request
	}
	clear(s.hdrs) // drop references to request data; past len all is zero
	s.buf, s.names, s.qbuf = s.buf[:0], s.names[:0], s.qbuf[:0]
	s.hdrs, s.qry, s.order = s.hdrs[:0], s.qry[:0], s.order[:0]
	s.foldedAuthHeader = false
	s.added = [3]addedHeader{}
	scratchPool.Put(s)
}

// addedHeader is a header the signer adds (x-amz-date, …); it replaces any
// header of the same name in the request. Every one is named x-amz-*.
type addedHeader struct {
	lname, value string
	verbatim     bool // see hdrEntry.verbatim
}

// canonInput is everything a canonical request is made of.
type canonInput struct {
	method      string
	path        string // the escaped path as sent on the wire
	rawQuery    string
	host        string
	header      http.Header
	payloadHash string
	added       []addedHeader
	extraQuery  []addedHeader // presigning: X-Amz-* parameters, unencoded
	skipQuery   string        // verification of a presigned URL: X-Amz-Signature

	// contentLength is Request.ContentLength: signed as content-length when
	// positive and the header map has no Content-Length; on the server side
	// it stands in for a signed content-length header that is missing.
	contentLength int64

	// Server side: sign exactly these lower-case names, in this order.
	signedList []string
}

// Errors of malformed input. They are wrapped with detail; match them with
// errors.Is.
var (
	ErrHeaderValue   = errors.New("sigv4: header value contains CR, LF or NUL")
	ErrHeaderName    = errors.New("sigv4: invalid header name")
	ErrNoHost        = errors.New("sigv4: request has no host")
	ErrQueryEncoding = errors.New("sigv4: invalid percent-encoding in query")
)

// buildCanonical appends the canonical request to s.buf and returns the
// offsets of the signed-headers list inside it.
func (sg *Signer) buildCanonical(s *scratch, in *canonInput) (shStart, shEnd int, err error) {
	b := s.buf
	b = append(b, in.method...)
	b = append(b, '\n')
	b, err = sg.appendCanonicalPath(b, in.path)
	if err != nil {
		return 0, 0, err
	}
	b = append(b, '\n')
	b, err = appendCanonicalQuery(s, b, in)
	if err != nil {
		return 0, 0, err
	}
	b = append(b, '\n')
	if err := collectHeaders(s, in); err != nil {
		return 0, 0, err
	}
	// Canonical headers: one line per name, values joined by commas.
	hs, order := s.hdrs, s.order
	for i := 0; i < len(order); {
		name := hs[order[i]].lname
		b = append(b, name...)
		b = append(b, ':')
		first := true
		for ; i < len(order) && hs[order[i]].lname == name; i++ {
			h := &hs[order[i]]
			if h.vals == nil {
				if !first {
					b = append(b, ',')
				}
				first = false
				if h.verbatim {
					b = append(b, h.one...)
				} else if b, err = appendHeaderValue(b, h.one); err != nil {
					return 0, 0, fmt.Errorf("%w: %s", err, name)
				}
				continue
			}
			for _, v := range h.vals {
				if !first {
					b = append(b, ',')
				}
				first = false
				if b, err = appendHeaderValue(b, v); err != nil {
					return 0, 0, fmt.Errorf("%w: %s", err, name)
				}
			}
		}
		b = append(b, '\n')
	}
	b = append(b, '\n')
	shStart = len(b)
	b = appendSignedHeaders(b, s)
	shEnd = len(b)
	b = append(b, '\n')
	b = append(b, in.payloadHash...)
	s.buf = b
	return shStart, shEnd, nil
}

// collectHeaders fills s.hdrs with the headers to sign and s.order with
// their canonical order.
func collectHeaders(s *scratch, in *canonInput) error {
	if in.signedList != nil {
		if err := collectListedHeaders(s, in); err != nil {
			return err
		}
		sortHeaders(s)
		return nil
	}
	var badName error // the error of the smallest invalid name, for determinism
	badKey := ""
	sawContentLength := false
	for key, vals := range in.header {
		lname, ok := knownLowerName(key)
		if !ok {
			start := len(s.names)
			var err error
			if s.names, err = appendLowerName(s.names, key); err != nil {
				if badName == nil || key < badKey {
					badName, badKey = err, key
				}
				s.names = s.names[:start]
				continue
			}
			lname = unsafeString(s.names[start:])
		}
		if added := strings.HasPrefix(lname, "x-amz-") && isAdded(in.added, lname); added || lname == "authorization" {
			if !isCanonicalAuthKey(key) {
				s.foldedAuthHeader = true
			}
			if added {
				continue
			}
		}
		if neverSigned(lname) || lname == "host" {
			continue
		}
		if lname == "content-length" {
			sawContentLength = true
		}
		if vals == nil {
			vals = []string{}
		}
		s.hdrs = append(s.hdrs, hdrEntry{lname: lname, key: key, vals: vals})
	}
	if badName != nil {
		return badName
	}
	s.hdrs = append(s.hdrs, hdrEntry{lname: "host", one: in.host})
	if in.contentLength > 0 && !sawContentLength {
		// net/http sends Content-Length from Request.ContentLength, not
		// from the header map; sign it as the AWS SDKs do.
		start := len(s.names)
		s.names = strconv.AppendInt(s.names, in.contentLength, 10)
		s.hdrs = append(s.hdrs, hdrEntry{lname: "content-length", one: unsafeString(s.names[start:])})
	}
	for _, a := range in.added {
		s.hdrs = append(s.hdrs, hdrEntry{lname: a.lname, one: a.value, verbatim: a.verbatim})
	}
	sortHeaders(s)
	return nil
}

// knownLowerName lower-cases the header names a Bedrock client sends
// without touching their bytes.
func knownLowerName(key string) (string, bool) {
	switch key {
	case "Content-Type":
		return "content-type", true
	case "Accept":
		return "accept", true
	case "User-Agent":
		return "user-agent", true
	case "Content-Length":
		return "content-length", true
	case "Content-Encoding":
		return "content-encoding", true
	case "Authorization":
		return "authorization", true
	case "X-Amz-Date":
		return "x-amz-date", true
	case "X-Amz-Security-Token":
		return "x-amz-security-token", true
	case "X-Amz-Content-Sha256":
		return "x-amz-content-sha256", true
	case "X-Amz-User-Agent":
		return "x-amz-user-agent", true
	case "X-Amzn-Bedrock-Accept":
		return "x-amzn-bedrock-accept", true
	case "X-Amzn-Bedrock-Trace":
		return "x-amzn-bedrock-trace", true
	case "X-Amzn-Bedrock-Guardrailidentifier":
		return "x-amzn-bedrock-guardrailidentifier", true
	case "X-Amzn-Bedrock-Guardrailversion":
		return "x-amzn-bedrock-guardrailversion", true
	case "X-Amzn-Bedrock-Performanceconfig-Latency":
		return "x-amzn-bedrock-performanceconfig-latency", true
	case "X-Amzn-Trace-Id":
		return "x-amzn-trace-id", true
	case "Amz-Sdk-Invocation-Id":
		return "amz-sdk-invocation-id", true
	case "Amz-Sdk-Request":
		return "amz-sdk-request", true
	}
	return "", false
}

// sortHeaders fills s.order with the indices of s.hdrs sorted by name,
// then by map key (two spellings of one name merge in a fixed order).
// Indices move instead of entries: no write barriers, no interface calls.
func sortHeaders(s *scratch) {
	hs := s.hdrs
	order := s.order[:0]
	for i := range hs {
		order = append(order, int32(i))
	}
	s.order = order
	less := func(a, b int32) bool {
		x, y := &hs[a], &hs[b]
		if c := strings.Compare(x.lname, y.lname); c != 0 {
			return c < 0
		}
		return x.key < y.key
	}
	if len(order) > 24 {
		sortLarge(headerOrder{hs, order})
		return
	}
	for i := 1; i < len(order); i++ {
		for j := i; j > 0 && less(order[j], order[j-1]); j-- {
			order[j], order[j-1] = order[j-1], order[j]
		}
	}
}

// headerOrder sorts header indexes; sort.Sort rather than a generic
// slices.SortFunc keeps the signer from instantiating another sort in every
// binary (sort is linked by net/http anyway).
type headerOrder struct {
	hs  []hdrEntry
	idx []int32
}

func (h headerOrder) Len() int { return len(h.idx) }
func (h headerOrder) Less(i, j int) bool {
	x, y := &h.hs[h.idx[i]], &h.hs[h.idx[j]]
	if x.lname != y.lname {
		return x.lname < y.lname
	}
	return x.key < y.key
}
func (h headerOrder) Swap(i, j int) { h.idx[i], h.idx[j] = h.idx[j], h.idx[i] }

// sortLarge sorts long lists; short ones are insertion-sorted in place
// without the interface conversion (an allocation) sort.Sort needs.
func sortLarge(x sort.Interface) { sort.Sort(x) }

// queryOrder sorts encoded query pairs by key, then value.
type queryOrder []qpair

func (q queryOrder) Len() int { return len(q) }
func (q queryOrder) Less(i, j int) bool {
	if c := bytes.Compare(q[i].k, q[j].k); c != 0 {
		return c < 0
	}
	return bytes.Compare(q[i].v, q[j].v) < 0
}
func (q queryOrder) Swap(i, j int) { q[i], q[j] = q[j], q[i] }

// appendSignedHeaders appends the signed header list "a;b;c".
func appendSignedHeaders(b []byte, s *scratch) []byte {
	prev := ""
	for i, k := range s.order {
		name := s.hdrs[k].lname
		if i > 0 && name == prev {
			continue
		}
		if i > 0 {
			b = append(b, ';')
		}
		b = append(b, name...)
		prev = name
	}
	return b
}

// isCanonicalAuthKey reports whether key is the spelling SignHTTP uses for
// the headers it sets.
func isCanonicalAuthKey(key string) bool {
	switch key {
	case HeaderAuthorization, HeaderDate, HeaderSecurityToken, HeaderContentSHA256:
		return true
	}
	return false
}

func isAdded(added []addedHeader, lname string) bool {
	for _, a := range added {
		if a.lname == lname {
			return true
		}
	}
	return false
}

// collectListedHeaders fills s.hdrs with the headers named by a received
// Authorization header.
func collectListedHeaders(s *scratch, in *canonInput) error {
	for i, name := range in.signedList {
		if name == "" || (i > 0 && name <= in.signedList[i-1]) {
			return fmt.Errorf("sigv4: signed headers not sorted and unique at %q", name)
		}
		if name == "host" {
			s.hdrs = append(s.hdrs, hdrEntry{lname: name, one: in.host})
			continue
		}
		n := len(s.hdrs)
		for key, vals := range in.header {
			if strings.EqualFold(key, name) {
				if vals == nil {
					vals = []string{}
				}
				s.hdrs = append(s.hdrs, hdrEntry{lname: name, key: key, vals: vals})
			}
		}
		if len(s.hdrs) == n {
			if name == "content-length" && in.contentLength >= 0 {
				s.hdrs = append(s.hdrs, hdrEntry{lname: name, one: strconv.FormatInt(in.contentLength, 10)})
				continue
			}
			return fmt.Errorf("sigv4: signed header %q is not in the request", name)
		}
	}
	return nil
}

// appendLowerName appends the lower-cased header name, refusing names that
// are not HTTP tokens.
func appendLowerName(dst []byte, name string) ([]byte, error) {
	if name == "" {
		return dst, fmt.Errorf("%w: empty", ErrHeaderName)
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if byteClass[c]&classToken == 0 {
			return dst, fmt.Errorf("%w: %q", ErrHeaderName, name)
		}
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		dst = append(dst, c)
	}
	return dst, nil
}

// appendHeaderValue appends v trimmed of blanks (space, tab) at both ends,
// with inner runs of blanks folded into one space. CR, LF and NUL are
// refused. Runs of ordinary bytes are copied whole.
func appendHeaderValue(dst []byte, v string) ([]byte, error) {
	i, j := 0, len(v)
	for i < j && (v[i] == ' ' || v[i] == '\t') {
		i++
	}
	for j > i && (v[j-1] == ' ' || v[j-1] == '\t') {
		j--
	}
	v = v[i:j]
	start := 0
	for k := 0; k < len(v); k++ {
		// Skip eight bytes at a time while none is a blank or a control
		// character (session tokens run to hundreds of bytes).
		for k+8 <= len(v) && !hasByteBelow0x21(v[k:k+8]) {
			k += 8
		}
		if k >= len(v) {
			break
		}
		c := v[k]
		if c > ' ' {
			continue
		}
		switch c {
		case '\r', '\n', 0:
			return dst, ErrHeaderValue
		case ' ', '\t':
			if c == ' ' && v[k+1] != ' ' && v[k+1] != '\t' {
				continue // a single space stays (v does not end in a blank)
			}
			dst = append(dst, v[start:k]...)
			dst = append(dst, ' ')
			for v[k+1] == ' ' || v[k+1] == '\t' {
				k++
			}
			start = k + 1
		}
	}
	return append(dst, v[start:]...), nil
}

// isVerbatimValue reports whether v stands in a canonical request as it
// is: it holds no blank, control character or NUL.
func isVerbatimValue(v string) bool {
	k := 0
	for ; k+8 <= len(v); k += 8 {
		if hasByteBelow0x21(v[k : k+8]) {
			return false
		}
	}
	for ; k < len(v); k++ {
		if v[k] < 0x21 {
			return false
		}
	}
	return true
}

// hasByteBelow0x21 reports whether one of the 8 bytes of w is below 0x21
// (a control character, space or NUL), testing them all at once.
func hasByteBelow0x21(w string) bool {
	x := uint64(w[0]) | uint64(w[1])<<8 | uint64(w[2])<<16 | uint64(w[3])<<24 |
		uint64(w[4])<<32 | uint64(w[5])<<40 | uint64(w[6])<<48 | uint64(w[7])<<56
	const lows, highs = 0x0101010101010101, 0x8080808080808080
	return (x-lows*0x21)&^x&highs != 0
}

// isUnreserved reports whether c is an RFC 3986 unreserved character.
// Byte classes, as tables: the canonicaliser looks every byte of the path,
// the query and the header names up.
const (
	classUnreserved      = 1 << iota // RFC 3986 unreserved: A-Z a-z 0-9 - . _ ~
	classPath                        // may stand unescaped in URL.RawPath (net/url's validEncoded)
	classPathKeep                    // net/url's escape leaves it alone in a path
	classToken                       // HTTP token character (header names, methods)
	classUnreservedSlash             // unreserved or '/': left alone in a canonical path
	classLowerHex                    // 0-9 a-f: a hex payload hash
)

var byteClass = func() (t [256]uint8) {
	for c := 0; c < 256; c++ {
		b := byte(c)
		if b >= 'A' && b <= 'Z' || b >= 'a' && b <= 'z' || b >= '0' && b <= '9' || b == '-' || b == '.' || b == '_' || b == '~' {
			t[c] |= classUnreserved | classPath | classPathKeep | classToken | classUnreservedSlash
		}
		if b >= '0' && b <= '9' || b >= 'a' && b <= 'f' {
			t[c] |= classLowerHex
		}
	}
	t['/'] |= classUnreservedSlash
	for _, b := range []byte("!$&'()*+,;=:@[]/") {
		t[b] |= classPath
	}
	for _, b := range []byte("$&+,/:;=@") {
		t[b] |= classPathKeep
	}
	for _, b := range []byte("!#$%&'*+-.^_`|~") {
		t[b] |= classToken
	}
	return t
}()

// classRun returns the length of the longest prefix of s whose bytes all
// belong to class. It tests four bytes per branch: paths and model IDs
// are mostly long runs of one class.
func classRun(s string, class uint8) int {
	i := 0
	for ; i+4 <= len(s); i += 4 {
		if byteClass[s[i]]&byteClass[s[i+1]]&byteClass[s[i+2]]&byteClass[s[i+3]]&class == 0 {
			break
		}
	}
	for ; i < len(s); i++ {
		if byteClass[s[i]]&class == 0 {
			break
		}
	}
	return i
}

func isUnreserved(c byte) bool { return byteClass[c]&classUnreserved != 0 }

// appendEscaped appends s with every byte but the unreserved ones (and '/'
// when keepSlash) percent-encoded in upper-case hex.
func appendEscaped(dst []byte, s string, keepSlash bool) []byte {
	const upper = "0123456789ABCDEF"
	class := uint8(classUnreserved)
	if keepSlash {
		class = classUnreservedSlash
	}
	for {
		n := classRun(s, class)
		dst = append(dst, s[:n]...)
		if n == len(s) {
			return dst
		}
		c := s[n]
		dst = append(dst, '%', upper[c>>4], upper[c&0x0f])
		s = s[n+1:]
	}
}

// appendCanonicalPath appends the canonical URI of the wire path p.
func (sg *Signer) appendCanonicalPath(dst []byte, p string) ([]byte, error) {
	if sg.NormalizePath {
		p = normalizePath(p)
	}
	if p == "" {
		return append(dst, '/'), nil
	}
	if sg.SingleEncode {
		for i := 0; i < len(p); i++ {
			if c := p[i]; c <= ' ' || c == 0x7f {
				// Cannot be sent as is: escape only such bytes.
				return appendEscapedControls(dst, p), nil
			}
		}
		return append(dst, p...), nil
	}
	return appendEscaped(dst, p, true), nil
}

func appendEscapedControls(dst []byte, p string) []byte {
	const upper = "0123456789ABCDEF"
	for i := 0; i < len(p); i++ {
		c := p[i]
		if c <= ' ' || c == 0x7f {
			dst = append(dst, '%', upper[c>>4], upper[c&0x0f])
			continue
		}
		dst = append(dst, c)
	}
	return dst
}

// normalizePath removes "." and ".." segments and empty segments, keeping a
// leading slash and a trailing one.
func normalizePath(p string) string {
	if p == "" || p == "/" {
		return "/"
	}
	segs := strings.Split(p, "/")
	out := segs[:0]
	for _, s := range segs {
		switch s {
		case "", ".":
		case "..":
			if len(out) > 0 {
				out = out[:len(out)-1]
			}
		default:
			out = append(out, s)
		}
	}
	n := "/" + strings.Join(out, "/")
	if len(out) > 0 && (strings.HasSuffix(p, "/") || strings.HasSuffix(p, "/.") || strings.HasSuffix(p, "/..")) {
		n += "/"
	}
	return n
}

// appendCanonicalQuery appends the sorted, encoded query.
func appendCanonicalQuery(s *scratch, dst []byte, in *canonInput) ([]byte, error) {
	q := in.rawQuery
	for q != "" {
		part := q
		if i := strings.IndexByte(q, '&'); i >= 0 {
			part, q = q[:i], q[i+1:]
		} else {
			q = ""
		}
		if part == "" {
			continue
		}
		k, v := part, ""
		if i := strings.IndexByte(part, '='); i >= 0 {
			k, v = part[:i], part[i+1:]
		}
		ks := len(s.qbuf)
		var err error
		if s.qbuf, err = appendReencoded(s.qbuf, k); err != nil {
			return dst, err
		}
		ke := len(s.qbuf)
		if in.skipQuery != "" && string(s.qbuf[ks:ke]) == in.skipQuery {
			s.qbuf = s.qbuf[:ks]
			continue
		}
		if s.qbuf, err = appendReencoded(s.qbuf, v); err != nil {
			return dst, err
		}
		s.qry = append(s.qry, qpair{k: s.qbuf[ks:ke:ke], v: s.qbuf[ke:len(s.qbuf):len(s.qbuf)]})
	}
	for _, a := range in.extraQuery {
		ks := len(s.qbuf)
		s.qbuf = appendEscaped(s.qbuf, a.lname, false)
		ke := len(s.qbuf)
		s.qbuf = appendEscaped(s.qbuf, a.value, false)
		s.qry = append(s.qry, qpair{k: s.qbuf[ks:ke:ke], v: s.qbuf[ke:len(s.qbuf):len(s.qbuf)]})
	}
	if q := queryOrder(s.qry); len(q) > 24 {
		sortLarge(q)
	} else {
		for i := 1; i < len(q); i++ {
			for j := i; j > 0 && q.Less(j, j-1); j-- {
				q.Swap(j, j-1)
			}
		}
	}
	for i, p := range s.qry {
		if i > 0 {
			dst = append(dst, '&')
		}
		dst = append(dst, p.k...)
		dst = append(dst, '=')
		dst = append(dst, p.v...)
	}
	return dst, nil
}

// appendReencoded decodes one query component ('+' is a space, as
// net/url reads it) and appends it encoded per RFC 3986.
func appendReencoded(dst []byte, s string) ([]byte, error) {
	const upper = "0123456789ABCDEF"
	component := s
	for {
		n := classRun(s, classUnreserved)
		dst = append(dst, s[:n]...)
		if n == len(s) {
			return dst, nil
		}
		c := s[n]
		s = s[n+1:]
		switch c {
		case '+':
			c = ' '
		case '%':
			if len(s) < 2 || !isHex(s[0]) || !isHex(s[1]) {
				return dst, fmt.Errorf("%w: %q", ErrQueryEncoding, component)
			}
			c = unhex(s[0])<<4 | unhex(s[1])
			s = s[2:]
		}
		if isUnreserved(c) {
			dst = append(dst, c)
		} else {
			dst = append(dst, '%', upper[c>>4], upper[c&0x0f])
		}
	}
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c >= '0' && c <= '9':
		return c - '0'
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10
	default:
		return c - 'A' + 10
	}
}

// wirePath returns the path of u exactly as net/http writes it in the
// request line: Opaque when set, else RawPath when it is a valid encoding of
// Path, else the escaped Path. Unlike URL.EscapedPath it does not allocate
// in the common case.
func wirePath(u *url.URL) string {
	if u.Opaque != "" {
		if rest, ok := strings.CutPrefix(u.Opaque, "//"); ok {
			// "//host/path": the path starts after the authority.
			if i := strings.IndexByte(rest, '/'); i >= 0 {
				return rest[i:]
			}
			return "/"
		}
		return u.Opaque
	}
	if u.RawPath != "" && rawPathMatches(u.RawPath, u.Path) {
		return u.RawPath
	}
	if u.Path == "" {
		return ""
	}
	if !needsEscape(u.Path) {
		return u.Path
	}
	return u.EscapedPath()
}

// rawPathMatches reports whether raw is a valid escaping of path, the test
// URL.EscapedPath applies before trusting RawPath.
func rawPathMatches(raw, path string) bool {
	for {
		// A run of literal bytes must be allowed in RawPath and equal the
		// same run of path.
		n := classRun(raw, classPath)
		if len(path) < n || raw[:n] != path[:n] {
			return false
		}
		raw, path = raw[n:], path[n:]
		if raw == "" {
			return path == ""
		}
		// Then one escape, standing for the next byte of path.
		if raw[0] != '%' || len(raw) < 3 || !isHex(raw[1]) || !isHex(raw[2]) {
			return false
		}
		if path == "" || path[0] != unhex(raw[1])<<4|unhex(raw[2]) {
			return false
		}
		raw, path = raw[3:], path[1:]
	}
}

// needsEscape reports whether net/url would change path when escaping it.
func needsEscape(path string) bool {
	return classRun(path, classPathKeep) != len(path)
}
