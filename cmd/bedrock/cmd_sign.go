package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/bedrockwire/bedrockwire/sigv4"
	"github.com/bedrockwire/bedrockwire/sigv4/credentials"
)

func init() {
	register(&command{name: "sign", summary: "sign a request with SigV4 and print every step", run: runSign})
}

const signHelp = `NAME
    bedrock sign — the SigV4 signer on the command line

SYNOPSIS
    bedrock sign [flags] [FILE|-]
    bedrock sign [flags] [--method M] [--header 'Name: value']... [--body FILE] URL

DESCRIPTION
    Signs one request and prints what the signer made of it: the canonical
    request, the string to sign, the signature and the signed request's
    headers. Use it to debug a SignatureDoesNotMatch by comparing with the
    canonical request and string to sign AWS says it expected, or to sign a
    request for curl.

    The first form reads one raw HTTP/1.1 request from FILE, or from
    standard input when FILE is "-" or absent: a request line, header
    lines, a blank line and the body, as in the request.txt files of AWS's
    SigV4 test suite. The request target is signed exactly as written (so
    "/model/amazon.nova-pro-v1%3A0/converse" is signed as
    ".../amazon.nova-pro-v1%253A0/...", and "/example space/" as
    "/example%20space/"). Exactly the headers the request carries are
    signed, plus host (from the Host header, default port dropped) and the
    X-Amz-Date, X-Amz-Security-Token and X-Amz-Content-Sha256 headers the
    signer adds; header lines starting with a blank continue the previous
    header with one more value, as in the test suite. Headers that are never
    signed (Authorization, User-Agent, X-Amzn-Trace-Id, Expect, Connection,
    Transfer-Encoding and the other hop-by-hop headers) are left out.

    The second form builds the request from a URL (starting with http:// or
    https://), --method (GET, or POST when --body is given), --header and
    --body.

    The secret access key is never printed. The session token is printed as
    "[session token redacted]" unless --show-token is given.

OPTIONS
    --time T              signing time, 20150830T123600Z (default: now)
    --region R            region (default: AWS_REGION, AWS_DEFAULT_REGION,
                          the profile's region)
    --service S           signing name (default: bedrock)
    --access-key-id ID    access key ID      } default: the AWS credential chain
    --secret-access-key K secret access key  } (environment, shared files,
    --session-token T     session token      }  SSO, web identity, container, IMDS)
    --payload-hash H      payload hash: hex SHA-256, UNSIGNED-PAYLOAD or
                          STREAMING-AWS4-HMAC-SHA256-EVENTS (default: the
                          SHA-256 of the body)
    --content-sha256      also send and sign X-Amz-Content-Sha256
    --normalize-path      remove . and .. and empty path segments first
    --single-encode       sign the path as written (S3) instead of escaping
                          it once more
    --presign SECONDS     query-string signing valid for SECONDS (1..604800);
                          prints the presigned URL and the headers to send
    --json                print one JSON object: canonical_request,
                          string_to_sign, signature, authorization, headers
                          (name → values) and url
    --show-token          print the session token instead of redacting it
    --method M            URL form: the method
    --header 'N: V'       URL form: a request header (repeatable)
    --body FILE           URL form: the body ("-" for standard input)

EXIT STATUS
    0 on success; 1 when the request cannot be signed (no credentials,
    a header value with CR or LF, ...); 2 on bad flags or a malformed
    request.

EXAMPLES
    bedrock sign --time 20150830T123600Z --region us-east-1 --service service \
        --access-key-id AKIDEXAMPLE \
        --secret-access-key wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY request.txt
    printf 'GET / HTTP/1.1\nHost: example.amazonaws.com\n\n' | bedrock sign --region us-east-1 -
    bedrock sign --method POST --header 'Content-Type: application/json' --body body.json \
        https://bedrock-runtime.us-east-1.amazonaws.com/model/amazon.nova-pro-v1%3A0/converse
    bedrock sign --presign 60 --json https://bedrock.amazonaws.com/?Action=CallWithBearerToken
`

const signUsage = "usage: bedrock sign [flags] [FILE|-]\n       bedrock sign [flags] [--method M] [--header 'N: V']... [--body FILE] URL\nRun 'bedrock sign --help' for details.\n"

// signHeaderList is a repeatable --header flag.
type signHeaderList []string

func (l *signHeaderList) String() string     { return strings.Join(*l, ", ") }
func (l *signHeaderList) Set(v string) error { *l = append(*l, v); return nil }

// signOutput is the --json object; its fields are the output contract.
type signOutput struct {
	CanonicalRequest string              `json:"canonical_request"`
	StringToSign     string              `json:"string_to_sign"`
	Signature        string              `json:"signature"`
	Authorization    string              `json:"authorization"`
	Headers          map[string][]string `json:"headers"`
	URL              string              `json:"url"`
}

func runSign(ctx context.Context, e *env, args []string) int {
	fs := flag.NewFlagSet("sign", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {}
	var (
		timeFlag     = fs.String("time", "", "signing time YYYYMMDDTHHMMSSZ")
		region       = fs.String("region", "", "region")
		service      = fs.String("service", "bedrock", "signing name")
		accessKeyID  = fs.String("access-key-id", "", "access key ID")
		secretKey    = fs.String("secret-access-key", "", "secret access key")
		sessionToken = fs.String("session-token", "", "session token")
		payloadHash  = fs.String("payload-hash", "", "payload hash")
		contentSHA   = fs.Bool("content-sha256", false, "send and sign X-Amz-Content-Sha256")
		normalize    = fs.Bool("normalize-path", false, "normalise the path")
		single       = fs.Bool("single-encode", false, "S3-style single encoding")
		presign      = fs.String("presign", "", "presign for SECONDS")
		asJSON       = fs.Bool("json", false, "print JSON")
		showToken    = fs.Bool("show-token", false, "print the session token")
		method       = fs.String("method", "", "URL form: method")
		body         = fs.String("body", "", "URL form: body file")
		help         = fs.Bool("help", false, "show the manual")
		headers      signHeaderList
	)
	fs.Var(&headers, "header", "URL form: request header 'Name: value'")
	fs.Var(&headers, "H", "URL form: request header 'Name: value'")

	// Flags may come before and after the one argument.
	var positional []string
	rest := args
	for {
		if err := fs.Parse(rest); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				io.WriteString(e.stdout, signHelp)
				return exitOK
			}
			io.WriteString(e.stderr, signUsage)
			return exitUsage
		}
		rest = fs.Args()
		if len(rest) == 0 {
			break
		}
		positional = append(positional, rest[0])
		rest = rest[1:]
	}
	if *help {
		io.WriteString(e.stdout, signHelp)
		return exitOK
	}
	usageErr := func(format string, a ...any) int {
		fmt.Fprintf(e.stderr, "bedrock sign: "+format+"\n", a...)
		return exitUsage
	}
	failure := func(format string, a ...any) int {
		fmt.Fprintf(e.stderr, "bedrock sign: "+format+"\n", a...)
		return exitFailure
	}
	if len(positional) > 1 {
		return usageErr("one FILE or URL expected, got %d arguments", len(positional))
	}
	arg := "-"
	if len(positional) == 1 {
		arg = positional[0]
	}
	urlForm := strings.HasPrefix(arg, "http://") || strings.HasPrefix(arg, "https://")
	if !urlForm && (*method != "" || *body != "" || len(headers) > 0) {
		return usageErr("--method, --header and --body go with a URL, not a raw request")
	}

	// Signing time.
	at := time.Now().UTC()
	if *timeFlag != "" {
		t, err := time.Parse(sigv4.TimeFormat, *timeFlag)
		if err != nil {
			return usageErr("--time %q: want the form 20150830T123600Z", *timeFlag)
		}
		at = t
	}
	var expires time.Duration
	if *presign != "" {
		n, err := strconv.ParseInt(*presign, 10, 64)
		if err != nil || n < 1 || n > int64(sigv4.MaxPresignExpiry/time.Second) {
			return usageErr("--presign %q: want whole seconds from 1 to 604800", *presign)
		}
		expires = time.Duration(n) * time.Second
	}
	if *service == "" {
		return usageErr("--service must not be empty")
	}

	// The request.
	var req *http.Request
	if urlForm {
		r, err := signBuildURLRequest(e, arg, *method, *body, headers)
		if err != nil {
			return usageErr("%v", err)
		}
		req = r
	} else {
		data, err := signReadInput(e, arg)
		if err != nil {
			return failure("%v", err)
		}
		r, err := sigv4.ParseRawRequest(data, "https")
		if err != nil {
			return usageErr("%v", strings.TrimPrefix(err.Error(), "sigv4: "))
		}
		req = r
	}

	// Credentials and region.
	copts := credentials.Options{Getenv: e.getenv}
	var creds sigv4.Credentials
	switch {
	case *accessKeyID != "" || *secretKey != "":
		if *accessKeyID == "" || *secretKey == "" {
			return usageErr("--access-key-id and --secret-access-key go together")
		}
		creds = sigv4.Credentials{AccessKeyID: *accessKeyID, SecretAccessKey: *secretKey, SessionToken: *sessionToken, Source: "flags"}
	case *sessionToken != "":
		return usageErr("--session-token needs --access-key-id and --secret-access-key")
	default:
		c, err := credentials.NewDefaultChain(copts).Retrieve(ctx)
		if err != nil {
			return failure("%v", err)
		}
		creds = c
	}
	if *region == "" {
		r, err := credentials.ResolveRegion(copts)
		if err != nil {
			return usageErr("no region: give --region, or %v", strings.TrimPrefix(err.Error(), "credentials: "))
		}
		*region = r
	}

	s := &sigv4.Signer{NormalizePath: *normalize, SingleEncode: *single, ContentSHA256Header: *contentSHA}
	var (
		st      sigv4.Steps
		outHdr  http.Header
		err     error
		request = req.Clone(ctx)
	)
	if expires > 0 {
		st, outHdr, err = s.PresignSteps(req, creds, *region, *service, at, expires, *payloadHash)
	} else {
		if err = s.SignHTTP(request, creds, *region, *service, at, *payloadHash); err == nil {
			st, err = s.Steps(req, creds, *region, *service, at, *payloadHash)
			outHdr = request.Header.Clone()
			if request.Host != "" {
				outHdr["Host"] = []string{request.Host}
			}
			if _, ok := outHdr["Content-Length"]; !ok && request.ContentLength > 0 {
				outHdr["Content-Length"] = []string{strconv.FormatInt(request.ContentLength, 10)}
			}
			st.URL = signRequestURL(req)
		}
	}
	if err != nil {
		return failure("%v", strings.TrimPrefix(err.Error(), "sigv4: "))
	}

	// Redact the session token unless asked.
	redact := func(s string) string { return s }
	if creds.SessionToken != "" && !*showToken {
		r := strings.NewReplacer(creds.SessionToken, "[session token redacted]",
			signEscape(creds.SessionToken), signEscape("[session token redacted]"))
		redact = r.Replace
	}
	out := signOutput{
		CanonicalRequest: redact(st.CanonicalRequest),
		StringToSign:     st.StringToSign,
		Signature:        st.Signature,
		Authorization:    st.Authorization,
		Headers:          map[string][]string{},
		URL:              redact(st.URL),
	}
	for k, vs := range outHdr {
		rv := make([]string, len(vs))
		for i, v := range vs {
			rv[i] = redact(v)
		}
		out.Headers[k] = rv
	}
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		if err := enc.Encode(out); err != nil {
			return failure("%v", err)
		}
		return exitOK
	}
	signWriteText(e.stdout, &out, req, expires > 0)
	return exitOK
}

// signEscape percent-encodes s as SigV4 query values are: every byte but
// the RFC 3986 unreserved ones.
func signEscape(s string) string {
	const upper = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '.' || c == '_' || c == '~' {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(upper[c>>4])
		b.WriteByte(upper[c&15])
	}
	return b.String()
}

// signReadInput reads FILE, or standard input for "-".
func signReadInput(e *env, name string) ([]byte, error) {
	if name == "-" {
		return io.ReadAll(io.LimitReader(e.stdin, 64<<20))
	}
	return os.ReadFile(name)
}

// signBuildURLRequest builds the request of the URL form.
func signBuildURLRequest(e *env, rawURL, method, bodyFile string, headers []string) (*http.Request, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, fmt.Errorf("URL: %v", err)
	}
	if u.Host == "" {
		return nil, fmt.Errorf("URL %q has no host", rawURL)
	}
	var body []byte
	if bodyFile != "" {
		if body, err = signReadInput(e, bodyFile); err != nil {
			return nil, fmt.Errorf("--body: %v", err)
		}
	}
	if method == "" {
		method = http.MethodGet
		if bodyFile != "" {
			method = http.MethodPost
		}
	}
	req, err := http.NewRequest(strings.ToUpper(method), u.String(), strings.NewReader(string(body)))
	if err != nil {
		return nil, err
	}
	req.URL = u // keep RawPath exactly as given
	if bodyFile == "" {
		req.Body, req.GetBody, req.ContentLength = http.NoBody, nil, 0
	}
	for _, h := range headers {
		name, value, ok := strings.Cut(h, ":")
		name = strings.TrimSpace(name)
		if !ok || name == "" {
			return nil, fmt.Errorf("--header %q: want \"Name: value\"", h)
		}
		if strings.EqualFold(name, "Host") {
			req.Host = strings.TrimSpace(value)
			continue
		}
		req.Header.Add(name, strings.TrimSpace(value))
	}
	return req, nil
}

// signRequestURL is the URL the request is sent to.
func signRequestURL(req *http.Request) string {
	u := *req.URL
	path := u.Opaque
	if path == "" || strings.HasPrefix(path, "//") {
		path = u.EscapedPath()
		if u.Opaque != "" {
			_, path, _ = strings.Cut(strings.TrimPrefix(u.Opaque, "//"), "/")
			path = "/" + path
		}
	}
	if path == "" {
		path = "/"
	}
	s := u.Scheme + "://" + u.Host + path
	if u.RawQuery != "" {
		s += "?" + u.RawQuery
	}
	return s
}

// signWriteText prints the text form: the steps, then the signed request
// (request line and headers) or the presigned URL and its headers.
func signWriteText(w io.Writer, out *signOutput, req *http.Request, presigned bool) {
	var b strings.Builder
	b.WriteString("Canonical request:\n")
	b.WriteString(out.CanonicalRequest)
	b.WriteString("\n\nString to sign:\n")
	b.WriteString(out.StringToSign)
	b.WriteString("\n\nSignature: ")
	b.WriteString(out.Signature)
	b.WriteString("\n\n")
	names := make([]string, 0, len(out.Headers))
	for k := range out.Headers {
		if k != "Host" {
			names = append(names, k)
		}
	}
	sort.Strings(names)
	if presigned {
		b.WriteString("Presigned URL:\n")
		b.WriteString(out.URL)
		b.WriteString("\n\nHeaders to send with it:\n")
		if len(names) == 0 {
			b.WriteString("(none)\n")
		}
	} else {
		b.WriteString("Signed request:\n")
		target := out.URL
		if i := strings.Index(target, "://"); i >= 0 {
			target = target[i+3:]
			if j := strings.IndexByte(target, '/'); j >= 0 {
				target = target[j:]
			}
		}
		fmt.Fprintf(&b, "%s %s HTTP/1.1\n", req.Method, target)
		for _, v := range out.Headers["Host"] {
			fmt.Fprintf(&b, "Host: %s\n", v)
		}
	}
	for _, k := range names {
		for _, v := range out.Headers[k] {
			fmt.Fprintf(&b, "%s: %s\n", k, v)
		}
	}
	io.WriteString(w, b.String())
}
