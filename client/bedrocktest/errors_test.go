package bedrocktest

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestErrorShapes(t *testing.T) {
	tests := []struct {
		err    *Error
		status int
		body   string
		exc    string
	}{
		{ThrottlingError(), 429, `{"message":"Too many requests, please wait before trying again."}`, "throttlingException"},
		{ServiceUnavailableError(), 503, `{"message":"Bedrock is unable to process your request."}`, "serviceUnavailableException"},
		{InternalServerError(), 500, `{"message":"The server encountered an internal error while processing the request."}`, "internalServerException"},
		{ModelTimeoutError(), 408, `{"message":"Model has timed out in processing the request. Try your request again."}`, "modelTimeoutException"},
		{ModelNotReadyError(), 429, `{"message":"Model is not ready to serve inference requests. Try your request again later."}`, "modelNotReadyException"},
		{ModelStreamError(503, "overloaded"), 424, `{"message":"The model encountered an error while streaming the response.","originalStatusCode":503,"originalMessage":"overloaded"}`, "modelStreamErrorException"},
		{ModelError(500, "oops", "arn:x"), 424, `{"message":"Received error from the model: oops","originalStatusCode":500,"originalMessage":"oops","resourceName":"arn:x"}`, "modelErrorException"},
		{ValidationError(`<a & "b">`), 400, `{"message":"<a & \"b\">"}`, "validationException"},
		{AccessDeniedError("no"), 403, `{"message":"no"}`, "accessDeniedException"},
		{ResourceNotFoundError("gone"), 404, `{"message":"gone"}`, "resourceNotFoundException"},
		{ServiceQuotaExceededError(), 400, `{"message":"Your request exceeds the service quota for your account. You can view your quotas at Viewing service quotas. You can resubmit your request later."}`, "serviceQuotaExceededException"},
	}
	for _, tc := range tests {
		if tc.err.Status != tc.status || string(tc.err.body()) != tc.body || tc.err.ExceptionType() != tc.exc {
			t.Errorf("%s: %d %s %s", tc.err.Type, tc.err.Status, tc.err.body(), tc.err.ExceptionType())
		}
		if !strings.HasPrefix(tc.err.Error(), tc.err.Type+": ") {
			t.Errorf("Error() = %q", tc.err.Error())
		}
	}
	if (&Error{}).ExceptionType() != "" {
		t.Error("empty type")
	}
}

// TestFaultErrorsOnTheWire sends each error through the server and
// compares status, header and body.
func TestFaultErrorsOnTheWire(t *testing.T) {
	s := newServer(t, nil)
	s.FailNext(1, ModelError(500, "oops", "arn:x"))
	resp, body := send(t, s, "POST", novaPath+"/converse", helloBody)
	if resp.StatusCode != 424 || resp.Header.Get("X-Amzn-Errortype") != "ModelErrorException:http://internal.amazon.com/coral/com.amazon.bedrock/" ||
		string(body) != `{"message":"Received error from the model: oops","originalStatusCode":500,"originalMessage":"oops","resourceName":"arn:x"}` {
		t.Errorf("%d %v %s", resp.StatusCode, resp.Header, body)
	}
	if resp.Header.Get("Content-Type") != "application/json" || resp.Header.Get("X-Amzn-Requestid") != requestID(1) {
		t.Errorf("headers %v", resp.Header)
	}
}

func TestLogger(t *testing.T) {
	var buf bytes.Buffer
	s := newServer(t, &Options{Logger: slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
		if a.Key == slog.TimeKey {
			return slog.Attr{}
		}
		return a
	}}))})
	send(t, s, "POST", novaPath+"/converse", helloBody)
	s.Throttle(1)
	send(t, s, "POST", novaPath+"/converse-stream", helloBody)
	s.Close()
	want := []string{
		`level=INFO msg=bedrocktest id=b3d70c4e-0000-4000-8000-000000000001 operation=Converse model=amazon.nova-lite-v1:0 auth=sigv4 status=200 error="" aborted=false`,
		`level=INFO msg=bedrocktest id=b3d70c4e-0000-4000-8000-000000000002 operation=ConverseStream model=amazon.nova-lite-v1:0 auth=sigv4 status=429 error=ThrottlingException aborted=false`,
	}
	if diff := cmp.Diff(want, strings.Split(strings.TrimSpace(buf.String()), "\n")); diff != "" {
		t.Errorf("log (-want +got):\n%s", diff)
	}
}
