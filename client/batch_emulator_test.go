package client_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/bedrockwire/bedrockwire/client"
	"github.com/bedrockwire/bedrockwire/modelspec"
)

// TestEmulatorBatchJob: write records, submit, follow the job to its end,
// list and stop jobs, against the emulator's batch API.
func TestEmulatorBatchJob(t *testing.T) {
	srv, c := cpEmulator(t)
	ctx := context.Background()

	var jsonl bytes.Buffer
	w := client.NewBatchRecordWriter(&jsonl)
	for _, p := range []string{"one", "two"} {
		if err := w.Write("", modelspec.NovaRequest{Messages: []modelspec.NovaMessage{{Role: "user", Content: []modelspec.NovaContent{{Text: p}}}}}); err != nil {
			t.Fatal(err)
		}
	}
	// (the file would go to S3 here)

	in := &client.CreateModelInvocationJobInput{
		JobName: "nightly", RoleARN: "arn:aws:iam::123456789012:role/BedrockBatch", ModelID: "amazon.nova-lite-v1:0",
		InputDataConfig: client.BatchS3Input("s3://in-bucket/records.jsonl"), OutputDataConfig: client.BatchS3Output("s3://out-bucket/batch/"),
		TimeoutDurationInHours: 24,
	}
	created, err := c.CreateModelInvocationJob(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	// Repeating the call with its token is the same job.
	in.ClientRequestToken = created.ClientRequestToken
	again, err := c.CreateModelInvocationJob(ctx, in)
	if err != nil || again.JobARN != created.JobARN {
		t.Errorf("repeat with the token: %+v, %v", again, err)
	}

	var seen []string
	job, err := c.WaitModelInvocationJob(ctx, created.JobARN, &client.WaitModelInvocationJobOptions{MinDelay: time.Millisecond,
		Progress: func(j *client.ModelInvocationJob) { seen = append(seen, j.Status) }})
	if err != nil || job.Status != client.JobCompleted || job.TotalRecordCount == nil || *job.ProcessedRecordCount != *job.TotalRecordCount {
		t.Fatalf("wait: %+v, %v", job, err)
	}
	if len(seen) != 5 || seen[0] != client.JobSubmitted {
		t.Errorf("statuses %v", seen)
	}

	in2 := *in
	in2.JobName, in2.ClientRequestToken = "second", ""
	second, err := c.CreateModelInvocationJob(ctx, &in2)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.StopModelInvocationJob(ctx, second.JobARN); err != nil {
		t.Fatal(err)
	}
	stopped, err := c.WaitModelInvocationJob(ctx, second.JobARN, &client.WaitModelInvocationJobOptions{MinDelay: time.Millisecond})
	if !errors.Is(err, client.ErrNotCompleted) || stopped.Status != client.JobStopped {
		t.Errorf("stopped job: %+v, %v", stopped, err)
	}

	var names []string
	for j, err := range c.AllModelInvocationJobs(ctx, &client.ListModelInvocationJobsInput{MaxResults: 1}) {
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, j.JobName)
	}
	if len(names) != 2 || names[0] != "second" {
		t.Errorf("listed %v", names)
	}
	if err := c.StopModelInvocationJob(ctx, created.JobARN); !client.IsValidation(err) {
		t.Errorf("stopping a completed job: %v", err)
	}
	if _, err := c.GetModelInvocationJob(ctx, "abcdefabcdef"); !client.IsResourceNotFound(err) {
		t.Errorf("unknown job: %v", err)
	}
	for _, r := range srv.Requests() {
		if r.Auth != "sigv4" {
			t.Errorf("%s: auth %q", r.Operation, r.Auth)
		}
	}
	b, _ := json.Marshal(job)
	if !bytes.Contains(b, []byte(`"status":"Completed"`)) {
		t.Errorf("job marshals as %s", b)
	}
}
