package credentials

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"
)

// apiTimeout bounds an STS or SSO call: the caching provider refreshes
// with a context that is never cancelled, so a hung endpoint must not hang
// the refresh forever.
const apiTimeout = 30 * time.Second

// maxResponseBody bounds what is read from any credentials endpoint.
const maxResponseBody = 1 << 20

// doLimited sends req with a timeout (when > 0) and reads at most
// maxResponseBody bytes of the response.
func doLimited(ctx context.Context, client *http.Client, req *http.Request, timeout time.Duration) (*http.Response, []byte, error) {
	if timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, timeout)
		defer cancel()
	}
	req = req.WithContext(ctx)
	resp, err := client.Do(req)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxResponseBody+1))
	if err != nil {
		return resp, nil, fmt.Errorf("reading response: %w", err)
	}
	if len(body) > maxResponseBody {
		return resp, nil, fmt.Errorf("response larger than %d bytes", maxResponseBody)
	}
	return resp, body, nil
}

// transportError strips the URL from a *url.Error (it may carry a token
// in its query) and keeps the cause.
func transportError(err error) error {
	var ue interface{ Unwrap() error }
	if errors.As(err, &ue) {
		if inner := ue.Unwrap(); inner != nil {
			if errors.Is(err, context.DeadlineExceeded) {
				return fmt.Errorf("timed out: %w", inner)
			}
			return inner
		}
	}
	return err
}
