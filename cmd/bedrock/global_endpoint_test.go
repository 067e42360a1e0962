package main

import (
	"context"
	"testing"
)

// TestEndpointFlagBeatsServiceVariables: --endpoint-url sends the control
// plane there too, even when AWS_ENDPOINT_URL_BEDROCK names another place.
func TestEndpointFlagBeatsServiceVariables(t *testing.T) {
	srv := newEmulator(t)
	te := modelsRemoteEnv(t, "http://127.0.0.1:1") // nothing listens there
	r := te.run(t, context.Background(), "models", "--remote", "--endpoint-url", srv.URL, "--region", "us-east-1", "--provider", "Amazon", "--modality", "image")
	r.wantOK(t, "")
	if q := lastQuery(t, srv); q != "byOutputModality=IMAGE&byProvider=Amazon" {
		t.Errorf("the emulator did not get the call: last query %q", q)
	}
}
