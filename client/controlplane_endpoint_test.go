package client

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/bedrockwire/bedrockwire/sigv4"
	"github.com/google/go-cmp/cmp"
)

// testCreds are the SigV4 keys of the tests of this file family.
var testCreds = sigv4.Credentials{AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"}

// TestServiceEndpoints: the control plane and the agent runtime follow the
// same rule set as the runtime, with their own host labels.
func TestServiceEndpoints(t *testing.T) {
	for _, tt := range []struct {
		svc             service
		region          string
		fips, dualStack bool
		want            string
	}{
		{serviceControlPlane, "us-east-1", false, false, "https://bedrock.us-east-1.amazonaws.com"},
		{serviceControlPlane, "us-east-1", true, false, "https://bedrock-fips.us-east-1.amazonaws.com"},
		{serviceControlPlane, "us-east-1", false, true, "https://bedrock.us-east-1.api.aws"},
		{serviceControlPlane, "us-gov-west-1", true, true, "https://bedrock-fips.us-gov-west-1.api.aws"},
		{serviceControlPlane, "cn-north-1", false, false, "https://bedrock.cn-north-1.amazonaws.com.cn"},
		{serviceControlPlane, "eusc-de-east-1", false, true, "https://bedrock.eusc-de-east-1.api.amazonwebservices.eu"},
		{serviceAgentRuntime, "eu-west-1", false, false, "https://bedrock-agent-runtime.eu-west-1.amazonaws.com"},
		{serviceAgentRuntime, "us-east-1", true, true, "https://bedrock-agent-runtime-fips.us-east-1.api.aws"},
		{serviceAgentRuntime, "cn-northwest-1", true, false, "https://bedrock-agent-runtime-fips.cn-northwest-1.amazonaws.com.cn"},
		{serviceAgentRuntime, "us-iso-east-1", false, false, "https://bedrock-agent-runtime.us-iso-east-1.c2s.ic.gov"},
		{serviceRuntime, "us-east-1", false, false, "https://bedrock-runtime.us-east-1.amazonaws.com"},
	} {
		c, err := New(Options{Region: tt.region, BearerToken: "k", UseFIPS: tt.fips, UseDualStack: tt.dualStack})
		if err != nil {
			t.Fatalf("%+v: %v", tt, err)
		}
		u, err := c.endpointFor(tt.svc)
		if err != nil || u.String() != tt.want {
			t.Errorf("%s %s fips=%v dual=%v: %v (%v), want %s", serviceHosts[tt.svc], tt.region, tt.fips, tt.dualStack, u, err, tt.want)
		}
	}
}

// TestServiceEndpointOverrides: Endpoint serves all three services unless a
// service has its own; a bad override fails New.
func TestServiceEndpointOverrides(t *testing.T) {
	get := func(t *testing.T, o Options) [numServices]string {
		t.Helper()
		c, err := New(o)
		if err != nil {
			t.Fatal(err)
		}
		var got [numServices]string
		for svc := range numServices {
			u, err := c.endpointFor(svc)
			if err != nil {
				got[svc] = "error: " + err.Error()
				continue
			}
			got[svc] = u.String()
		}
		return got
	}
	emu := "http://127.0.0.1:9"
	got := get(t, Options{Region: "us-east-1", BearerToken: "k", Endpoint: emu})
	if diff := cmp.Diff([numServices]string{emu, emu, emu}, got); diff != "" {
		t.Errorf("Endpoint alone (-want +got):\n%s", diff)
	}
	got = get(t, Options{Region: "us-east-1", BearerToken: "k", Endpoint: emu, ControlPlaneEndpoint: "https://cp.example.com/"})
	if diff := cmp.Diff([numServices]string{emu, "https://cp.example.com", emu}, got); diff != "" {
		t.Errorf("control plane override (-want +got):\n%s", diff)
	}
	got = get(t, Options{Region: "eu-west-1", BearerToken: "k", AgentRuntimeEndpoint: "https://ar.example.com"})
	want := [numServices]string{"https://bedrock-runtime.eu-west-1.amazonaws.com", "https://bedrock.eu-west-1.amazonaws.com", "https://ar.example.com"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("agent runtime override (-want +got):\n%s", diff)
	}
	if s := (Options{Region: "us-east-1", ControlPlaneEndpoint: "https://cp.example.com", AgentRuntimeEndpoint: "https://ar.example.com", BearerToken: "secret-key"}).String(); !strings.Contains(s, `ControlPlaneEndpoint: "https://cp.example.com", AgentRuntimeEndpoint: "https://ar.example.com"`) || strings.Contains(s, "secret-key") {
		t.Errorf("Options.String() = %s", s)
	}
	for _, o := range []Options{
		{Region: "us-east-1", BearerToken: "k", ControlPlaneEndpoint: "http://example.com"},
		{Region: "us-east-1", BearerToken: "k", AgentRuntimeEndpoint: "ftp://x"},
		{Region: "us-east-1", BearerToken: "k", UseFIPS: true, ControlPlaneEndpoint: "https://cp.example.com"},
	} {
		if _, err := New(o); err == nil {
			t.Errorf("New(%v): no error", o)
		}
	}
}

// TestServiceEndpointsFromEnvironment: AWS_ENDPOINT_URL_BEDROCK and
// AWS_ENDPOINT_URL_BEDROCK_AGENT_RUNTIME as the SDKs read them; the
// runtime's own variable does not serve the other services.
func TestServiceEndpointsFromEnvironment(t *testing.T) {
	const (
		rt  = "https://rt.example.com"
		gen = "https://all.example.com"
		cp  = "https://cp.example.com"
		ar  = "https://ar.example.com"
	)
	for _, tt := range []struct {
		name string
		env  map[string]string
		want [numServices]string
	}{
		{"none", nil, [numServices]string{"https://bedrock-runtime.us-west-2.amazonaws.com", "https://bedrock.us-west-2.amazonaws.com", "https://bedrock-agent-runtime.us-west-2.amazonaws.com"}},
		{"general", map[string]string{EnvEndpoint: gen}, [numServices]string{gen, gen, gen}},
		{"runtime only", map[string]string{EnvEndpointService: rt}, [numServices]string{rt, "https://bedrock.us-west-2.amazonaws.com", "https://bedrock-agent-runtime.us-west-2.amazonaws.com"}},
		{"runtime and general", map[string]string{EnvEndpointService: rt, EnvEndpoint: gen}, [numServices]string{rt, gen, gen}},
		{"each its own", map[string]string{EnvEndpointService: rt, EnvEndpointControlPlane: cp, EnvEndpointAgentRuntime: ar, EnvEndpoint: gen}, [numServices]string{rt, cp, ar}},
		{"control plane only", map[string]string{EnvEndpointControlPlane: cp}, [numServices]string{"https://bedrock-runtime.us-west-2.amazonaws.com", cp, "https://bedrock-agent-runtime.us-west-2.amazonaws.com"}},
		{"ignored", map[string]string{EnvEndpointControlPlane: cp, EnvEndpointAgentRuntime: ar, EnvIgnoreEndpoints: "true"}, [numServices]string{"https://bedrock-runtime.us-west-2.amazonaws.com", "https://bedrock.us-west-2.amazonaws.com", "https://bedrock-agent-runtime.us-west-2.amazonaws.com"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			env := map[string]string{"AWS_REGION": "us-west-2", EnvBearerToken: "k", "AWS_CONFIG_FILE": "/nonexistent", "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent"}
			for k, v := range tt.env {
				env[k] = v
			}
			c, err := FromEnvironment(context.Background(), WithGetenv(func(k string) string { return env[k] }))
			if err != nil {
				t.Fatal(err)
			}
			var got [numServices]string
			for svc := range numServices {
				u, err := c.endpointFor(svc)
				if err != nil {
					t.Fatal(err)
				}
				got[svc] = u.String()
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// TestServiceEndpointOverrideByOptions: a WithOptions override of Endpoint
// (the CLI's --endpoint-url) serves every service, even when the runtime's
// own variable is set.
func TestServiceEndpointOverrideByOptions(t *testing.T) {
	env := map[string]string{"AWS_REGION": "us-west-2", EnvBearerToken: "k", EnvEndpointService: "https://rt.example.com"}
	c, err := FromEnvironment(context.Background(), WithGetenv(func(k string) string { return env[k] }),
		WithOptions(func(o *Options) { o.Endpoint = "http://127.0.0.1:9" }))
	if err != nil {
		t.Fatal(err)
	}
	for svc := range numServices {
		if u, err := c.endpointFor(svc); err != nil || u.String() != "http://127.0.0.1:9" {
			t.Errorf("%s: %v (%v), want the override", serviceHosts[svc], u, err)
		}
	}
}

// TestServiceEndpointWithoutRegion: an API key and a runtime-only custom
// endpoint need no Region, but the control plane does: its calls say so,
// and send nothing.
func TestServiceEndpointWithoutRegion(t *testing.T) {
	rec, srv := newRecorder(t, respond(200, `{}`))
	env := map[string]string{EnvBearerToken: "k", EnvEndpointService: srv.URL, "AWS_CONFIG_FILE": "/nonexistent", "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent"}
	c, err := FromEnvironment(context.Background(), WithGetenv(func(k string) string { return env[k] }))
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.ListFoundationModels(context.Background(), nil)
	if err == nil || !strings.Contains(err.Error(), "missing region") || !strings.Contains(err.Error(), "ListFoundationModels") {
		t.Errorf("error %v, want the missing region for ListFoundationModels", err)
	}
	if n := len(rec.recorded()); n != 0 {
		t.Errorf("%d requests sent, want none", n)
	}
}

// TestServiceRequestsReachTheirHost: each operation goes to its service's
// host and is signed for "bedrock" in the client's Region.
func TestServiceRequestsReachTheirHost(t *testing.T) {
	tr := &memTransport{record: true}
	var hosts, auths []string
	tr.respond = func(req *http.Request) *http.Response {
		auths = append(auths, req.Header.Get("Authorization"))
		hosts = append(hosts, req.Host+" "+req.Method+" "+req.URL.EscapedPath()+" "+strings.SplitN(req.Header.Get("Authorization"), ",", 2)[0])
		return &http.Response{StatusCode: 200, Header: http.Header{"Content-Type": {"application/json"}},
			Body: io.NopCloser(strings.NewReader(`{"invocationArn":"x","jobArn":"y","modelDetails":{},"results":[]}`)), Request: req}
	}
	c, err := New(Options{Region: "eu-central-1", Credentials: sigv4.StaticCredentials(testCreds), HTTPClient: &http.Client{Transport: tr}})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	c.GetAsyncInvoke(ctx, "arn:aws:bedrock:eu-central-1:123456789012:async-invoke/abcdefghijkl")
	c.GetFoundationModel(ctx, "amazon.titan-text-express-v1")
	c.StopModelInvocationJob(ctx, "abcdefghijkl")
	c.Rerank(ctx, &RerankInput{ModelID: "amazon.rerank-v1:0", Query: "q", Sources: []RerankDocument{RerankText("a")}})
	scope := "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/"
	want := []string{
		"bedrock-runtime.eu-central-1.amazonaws.com GET /async-invoke/arn%3Aaws%3Abedrock%3Aeu-central-1%3A123456789012%3Aasync-invoke%2Fabcdefghijkl " + scope,
		"bedrock.eu-central-1.amazonaws.com GET /foundation-models/amazon.titan-text-express-v1 " + scope,
		"bedrock.eu-central-1.amazonaws.com POST /model-invocation-job/abcdefghijkl/stop " + scope,
		"bedrock-agent-runtime.eu-central-1.amazonaws.com POST /rerank " + scope,
	}
	if diff := cmp.Diff(want, trimScopeDates(hosts)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	for _, a := range auths {
		if !strings.Contains(a, "/eu-central-1/bedrock/aws4_request") {
			t.Errorf("Authorization %q, want the scope eu-central-1/bedrock", a)
		}
	}
}

// trimScopeDates cuts each line after "Credential=AKIDEXAMPLE/".
func trimScopeDates(lines []string) []string {
	out := make([]string, len(lines))
	for i, l := range lines {
		if j := strings.Index(l, "Credential=AKIDEXAMPLE/"); j >= 0 {
			l = l[:j+len("Credential=AKIDEXAMPLE/")]
		}
		out[i] = l
	}
	return out
}
