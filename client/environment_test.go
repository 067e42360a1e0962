package client

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// testEnv returns a getenv over vars plus settings that keep the credential
// chain off the real home directory and off the network.
func testEnv(t *testing.T, vars map[string]string) func(string) string {
	dir := t.TempDir()
	env := map[string]string{
		"HOME":                        dir,
		"AWS_CONFIG_FILE":             filepath.Join(dir, "config"),
		"AWS_SHARED_CREDENTIALS_FILE": filepath.Join(dir, "credentials"),
		"AWS_EC2_METADATA_DISABLED":   "true",
	}
	for k, v := range vars {
		env[k] = v
	}
	return func(k string) string { return env[k] }
}

var envKeys = map[string]string{
	"AWS_REGION":            "us-west-2",
	"AWS_ACCESS_KEY_ID":     "AKIDENV",
	"AWS_SECRET_ACCESS_KEY": "envSECRET",
}

func withVars(base map[string]string, kv ...string) map[string]string {
	m := map[string]string{}
	for k, v := range base {
		m[k] = v
	}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return m
}

func TestFromEnvironmentBearerTakesPrecedence(t *testing.T) {
	o, err := OptionsFromEnvironment(t.Context(), WithGetenv(testEnv(t, withVars(envKeys, "AWS_BEARER_TOKEN_BEDROCK", "  ABSKtoken \n"))))
	if err != nil {
		t.Fatal(err)
	}
	if o.BearerToken != "ABSKtoken" || o.Credentials != nil || o.Region != "us-west-2" {
		t.Errorf("got %v, want the trimmed bearer token, no credentials, region us-west-2", o)
	}
}

func TestFromEnvironmentBlankBearerMeansUnset(t *testing.T) {
	o, err := OptionsFromEnvironment(t.Context(), WithGetenv(testEnv(t, withVars(envKeys, "AWS_BEARER_TOKEN_BEDROCK", "   "))))
	if err != nil {
		t.Fatal(err)
	}
	if o.BearerToken != "" || o.Credentials == nil {
		t.Fatalf("got %v, want SigV4 credentials", o)
	}
	creds, err := o.Credentials.Retrieve(t.Context())
	if err != nil || creds.AccessKeyID != "AKIDENV" {
		t.Errorf("credentials %v, %v; want AKIDENV", creds, err)
	}
}

func TestFromEnvironmentSettings(t *testing.T) {
	tests := []struct {
		name         string
		vars         map[string]string
		wantEndpoint string
		wantRetry    RetryPolicy
	}{
		{"defaults", envKeys, "https://bedrock-runtime.us-west-2.amazonaws.com", RetryPolicy{Mode: RetryStandard, MaxAttempts: 3, MaxBackoff: DefaultMaxBackoff}},
		{"service endpoint beats global", withVars(envKeys, "AWS_ENDPOINT_URL_BEDROCK_RUNTIME", "https://svc.example.com", "AWS_ENDPOINT_URL", "https://global.example.com"),
			"https://svc.example.com", RetryPolicy{Mode: RetryStandard, MaxAttempts: 3, MaxBackoff: DefaultMaxBackoff}},
		{"global endpoint", withVars(envKeys, "AWS_ENDPOINT_URL", "http://localhost:4566"),
			"http://localhost:4566", RetryPolicy{Mode: RetryStandard, MaxAttempts: 3, MaxBackoff: DefaultMaxBackoff}},
		{"ignored endpoints", withVars(envKeys, "AWS_ENDPOINT_URL", "https://global.example.com", "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "TRUE"),
			"https://bedrock-runtime.us-west-2.amazonaws.com", RetryPolicy{Mode: RetryStandard, MaxAttempts: 3, MaxBackoff: DefaultMaxBackoff}},
		{"fips", withVars(envKeys, "AWS_USE_FIPS_ENDPOINT", "true"),
			"https://bedrock-runtime-fips.us-west-2.amazonaws.com", RetryPolicy{Mode: RetryStandard, MaxAttempts: 3, MaxBackoff: DefaultMaxBackoff}},
		{"fips and dual-stack", withVars(envKeys, "AWS_USE_FIPS_ENDPOINT", "True", "AWS_USE_DUALSTACK_ENDPOINT", "true"),
			"https://bedrock-runtime-fips.us-west-2.api.aws", RetryPolicy{Mode: RetryStandard, MaxAttempts: 3, MaxBackoff: DefaultMaxBackoff}},
		{"china", withVars(envKeys, "AWS_REGION", "cn-north-1"),
			"https://bedrock-runtime.cn-north-1.amazonaws.com.cn", RetryPolicy{Mode: RetryStandard, MaxAttempts: 3, MaxBackoff: DefaultMaxBackoff}},
		{"retries", withVars(envKeys, "AWS_MAX_ATTEMPTS", "5", "AWS_RETRY_MODE", "Adaptive"),
			"https://bedrock-runtime.us-west-2.amazonaws.com", RetryPolicy{Mode: RetryAdaptive, MaxAttempts: 5, MaxBackoff: DefaultMaxBackoff}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := FromEnvironment(t.Context(), WithGetenv(testEnv(t, tt.vars)))
			if err != nil {
				t.Fatal(err)
			}
			if c.Endpoint() != tt.wantEndpoint {
				t.Errorf("endpoint %s, want %s", c.Endpoint(), tt.wantEndpoint)
			}
			if diff := cmp.Diff(tt.wantRetry, c.retry); diff != "" {
				t.Errorf("retry policy (-want +got):\n%s", diff)
			}
		})
	}
}

func TestFromEnvironmentErrors(t *testing.T) {
	noKeys := map[string]string{"AWS_REGION": "us-east-1"}
	tests := []struct {
		name string
		vars map[string]string
		want []string
	}{
		{"no region", map[string]string{"AWS_ACCESS_KEY_ID": "A", "AWS_SECRET_ACCESS_KEY": "B"}, []string{"AWS_REGION"}},
		{"no credentials", noKeys, []string{"no AWS credentials", "AWS_BEARER_TOKEN_BEDROCK", "AWS_ACCESS_KEY_ID"}},
		{"bad fips", withVars(envKeys, "AWS_USE_FIPS_ENDPOINT", "yes"), []string{`AWS_USE_FIPS_ENDPOINT="yes"`, "true or false"}},
		{"bad dual-stack", withVars(envKeys, "AWS_USE_DUALSTACK_ENDPOINT", "1"), []string{`AWS_USE_DUALSTACK_ENDPOINT="1"`}},
		{"bad attempts", withVars(envKeys, "AWS_MAX_ATTEMPTS", "0"), []string{`AWS_MAX_ATTEMPTS="0"`, "1 or more"}},
		{"bad attempts text", withVars(envKeys, "AWS_MAX_ATTEMPTS", "three"), []string{`AWS_MAX_ATTEMPTS="three"`}},
		{"legacy retry mode", withVars(envKeys, "AWS_RETRY_MODE", "legacy"), []string{`AWS_RETRY_MODE="legacy"`, `"standard"`}},
		{"plain http endpoint", withVars(envKeys, "AWS_ENDPOINT_URL", "http://bedrock.example.com"), []string{"refusing plain http"}},
		{"endpoint with fips", withVars(envKeys, "AWS_ENDPOINT_URL", "https://x.example.com", "AWS_USE_FIPS_ENDPOINT", "true"), []string{"FIPS and custom endpoint"}},
		{"only one key", map[string]string{"AWS_REGION": "us-east-1", "AWS_ACCESS_KEY_ID": "A"}, []string{"AWS_SECRET_ACCESS_KEY"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := FromEnvironment(t.Context(), WithGetenv(testEnv(t, tt.vars)))
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
			if strings.Contains(err.Error(), "envSECRET") {
				t.Errorf("error reveals a secret: %v", err)
			}
		})
	}
}

// TestFromEnvironmentBearerEndpointNoRegion: an API key and a custom
// endpoint need no region.
func TestFromEnvironmentBearerEndpointNoRegion(t *testing.T) {
	_, srv := newRecorder(t, respond(200, `{"ok":1}`))
	c, err := FromEnvironment(t.Context(),
		WithGetenv(testEnv(t, map[string]string{"AWS_BEARER_TOKEN_BEDROCK": "tok", "AWS_ENDPOINT_URL_BEDROCK_RUNTIME": srv.URL})),
		WithOptions(func(o *Options) { o.HTTPClient = srv.Client() }))
	if err != nil {
		t.Fatal(err)
	}
	out, err := c.InvokeModel(t.Context(), &InvokeModelInput{ModelID: "m", Body: []byte("{}")})
	if err != nil || string(out.Body) != `{"ok":1}` {
		t.Errorf("InvokeModel: %v, %v", out, err)
	}
}

func TestFromEnvironmentProfileRegionAndOverride(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "config")
	os.WriteFile(cfg, []byte("[profile dev]\nregion = eu-west-1\naws_access_key_id = AKIDFILE\naws_secret_access_key = fileSECRET\n"), 0o600)
	getenv := testEnv(t, map[string]string{"AWS_PROFILE": "dev", "AWS_CONFIG_FILE": cfg})
	o, err := OptionsFromEnvironment(t.Context(), WithGetenv(getenv))
	if err != nil {
		t.Fatal(err)
	}
	if o.Region != "eu-west-1" {
		t.Errorf("region %q, want eu-west-1 from the profile", o.Region)
	}
	creds, err := o.Credentials.Retrieve(t.Context())
	if err != nil || creds.AccessKeyID != "AKIDFILE" {
		t.Errorf("credentials %v, %v", creds, err)
	}
	o, err = OptionsFromEnvironment(t.Context(), WithGetenv(getenv), WithOptions(func(o *Options) { o.Region = "ap-south-1" }))
	if err != nil || o.Region != "ap-south-1" {
		t.Errorf("override: region %q, %v", o.Region, err)
	}
}
