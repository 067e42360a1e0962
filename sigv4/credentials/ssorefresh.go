package credentials

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// ssoRefreshWindow is how long before its expiry a cached SSO token of an
// sso_session profile is refreshed, as the AWS SDKs do: the portal may stop
// accepting a token a little before the time written in the cache.
const ssoRefreshWindow = 5 * time.Minute

// maxTokenLifetime bounds the expiresIn of a CreateToken response (the
// model's ExpirationInSeconds is a 32-bit integer).
const maxTokenLifetime = 1<<31 - 1

// ssoRefreshFields are what the token cache must hold for a refresh: the
// refresh token and the client registration `aws sso login` made.
type ssoRefreshFields struct {
	refreshToken        string
	clientID            string
	clientSecret        string
	registrationExpires time.Time
}

// String never shows the refresh token or the client secret.
func (f ssoRefreshFields) String() string {
	return "ssoRefreshFields{clientId: " + f.clientID + ", refreshToken: [redacted], clientSecret: [redacted]}"
}

// GoString is String, so %#v is safe too.
func (f ssoRefreshFields) GoString() string { return f.String() }

// ssoRefreshFieldsFrom reads the refresh fields of a token cache. ok is
// false when any is missing, not a string, or unusable (a registration
// that has expired at now, or no registrationExpiresAt): then no refresh
// is attempted, as in the SDKs.
func ssoRefreshFieldsFrom(data []byte, now time.Time) (f ssoRefreshFields, ok bool) {
	var x struct {
		RefreshToken          any `json:"refreshToken"`
		ClientID              any `json:"clientId"`
		ClientSecret          any `json:"clientSecret"`
		RegistrationExpiresAt any `json:"registrationExpiresAt"`
	}
	if json.Unmarshal(data, &x) != nil {
		return ssoRefreshFields{}, false
	}
	str := func(v any) string { s, _ := v.(string); return s }
	f = ssoRefreshFields{refreshToken: str(x.RefreshToken), clientID: str(x.ClientID), clientSecret: str(x.ClientSecret)}
	if f.refreshToken == "" || f.clientID == "" || f.clientSecret == "" {
		return ssoRefreshFields{}, false
	}
	t, err := parseTimestamp(str(x.RegistrationExpiresAt))
	if err != nil || !now.Before(t) {
		return ssoRefreshFields{}, false
	}
	f.registrationExpires = t
	return f, true
}

// ssoNewToken is what CreateToken returned.
type ssoNewToken struct {
	accessToken  string
	expires      time.Time
	refreshToken string // empty when the service did not rotate it
}

// String never shows the tokens.
func (t ssoNewToken) String() string {
	return "ssoNewToken{accessToken: [redacted], expires: " + t.expires.UTC().Format(time.RFC3339) + "}"
}

// GoString is String, so %#v is safe too.
func (t ssoNewToken) GoString() string { return t.String() }

// createSSOToken calls SSO OIDC CreateToken with the refresh_token grant:
// an unsigned restJson1 POST /token on https://oidc.{region}.amazonaws.com
// (or AWS_ENDPOINT_URL_SSO_OIDC, then AWS_ENDPOINT_URL).
func createSSOToken(ctx context.Context, o *Options, region string, f ssoRefreshFields) (ssoNewToken, error) {
	const where = "sso-oidc CreateToken"
	base := o.serviceEndpoint("", "SSO_OIDC")
	if base == "" {
		base = "https://oidc." + region + "." + dnsSuffix(region)
	}
	body, err := json.Marshal(struct {
		ClientID     string `json:"clientId"`
		ClientSecret string `json:"clientSecret"`
		GrantType    string `json:"grantType"`
		RefreshToken string `json:"refreshToken"`
	}{f.clientID, f.clientSecret, "refresh_token", f.refreshToken})
	if err != nil {
		return ssoNewToken{}, fmt.Errorf("%s: %w", where, err)
	}
	req, err := http.NewRequest(http.MethodPost, strings.TrimSuffix(base, "/")+"/token", bytes.NewReader(body))
	if err != nil {
		return ssoNewToken{}, fmt.Errorf("%s: bad endpoint %s", where, redactURL(base))
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	resp, respBody, err := doLimited(ctx, o.apiClient(), req, apiTimeout)
	if err != nil {
		return ssoNewToken{}, fmt.Errorf("%s: %w", where, transportError(err))
	}
	if resp.StatusCode != http.StatusOK {
		// The service's message is echoed; make sure it cannot carry back
		// the secrets just sent.
		text := ssoErrorText(resp, respBody)
		for _, s := range [...]string{f.refreshToken, f.clientSecret} {
			text = strings.ReplaceAll(text, s, "[redacted]")
		}
		return ssoNewToken{}, fmt.Errorf("%s: %s", where, text)
	}
	tok, err := parseCreateTokenResponse(respBody, o.now())
	if err != nil {
		return ssoNewToken{}, fmt.Errorf("%s: %w", where, err)
	}
	return tok, nil
}

// parseCreateTokenResponse reads CreateToken's JSON: accessToken and
// expiresIn (seconds from now) are required, refreshToken is optional.
func parseCreateTokenResponse(data []byte, now time.Time) (ssoNewToken, error) {
	var x struct {
		AccessToken  string `json:"accessToken"`
		ExpiresIn    *int64 `json:"expiresIn"`
		RefreshToken string `json:"refreshToken"`
	}
	if err := json.Unmarshal(data, &x); err != nil {
		return ssoNewToken{}, fmt.Errorf("response is not valid JSON: %s", jsonErrorText(err))
	}
	if x.AccessToken == "" {
		return ssoNewToken{}, errors.New("response has no accessToken")
	}
	if strings.ContainsAny(x.AccessToken, "\r\n") {
		return ssoNewToken{}, errors.New("response accessToken contains a line break")
	}
	if x.ExpiresIn == nil {
		return ssoNewToken{}, errors.New("response has no expiresIn")
	}
	if *x.ExpiresIn <= 0 || *x.ExpiresIn > maxTokenLifetime {
		return ssoNewToken{}, fmt.Errorf("response expiresIn %d is out of range", *x.ExpiresIn)
	}
	return ssoNewToken{
		accessToken:  x.AccessToken,
		expires:      now.Add(time.Duration(*x.ExpiresIn) * time.Second).UTC().Truncate(time.Second),
		refreshToken: x.RefreshToken,
	}, nil
}

// updatedSSOCache returns the token cache data with the new token: its
// accessToken, its expiresAt (RFC 3339, UTC) and, when the service sent
// one, its refreshToken replaced; every other field is kept as it was.
func updatedSSOCache(data []byte, tok ssoNewToken) ([]byte, error) {
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(data, &fields); err != nil {
		return nil, fmt.Errorf("not valid JSON: %s", jsonErrorText(err))
	}
	if fields == nil { // the document was null
		return nil, errors.New("not a JSON object")
	}
	set := func(k, v string) {
		b, _ := json.Marshal(v) // a Go string always encodes
		fields[k] = b
	}
	set("accessToken", tok.accessToken)
	set("expiresAt", tok.expires.UTC().Format(time.RFC3339))
	if tok.refreshToken != "" {
		set("refreshToken", tok.refreshToken)
	}
	out, err := json.Marshal(fields)
	if err != nil {
		return nil, fmt.Errorf("encoding: %s", jsonErrorText(err))
	}
	return out, nil
}

// writeFileAtomic replaces path with data through a temporary file in the
// same directory (mode 0600) renamed over it, so a reader sees the old
// content or the new one, never a part.
func writeFileAtomic(path string, data []byte) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
	tmp := f.Name()
	err = f.Chmod(0o600)
	if err == nil {
		_, err = f.Write(data)
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
	}
	return err
}

// refreshSSOToken refreshes the cached token of an sso_session profile
// when it has expired or expires within ssoRefreshWindow and the cache
// holds what a refresh needs. It returns the token to use: the new one,
// or the cached one when no refresh was needed or possible, or when the
// refresh failed while the cached token is still valid.
func (p SSOProvider) refreshSSOToken(ctx context.Context, o *Options, path string, data []byte, tok ssoToken, login string) (string, error) {
	now := o.now()
	expired := !now.Before(tok.expires)
	if p.SessionName == "" || now.Before(tok.expires.Add(-ssoRefreshWindow)) {
		return p.validToken(tok, expired, login, nil)
	}
	fields, ok := ssoRefreshFieldsFrom(data, now)
	if !ok {
		return p.validToken(tok, expired, login, nil)
	}
	newTok, err := createSSOToken(ctx, o, p.Region, fields)
	if err != nil {
		if ctx.Err() != nil {
			return "", fmt.Errorf("sso: refreshing the cached token: %w", err)
		}
		return p.validToken(tok, expired, login, err)
	}
	updated, err := updatedSSOCache(data, newTok)
	if err == nil {
		err = writeFileAtomic(path, updated)
	}
	if err != nil {
		// The service may have retired the old refresh token: saying
		// nothing would lose the new one.
		return "", fmt.Errorf("sso: the token was refreshed but the cache %s could not be updated: %w", path, err)
	}
	return newTok.accessToken, nil
}

// validToken returns the cached token unless it has expired.
func (p SSOProvider) validToken(tok ssoToken, expired bool, login string, refreshErr error) (string, error) {
	if !expired {
		return tok.accessToken, nil
	}
	at := tok.expires.UTC().Format(time.RFC3339)
	if refreshErr != nil {
		return "", fmt.Errorf("sso: the cached token expired at %s and refreshing it failed (%v): run `%s`", at, refreshErr, login)
	}
	return "", fmt.Errorf("sso: the cached token expired at %s: run `%s`", at, login)
}
