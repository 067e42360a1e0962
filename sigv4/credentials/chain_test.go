package credentials

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/bedrockwire/bedrockwire/sigv4"
	"github.com/google/go-cmp/cmp"
)

func TestDefaultChainNothingFound(t *testing.T) {
	o := testOptions(t, env{"AWS_EC2_METADATA_DISABLED": "true"})
	creds, err := retrieve(t, NewDefaultChain(o))
	if creds != (sigv4.Credentials{}) {
		t.Errorf("credentials returned with the error: %v", creds)
	}
	want, rerr := os.ReadFile("testdata/no_credentials.txt")
	if rerr != nil {
		t.Fatal(rerr)
	}
	got := strings.ReplaceAll(errText(err), o.HomeDir, "HOME")
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("error text (-want +got):\n%s", diff)
	}
	var ce *ChainError
	if !errors.As(err, &ce) || len(ce.Attempts) != 5 {
		t.Fatalf("error is not a *ChainError with 5 attempts: %#v", err)
	}
	if !errors.Is(err, ErrNotConfigured) || !ce.NothingConfigured() {
		t.Error("the nothing-found error does not say that nothing was configured")
	}
}

func TestDefaultChainUnreachableIMDS(t *testing.T) {
	o := testOptions(t, nil) // IMDS endpoint is a closed loopback port
	_, err := retrieve(t, DefaultChain(o))
	lines := strings.Split(errText(err), "\n")
	if len(lines) != 7 || lines[0] != "credentials: no AWS credentials found; tried:" ||
		!strings.HasPrefix(lines[5], "  EC2 instance metadata: instance metadata endpoint "+o.IMDSEndpoint+" did not answer: ") {
		t.Errorf("error:\n%v", err)
	}
}

func TestDefaultChainOrder(t *testing.T) {
	imds := newFakeIMDS(t)
	container := newFakeContainer(t, "")
	envKeys := env{"AWS_ACCESS_KEY_ID": "AKIAENV", "AWS_SECRET_ACCESS_KEY": "envsecret"}
	profileFile := "[default]\naws_access_key_id = AKIAPROFILE\naws_secret_access_key = s\n[profile other]\naws_access_key_id = AKIAOTHER\naws_secret_access_key = s\n"
	merge := func(es ...env) env {
		out := env{}
		for _, e := range es {
			for k, v := range e {
				out[k] = v
			}
		}
		return out
	}
	tests := []struct {
		name    string
		env     env
		config  string
		profile string
		wantID  string
	}{
		{name: "environment first", env: envKeys, config: profileFile, wantID: "AKIAENV"},
		{name: "then the profile", config: profileFile, wantID: "AKIAPROFILE"},
		{name: "an explicit profile beats the environment", env: envKeys, config: profileFile, profile: "other", wantID: "AKIAOTHER"},
		{name: "AWS_PROFILE does not beat the environment", env: merge(envKeys, env{"AWS_PROFILE": "other"}), config: profileFile, wantID: "AKIAENV"},
		{name: "then the container", env: env{"AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "/creds"}, config: "[default]\nregion = us-east-1\n", wantID: "ASIACONT"},
		{name: "then IMDS", wantID: "ASIAIMDS"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := testOptions(t, tt.env)
			o.IMDSEndpoint, o.ContainerEndpoint, o.Profile = imds.URL, container.URL, tt.profile
			writeConfig(t, o, tt.config, "")
			got := mustRetrieve(t, NewDefaultChain(o))
			if got.AccessKeyID != tt.wantID {
				t.Errorf("access key = %s, want %s", got.AccessKeyID, tt.wantID)
			}
		})
	}
}

func TestDefaultChainWebIdentityUsesProfileRegion(t *testing.T) {
	sts := newFakeSTS(t, "")
	o := testOptions(t, nil)
	tokenFile := writeFile(t, o.HomeDir, "token", "good-oidc-token")
	o.Getenv = env{"AWS_WEB_IDENTITY_TOKEN_FILE": tokenFile, "AWS_ROLE_ARN": "arn:aws:iam::1:role/irsa", "AWS_ENDPOINT_URL_STS": sts.URL}.get
	o.STSEndpoint = ""
	writeConfig(t, o, "[default]\nregion = ap-south-1\n", "")
	got := mustRetrieve(t, DefaultChain(o))
	if got.Source != "STSAssumeRoleWithWebIdentity" {
		t.Errorf("source = %s", got.Source)
	}
	if calls := sts.Calls(); len(calls) != 1 || calls[0].Get("RoleArn") != "arn:aws:iam::1:role/irsa" {
		t.Errorf("STS calls = %v", calls)
	}
}

func TestDefaultChainConfiguredFailureStops(t *testing.T) {
	skipWithoutShell(t)
	imds := newFakeIMDS(t)
	o := testOptions(t, nil)
	o.IMDSEndpoint = imds.URL
	writeConfig(t, o, "[default]\ncredential_process = exit 7\n", "")
	_, err := retrieve(t, NewDefaultChain(o))
	want := "credentials: shared config (profile \"default\") failed: credential_process: exit: exit status 7; tried before it:\n" +
		"  environment: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set"
	if errText(err) != want {
		t.Errorf("error:\n got %s\nwant %s", errText(err), want)
	}
	if errors.Is(err, ErrNotConfigured) == false {
		// The environment attempt is not-configured; the failing one is not.
		t.Error("ChainError should expose the not-configured attempts too")
	}
	var ce *ChainError
	if !errors.As(err, &ce) || ce.NothingConfigured() {
		t.Error("a configured failure reads as nothing configured")
	}
	if log := imds.Log(); len(log) != 0 {
		t.Errorf("IMDS was called after a configured source failed: %v", log)
	}
}

func TestDefaultChainCaches(t *testing.T) {
	imds := newFakeIMDS(t)
	o := testOptions(t, nil)
	o.IMDSEndpoint = imds.URL
	p := NewDefaultChain(o)
	for i := 0; i < 3; i++ {
		mustRetrieve(t, p)
	}
	if n := len(imds.Log()); n != 3 { // one token PUT, role, credentials
		t.Errorf("IMDS requests = %d, want 3 (cached after the first)", n)
	}
}

func TestChainContextAndEmpty(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	called := false
	c := Chain{{Name: "never", Provider: sigv4.CredentialsProviderFunc(func(context.Context) (sigv4.Credentials, error) {
		called = true
		return sigv4.Credentials{}, nil
	})}}
	_, err := c.Retrieve(ctx)
	if !errors.Is(err, context.Canceled) || called {
		t.Errorf("cancelled chain: err %v, called %v", err, called)
	}

	empty := Chain{{Name: "empty", Provider: sigv4.CredentialsProviderFunc(func(context.Context) (sigv4.Credentials, error) {
		return sigv4.Credentials{AccessKeyID: "A"}, nil
	})}}
	if _, err := empty.Retrieve(context.Background()); errText(err) != "credentials: empty failed: returned empty credentials" {
		t.Errorf("empty credentials: %v", err)
	}
	if _, err := (Chain{}).Retrieve(context.Background()); err == nil {
		t.Error("an empty chain returned no error")
	}
}

func TestRedaction(t *testing.T) {
	o := Options{
		Profile:      "dev",
		STSEndpoint:  "https://user:hunter2@sts.example.com/?X-Amz-Signature=sigsecret",
		IMDSEndpoint: "http://169.254.169.254",
		Getenv:       func(string) string { return "envsecret" },
		Now:          fixedNow,
	}
	for _, s := range []string{fmt.Sprint(o), fmt.Sprintf("%+v", o), fmt.Sprintf("%#v", o), fmt.Sprintf("%s", o), o.String()} {
		for _, secret := range []string{"hunter2", "sigsecret", "envsecret"} {
			if strings.Contains(s, secret) {
				t.Errorf("%q reveals %q", s, secret)
			}
		}
	}
	want := "credentials.Options{Profile: dev, Getenv: set, Now: set, STSEndpoint: https://redacted@sts.example.com/?redacted, IMDSEndpoint: http://169.254.169.254}"
	if got := o.String(); got != want {
		t.Errorf("String:\n got %s\nwant %s", got, want)
	}

	// Errors never carry secrets from the environment or files.
	secretEnv := env{"AWS_SECRET_ACCESS_KEY": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "AWS_EC2_METADATA_DISABLED": "true"}
	oe := testOptions(t, secretEnv)
	writeConfig(t, oe, "", "[default]\naws_secret_access_key = fileSecretValue123\n")
	_, err := retrieve(t, DefaultChain(oe))
	for _, secret := range []string{"wJalrXUtnFEMI", "fileSecretValue123"} {
		if strings.Contains(errText(err), secret) {
			t.Errorf("error reveals a secret: %v", err)
		}
	}
	creds := mustRetrieve(t, EnvProvider{Getenv: env{"AWS_ACCESS_KEY_ID": "AKIA", "AWS_SECRET_ACCESS_KEY": "topsecret", "AWS_SESSION_TOKEN": "toptoken"}.get})
	if s := fmt.Sprintf("%v %+v %#v", creds, creds, creds); strings.Contains(s, "topsecret") || strings.Contains(s, "toptoken") {
		t.Errorf("credentials print secrets: %s", s)
	}
}

func TestResolveRegion(t *testing.T) {
	tests := []struct {
		name    string
		opt     string
		env     env
		config  string
		want    string
		wantErr string
	}{
		{name: "option", opt: "eu-west-1", env: env{"AWS_REGION": "us-east-1"}, want: "eu-west-1"},
		{name: "AWS_REGION", env: env{"AWS_REGION": "us-east-2", "AWS_DEFAULT_REGION": "us-west-1"}, want: "us-east-2"},
		{name: "AWS_DEFAULT_REGION", env: env{"AWS_DEFAULT_REGION": "us-west-1"}, config: "[default]\nregion = eu-north-1\n", want: "us-west-1"},
		{name: "default profile", config: "[default]\nregion = eu-north-1\n", want: "eu-north-1"},
		{name: "AWS_PROFILE", env: env{"AWS_PROFILE": "tokyo"}, config: "[default]\nregion = eu-north-1\n[profile tokyo]\nregion = ap-northeast-1\n", want: "ap-northeast-1"},
		{name: "none", config: "[default]\noutput = json\n",
			wantErr: `credentials: no AWS region configured: set AWS_REGION (for example AWS_REGION=us-east-1) or add "region = us-east-1" to profile "default" in HOME/.aws/config`},
		{name: "not a region", env: env{"AWS_REGION": "us-east-1.evil.com"}, wantErr: `credentials: region "us-east-1.evil.com" is not a valid region name`},
		{name: "broken file", config: "[default\n", wantErr: `credentials: resolving region: parsing HOME/.aws/config: line 1: section header "[default" has no closing ']'`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := testOptions(t, tt.env)
			o.Region = tt.opt
			writeConfig(t, o, tt.config, "")
			got, err := ResolveRegion(o)
			if gotErr := strings.ReplaceAll(errText(err), o.HomeDir, "HOME"); gotErr != orNil(tt.wantErr) || got != tt.want {
				t.Errorf("ResolveRegion = %q, %s; want %q, %s", got, gotErr, tt.want, orNil(tt.wantErr))
			}
		})
	}
}

func TestNoHomeDirectory(t *testing.T) {
	o := Options{Getenv: env{}.get, Now: fixedNow}
	_, err := ProfileProvider{Options: o}.Retrieve(context.Background())
	if errText(err) != "no home directory: HOME is not set" {
		t.Errorf("error = %v", err)
	}
}
