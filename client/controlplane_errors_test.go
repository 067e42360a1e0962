package client

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// errorStatus is the HTTP status each modelled error comes with, per the
// service models (Rerank's ConflictException is a 409 there).
var errorStatus = map[string]int{
	"AccessDeniedException":         403,
	"ConflictException":             400,
	"InternalServerException":       500,
	"ResourceNotFoundException":     404,
	"ServiceQuotaExceededException": 400,
	"ServiceUnavailableException":   503,
	"ThrottlingException":           429,
	"ValidationException":           400,
	"DependencyFailedException":     424,
	"BadGatewayException":           502,
}

// myOps are this file family's operations with the errors their service
// model lists.
var myOps = []struct {
	name   string
	sigv4  bool
	call   func(ctx context.Context, c *Client) error
	errors []string
	status map[string]int // overrides of errorStatus
}{
	{name: "StartAsyncInvoke", call: func(ctx context.Context, c *Client) error {
		_, err := c.StartAsyncInvoke(ctx, &StartAsyncInvokeInput{ModelID: "m", ModelInput: json.RawMessage(`{}`), OutputDataConfig: S3Output("s3://b/o")})
		return err
	}, errors: []string{"AccessDeniedException", "ThrottlingException", "ResourceNotFoundException", "InternalServerException", "ServiceUnavailableException", "ValidationException", "ServiceQuotaExceededException", "ConflictException"}},
	{name: "GetAsyncInvoke", call: func(ctx context.Context, c *Client) error {
		_, err := c.GetAsyncInvoke(ctx, testInvocationARN)
		return err
	}, errors: []string{"AccessDeniedException", "ThrottlingException", "InternalServerException", "ValidationException"}},
	{name: "ListAsyncInvokes", call: func(ctx context.Context, c *Client) error {
		_, err := c.ListAsyncInvokes(ctx, nil)
		return err
	}, errors: []string{"AccessDeniedException", "ThrottlingException", "InternalServerException", "ValidationException"}},
	{name: "ListFoundationModels", call: func(ctx context.Context, c *Client) error {
		_, err := c.ListFoundationModels(ctx, nil)
		return err
	}, errors: []string{"AccessDeniedException", "ValidationException", "InternalServerException", "ThrottlingException"}},
	{name: "GetFoundationModel", call: func(ctx context.Context, c *Client) error {
		_, err := c.GetFoundationModel(ctx, "amazon.titan-text-express-v1")
		return err
	}, errors: []string{"ResourceNotFoundException", "AccessDeniedException", "ValidationException", "InternalServerException", "ThrottlingException"}},
	{name: "ListInferenceProfiles", call: func(ctx context.Context, c *Client) error {
		_, err := c.ListInferenceProfiles(ctx, nil)
		return err
	}, errors: []string{"AccessDeniedException", "ValidationException", "InternalServerException", "ThrottlingException"}},
	{name: "GetInferenceProfile", call: func(ctx context.Context, c *Client) error {
		_, err := c.GetInferenceProfile(ctx, "us.amazon.nova-lite-v1:0")
		return err
	}, errors: []string{"ResourceNotFoundException", "AccessDeniedException", "ValidationException", "InternalServerException", "ThrottlingException"}},
	{name: "CreateModelInvocationJob", call: func(ctx context.Context, c *Client) error {
		_, err := c.CreateModelInvocationJob(ctx, &CreateModelInvocationJobInput{JobName: "j", RoleARN: "r", ModelID: "m",
			InputDataConfig: BatchS3Input("s3://b/i"), OutputDataConfig: BatchS3Output("s3://b/o")})
		return err
	}, errors: []string{"ResourceNotFoundException", "AccessDeniedException", "ValidationException", "ConflictException", "InternalServerException", "ServiceQuotaExceededException", "ThrottlingException"}},
	{name: "GetModelInvocationJob", call: func(ctx context.Context, c *Client) error {
		_, err := c.GetModelInvocationJob(ctx, "abcdefghij12")
		return err
	}, errors: []string{"ResourceNotFoundException", "AccessDeniedException", "ValidationException", "InternalServerException", "ThrottlingException"}},
	{name: "ListModelInvocationJobs", call: func(ctx context.Context, c *Client) error {
		_, err := c.ListModelInvocationJobs(ctx, nil)
		return err
	}, errors: []string{"AccessDeniedException", "ValidationException", "InternalServerException", "ThrottlingException"}},
	{name: "StopModelInvocationJob", call: func(ctx context.Context, c *Client) error {
		return c.StopModelInvocationJob(ctx, "abcdefghij12")
	}, errors: []string{"ResourceNotFoundException", "AccessDeniedException", "ValidationException", "ConflictException", "InternalServerException", "ThrottlingException"}},
	{name: "Rerank", sigv4: true, call: func(ctx context.Context, c *Client) error {
		_, err := c.Rerank(ctx, &RerankInput{ModelID: "amazon.rerank-v1:0", Query: "q", Sources: []RerankDocument{RerankText("a")}})
		return err
	}, errors: []string{"ResourceNotFoundException", "ConflictException", "ValidationException", "InternalServerException", "DependencyFailedException", "BadGatewayException", "ThrottlingException", "AccessDeniedException", "ServiceQuotaExceededException"},
		status: map[string]int{"ConflictException": 409}},
}

// errorForms are the ways restJson1 names an error: the header (with the
// coral suffix), the body's __type (with a namespace), the body's code.
var errorForms = []func(code string, status int) http.HandlerFunc{
	func(code string, status int) http.HandlerFunc {
		return respond(status, `{"message":"m-`+code+`"}`, "X-Amzn-Errortype", code+":http://internal.amazon.com/coral/com.amazon.coral.service/", "X-Amzn-Requestid", "rid-1")
	},
	func(code string, status int) http.HandlerFunc {
		return respond(status, `{"__type":"com.amazon.bedrock#`+code+`","Message":"m-`+code+`"}`, "X-Amzn-Requestid", "rid-1")
	},
	func(code string, status int) http.HandlerFunc {
		return respond(status, `{"code":"`+code+`","message":"m-`+code+`","resourceName":"r"}`, "X-Amzn-Requestid", "rid-1")
	},
}

// TestErrorShapesPerOperation: every error each operation's model lists,
// in each of the forms, becomes the *Error the client's decoding makes; the
// retryable ones were retried.
func TestErrorShapesPerOperation(t *testing.T) {
	for _, op := range myOps {
		for i, code := range op.errors {
			status := errorStatus[code]
			if s, ok := op.status[code]; ok {
				status = s
			}
			form := errorForms[i%len(errorForms)]
			t.Run(op.name+"/"+code, func(t *testing.T) {
				rec, srv := newRecorder(t, form(code, status))
				var c *testClient
				if op.sigv4 {
					c = newSigV4TestClient(t, srv.URL, srv.Client())
				} else {
					c = newTestClient(t, srv.URL, srv.Client())
				}
				err := op.call(context.Background(), c.Client)
				var got *Error
				if !errors.As(err, &got) {
					t.Fatalf("error %v (%T), want *Error", err, err)
				}
				retryable := retryableError(status, code)
				want := &Error{Op: op.name, StatusCode: status, Code: code, Message: "m-" + code, RequestID: "rid-1", Retryable: retryable}
				if i%len(errorForms) == 2 {
					want.ResourceName = "r"
				}
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("(-want +got):\n%s", diff)
				}
				attempts := 1
				if retryable {
					attempts = DefaultMaxAttempts
				}
				if n := len(rec.recorded()); n != attempts {
					t.Errorf("%d attempts, want %d", n, attempts)
				}
			})
		}
	}
}

// TestUndecodableResponses: a 200 whose body is not the operation's JSON is
// an error naming the operation and the request ID, for every operation.
func TestUndecodableResponses(t *testing.T) {
	for _, op := range myOps {
		for _, body := range []string{`not json`, `[1,2]`, `{"asyncInvokeSummaries":{},"modelSummaries":7,"inferenceProfileSummaries":"x","invocationJobSummaries":1,"results":{},"invocationArn":5,"jobArn":[],"modelDetails":3,"models":1}`} {
			_, srv := newRecorder(t, jsonOK(body))
			var c *testClient
			if op.sigv4 {
				c = newSigV4TestClient(t, srv.URL, srv.Client())
			} else {
				c = newTestClient(t, srv.URL, srv.Client())
			}
			err := op.call(context.Background(), c.Client)
			if op.name == "StopModelInvocationJob" {
				if err != nil {
					t.Errorf("%s ignores its response body, got %v", op.name, err)
				}
				continue
			}
			if err == nil {
				t.Errorf("%s with %s: no error", op.name, body)
			}
		}
	}
}
