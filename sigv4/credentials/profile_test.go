package credentials

import (
	"errors"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/bedrockwire/bedrockwire/sigv4"
	"github.com/google/go-cmp/cmp"
)

func staticWant(id, secret, token string) sigv4.Credentials {
	return sigv4.Credentials{AccessKeyID: id, SecretAccessKey: secret, SessionToken: token, Source: "SharedConfig"}
}

func roleWant(roleARN string) sigv4.Credentials {
	c := assumedCreds(roleARN)
	c.Source = "STSAssumeRole"
	return c
}

func TestProfileProvider(t *testing.T) {
	const (
		roleA = "arn:aws:iam::111111111111:role/a"
		roleB = "arn:aws:iam::111111111111:role/b"
	)
	tests := []struct {
		name        string
		config      string
		credentials string
		env         env
		profile     string
		want        sigv4.Credentials
		wantErr     string // HOME replaces the temporary home directory
		notConf     bool
		wantSTS     []url.Values
	}{
		{
			name:        "default static keys from the credentials file",
			credentials: "[default]\naws_access_key_id = AKIADEF\naws_secret_access_key = defsecret\n",
			want:        staticWant("AKIADEF", "defsecret", ""),
		},
		{
			name:        "credentials file wins over config for the same profile",
			config:      "[profile dev]\naws_access_key_id = AKIACFG\naws_secret_access_key = cfgsecret\naws_session_token = cfgtoken\n",
			credentials: "[dev]\naws_access_key_id = AKIACRED\naws_secret_access_key = credsecret\n",
			env:         env{"AWS_PROFILE": "dev"},
			want:        staticWant("AKIACRED", "credsecret", "cfgtoken"),
		},
		{
			name:    "option beats AWS_PROFILE",
			config:  "[profile opt]\naws_access_key_id = AKIAOPT\naws_secret_access_key = s\n[profile env]\naws_access_key_id = AKIAENV\naws_secret_access_key = s\n",
			env:     env{"AWS_PROFILE": "env"},
			profile: "opt",
			want:    staticWant("AKIAOPT", "s", ""),
		},
		{
			name:    "missing default profile is not configured",
			config:  "[profile other]\nregion = us-east-1\n",
			wantErr: `profile "default" not found in HOME/.aws/config or HOME/.aws/credentials`,
			notConf: true,
		},
		{
			name:    "missing chosen profile is an error",
			env:     env{"AWS_PROFILE": "nope"},
			wantErr: `profile "nope" not found in HOME/.aws/config or HOME/.aws/credentials`,
		},
		{
			name:    "profile with only a region is not configured",
			config:  "[default]\nregion = us-east-1\n",
			wantErr: `profile "default" has no credentials (none of aws_access_key_id, role_arn, sso_session, sso_start_url, credential_process)`,
			notConf: true,
		},
		{
			name:        "half a key pair",
			credentials: "[default]\naws_access_key_id = AKIA\n",
			wantErr:     `profile "default" has aws_access_key_id but no aws_secret_access_key`,
		},
		{
			name:    "syntax error names file and line",
			config:  "[default]\nregion = us-east-1\nnot a line\n",
			wantErr: `parsing HOME/.aws/config: line 3: expected "key = value" or "[section]"`,
		},
		{
			name: "role_arn with source_profile, regional STS from the profile region",
			config: "[profile app]\nrole_arn = " + roleA + "\nsource_profile = base\nrole_session_name = me\nexternal_id = ext\nduration_seconds = 1800\nregion = us-west-2\n" +
				"[profile base]\nregion = eu-west-1\n",
			credentials: "[base]\naws_access_key_id = AKIABASE\naws_secret_access_key = basesecret\n",
			env:         env{"AWS_PROFILE": "app"},
			want:        roleWant(roleA),
			wantSTS: []url.Values{{"Action": {"AssumeRole"}, "Version": {"2011-06-15"}, "RoleArn": {roleA}, "RoleSessionName": {"me"},
				"ExternalId": {"ext"}, "DurationSeconds": {"1800"}}},
		},
		{
			name: "chained roles: each hop signs with the previous credentials",
			config: "[profile app]\nrole_arn = " + roleB + "\nsource_profile = mid\nregion = us-west-2\n" +
				"[profile mid]\nrole_arn = " + roleA + "\nsource_profile = base\nrole_session_name = hop1\n" +
				"[profile base]\naws_access_key_id = AKIABASE\naws_secret_access_key = basesecret\n",
			profile: "app",
			want:    roleWant(roleB),
			wantSTS: []url.Values{
				{"Action": {"AssumeRole"}, "Version": {"2011-06-15"}, "RoleArn": {roleA}, "RoleSessionName": {"hop1"}},
				{"Action": {"AssumeRole"}, "Version": {"2011-06-15"}, "RoleArn": {roleB}, "RoleSessionName": {"bedrockwire-1795521600000000000"}},
			},
		},
		{
			name:    "a profile that is its own source_profile uses its keys",
			config:  "[default]\nregion = us-west-2\nrole_arn = " + roleA + "\nsource_profile = default\naws_access_key_id = AKIABASE\naws_secret_access_key = basesecret\nrole_session_name = s\n",
			want:    roleWant(roleA),
			wantSTS: []url.Values{{"Action": {"AssumeRole"}, "Version": {"2011-06-15"}, "RoleArn": {roleA}, "RoleSessionName": {"s"}}},
		},
		{
			name:    "credential_source Environment",
			config:  "[default]\nregion = us-west-2\nrole_arn = " + roleA + "\ncredential_source = Environment\nrole_session_name = s\n",
			env:     env{"AWS_ACCESS_KEY_ID": "AKIABASE", "AWS_SECRET_ACCESS_KEY": "basesecret"},
			want:    roleWant(roleA),
			wantSTS: []url.Values{{"Action": {"AssumeRole"}, "Version": {"2011-06-15"}, "RoleArn": {roleA}, "RoleSessionName": {"s"}}},
		},
		{
			name:    "credential_source that is not there fails, not skipped",
			config:  "[default]\nrole_arn = " + roleA + "\ncredential_source = EcsContainer\n",
			wantErr: "assume role " + roleA + ": source credentials: credential_source EcsContainer: AWS_CONTAINER_CREDENTIALS_RELATIVE_URI and AWS_CONTAINER_CREDENTIALS_FULL_URI are not set",
		},
		{
			name:    "unknown credential_source",
			config:  "[default]\nrole_arn = " + roleA + "\ncredential_source = Ec2\n",
			wantErr: `profile "default": credential_source "Ec2" is not one of Environment, Ec2InstanceMetadata, EcsContainer`,
		},
		{
			name:    "both sources",
			config:  "[default]\nrole_arn = " + roleA + "\ncredential_source = Environment\nsource_profile = x\n",
			wantErr: `profile "default" sets both source_profile and credential_source; use one`,
		},
		{
			name:    "role without a source",
			config:  "[default]\nrole_arn = " + roleA + "\n",
			wantErr: `profile "default" has role_arn but neither source_profile nor credential_source`,
		},
		{
			name:    "MFA is refused with a clear message",
			config:  "[default]\nrole_arn = " + roleA + "\nsource_profile = base\nmfa_serial = arn:aws:iam::1:mfa/me\n[profile base]\naws_access_key_id = A\naws_secret_access_key = S\n",
			wantErr: `profile "default" needs an MFA code (mfa_serial arn:aws:iam::1:mfa/me) to assume ` + roleA + ", and bedrockwire cannot prompt for one: get session credentials first (for example `aws sts get-session-token --serial-number ... --token-code ...`) and export them, or use a profile without mfa_serial",
		},
		{
			name:    "source_profile loop",
			config:  "[profile a]\nrole_arn = " + roleA + "\nsource_profile = b\n[profile b]\nrole_arn = " + roleB + "\nsource_profile = a\n",
			profile: "a",
			wantErr: `profile "b": source_profile loop: a -> b -> a`,
		},
		{
			name:    "source_profile missing",
			config:  "[default]\nrole_arn = " + roleA + "\nsource_profile = ghost\n",
			wantErr: `profile "default": source_profile "ghost" not found in HOME/.aws/config or HOME/.aws/credentials`,
		},
		{
			name:    "source_profile without credentials",
			config:  "[default]\nrole_arn = " + roleA + "\nsource_profile = empty\n[profile empty]\nregion = us-east-1\n",
			wantErr: `profile "empty" has no credentials (none of aws_access_key_id, role_arn, sso_session, sso_start_url, credential_process), but profile "default" uses it as source_profile`,
		},
		{
			name:    "bad duration_seconds",
			config:  "[default]\nrole_arn = " + roleA + "\ncredential_source = Environment\nduration_seconds = 60\n",
			wantErr: `profile "default": duration_seconds "60" is not a whole number of seconds from 900 to 43200`,
		},
		{
			name:    "credential_process",
			config:  "[profile proc]\ncredential_process = printf '{\"Version\":1,\"AccessKeyId\":\"AKIAPROC\",\"SecretAccessKey\":\"p\"}'\n",
			profile: "proc",
			want:    sigv4.Credentials{AccessKeyID: "AKIAPROC", SecretAccessKey: "p", Source: "Process"},
		},
		{
			name:   "static keys win over credential_process in one profile",
			config: "[default]\ncredential_process = false\naws_access_key_id = AKIA\naws_secret_access_key = s\n",
			want:   staticWant("AKIA", "s", ""),
		},
		{
			name:    "sso-session section missing",
			config:  "[default]\nsso_session = corp\nsso_account_id = 1\nsso_role_name = Admin\n",
			wantErr: `profile "default": [sso-session corp] not found in HOME/.aws/config`,
		},
		{
			name:    "sso profile missing the role",
			config:  "[default]\nsso_session = corp\nsso_account_id = 1\n[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = us-east-1\n",
			wantErr: `profile "default": SSO configuration is missing sso_role_name`,
		},
		{
			name:    "sso profile disagreeing with its session",
			config:  "[default]\nsso_session = corp\nsso_region = eu-west-1\nsso_account_id = 1\nsso_role_name = Admin\n[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = us-east-1\n",
			wantErr: `profile "default": sso_region "eu-west-1" differs from sso-session "corp"'s "us-east-1"`,
		},
		{
			name:    "legacy sso profile missing keys",
			config:  "[default]\nsso_start_url = https://corp.awsapps.com/start\nsso_role_name = Admin\n",
			wantErr: `profile "default": SSO configuration is missing sso_region, sso_account_id`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if strings.Contains(tt.name, "credential_process") {
				skipWithoutShell(t)
			}
			sts := newFakeSTS(t, "us-west-2",
				sigv4.Credentials{AccessKeyID: "AKIABASE", SecretAccessKey: "basesecret"},
				assumedCreds(roleA))
			o := testOptions(t, tt.env)
			o.STSEndpoint = sts.URL
			o.Profile = tt.profile
			writeConfig(t, o, tt.config, tt.credentials)
			got, err := retrieve(t, ProfileProvider{Options: o})
			gotErr := strings.ReplaceAll(errText(err), o.HomeDir, "HOME")
			if gotErr != orNil(tt.wantErr) {
				t.Fatalf("error:\n got %s\nwant %s", gotErr, orNil(tt.wantErr))
			}
			if errors.Is(err, ErrNotConfigured) != tt.notConf {
				t.Errorf("errors.Is(err, ErrNotConfigured) = %v", !tt.notConf)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("credentials (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.wantSTS, sts.Calls()); diff != "" {
				t.Errorf("STS calls (-want +got):\n%s", diff)
			}
		})
	}
}

func TestProfileWebIdentityAndSSO(t *testing.T) {
	sts := newFakeSTS(t, "")
	portal := newFakeSSOPortal(t, "good-access-token")
	o := testOptions(t, nil)
	o.STSEndpoint, o.SSOEndpoint = sts.URL, portal.URL
	tokenFile := writeFile(t, o.HomeDir, "oidc", "good-oidc-token")
	writeConfig(t, o, "[profile web]\nrole_arn = arn:aws:iam::1:role/web\nweb_identity_token_file = ~/oidc\nrole_session_name = w\n"+
		"[profile sso]\nsso_session = corp\nsso_account_id = 123456789012\nsso_role_name = Admin\n"+
		"[profile legacy]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = us-east-1\nsso_account_id = 123456789012\nsso_role_name = Admin\n"+
		"[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = us-east-1\nsso_registration_scopes = sso:account:access\n", "")
	_ = tokenFile
	writeSSOToken(t, o.HomeDir, "corp", "good-access-token", testNow.Add(time.Hour))
	writeSSOToken(t, o.HomeDir, "https://corp.awsapps.com/start", "good-access-token", testNow.Add(time.Hour))

	o.Profile = "web"
	want := assumedCreds("arn:aws:iam::1:role/web")
	want.Source = "STSAssumeRoleWithWebIdentity"
	if diff := cmp.Diff(want, mustRetrieve(t, ProfileProvider{Options: o})); diff != "" {
		t.Errorf("web identity profile (-want +got):\n%s", diff)
	}
	for _, name := range []string{"sso", "legacy"} {
		o.Profile = name
		if diff := cmp.Diff(ssoWant, mustRetrieve(t, ProfileProvider{Options: o})); diff != "" {
			t.Errorf("%s profile (-want +got):\n%s", name, diff)
		}
	}
}

func TestSharedFilesFromEnvironment(t *testing.T) {
	o := testOptions(t, nil)
	writeFile(t, o.HomeDir, "elsewhere/creds", "[default]\naws_access_key_id = AKIAELSE\naws_secret_access_key = s\n")
	writeFile(t, o.HomeDir, ".aws/credentials", "[default]\naws_access_key_id = AKIAHOME\naws_secret_access_key = s\n")
	o.Getenv = env{"AWS_SHARED_CREDENTIALS_FILE": "~/elsewhere/creds", "AWS_CONFIG_FILE": "~/elsewhere/none"}.get
	if diff := cmp.Diff(staticWant("AKIAELSE", "s", ""), mustRetrieve(t, ProfileProvider{Options: o})); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	o.CredentialsFile = o.HomeDir + "/.aws/credentials" // the option beats the variable
	if diff := cmp.Diff(staticWant("AKIAHOME", "s", ""), mustRetrieve(t, ProfileProvider{Options: o})); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}
