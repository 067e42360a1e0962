package client

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

const testJobARN = "arn:aws:bedrock:us-east-1:123456789012:model-invocation-job/abcdefghij12"

func TestCreateModelInvocationJobGolden(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   CreateModelInvocationJobInput
	}{
		{"create_full", CreateModelInvocationJobInput{
			JobName: "nightly-summaries-2026-07-31",
			RoleARN: "arn:aws:iam::123456789012:role/BedrockBatch",
			ModelID: "anthropic.claude-3-5-haiku-20241022-v1:0",
			InputDataConfig: ModelInvocationJobInputDataConfig{S3InputDataConfig: &ModelInvocationJobS3InputDataConfig{
				S3URI: "s3://in-bucket/batch/records.jsonl", S3InputFormat: "JSONL", S3BucketOwner: "210987654321"}},
			OutputDataConfig: ModelInvocationJobOutputDataConfig{S3OutputDataConfig: &ModelInvocationJobS3OutputDataConfig{
				S3URI: "s3://out-bucket/batch/", S3EncryptionKeyID: "alias/batch", S3BucketOwner: "210987654321"}},
			TimeoutDurationInHours: 72,
			VPCConfig:              &VPCConfig{SubnetIDs: []string{"subnet-0a1b2c"}, SecurityGroupIDs: []string{"sg-0123"}},
			Tags:                   []Tag{{"cost-center", "42"}},
			ModelInvocationType:    InvocationTypeConverse,
			ClientRequestToken:     "nightly-2026-07-31",
		}},
		{"create_minimal", CreateModelInvocationJobInput{
			JobName: "j1", RoleARN: "arn:aws:iam::123456789012:role/R", ModelID: "amazon.nova-lite-v1:0",
			InputDataConfig: BatchS3Input("s3://b/in.jsonl"), OutputDataConfig: BatchS3Output("s3://b/out/"),
			ClientRequestToken: "t1",
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec, srv := newRecorder(t, jsonOK(`{"jobArn":"`+testJobARN+`"}`))
			c := newTestClient(t, srv.URL, srv.Client())
			got, err := c.CreateModelInvocationJob(context.Background(), &tc.in)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(&CreateModelInvocationJobOutput{JobARN: testJobARN, ClientRequestToken: tc.in.ClientRequestToken}, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
			checkGolden(t, "batch/"+tc.name+".request.txt", []byte(rec.recorded()[0].dump()))
		})
	}
}

func TestCreateModelInvocationJobTokenAndRefusals(t *testing.T) {
	rec, srv := newRecorder(t,
		respond(500, `{"message":"oops"}`, "X-Amzn-Errortype", "InternalServerException"),
		jsonOK(`{"jobArn":"`+testJobARN+`"}`))
	c := newTestClient(t, srv.URL, srv.Client())
	ok := func() CreateModelInvocationJobInput {
		return CreateModelInvocationJobInput{JobName: "j", RoleARN: "r", ModelID: "m",
			InputDataConfig: BatchS3Input("s3://b/i"), OutputDataConfig: BatchS3Output("s3://b/o")}
	}
	in := ok()
	out, err := c.CreateModelInvocationJob(context.Background(), &in)
	if err != nil {
		t.Fatal(err)
	}
	if !uuidV4.MatchString(out.ClientRequestToken) {
		t.Errorf("token %q is not a UUID", out.ClientRequestToken)
	}
	reqs := rec.recorded()
	if len(reqs) != 2 || string(reqs[0].Body) != string(reqs[1].Body) || !strings.Contains(string(reqs[0].Body), out.ClientRequestToken) {
		t.Errorf("the retry did not resend the same body with the token:\n%s\n%s", reqs[0].Body, reqs[len(reqs)-1].Body)
	}
	for _, tc := range []struct {
		mod  func(*CreateModelInvocationJobInput)
		want string
	}{
		{func(in *CreateModelInvocationJobInput) { in.JobName = "" }, "JobName is empty"},
		{func(in *CreateModelInvocationJobInput) { in.RoleARN = "" }, "RoleARN is empty"},
		{func(in *CreateModelInvocationJobInput) { in.ModelID = "" }, "ModelID is empty"},
		{func(in *CreateModelInvocationJobInput) { in.InputDataConfig = ModelInvocationJobInputDataConfig{} }, "InputDataConfig needs"},
		{func(in *CreateModelInvocationJobInput) { in.OutputDataConfig = BatchS3Output("/tmp/out") }, "OutputDataConfig needs"},
		{func(in *CreateModelInvocationJobInput) { in.TimeoutDurationInHours = 12 }, "TimeoutDurationInHours is 12"},
		{func(in *CreateModelInvocationJobInput) { in.ClientRequestToken = "a\nb" }, "printable ASCII"},
	} {
		in := ok()
		tc.mod(&in)
		if _, err := c.CreateModelInvocationJob(context.Background(), &in); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("error %v, want %q", err, tc.want)
		}
	}
	if _, err := c.CreateModelInvocationJob(context.Background(), nil); err == nil {
		t.Error("nil input: no error")
	}
	if n := len(rec.recorded()); n != 2 {
		t.Errorf("%d requests, want only the 2 of the good call", n)
	}
}

func TestGetModelInvocationJobGolden(t *testing.T) {
	rec, srv := newRecorder(t, jsonOK(string(readTestdata(t, "batch/get.response.json"))))
	c := newTestClient(t, srv.URL, srv.Client())
	got, err := c.GetModelInvocationJob(context.Background(), testJobARN)
	if err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "batch/get.request.txt", []byte(rec.recorded()[0].dump()))
	want := &ModelInvocationJob{
		JobARN: testJobARN, JobName: "nightly", ModelID: "anthropic.claude-3-5-haiku-20241022-v1:0", ClientRequestToken: "t1",
		RoleARN: "arn:aws:iam::123456789012:role/BedrockBatch", Status: JobPartiallyCompleted, Message: "3 records failed",
		SubmitTime:       time.Date(2026, 7, 30, 22, 0, 0, 0, time.UTC),
		LastModifiedTime: time.Date(2026, 7, 31, 4, 0, 0, 0, time.UTC),
		EndTime:          time.Date(2026, 7, 31, 4, 0, 0, 0, time.UTC),
		InputDataConfig: ModelInvocationJobInputDataConfig{S3InputDataConfig: &ModelInvocationJobS3InputDataConfig{
			S3URI: "s3://in-bucket/batch/records.jsonl", S3InputFormat: "JSONL"}},
		OutputDataConfig:       ModelInvocationJobOutputDataConfig{S3OutputDataConfig: &ModelInvocationJobS3OutputDataConfig{S3URI: "s3://out-bucket/batch/"}},
		TimeoutDurationInHours: 24, JobExpirationTime: time.Date(2026, 7, 31, 22, 0, 0, 0, time.UTC),
		ModelInvocationType: InvocationTypeInvokeModel,
		TotalRecordCount:    Ptr[int64](1000), ProcessedRecordCount: Ptr[int64](1000), SuccessRecordCount: Ptr[int64](997), ErrorRecordCount: Ptr[int64](3),
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if !got.Done() {
		t.Error("PartiallyCompleted is not Done")
	}
	b, err := json.Marshal(got)
	if err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "batch/get.marshalled.json", append(b, '\n'))
	// The short ID is a label too.
	if _, err := c.GetModelInvocationJob(context.Background(), "abcdefghij12"); err != nil {
		t.Fatal(err)
	}
	if uri := rec.recorded()[1].RequestURI; uri != "/model-invocation-job/abcdefghij12" {
		t.Errorf("URI %q", uri)
	}
	if _, err := c.GetModelInvocationJob(context.Background(), ""); err == nil {
		t.Error("empty ID: no error")
	}
}

func TestListAndStopModelInvocationJobsGolden(t *testing.T) {
	rec, srv := newRecorder(t, jsonOK(`{"invocationJobSummaries":[{"jobArn":"`+testJobARN+`","jobName":"nightly","modelId":"m","roleArn":"r","status":"InProgress","submitTime":"2026-07-31T01:02:03Z","inputDataConfig":{"s3InputDataConfig":{"s3Uri":"s3://b/i"}},"outputDataConfig":{"s3OutputDataConfig":{"s3Uri":"s3://b/o"}}}]}`))
	c := newTestClient(t, srv.URL, srv.Client())
	got, err := c.ListModelInvocationJobs(context.Background(), &ListModelInvocationJobsInput{
		SubmitTimeAfter: time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC), SubmitTimeBefore: time.Date(2026, 8, 1, 0, 0, 0, 0, time.UTC),
		StatusEquals: JobInProgress, NameContains: "nightly summaries", SortBy: SortByCreationTime, SortOrder: SortDescending,
		MaxResults: 10, NextToken: "n1"})
	if err != nil {
		t.Fatal(err)
	}
	if len(got.InvocationJobSummaries) != 1 || got.InvocationJobSummaries[0].Status != JobInProgress || got.InvocationJobSummaries[0].Done() ||
		!got.InvocationJobSummaries[0].SubmitTime.Equal(time.Date(2026, 7, 31, 1, 2, 3, 0, time.UTC)) {
		t.Errorf("got %+v", got)
	}
	if err := c.StopModelInvocationJob(context.Background(), testJobARN); err != nil {
		t.Fatal(err)
	}
	reqs := rec.recorded()
	checkGolden(t, "batch/list.request.txt", []byte(reqs[0].dump()))
	checkGolden(t, "batch/stop.request.txt", []byte(reqs[1].dump()))
	if err := c.StopModelInvocationJob(context.Background(), ""); err == nil {
		t.Error("empty ID: no error")
	}
	if _, err := c.ListModelInvocationJobs(context.Background(), &ListModelInvocationJobsInput{MaxResults: -3}); err == nil {
		t.Error("MaxResults -3: no error")
	}
}
