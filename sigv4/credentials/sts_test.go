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

var baseCreds = sigv4.Credentials{AccessKeyID: "AKIABASE", SecretAccessKey: "basesecret", Source: "test"}

func TestAssumeRoleProvider(t *testing.T) {
	sts := newFakeSTS(t, "us-west-2", baseCreds)
	o := testOptions(t, nil)
	o.STSEndpoint = sts.URL
	p := AssumeRoleProvider{
		Source:          sigv4.StaticCredentials(baseCreds),
		RoleARN:         "arn:aws:iam::123456789012:role/deploy",
		RoleSessionName: "ci-run",
		ExternalID:      "ext-42",
		Duration:        2 * time.Hour,
		Region:          "us-west-2",
		Options:         o,
	}
	got := mustRetrieve(t, p)
	want := assumedCreds(p.RoleARN)
	want.Source = "STSAssumeRole"
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("credentials (-want +got):\n%s", diff)
	}
	wantForm := []url.Values{{
		"Action":          {"AssumeRole"},
		"Version":         {"2011-06-15"},
		"RoleArn":         {"arn:aws:iam::123456789012:role/deploy"},
		"RoleSessionName": {"ci-run"},
		"ExternalId":      {"ext-42"},
		"DurationSeconds": {"7200"},
	}}
	if diff := cmp.Diff(wantForm, sts.Calls()); diff != "" {
		t.Errorf("STS request (-want +got):\n%s", diff)
	}
}

func TestAssumeRoleDefaultsAndGlobalEndpoint(t *testing.T) {
	// No region: global STS, signed for us-east-1; the fake checks that.
	sts := newFakeSTS(t, "us-east-1", baseCreds)
	o := testOptions(t, nil)
	o.STSEndpoint = sts.URL
	mustRetrieve(t, AssumeRoleProvider{Source: sigv4.StaticCredentials(baseCreds), RoleARN: "arn:aws:iam::1:role/r", Options: o})
	want := []url.Values{{
		"Action":          {"AssumeRole"},
		"Version":         {"2011-06-15"},
		"RoleArn":         {"arn:aws:iam::1:role/r"},
		"RoleSessionName": {"bedrockwire-1795521600000000000"},
	}}
	if diff := cmp.Diff(want, sts.Calls()); diff != "" {
		t.Errorf("STS request (-want +got):\n%s", diff)
	}
}

func TestAssumeRoleErrors(t *testing.T) {
	roleARN := "arn:aws:iam::1:role/r"
	tests := []struct {
		name       string
		source     sigv4.CredentialsProvider
		failStatus int
		failBody   string
		wantErr    string
		wantSTS    *STSError
	}{
		{
			name:       "STS error XML",
			source:     sigv4.StaticCredentials(baseCreds),
			failStatus: 403,
			failBody:   `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>User: arn:aws:iam::1:user/u is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::1:role/r</Message></Error><RequestId>c6104cbe-af31-11e0-8154-cbc7ccf896c7</RequestId></ErrorResponse>`,
			wantErr:    "assume role arn:aws:iam::1:role/r: sts AssumeRole: AccessDenied: User: arn:aws:iam::1:user/u is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::1:role/r (HTTP 403, request ID c6104cbe-af31-11e0-8154-cbc7ccf896c7)",
			wantSTS:    &STSError{Action: "AssumeRole", StatusCode: 403, Type: "Sender", Code: "AccessDenied", Message: "User: arn:aws:iam::1:user/u is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::1:role/r", RequestID: "c6104cbe-af31-11e0-8154-cbc7ccf896c7"},
		},
		{
			name:       "not XML",
			source:     sigv4.StaticCredentials(baseCreds),
			failStatus: 502,
			failBody:   "<html>bad gateway",
			wantErr:    "assume role arn:aws:iam::1:role/r: sts AssumeRole: Bad Gateway (HTTP 502)",
			wantSTS:    &STSError{Action: "AssumeRole", StatusCode: 502, Message: "Bad Gateway"},
		},
		{
			name:       "200 with the wrong document",
			source:     sigv4.StaticCredentials(baseCreds),
			failStatus: 200,
			failBody:   `<AssumeRoleWithWebIdentityResponse><AssumeRoleWithWebIdentityResult><Credentials><AccessKeyId>A</AccessKeyId></Credentials></AssumeRoleWithWebIdentityResult></AssumeRoleWithWebIdentityResponse>`,
			wantErr:    "assume role arn:aws:iam::1:role/r: sts AssumeRole: response root element is <AssumeRoleWithWebIdentityResponse>, want <AssumeRoleResponse>",
		},
		{
			name:    "unknown caller: the signature is really checked",
			source:  sigv4.StaticCredentials{AccessKeyID: "AKIAOTHER", SecretAccessKey: "x"},
			wantErr: "assume role arn:aws:iam::1:role/r: sts AssumeRole: SignatureDoesNotMatch: UnrecognizedClientException: The security token included in the request is invalid. (HTTP 403, request ID err-req-1)",
		},
		{
			name:    "source fails",
			source:  EnvProvider{Getenv: env{}.get},
			wantErr: "assume role arn:aws:iam::1:role/r: source credentials: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sts := newFakeSTS(t, "eu-central-1", baseCreds)
			sts.failStatus, sts.failBody = tt.failStatus, tt.failBody
			o := testOptions(t, nil)
			o.STSEndpoint = sts.URL
			o.Region = "eu-central-1"
			got, err := retrieve(t, AssumeRoleProvider{Source: tt.source, RoleARN: roleARN, RoleSessionName: "s", Options: o})
			if errText(err) != tt.wantErr {
				t.Fatalf("error:\n got %s\nwant %s", errText(err), tt.wantErr)
			}
			if got != (sigv4.Credentials{}) {
				t.Errorf("credentials returned with the error: %v", got)
			}
			if tt.wantSTS != nil {
				var se *STSError
				if !errors.As(err, &se) {
					t.Fatalf("error is not an *STSError")
				}
				if diff := cmp.Diff(tt.wantSTS, se); diff != "" {
					t.Errorf("STSError (-want +got):\n%s", diff)
				}
			}
		})
	}
}

func TestSTSEndpoint(t *testing.T) {
	tests := []struct {
		region, opt string
		env         env
		want        string
		wantSigning string
		wantErr     string
	}{
		{region: "", want: "https://sts.amazonaws.com", wantSigning: "us-east-1"},
		{region: "eu-west-1", want: "https://sts.eu-west-1.amazonaws.com", wantSigning: "eu-west-1"},
		{region: "cn-north-1", want: "https://sts.cn-north-1.amazonaws.com.cn", wantSigning: "cn-north-1"},
		{region: "us-west-2", env: env{"AWS_ENDPOINT_URL": "http://all:1", "AWS_ENDPOINT_URL_STS": "http://sts:2/"}, want: "http://sts:2", wantSigning: "us-west-2"},
		{region: "us-west-2", env: env{"AWS_ENDPOINT_URL": "http://all:1"}, want: "http://all:1", wantSigning: "us-west-2"},
		{region: "us-west-2", env: env{"AWS_ENDPOINT_URL_STS": "http://sts:2", "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS": "true"}, want: "https://sts.us-west-2.amazonaws.com", wantSigning: "us-west-2"},
		{region: "us-west-2", opt: "http://opt:3", env: env{"AWS_ENDPOINT_URL_STS": "http://sts:2"}, want: "http://opt:3", wantSigning: "us-west-2"},
		{region: "evil.com/x", wantErr: `region "evil.com/x" is not a valid region name`},
	}
	for _, tt := range tests {
		o := Options{STSEndpoint: tt.opt, Getenv: tt.env.get}
		got, signing, err := stsEndpoint(&o, tt.region)
		if errText(err) != orNil(tt.wantErr) || got != tt.want || signing != tt.wantSigning {
			t.Errorf("stsEndpoint(%q, opt %q, env %v) = %q, %q, %v; want %q, %q, %s", tt.region, tt.opt, tt.env, got, signing, err, tt.want, tt.wantSigning, orNil(tt.wantErr))
		}
	}
}

func TestWebIdentityProvider(t *testing.T) {
	sts := newFakeSTS(t, "")
	dir := t.TempDir()
	good := writeFile(t, dir, "good", "good-oidc-token\n")
	bad := writeFile(t, dir, "bad", "stolen-token")
	empty := writeFile(t, dir, "empty", " \n")
	roleARN := "arn:aws:iam::1:role/irsa"
	want := assumedCreds(roleARN)
	want.Source = "STSAssumeRoleWithWebIdentity"
	tests := []struct {
		name    string
		p       WebIdentityProvider
		env     env
		want    sigv4.Credentials
		wantErr string
		notConf bool
	}{
		{name: "from the environment", env: env{"AWS_WEB_IDENTITY_TOKEN_FILE": good, "AWS_ROLE_ARN": roleARN, "AWS_ROLE_SESSION_NAME": "pod-1"}, want: want},
		{name: "explicit", p: WebIdentityProvider{TokenFile: good, RoleARN: roleARN}, want: want},
		{name: "not configured", env: env{}, wantErr: "AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN are not set", notConf: true},
		{name: "no role", env: env{"AWS_WEB_IDENTITY_TOKEN_FILE": good}, wantErr: "AWS_WEB_IDENTITY_TOKEN_FILE is set but AWS_ROLE_ARN is not"},
		{name: "no token file", env: env{"AWS_ROLE_ARN": roleARN}, wantErr: "AWS_ROLE_ARN is set but AWS_WEB_IDENTITY_TOKEN_FILE is not"},
		{name: "missing file", p: WebIdentityProvider{TokenFile: dir + "/nope", RoleARN: roleARN}, wantErr: "web identity: reading token file: open " + dir + "/nope: no such file or directory"},
		{name: "empty file", p: WebIdentityProvider{TokenFile: empty, RoleARN: roleARN}, wantErr: "web identity: token file " + empty + " is empty"},
		{name: "rejected token", p: WebIdentityProvider{TokenFile: bad, RoleARN: roleARN},
			wantErr: "web identity role arn:aws:iam::1:role/irsa: sts AssumeRoleWithWebIdentity: InvalidIdentityToken: token is not valid (HTTP 400, request ID err-req-1)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := testOptions(t, tt.env)
			o.STSEndpoint = sts.URL
			tt.p.Options = o
			got, err := retrieve(t, tt.p)
			if errText(err) != orNil(tt.wantErr) {
				t.Fatalf("error:\n got %s\nwant %s", errText(err), orNil(tt.wantErr))
			}
			if errors.Is(err, ErrNotConfigured) != tt.notConf {
				t.Errorf("errors.Is(err, ErrNotConfigured) = %v", !tt.notConf)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("credentials (-want +got):\n%s", diff)
			}
			if err != nil && strings.Contains(err.Error(), "token\n") {
				t.Errorf("error quotes the token: %v", err)
			}
		})
	}
	calls := sts.Calls()
	if len(calls) == 0 || calls[0].Get("RoleSessionName") != "pod-1" || calls[1].Get("RoleSessionName") != "bedrockwire-1795521600000000000" {
		t.Errorf("session names: %v", calls)
	}
}

func TestParseSTSCredentials(t *testing.T) {
	ok := `<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult><Credentials>
<AccessKeyId> ASIA1 </AccessKeyId><SecretAccessKey>S</SecretAccessKey><SessionToken>T</SessionToken><Expiration>2026-11-24T13:00:00.000Z</Expiration>
</Credentials></AssumeRoleResult></AssumeRoleResponse>`
	got, err := parseSTSCredentials("AssumeRole", []byte(ok))
	want := sigv4.Credentials{AccessKeyID: "ASIA1", SecretAccessKey: "S", SessionToken: "T", Expires: time.Date(2026, 11, 24, 13, 0, 0, 0, time.UTC), Source: "STSAssumeRole"}
	if err != nil || !cmp.Equal(want, got) {
		t.Errorf("parseSTSCredentials = %v, %v; (-want +got):\n%s", got, err, cmp.Diff(want, got))
	}
	for in, wantErr := range map[string]string{
		"not xml":               "response is not valid XML",
		"<AssumeRoleResponse/>": "response has 0 <AssumeRoleResult><Credentials> elements, want 1",
		strings.Replace(ok, "<SessionToken>T</SessionToken>", "", 1):       "response has no SessionToken",
		strings.Replace(ok, "<SecretAccessKey>S</SecretAccessKey>", "", 1): "response has no SecretAccessKey",
		strings.Replace(ok, "2026-11-24T13:00:00.000Z", "soon", 1):         `response Expiration: "soon" is not an RFC 3339 timestamp`,
	} {
		if _, err := parseSTSCredentials("AssumeRole", []byte(in)); errText(err) != wantErr {
			t.Errorf("parseSTSCredentials(%.40q…) error:\n got %s\nwant %s", in, errText(err), wantErr)
		}
	}
}

func FuzzParseSTSCredentials(f *testing.F) {
	f.Add([]byte(`<AssumeRoleResponse><AssumeRoleResult><Credentials><AccessKeyId>A</AccessKeyId><SecretAccessKey>S</SecretAccessKey><SessionToken>T</SessionToken><Expiration>2026-11-24T13:00:00Z</Expiration></Credentials></AssumeRoleResult></AssumeRoleResponse>`))
	f.Add([]byte(`<ErrorResponse><Error><Code>X</Code></Error></ErrorResponse>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := parseSTSCredentials("AssumeRole", data)
		if err == nil && (!c.HasKeys() || c.SessionToken == "" || c.Expires.IsZero()) {
			t.Fatalf("bad credentials without error: %v", c)
		}
		if err != nil && c != (sigv4.Credentials{}) {
			t.Fatalf("credentials with an error: %v", c)
		}
		e := parseSTSError("AssumeRole", 400, data)
		if e == nil || e.Error() == "" {
			t.Fatal("parseSTSError returned nothing")
		}
	})
}
