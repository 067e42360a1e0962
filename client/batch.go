package client

import (
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"strings"
	"time"
)

// Batch inference runs a model over a JSONL file of records in S3 and writes
// the outputs next to it (BatchRecordWriter writes the input file). The
// operations are the control plane's.

// Statuses of a batch inference job (ModelInvocationJob.Status).
const (
	JobSubmitted          = "Submitted"
	JobValidating         = "Validating"
	JobScheduled          = "Scheduled"
	JobInProgress         = "InProgress"
	JobCompleted          = "Completed"
	JobPartiallyCompleted = "PartiallyCompleted"
	JobFailed             = "Failed"
	JobStopping           = "Stopping"
	JobStopped            = "Stopped"
	JobExpired            = "Expired"
)

// Values of ModelInvocationType: the API the records' modelInput is for.
const (
	InvocationTypeInvokeModel = "InvokeModel"
	InvocationTypeConverse    = "Converse"
)

// ModelInvocationJobInputDataConfig says where a batch job reads its records.
// It is a union with one member today.
type ModelInvocationJobInputDataConfig struct {
	S3InputDataConfig *ModelInvocationJobS3InputDataConfig `json:"s3InputDataConfig,omitempty"`
}

// ModelInvocationJobS3InputDataConfig is the S3 location of the input.
type ModelInvocationJobS3InputDataConfig struct {
	// S3URI is the JSONL file, or a prefix holding several.
	S3URI string `json:"s3Uri"`
	// S3InputFormat is "JSONL" (the only format; empty leaves it out).
	S3InputFormat string `json:"s3InputFormat,omitempty"`
	S3BucketOwner string `json:"s3BucketOwner,omitempty"`
}

// ModelInvocationJobOutputDataConfig says where a batch job writes.
type ModelInvocationJobOutputDataConfig struct {
	S3OutputDataConfig *ModelInvocationJobS3OutputDataConfig `json:"s3OutputDataConfig,omitempty"`
}

// ModelInvocationJobS3OutputDataConfig is the S3 location of the output.
type ModelInvocationJobS3OutputDataConfig struct {
	S3URI             string `json:"s3Uri"`
	S3EncryptionKeyID string `json:"s3EncryptionKeyId,omitempty"`
	S3BucketOwner     string `json:"s3BucketOwner,omitempty"`
}

// VPCConfig puts a batch job's traffic in a VPC.
type VPCConfig struct {
	SubnetIDs        []string `json:"subnetIds"`
	SecurityGroupIDs []string `json:"securityGroupIds"`
}

// CreateModelInvocationJobInput describes a batch inference job.
type CreateModelInvocationJobInput struct {
	// JobName is the job's name (letters, digits, '+', '-', '.').
	JobName string
	// RoleARN is the IAM service role Bedrock assumes to read the input
	// and write the output.
	RoleARN string
	// ModelID is the model or inference profile.
	ModelID string
	// InputDataConfig and OutputDataConfig are the S3 locations; see
	// BatchS3Input and BatchS3Output.
	InputDataConfig  ModelInvocationJobInputDataConfig
	OutputDataConfig ModelInvocationJobOutputDataConfig
	// TimeoutDurationInHours is 24 to 168; 0 leaves it to the service.
	TimeoutDurationInHours int
	VPCConfig              *VPCConfig
	Tags                   []Tag
	// ModelInvocationType is InvocationTypeInvokeModel or
	// InvocationTypeConverse; empty leaves it to the service (InvokeModel).
	ModelInvocationType string
	// ClientRequestToken makes the call idempotent; generated (a UUID)
	// when empty, and the same on every retry.
	ClientRequestToken string
}

// BatchS3Input returns an input configuration reading JSONL from uri.
func BatchS3Input(uri string) ModelInvocationJobInputDataConfig {
	return ModelInvocationJobInputDataConfig{S3InputDataConfig: &ModelInvocationJobS3InputDataConfig{S3URI: uri}}
}

// BatchS3Output returns an output configuration writing under uri.
func BatchS3Output(uri string) ModelInvocationJobOutputDataConfig {
	return ModelInvocationJobOutputDataConfig{S3OutputDataConfig: &ModelInvocationJobS3OutputDataConfig{S3URI: uri}}
}

type createModelInvocationJobWire struct {
	JobName                string                             `json:"jobName"`
	RoleARN                string                             `json:"roleArn"`
	ClientRequestToken     string                             `json:"clientRequestToken"`
	ModelID                string                             `json:"modelId"`
	InputDataConfig        ModelInvocationJobInputDataConfig  `json:"inputDataConfig"`
	OutputDataConfig       ModelInvocationJobOutputDataConfig `json:"outputDataConfig"`
	VPCConfig              *VPCConfig                         `json:"vpcConfig,omitempty"`
	TimeoutDurationInHours int                                `json:"timeoutDurationInHours,omitempty"`
	Tags                   []Tag                              `json:"tags,omitempty"`
	ModelInvocationType    string                             `json:"modelInvocationType,omitempty"`
}

// CreateModelInvocationJobOutput is the result of CreateModelInvocationJob.
type CreateModelInvocationJobOutput struct {
	JobARN string `json:"jobArn"`
	// ClientRequestToken is the idempotency token that was sent.
	ClientRequestToken string `json:"-"`
}

// ModelInvocationJob is the state of a batch inference job, as
// GetModelInvocationJob and ListModelInvocationJobs report it.
type ModelInvocationJob struct {
	JobARN             string `json:"jobArn"`
	JobName            string `json:"jobName,omitempty"`
	ModelID            string `json:"modelId"`
	ClientRequestToken string `json:"clientRequestToken,omitempty"`
	RoleARN            string `json:"roleArn"`
	// Status is one of JobSubmitted … JobExpired.
	Status string `json:"status,omitempty"`
	// Message says why a job failed.
	Message                string                             `json:"message,omitempty"`
	SubmitTime             time.Time                          `json:"submitTime"`
	LastModifiedTime       time.Time                          `json:"lastModifiedTime,omitzero"`
	EndTime                time.Time                          `json:"endTime,omitzero"`
	InputDataConfig        ModelInvocationJobInputDataConfig  `json:"inputDataConfig"`
	OutputDataConfig       ModelInvocationJobOutputDataConfig `json:"outputDataConfig"`
	VPCConfig              *VPCConfig                         `json:"vpcConfig,omitempty"`
	TimeoutDurationInHours int                                `json:"timeoutDurationInHours,omitempty"`
	JobExpirationTime      time.Time                          `json:"jobExpirationTime,omitzero"`
	ModelInvocationType    string                             `json:"modelInvocationType,omitempty"`
	// The record counts are nil until the service reports them.
	TotalRecordCount     *int64 `json:"totalRecordCount,omitempty"`
	ProcessedRecordCount *int64 `json:"processedRecordCount,omitempty"`
	SuccessRecordCount   *int64 `json:"successRecordCount,omitempty"`
	ErrorRecordCount     *int64 `json:"errorRecordCount,omitempty"`
}

// MarshalJSON writes the job in the service's shape.
func (j ModelInvocationJob) MarshalJSON() ([]byte, error) {
	type plain ModelInvocationJob
	return json.Marshal(struct {
		plain
		SubmitTime        isoTime `json:"submitTime"`
		LastModifiedTime  isoTime `json:"lastModifiedTime,omitzero"`
		EndTime           isoTime `json:"endTime,omitzero"`
		JobExpirationTime isoTime `json:"jobExpirationTime,omitzero"`
	}{plain(j), isoTime{j.SubmitTime}, isoTime{j.LastModifiedTime}, isoTime{j.EndTime}, isoTime{j.JobExpirationTime}})
}

// UnmarshalJSON reads the job from the service's shape.
func (j *ModelInvocationJob) UnmarshalJSON(b []byte) error {
	type plain ModelInvocationJob
	w := struct {
		*plain
		SubmitTime        isoTime `json:"submitTime"`
		LastModifiedTime  isoTime `json:"lastModifiedTime"`
		EndTime           isoTime `json:"endTime"`
		JobExpirationTime isoTime `json:"jobExpirationTime"`
	}{plain: (*plain)(j)}
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	j.SubmitTime, j.LastModifiedTime, j.EndTime, j.JobExpirationTime = w.SubmitTime.t, w.LastModifiedTime.t, w.EndTime.t, w.JobExpirationTime.t
	return nil
}

// Done reports whether the job has reached a final status.
func (j *ModelInvocationJob) Done() bool {
	switch j.Status {
	case JobCompleted, JobPartiallyCompleted, JobFailed, JobStopped, JobExpired:
		return true
	}
	return false
}

// ListModelInvocationJobsInput filters, sorts and pages
// ListModelInvocationJobs.
type ListModelInvocationJobsInput struct {
	SubmitTimeAfter  time.Time
	SubmitTimeBefore time.Time
	// StatusEquals keeps jobs with that status (JobInProgress, …).
	StatusEquals string
	// NameContains keeps jobs whose name contains it.
	NameContains string
	// SortBy is SortByCreationTime; SortOrder SortAscending or
	// SortDescending.
	SortBy    string
	SortOrder string
	// MaxResults is the page size, 1 to 1000; 0 leaves it to the service.
	MaxResults int
	NextToken  string
}

// ListModelInvocationJobsOutput is one page of ListModelInvocationJobs.
type ListModelInvocationJobsOutput struct {
	InvocationJobSummaries []ModelInvocationJob `json:"invocationJobSummaries"`
	NextToken              string               `json:"nextToken,omitempty"`
}

// CreateModelInvocationJob submits a batch inference job. The input JSONL
// must already be in S3 (see BatchRecordWriter).
func (c *Client) CreateModelInvocationJob(ctx context.Context, in *CreateModelInvocationJobInput) (*CreateModelInvocationJobOutput, error) {
	const op = "CreateModelInvocationJob"
	if in == nil {
		return nil, fmt.Errorf("bedrock %s: nil input", op)
	}
	for _, f := range []struct{ name, v string }{{"JobName", in.JobName}, {"RoleARN", in.RoleARN}, {"ModelID", in.ModelID}} {
		if f.v == "" {
			return nil, fmt.Errorf("bedrock %s: %s is empty", op, f.name)
		}
	}
	if s3 := in.InputDataConfig.S3InputDataConfig; s3 == nil || !strings.HasPrefix(s3.S3URI, "s3://") {
		return nil, fmt.Errorf("bedrock %s: InputDataConfig needs an s3:// URI (see BatchS3Input)", op)
	}
	if s3 := in.OutputDataConfig.S3OutputDataConfig; s3 == nil || !strings.HasPrefix(s3.S3URI, "s3://") {
		return nil, fmt.Errorf("bedrock %s: OutputDataConfig needs an s3:// URI (see BatchS3Output)", op)
	}
	if h := in.TimeoutDurationInHours; h != 0 && (h < 24 || h > 168) {
		return nil, fmt.Errorf("bedrock %s: TimeoutDurationInHours is %d, want 24 to 168 (or 0 for the service's default)", op, h)
	}
	token, err := idempotencyToken(in.ClientRequestToken)
	if err != nil {
		return nil, fmt.Errorf("bedrock %s: %w", op, err)
	}
	body := createModelInvocationJobWire{
		JobName: in.JobName, RoleARN: in.RoleARN, ClientRequestToken: token, ModelID: in.ModelID,
		InputDataConfig: in.InputDataConfig, OutputDataConfig: in.OutputDataConfig, VPCConfig: in.VPCConfig,
		TimeoutDurationInHours: in.TimeoutDurationInHours, Tags: in.Tags, ModelInvocationType: in.ModelInvocationType,
	}
	b, err := encodeBody(body)
	if err != nil {
		return nil, fmt.Errorf("bedrock %s: encoding request: %w", op, err)
	}
	out := new(CreateModelInvocationJobOutput)
	r := &request{op: op, method: "POST", path: "/model-invocation-job", body: b, service: serviceControlPlane}
	if _, err := c.sendJSON(ctx, r, nil, out); err != nil {
		return nil, err
	}
	if out.JobARN == "" {
		return nil, fmt.Errorf("bedrock %s: response has no jobArn", op)
	}
	out.ClientRequestToken = token
	return out, nil
}

// GetModelInvocationJob returns the state of a batch job, named by its ARN
// or its 12-character ID.
func (c *Client) GetModelInvocationJob(ctx context.Context, jobID string) (*ModelInvocationJob, error) {
	const op = "GetModelInvocationJob"
	if jobID == "" {
		return nil, fmt.Errorf("bedrock %s: job identifier is empty", op)
	}
	out := new(ModelInvocationJob)
	r := &request{op: op, method: "GET", path: "/model-invocation-job/" + escapeLabel(jobID), service: serviceControlPlane}
	if _, err := c.sendJSON(ctx, r, nil, out); err != nil {
		return nil, err
	}
	return out, nil
}

// StopModelInvocationJob asks the service to stop a batch job, named by its
// ARN or ID. The job goes through JobStopping to JobStopped.
func (c *Client) StopModelInvocationJob(ctx context.Context, jobID string) error {
	const op = "StopModelInvocationJob"
	if jobID == "" {
		return fmt.Errorf("bedrock %s: job identifier is empty", op)
	}
	r := &request{op: op, method: "POST", path: "/model-invocation-job/" + escapeLabel(jobID) + "/stop", service: serviceControlPlane}
	_, err := c.sendJSON(ctx, r, nil, nil)
	return err
}

// ListModelInvocationJobs returns one page of batch jobs. To read them all,
// range over AllModelInvocationJobs.
func (c *Client) ListModelInvocationJobs(ctx context.Context, in *ListModelInvocationJobsInput) (*ListModelInvocationJobsOutput, error) {
	const op = "ListModelInvocationJobs"
	if in == nil {
		in = &ListModelInvocationJobsInput{}
	}
	var q listQuery
	q.time("submitTimeAfter", in.SubmitTimeAfter)
	q.time("submitTimeBefore", in.SubmitTimeBefore)
	q.str("statusEquals", in.StatusEquals)
	q.str("nameContains", in.NameContains)
	q.maxResults(in.MaxResults)
	q.str("nextToken", in.NextToken)
	q.str("sortBy", in.SortBy)
	q.str("sortOrder", in.SortOrder)
	if q.err != nil {
		return nil, fmt.Errorf("bedrock %s: %w", op, q.err)
	}
	out := new(ListModelInvocationJobsOutput)
	r := &request{op: op, method: "GET", path: "/model-invocation-jobs", query: q.q, service: serviceControlPlane}
	if _, err := c.sendJSON(ctx, r, nil, out); err != nil {
		return nil, err
	}
	return out, nil
}

// AllModelInvocationJobs returns an iterator over every batch job in
// selects, page after page; see AllAsyncInvokes for how it ends.
func (c *Client) AllModelInvocationJobs(ctx context.Context, in *ListModelInvocationJobsInput) iter.Seq2[ModelInvocationJob, error] {
	var base ListModelInvocationJobsInput
	if in != nil {
		base = *in
	}
	return paginate(ctx, "ListModelInvocationJobs", base.NextToken, func(ctx context.Context, token string) ([]ModelInvocationJob, string, error) {
		page := base
		page.NextToken = token
		out, err := c.ListModelInvocationJobs(ctx, &page)
		if err != nil {
			return nil, "", err
		}
		return out.InvocationJobSummaries, out.NextToken, nil
	})
}

// WaitModelInvocationJobOptions tunes WaitModelInvocationJob. The zero
// value (or nil) polls after DefaultJobMinDelay, doubling the delay up to
// DefaultJobMaxDelay.
type WaitModelInvocationJobOptions struct {
	MinDelay time.Duration
	MaxDelay time.Duration
	// Progress, when set, is called with the state after every poll.
	Progress func(*ModelInvocationJob)
}

// WaitModelInvocationJob polls GetModelInvocationJob until the job reaches a
// final status. It returns the final state; for a job that failed, was
// stopped or expired, the state with an error wrapping ErrNotCompleted
// (JobPartiallyCompleted is not an error: the record counts tell how
// partial). When ctx is done it returns the last state and the context's
// error.
func (c *Client) WaitModelInvocationJob(ctx context.Context, jobID string, opts *WaitModelInvocationJobOptions) (*ModelInvocationJob, error) {
	var o WaitModelInvocationJobOptions
	if opts != nil {
		o = *opts
	}
	return poll(ctx, c, "WaitModelInvocationJob", pollDelays{o.MinDelay, o.MaxDelay, DefaultJobMinDelay, DefaultJobMaxDelay},
		func(ctx context.Context) (*ModelInvocationJob, error) { return c.GetModelInvocationJob(ctx, jobID) },
		func(j *ModelInvocationJob) (bool, error) {
			switch j.Status {
			case JobCompleted, JobPartiallyCompleted:
				return true, nil
			case JobFailed, JobStopped, JobExpired:
				msg := j.Message
				if msg == "" {
					msg = "no message"
				}
				return true, fmt.Errorf("bedrock: batch job %s %w: %s: %s", j.JobARN, ErrNotCompleted, j.Status, msg)
			}
			return false, nil
		}, o.Progress)
}
