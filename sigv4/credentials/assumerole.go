package credentials

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"time"

	"github.com/bedrockwire/bedrockwire/sigv4"
)

// AssumeRoleProvider calls STS AssumeRole with credentials from Source,
// signing the query-protocol request itself. STS goes to the regional
// endpoint (https://sts.{Region}.amazonaws.com) when a region is known and
// the global one otherwise.
type AssumeRoleProvider struct {
	// Source supplies the credentials that call AssumeRole.
	Source sigv4.CredentialsProvider
	// RoleARN is the role to assume (required).
	RoleARN string
	// RoleSessionName names the session. Empty: "bedrockwire-<unix nanos>".
	RoleSessionName string
	// ExternalID is passed as ExternalId when set.
	ExternalID string
	// Duration is the session length (DurationSeconds). Zero: the role's
	// default (one hour).
	Duration time.Duration
	// Region is the STS region. Empty: Options.Region, else global STS.
	Region string
	// Options carry the HTTP client, clock, signer and endpoint override.
	Options Options
}

// Retrieve assumes the role.
func (p AssumeRoleProvider) Retrieve(ctx context.Context) (sigv4.Credentials, error) {
	if p.RoleARN == "" {
		return sigv4.Credentials{}, errors.New("assume role: no role ARN")
	}
	if p.Source == nil {
		return sigv4.Credentials{}, fmt.Errorf("assume role %s: no source credentials provider", p.RoleARN)
	}
	src, err := p.Source.Retrieve(ctx)
	if err != nil {
		return sigv4.Credentials{}, fmt.Errorf("assume role %s: source credentials: %w", p.RoleARN, err)
	}
	if !src.HasKeys() {
		return sigv4.Credentials{}, fmt.Errorf("assume role %s: source credentials are empty", p.RoleARN)
	}
	o := p.Options
	form := url.Values{
		"Action":          {"AssumeRole"},
		"RoleArn":         {p.RoleARN},
		"RoleSessionName": {p.RoleSessionName},
	}
	if p.RoleSessionName == "" {
		form.Set("RoleSessionName", defaultSessionName(o.now()))
	}
	if p.ExternalID != "" {
		form.Set("ExternalId", p.ExternalID)
	}
	if p.Duration > 0 {
		form.Set("DurationSeconds", strconv.FormatInt(int64(p.Duration/time.Second), 10))
	}
	region := p.Region
	if region == "" {
		region = o.Region
	}
	creds, err := callSTS(ctx, &o, region, form, &src)
	if err != nil {
		return sigv4.Credentials{}, fmt.Errorf("assume role %s: %w", p.RoleARN, err)
	}
	return creds, nil
}
