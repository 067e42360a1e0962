package credentials

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/bedrockwire/bedrockwire/sigv4"
)

// WebIdentityProvider exchanges an OIDC token read from a file for role
// credentials with STS AssumeRoleWithWebIdentity (an unsigned request), as
// EKS IAM Roles for Service Accounts does. The file is read on every
// Retrieve because its token rotates.
//
// With TokenFile and RoleARN both empty they come from
// AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN, and the session name from
// AWS_ROLE_SESSION_NAME; with neither variable set the error matches
// ErrNotConfigured.
type WebIdentityProvider struct {
	TokenFile       string
	RoleARN         string
	RoleSessionName string        // empty: "bedrockwire-<unix nanos>"
	Duration        time.Duration // zero: the role's default
	Region          string        // STS region; empty: Options.Region, else global
	Options         Options
}

// Retrieve reads the token and calls STS.
func (p WebIdentityProvider) Retrieve(ctx context.Context) (sigv4.Credentials, error) {
	o := p.Options
	tokenFile, roleARN, session := p.TokenFile, p.RoleARN, p.RoleSessionName
	if tokenFile == "" && roleARN == "" {
		tokenFile = o.getenv("AWS_WEB_IDENTITY_TOKEN_FILE")
		roleARN = o.getenv("AWS_ROLE_ARN")
		if session == "" {
			session = o.getenv("AWS_ROLE_SESSION_NAME")
		}
		switch {
		case tokenFile == "" && roleARN == "":
			return sigv4.Credentials{}, notConfigured("AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN are not set")
		case roleARN == "":
			return sigv4.Credentials{}, fmt.Errorf("AWS_WEB_IDENTITY_TOKEN_FILE is set but AWS_ROLE_ARN is not")
		case tokenFile == "":
			return sigv4.Credentials{}, fmt.Errorf("AWS_ROLE_ARN is set but AWS_WEB_IDENTITY_TOKEN_FILE is not")
		}
	}
	if tokenFile == "" || roleARN == "" {
		return sigv4.Credentials{}, fmt.Errorf("web identity: both a token file and a role ARN are needed")
	}
	data, err := os.ReadFile(o.expandHome(tokenFile))
	if err != nil {
		return sigv4.Credentials{}, fmt.Errorf("web identity: reading token file: %w", err)
	}
	token := strings.TrimSpace(string(data))
	if token == "" {
		return sigv4.Credentials{}, fmt.Errorf("web identity: token file %s is empty", tokenFile)
	}
	if session == "" {
		session = defaultSessionName(o.now())
	}
	form := url.Values{
		"Action":           {"AssumeRoleWithWebIdentity"},
		"RoleArn":          {roleARN},
		"RoleSessionName":  {session},
		"WebIdentityToken": {token},
	}
	if p.Duration > 0 {
		form.Set("DurationSeconds", strconv.FormatInt(int64(p.Duration/time.Second), 10))
	}
	region := p.Region
	if region == "" {
		region = o.Region
	}
	creds, err := callSTS(ctx, &o, region, form, nil)
	if err != nil {
		return sigv4.Credentials{}, fmt.Errorf("web identity role %s: %w", roleARN, err)
	}
	return creds, nil
}
