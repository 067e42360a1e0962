package client

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/bedrockwire/bedrockwire/sigv4"
)

// authorize adds the Authorization header (and, for SigV4, X-Amz-Date and
// X-Amz-Security-Token) to req: the bearer token, or a SigV4 signature over
// payloadHash made at the local time corrected by the known clock skew.
func (c *Client) authorize(ctx context.Context, req *http.Request, payloadHash string) error {
	if c.bearer != "" {
		req.Header.Set("Authorization", "Bearer "+c.bearer)
		return nil
	}
	creds, err := c.creds.Retrieve(ctx)
	if err != nil {
		return fmt.Errorf("retrieving credentials: %w", err)
	}
	if !creds.HasKeys() {
		return errors.New("credentials provider returned no access key")
	}
	return c.signer.SignHTTP(req, creds, c.region, SigningName, c.signingTime(), payloadHash)
}

// signingTime is the local time corrected by the clock skew learned from the
// service.
func (c *Client) signingTime() time.Time {
	return c.now().Add(time.Duration(c.skew.Load()))
}

func newCachingProvider(p sigv4.CredentialsProvider) sigv4.CredentialsProvider {
	return sigv4.NewCachingProvider(p)
}

// payloadHash returns the hex SHA-256 of body, as SigV4 signs it.
func payloadHash(body []byte) string { return sigv4.HashHex(body) }
