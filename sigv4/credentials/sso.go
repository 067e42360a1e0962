package credentials

import (
	"context"
	"crypto/sha1"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/bedrockwire/bedrockwire/sigv4"
)

// SourceSSO is the Source of credentials from IAM Identity Center.
const SourceSSO = "SSO"

// SSOProvider gets role credentials from IAM Identity Center (AWS SSO): it
// reads the access token that `aws sso login` left in
// ~/.aws/sso/cache/<sha1>.json (the SHA-1 of SessionName, or of StartURL for
// legacy profiles without sso_session) and calls the portal's
// GetRoleCredentials.
//
// For an sso_session profile, a cached token that has expired or expires
// within 5 minutes is refreshed as the AWS SDKs and the AWS CLI v2 do, when
// the cache holds refreshToken, clientId, clientSecret and a
// registrationExpiresAt still in the future: SSO OIDC CreateToken (an
// unsigned POST to https://oidc.{sso_region}.amazonaws.com/token, or
// AWS_ENDPOINT_URL_SSO_OIDC, then AWS_ENDPOINT_URL) returns a new token,
// which is written back into the same cache file (accessToken, expiresAt
// and a rotated refreshToken; other fields kept) through a temporary file
// renamed over it. When the refresh fails, a cached token that has not
// expired yet is still used; an expired one gives an error that says to
// run `aws sso login --sso-session NAME`. Tokens of legacy profiles
// (without sso_session) are never refreshed.
type SSOProvider struct {
	SessionName string // the sso_session name; empty for legacy profiles
	StartURL    string // sso_start_url
	Region      string // sso_region: where the portal is
	AccountID   string // sso_account_id
	RoleName    string // sso_role_name
	Options     Options
}

// Retrieve reads the cached token and fetches the role credentials.
func (p SSOProvider) Retrieve(ctx context.Context) (sigv4.Credentials, error) {
	o := &p.Options
	var missing []string
	for _, f := range []struct{ name, v string }{
		{"sso_region", p.Region}, {"sso_account_id", p.AccountID}, {"sso_role_name", p.RoleName},
	} {
		if f.v == "" {
			missing = append(missing, f.name)
		}
	}
	if p.SessionName == "" && p.StartURL == "" {
		missing = append([]string{"sso_start_url"}, missing...)
	}
	if len(missing) > 0 {
		return sigv4.Credentials{}, fmt.Errorf("sso: missing %s", strings.Join(missing, ", "))
	}
	if !validRegion(p.Region) {
		return sigv4.Credentials{}, fmt.Errorf("sso: sso_region %q is not a valid region name", truncate(p.Region, 40))
	}
	login := "aws sso login"
	if p.SessionName != "" {
		login += " --sso-session " + p.SessionName
	}
	token, err := p.cachedToken(ctx, o, login)
	if err != nil {
		return sigv4.Credentials{}, err
	}
	base := o.serviceEndpoint(o.SSOEndpoint, "SSO")
	if base == "" {
		base = "https://portal.sso." + p.Region + "." + dnsSuffix(p.Region)
	}
	q := url.Values{"account_id": {p.AccountID}, "role_name": {p.RoleName}}
	req, err := http.NewRequest(http.MethodGet, strings.TrimSuffix(base, "/")+"/federation/credentials?"+q.Encode(), nil)
	if err != nil {
		return sigv4.Credentials{}, fmt.Errorf("sso: bad portal endpoint: %w", err)
	}
	req.Header.Set("X-Amz-Sso_bearer_token", token)
	req.Header.Set("Accept", "application/json")
	resp, body, err := doLimited(ctx, o.apiClient(), req, apiTimeout)
	where := fmt.Sprintf("sso GetRoleCredentials (account %s, role %s)", p.AccountID, p.RoleName)
	if err != nil {
		return sigv4.Credentials{}, fmt.Errorf("%s: %w", where, transportError(err))
	}
	if resp.StatusCode != http.StatusOK {
		text := ssoErrorText(resp, body)
		if resp.StatusCode == http.StatusUnauthorized {
			text += "; the SSO session may have ended: run `" + login + "`"
		}
		return sigv4.Credentials{}, fmt.Errorf("%s: %s", where, text)
	}
	creds, err := parseSSORoleCredentials(body, o.now())
	if err != nil {
		return sigv4.Credentials{}, fmt.Errorf("%s: %w", where, err)
	}
	return creds, nil
}

// ssoCacheKey is the file name of the cached token.
func ssoCacheKey(sessionName, startURL string) string {
	key := startURL
	if sessionName != "" {
		key = sessionName
	}
	sum := sha1.Sum([]byte(key))
	return hex.EncodeToString(sum[:]) + ".json"
}

func (p SSOProvider) cachedToken(ctx context.Context, o *Options, login string) (string, error) {
	home, err := o.homeDir()
	if err != nil {
		return "", fmt.Errorf("sso: %w", err)
	}
	path := filepath.Join(home, ".aws", "sso", "cache", ssoCacheKey(p.SessionName, p.StartURL))
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return "", fmt.Errorf("sso: no cached token at %s: run `%s`", path, login)
	}
	if err != nil {
		return "", fmt.Errorf("sso: reading token cache: %w", err)
	}
	tok, err := parseSSOToken(data)
	if err != nil {
		return "", fmt.Errorf("sso: token cache %s: %w", path, err)
	}
	return p.refreshSSOToken(ctx, o, path, data, tok, login)
}

type ssoToken struct {
	accessToken string
	expires     time.Time
}

// parseSSOToken reads the token cache JSON ({"accessToken", "expiresAt", …}).
func parseSSOToken(data []byte) (ssoToken, error) {
	var x struct {
		AccessToken string `json:"accessToken"`
		ExpiresAt   string `json:"expiresAt"`
	}
	if err := json.Unmarshal(data, &x); err != nil {
		return ssoToken{}, fmt.Errorf("not valid JSON: %s", jsonErrorText(err))
	}
	if x.AccessToken == "" {
		return ssoToken{}, errors.New("no accessToken")
	}
	if strings.ContainsAny(x.AccessToken, "\r\n") {
		return ssoToken{}, errors.New("accessToken contains a line break")
	}
	if x.ExpiresAt == "" {
		return ssoToken{}, errors.New("no expiresAt")
	}
	t, err := parseTimestamp(x.ExpiresAt)
	if err != nil {
		return ssoToken{}, fmt.Errorf("expiresAt: %w", err)
	}
	return ssoToken{accessToken: x.AccessToken, expires: t}, nil
}

// parseSSORoleCredentials reads GetRoleCredentials' JSON, whose expiration
// is in milliseconds since the epoch.
func parseSSORoleCredentials(data []byte, now time.Time) (sigv4.Credentials, error) {
	var x struct {
		RoleCredentials *struct {
			AccessKeyID     string `json:"accessKeyId"`
			SecretAccessKey string `json:"secretAccessKey"`
			SessionToken    string `json:"sessionToken"`
			Expiration      int64  `json:"expiration"`
		} `json:"roleCredentials"`
	}
	if err := json.Unmarshal(data, &x); err != nil {
		return sigv4.Credentials{}, fmt.Errorf("response is not valid JSON: %s", jsonErrorText(err))
	}
	if x.RoleCredentials == nil {
		return sigv4.Credentials{}, errors.New("response has no roleCredentials")
	}
	r := x.RoleCredentials
	c := sigv4.Credentials{
		AccessKeyID:     r.AccessKeyID,
		SecretAccessKey: r.SecretAccessKey,
		SessionToken:    r.SessionToken,
		Source:          SourceSSO,
	}
	if err := requireKeys(c, "accessKeyId", "secretAccessKey"); err != nil {
		return sigv4.Credentials{}, fmt.Errorf("response %w", err)
	}
	if r.Expiration > 0 {
		c.Expires = time.UnixMilli(r.Expiration).UTC()
		if c.Expired(now) {
			return sigv4.Credentials{}, fmt.Errorf("response credentials expired at %s", c.Expires.Format(time.RFC3339))
		}
	}
	return c, nil
}

// ssoErrorText renders an SSO or SSO OIDC error: the x-amzn-errortype
// header or the body's __type, the OAuth error code of an SSO OIDC body
// ("error", e.g. invalid_grant) and the message (message, Message or
// error_description).
func ssoErrorText(resp *http.Response, body []byte) string {
	var x struct {
		Type     string `json:"__type"`
		Message  string `json:"message"`
		MessageU string `json:"Message"`
		OAuth    string `json:"error"`
		OAuthMsg string `json:"error_description"`
	}
	_ = json.Unmarshal(body, &x)
	code := resp.Header.Get("X-Amzn-Errortype")
	if code == "" {
		code = x.Type
	}
	if code == "" {
		code = x.OAuth
	}
	code, _, _ = strings.Cut(code, ":")
	if i := strings.LastIndexByte(code, '#'); i >= 0 {
		code = code[i+1:]
	}
	msg := x.Message
	if msg == "" {
		msg = x.MessageU
	}
	if msg == "" {
		msg = x.OAuthMsg
	}
	text := fmt.Sprintf("HTTP %d", resp.StatusCode)
	if code != "" {
		text += " " + code
	}
	if x.OAuth != "" && x.OAuth != code {
		text += " (" + truncate(x.OAuth, 60) + ")"
	}
	if msg != "" {
		text += ": " + truncate(msg, 300)
	}
	return text
}
