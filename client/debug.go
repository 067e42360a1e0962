package client

import (
	"context"
	"log/slog"
	"net/http"
	"sort"
	"strings"
	"time"
)

// debugEnabled reports whether wire debug records would be written.
func (c *Client) debugEnabled(ctx context.Context) bool {
	return c.logger != nil && c.logger.Enabled(ctx, slog.LevelDebug)
}

func (c *Client) debugRequest(ctx context.Context, r *request, req *http.Request) {
	if !c.debugEnabled(ctx) {
		return
	}
	c.logger.LogAttrs(ctx, slog.LevelDebug, "bedrock request",
		slog.String("op", r.op),
		slog.String("method", req.Method),
		slog.String("url", req.URL.String()),
		slog.Int("body_bytes", len(r.body)),
		slog.Any("header", maskedHeader(req.Header)),
	)
}

func (c *Client) debugResponse(ctx context.Context, r *request, resp *http.Response, elapsed time.Duration) {
	if !c.debugEnabled(ctx) {
		return
	}
	c.logger.LogAttrs(ctx, slog.LevelDebug, "bedrock response",
		slog.String("op", r.op),
		slog.Int("status", resp.StatusCode),
		slog.Duration("elapsed", elapsed),
		slog.Any("header", maskedHeader(resp.Header)),
	)
}

func (c *Client) debugFailure(ctx context.Context, r *request, err error) {
	if !c.debugEnabled(ctx) {
		return
	}
	c.logger.LogAttrs(ctx, slog.LevelDebug, "bedrock transport error",
		slog.String("op", r.op), slog.String("error", err.Error()))
}

func (c *Client) debugRetry(ctx context.Context, r *request, attempt int, wait time.Duration, err error) {
	if !c.debugEnabled(ctx) {
		return
	}
	c.logger.LogAttrs(ctx, slog.LevelDebug, "bedrock retry",
		slog.String("op", r.op), slog.Int("attempt", attempt), slog.Duration("wait", wait),
		slog.String("error", err.Error()))
}

// headerLog is a header as a slog value, masked, with names sorted.
type headerLog []slog.Attr

func (h headerLog) LogValue() slog.Value { return slog.GroupValue(h...) }

// maskedHeader returns h ready to log: the Authorization signature or bearer
// token, the session token and any other credential header masked.
func maskedHeader(h http.Header) slog.LogValuer {
	names := make([]string, 0, len(h))
	for k := range h {
		names = append(names, k)
	}
	sort.Strings(names)
	attrs := make(headerLog, 0, len(names))
	for _, k := range names {
		v := strings.Join(h[k], ", ")
		attrs = append(attrs, slog.String(k, maskHeaderValue(k, v)))
	}
	return attrs
}

// maskHeaderValue hides the secret part of a header value.
func maskHeaderValue(name, value string) string {
	switch strings.ToLower(name) {
	case "authorization", "proxy-authorization":
		return maskAuthorization(value)
	case "x-amz-security-token", "cookie", "set-cookie", "x-api-key":
		return mask(value)
	}
	return value
}

// maskAuthorization keeps a SigV4 header's credential scope and signed
// headers but masks its signature; it masks a bearer token whole.
func maskAuthorization(v string) string {
	if strings.HasPrefix(v, "AWS4-HMAC-SHA256 ") {
		if i := strings.Index(v, "Signature="); i >= 0 {
			return v[:i+len("Signature=")] + "****"
		}
		return "AWS4-HMAC-SHA256 ****"
	}
	if scheme, token, ok := strings.Cut(v, " "); ok {
		return scheme + " " + mask(token)
	}
	return mask(v)
}

// mask stands in for a secret; it says only how long it was.
func mask(s string) string {
	if s == "" {
		return ""
	}
	return "**** (" + itoa(len(s)) + " bytes)"
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b [20]byte
	i := len(b)
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	return string(b[i:])
}
