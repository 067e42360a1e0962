package credentials

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/bedrockwire/bedrockwire/sigv4"
)

// SourceSharedConfig is the Source of static keys from the shared files.
const SourceSharedConfig = "SharedConfig"

// ProfileProvider resolves credentials from a profile of the shared config
// and credentials files, reading the files on every Retrieve (so a new
// `aws sso login` or an edited file is picked up).
//
// In a profile, role_arn comes first: with web_identity_token_file the role
// is assumed with web identity; otherwise with the credentials of
// source_profile (which may itself assume a role, or be the profile itself
// when it holds static keys) or of credential_source (Environment,
// Ec2InstanceMetadata or EcsContainer). Without role_arn: static keys
// (aws_access_key_id, aws_secret_access_key, aws_session_token), then
// sso_session or the legacy sso_* keys, then credential_process. A profile
// with mfa_serial is refused: there is no one to type the code.
//
// When the profile is the default one and does not exist, or exists
// without any credential setting, the error matches ErrNotConfigured.
type ProfileProvider struct {
	Options Options
}

// Retrieve resolves the profile and fetches its credentials.
func (p ProfileProvider) Retrieve(ctx context.Context) (sigv4.Credentials, error) {
	o := p.Options
	sf, err := loadSharedFiles(&o)
	if err != nil {
		return sigv4.Credentials{}, err
	}
	name := o.profileName()
	props, ok := sf.profile(name)
	if !ok {
		if o.profileExplicit() {
			return sigv4.Credentials{}, fmt.Errorf("profile %q not found in %s", name, sf.where())
		}
		return sigv4.Credentials{}, notConfigured("profile %q not found in %s", name, sf.where())
	}
	if o.Region == "" {
		o.Region = regionFrom(&o, props)
	}
	r := &profileResolver{opts: &o, files: sf}
	prov, err := r.resolve(name, props, nil)
	if err != nil {
		return sigv4.Credentials{}, err
	}
	return prov.Retrieve(ctx)
}

type profileResolver struct {
	opts  *Options
	files *sharedFiles
}

var errNoProfileCredentials = errors.New("no credential settings")

// resolve turns a profile into a provider. chain holds the profiles that led
// here through source_profile, to catch cycles.
func (r *profileResolver) resolve(name string, props map[string]string, chain []string) (sigv4.CredentialsProvider, error) {
	chain = append(chain, name)
	top := len(chain) == 1
	if props["role_arn"] != "" {
		return r.resolveRole(name, props, chain)
	}
	if prov, err := staticFromProfile(name, props); prov != nil || err != nil {
		return prov, err
	}
	if props["sso_session"] != "" || props["sso_start_url"] != "" || props["sso_account_id"] != "" || props["sso_role_name"] != "" {
		return r.resolveSSO(name, props)
	}
	if cmd := props["credential_process"]; cmd != "" {
		return ProcessProvider{Command: cmd, Timeout: r.opts.ProcessTimeout, Now: r.opts.Now}, nil
	}
	what := fmt.Sprintf("profile %q has no credentials (none of aws_access_key_id, role_arn, sso_session, sso_start_url, credential_process)", name)
	if top {
		return nil, notConfigured("%s", what)
	}
	return nil, fmt.Errorf("%s, but profile %q uses it as source_profile", what, chain[len(chain)-2])
}

func staticFromProfile(name string, props map[string]string) (sigv4.CredentialsProvider, error) {
	id, secret := props["aws_access_key_id"], props["aws_secret_access_key"]
	switch {
	case id == "" && secret == "":
		return nil, nil
	case id == "":
		return nil, fmt.Errorf("profile %q has aws_secret_access_key but no aws_access_key_id", name)
	case secret == "":
		return nil, fmt.Errorf("profile %q has aws_access_key_id but no aws_secret_access_key", name)
	}
	return sigv4.StaticCredentials{
		AccessKeyID:     id,
		SecretAccessKey: secret,
		SessionToken:    props["aws_session_token"],
		Source:          SourceSharedConfig,
	}, nil
}

func (r *profileResolver) resolveRole(name string, props map[string]string, chain []string) (sigv4.CredentialsProvider, error) {
	roleARN := props["role_arn"]
	var duration time.Duration
	if d := props["duration_seconds"]; d != "" {
		n, err := strconv.Atoi(d)
		if err != nil || n < 900 || n > 43200 {
			return nil, fmt.Errorf("profile %q: duration_seconds %q is not a whole number of seconds from 900 to 43200", name, truncate(d, 20))
		}
		duration = time.Duration(n) * time.Second
	}
	if tokenFile := props["web_identity_token_file"]; tokenFile != "" {
		return WebIdentityProvider{
			TokenFile:       tokenFile,
			RoleARN:         roleARN,
			RoleSessionName: props["role_session_name"],
			Duration:        duration,
			Options:         *r.opts,
		}, nil
	}
	if mfa := props["mfa_serial"]; mfa != "" {
		return nil, fmt.Errorf("profile %q needs an MFA code (mfa_serial %s) to assume %s, and bedrockwire cannot prompt for one: get session credentials first (for example `aws sts get-session-token --serial-number ... --token-code ...`) and export them, or use a profile without mfa_serial", name, mfa, roleARN)
	}
	source, credSource := props["source_profile"], props["credential_source"]
	var base sigv4.CredentialsProvider
	switch {
	case source != "" && credSource != "":
		return nil, fmt.Errorf("profile %q sets both source_profile and credential_source; use one", name)
	case source != "":
		if source == name {
			// A profile may assume a role with its own static keys.
			prov, err := staticFromProfile(name, props)
			if err != nil {
				return nil, err
			}
			if prov == nil {
				return nil, fmt.Errorf("profile %q is its own source_profile but has no aws_access_key_id and aws_secret_access_key", name)
			}
			base = prov
			break
		}
		for _, seen := range chain {
			if seen == source {
				return nil, fmt.Errorf("profile %q: source_profile loop: %s -> %s", name, strings.Join(chain, " -> "), source)
			}
		}
		srcProps, ok := r.files.profile(source)
		if !ok {
			return nil, fmt.Errorf("profile %q: source_profile %q not found in %s", name, source, r.files.where())
		}
		prov, err := r.resolve(source, srcProps, chain)
		if err != nil {
			return nil, err
		}
		base = prov
	case credSource != "":
		switch credSource {
		case "Environment":
			base = EnvProvider{Getenv: r.opts.Getenv}
		case "Ec2InstanceMetadata":
			base = NewIMDSProvider(*r.opts)
		case "EcsContainer":
			base = ContainerProvider{Options: *r.opts}
		default:
			return nil, fmt.Errorf("profile %q: credential_source %q is not one of Environment, Ec2InstanceMetadata, EcsContainer", name, truncate(credSource, 40))
		}
		base = requireConfigured{base, "credential_source " + credSource}
	default:
		return nil, fmt.Errorf("profile %q has role_arn but neither source_profile nor credential_source", name)
	}
	return AssumeRoleProvider{
		Source:          base,
		RoleARN:         roleARN,
		RoleSessionName: props["role_session_name"],
		ExternalID:      props["external_id"],
		Duration:        duration,
		Options:         *r.opts,
	}, nil
}

// requireConfigured turns a "not configured" answer into a failure: a
// credential_source that names a source promises it is there.
type requireConfigured struct {
	sigv4.CredentialsProvider
	what string
}

func (p requireConfigured) Retrieve(ctx context.Context) (sigv4.Credentials, error) {
	c, err := p.CredentialsProvider.Retrieve(ctx)
	if err != nil && errors.Is(err, ErrNotConfigured) {
		return c, fmt.Errorf("%s: %s", p.what, err.Error())
	}
	return c, err
}

func (r *profileResolver) resolveSSO(name string, props map[string]string) (sigv4.CredentialsProvider, error) {
	p := SSOProvider{
		StartURL:  props["sso_start_url"],
		Region:    props["sso_region"],
		AccountID: props["sso_account_id"],
		RoleName:  props["sso_role_name"],
		Options:   *r.opts,
	}
	if session := props["sso_session"]; session != "" {
		sec, ok := r.files.config.ssoSession(session)
		if !ok {
			return nil, fmt.Errorf("profile %q: [sso-session %s] not found in %s", name, session, r.files.configPath)
		}
		for _, k := range [...]string{"sso_start_url", "sso_region"} {
			if props[k] != "" && sec[k] != "" && props[k] != sec[k] {
				return nil, fmt.Errorf("profile %q: %s %q differs from sso-session %q's %q", name, k, props[k], session, sec[k])
			}
		}
		p.SessionName = session
		p.StartURL = sec["sso_start_url"]
		p.Region = sec["sso_region"]
		if p.StartURL == "" || p.Region == "" {
			return nil, fmt.Errorf("profile %q: [sso-session %s] needs sso_start_url and sso_region", name, session)
		}
	}
	var missing []string
	for _, k := range [...]string{"sso_start_url", "sso_region", "sso_account_id", "sso_role_name"} {
		if props[k] == "" && (p.SessionName == "" || k == "sso_account_id" || k == "sso_role_name") {
			missing = append(missing, k)
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("profile %q: SSO configuration is missing %s", name, strings.Join(missing, ", "))
	}
	return p, nil
}
