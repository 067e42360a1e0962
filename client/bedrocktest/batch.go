package bedrocktest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/bedrockwire/bedrockwire/modelspec"
)

// Batch inference, the control plane's model-invocation-job operations. The
// emulator reads no S3: a job has a fixed number of records and advances
// one status each time it is read with GetModelInvocationJob —
// Submitted, Validating, Scheduled, InProgress, then Completed — so that a
// client's wait loop sees the whole life. StopModelInvocationJob moves a
// running job to Stopping, and the next read to Stopped.

// Batch operation names.
const (
	OpCreateModelInvocationJob = "CreateModelInvocationJob"
	OpGetModelInvocationJob    = "GetModelInvocationJob"
	OpListModelInvocationJobs  = "ListModelInvocationJobs"
	OpStopModelInvocationJob   = "StopModelInvocationJob"
)

// BatchRecords is the number of records every emulated job processes.
const BatchRecords = 100

// batchLife is the status a job reports on each read.
var batchLife = []string{"Submitted", "Validating", "Scheduled", "InProgress", "Completed"}

// batchJob is one CreateModelInvocationJob job.
type batchJob struct {
	arn, name, modelID, role, token, invocationType string
	input, output, vpc                              json.RawMessage
	timeoutHours                                    int
	tags                                            json.RawMessage
	submit, modified, end                           time.Time
	step                                            int    // index into batchLife
	stopped                                         string // "", "Stopping" or "Stopped"
}

func (j *batchJob) status() string {
	if j.stopped != "" {
		return j.stopped
	}
	return batchLife[j.step]
}

// summary is the job as Get and List report it, in the service's member
// order.
func (j *batchJob) summary() ordered {
	o := obj("jobArn", j.arn, "jobName", j.name, "modelId", j.modelID)
	if j.token != "" {
		o = append(o, "clientRequestToken", j.token)
	}
	o = append(o, "roleArn", j.role, "status", j.status())
	if j.stopped == "Stopped" {
		o = append(o, "message", "Job stopped by the caller.")
	}
	o = append(o, "submitTime", j.submit.UTC().Format(asyncTimeFormat), "lastModifiedTime", j.modified.UTC().Format(asyncTimeFormat))
	if !j.end.IsZero() {
		o = append(o, "endTime", j.end.UTC().Format(asyncTimeFormat))
	}
	o = append(o, "inputDataConfig", j.input, "outputDataConfig", j.output)
	if len(j.vpc) > 0 {
		o = append(o, "vpcConfig", j.vpc)
	}
	o = append(o, "timeoutDurationInHours", j.timeoutHours,
		"jobExpirationTime", j.submit.Add(time.Duration(j.timeoutHours)*time.Hour).UTC().Format(asyncTimeFormat))
	if j.invocationType != "" {
		o = append(o, "modelInvocationType", j.invocationType)
	}
	processed := 0
	switch {
	case j.stopped != "":
		processed = BatchRecords / 2
	case batchLife[j.step] == "InProgress":
		processed = BatchRecords / 2
	case batchLife[j.step] == "Completed":
		processed = BatchRecords
	}
	if j.step >= 3 || j.stopped != "" {
		o = append(o, "totalRecordCount", BatchRecords, "processedRecordCount", processed, "successRecordCount", processed, "errorRecordCount", 0)
	}
	return o
}

// batchRoute matches the batch paths; segs are the unescaped path segments.
func batchRoute(method string, segs []string) (route, bool) {
	switch {
	case len(segs) == 1 && segs[0] == "model-invocation-job" && method == http.MethodPost:
		return route{op: OpCreateModelInvocationJob}, true
	case len(segs) == 1 && segs[0] == "model-invocation-jobs" && method == http.MethodGet:
		return route{op: OpListModelInvocationJobs}, true
	case len(segs) == 2 && segs[0] == "model-invocation-job" && segs[1] != "" && method == http.MethodGet:
		return route{op: OpGetModelInvocationJob, jobID: segs[1]}, true
	case len(segs) == 3 && segs[0] == "model-invocation-job" && segs[1] != "" && segs[2] == "stop" && method == http.MethodPost:
		return route{op: OpStopModelInvocationJob, jobID: segs[1]}, true
	}
	return route{}, false
}

// batch answers the batch operations.
func (c *call) batch(op string) {
	switch op {
	case OpCreateModelInvocationJob:
		c.createModelInvocationJob()
	case OpGetModelInvocationJob:
		c.getModelInvocationJob()
	case OpListModelInvocationJobs:
		c.listModelInvocationJobs()
	case OpStopModelInvocationJob:
		c.stopModelInvocationJob()
	}
}

var (
	batchJobName  = regexp.MustCompile(`^[a-zA-Z0-9]{1,63}(-*[a-zA-Z0-9\+\-\.]){0,63}$`)
	batchRoleARN  = regexp.MustCompile(`^arn:aws(-[^:]+)?:iam::([0-9]{12})?:role/.+$`)
	batchS3URI    = regexp.MustCompile(`^s3://[a-z0-9][-.a-z0-9]{1,61}[a-z0-9](/.*)?$`)
	batchToken    = regexp.MustCompile(`^[a-zA-Z0-9]{1,256}(-*[a-zA-Z0-9]){0,256}$`)
	batchJobIDRE  = regexp.MustCompile(`^((arn:aws(-[^:]+)?:bedrock:[a-z0-9-]{1,20}:[0-9]{12}:model-invocation-job/)?[a-z0-9]{12})$`)
	batchStatuses = []string{"Submitted", "InProgress", "Completed", "Failed", "Stopping", "Stopped", "PartiallyCompleted", "Expired", "Validating", "Scheduled"}
)

func batchConflict(message string) *Error {
	return &Error{Status: 400, Type: "ConflictException", Message: message}
}

func (c *call) createModelInvocationJob() {
	var req struct {
		JobName            string `json:"jobName"`
		RoleARN            string `json:"roleArn"`
		ClientRequestToken string `json:"clientRequestToken"`
		ModelID            string `json:"modelId"`
		InputDataConfig    *struct {
			S3InputDataConfig *struct {
				S3URI         string `json:"s3Uri"`
				S3InputFormat string `json:"s3InputFormat"`
			} `json:"s3InputDataConfig"`
		} `json:"inputDataConfig"`
		OutputDataConfig *struct {
			S3OutputDataConfig *struct {
				S3URI string `json:"s3Uri"`
			} `json:"s3OutputDataConfig"`
		} `json:"outputDataConfig"`
		VPCConfig              json.RawMessage `json:"vpcConfig"`
		TimeoutDurationInHours *int            `json:"timeoutDurationInHours"`
		Tags                   json.RawMessage `json:"tags"`
		ModelInvocationType    string          `json:"modelInvocationType"`
	}
	if e := c.decodeJSON(&req); e != nil {
		c.fail(e)
		return
	}
	c.s.update(c.rec, func(rec *Request) { rec.ModelID = req.ModelID })
	invalid := func(format string, a ...any) {
		c.fail(ValidationError("1 validation error detected: " + fmt.Sprintf(format, a...)))
	}
	switch {
	case req.JobName == "":
		invalid("Value null at 'jobName' failed to satisfy constraint: Member must not be null")
		return
	case !batchJobName.MatchString(req.JobName):
		invalid("Value '%s' at 'jobName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9]{1,63}(-*[a-zA-Z0-9\\+\\-\\.]){0,63}", req.JobName)
		return
	case !batchRoleARN.MatchString(req.RoleARN):
		invalid("Value '%s' at 'roleArn' failed to satisfy constraint: Member must satisfy regular expression pattern: arn:aws(-[^:]+)?:iam::([0-9]{12})?:role/.+", req.RoleARN)
		return
	case req.ClientRequestToken != "" && !batchToken.MatchString(req.ClientRequestToken):
		invalid("Value '%s' at 'clientRequestToken' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9]{1,256}(-*[a-zA-Z0-9]){0,256}", req.ClientRequestToken)
		return
	case req.ModelID == "":
		invalid("Value null at 'modelId' failed to satisfy constraint: Member must not be null")
		return
	case req.InputDataConfig == nil || req.InputDataConfig.S3InputDataConfig == nil:
		invalid("Value null at 'inputDataConfig' failed to satisfy constraint: Member must not be null")
		return
	case !batchS3URI.MatchString(req.InputDataConfig.S3InputDataConfig.S3URI):
		invalid("Value '%s' at 'inputDataConfig.s3InputDataConfig.s3Uri' failed to satisfy constraint: Member must satisfy regular expression pattern: s3://[a-z0-9][-.a-z0-9]{1,61}[a-z0-9](/.*)?", req.InputDataConfig.S3InputDataConfig.S3URI)
		return
	case req.InputDataConfig.S3InputDataConfig.S3InputFormat != "" && req.InputDataConfig.S3InputDataConfig.S3InputFormat != "JSONL":
		invalid("Value '%s' at 'inputDataConfig.s3InputDataConfig.s3InputFormat' failed to satisfy constraint: Member must satisfy enum value set: [JSONL]", req.InputDataConfig.S3InputDataConfig.S3InputFormat)
		return
	case req.OutputDataConfig == nil || req.OutputDataConfig.S3OutputDataConfig == nil:
		invalid("Value null at 'outputDataConfig' failed to satisfy constraint: Member must not be null")
		return
	case !batchS3URI.MatchString(req.OutputDataConfig.S3OutputDataConfig.S3URI):
		invalid("Value '%s' at 'outputDataConfig.s3OutputDataConfig.s3Uri' failed to satisfy constraint: Member must satisfy regular expression pattern: s3://[a-z0-9][-.a-z0-9]{1,61}[a-z0-9](/.*)?", req.OutputDataConfig.S3OutputDataConfig.S3URI)
		return
	case req.TimeoutDurationInHours != nil && (*req.TimeoutDurationInHours < 24 || *req.TimeoutDurationInHours > 168):
		invalid("Value '%d' at 'timeoutDurationInHours' failed to satisfy constraint: Member must have value between 24 and 168", *req.TimeoutDurationInHours)
		return
	case req.ModelInvocationType != "" && req.ModelInvocationType != "InvokeModel" && req.ModelInvocationType != "Converse":
		invalid("Value '%s' at 'modelInvocationType' failed to satisfy constraint: Member must satisfy enum value set: [InvokeModel, Converse]", req.ModelInvocationType)
		return
	}
	api := modelspec.InvokeModel
	if req.ModelInvocationType == "Converse" {
		api = modelspec.Converse
	}
	if _, e := c.s.resolveModel(req.ModelID, api); e != nil {
		c.fail(e)
		return
	}
	input, _ := json.Marshal(req.InputDataConfig)
	output, _ := json.Marshal(req.OutputDataConfig)
	hours := 24
	if req.TimeoutDurationInHours != nil {
		hours = *req.TimeoutDurationInHours
	}

	c.s.mu.Lock()
	defer c.s.mu.Unlock()
	for _, j := range c.s.jobs {
		if req.ClientRequestToken != "" && j.token == req.ClientRequestToken {
			if j.name != req.JobName || j.modelID != req.ModelID {
				c.fail(batchConflict("The request token was used with different parameters."))
				return
			}
			c.writeJSON(marshal(obj("jobArn", j.arn)))
			return
		}
		if j.name == req.JobName {
			c.fail(batchConflict(fmt.Sprintf("A job with the name %s already exists.", req.JobName)))
			return
		}
	}
	j := &batchJob{
		arn:  fmt.Sprintf("arn:aws:bedrock:%s:%s:model-invocation-job/%012x", c.s.opts.region(), DefaultAccountID, len(c.s.jobs)+1),
		name: req.JobName, modelID: req.ModelID, role: req.RoleARN, token: req.ClientRequestToken,
		invocationType: req.ModelInvocationType, input: input, output: output, vpc: req.VPCConfig, tags: req.Tags,
		timeoutHours: hours, submit: c.start, modified: c.start,
	}
	c.s.jobs = append(c.s.jobs, j)
	c.writeJSON(marshal(obj("jobArn", j.arn)))
}

// findJob returns the job an identifier (ARN or 12-character ID) names;
// the caller holds s.mu.
func (s *Server) findJob(id string) *batchJob {
	for _, j := range s.jobs {
		if j.arn == id || strings.HasSuffix(j.arn, "/"+id) {
			return j
		}
	}
	return nil
}

// jobOrFail checks the job identifier and finds the job, or answers the
// error; the caller holds s.mu.
func (c *call) jobOrFail() *batchJob {
	if !batchJobIDRE.MatchString(c.rt.jobID) {
		c.fail(ValidationError(fmt.Sprintf("1 validation error detected: Value '%s' at 'jobIdentifier' failed to satisfy constraint: Member must satisfy regular expression pattern: ((arn:aws(-[^:]+)?:bedrock:[a-z0-9-]{1,20}:[0-9]{12}:model-invocation-job/)?[a-z0-9]{12})", c.rt.jobID)))
		return nil
	}
	j := c.s.findJob(c.rt.jobID)
	if j == nil {
		c.fail(ResourceNotFoundError(fmt.Sprintf("The model invocation job %s could not be found.", c.rt.jobID)))
	}
	return j
}

func (c *call) getModelInvocationJob() {
	c.s.mu.Lock()
	defer c.s.mu.Unlock()
	j := c.jobOrFail()
	if j == nil {
		return
	}
	out := marshal(j.summary())
	// the next read sees the next step of the job's life
	switch {
	case j.stopped == "Stopping":
		j.stopped, j.modified, j.end = "Stopped", c.start, c.start
	case j.stopped == "" && j.step < len(batchLife)-1:
		j.step++
		j.modified = c.start
		if j.step == len(batchLife)-1 {
			j.end = c.start
		}
	}
	c.writeJSON(out)
}

func (c *call) stopModelInvocationJob() {
	c.s.mu.Lock()
	defer c.s.mu.Unlock()
	j := c.jobOrFail()
	if j == nil {
		return
	}
	if j.stopped != "" || batchLife[j.step] == "Completed" {
		c.fail(ValidationError(fmt.Sprintf("The job %s is %s and cannot be stopped.", j.arn, j.status())))
		return
	}
	j.stopped, j.modified = "Stopping", c.start
	c.writeJSON([]byte("{}\n"))
}

// listModelInvocationJobs answers with the filters, sort and pagination.
func (c *call) listModelInvocationJobs() {
	l, ok := c.parseListing("jobs:", true,
		enumParam{key: "statusEquals", allow: batchStatuses},
		enumParam{key: "sortBy", allow: []string{"CreationTime"}},
		sortOrderParam)
	if !ok {
		return
	}
	status, nameContains := l.q.Get("statusEquals"), l.q.Get("nameContains")

	c.s.mu.Lock()
	var picked []ordered
	var jobs []*batchJob
	for _, j := range c.s.jobs {
		if (status != "" && j.status() != status) || (nameContains != "" && !strings.Contains(j.name, nameContains)) ||
			!l.submittedIn(j.submit) {
			continue
		}
		jobs = append(jobs, j)
	}
	if !l.ascending { // newest first by default
		slices.Reverse(jobs)
	}
	start, end, next := l.page(len(jobs))
	for _, j := range jobs[start:end] {
		picked = append(picked, j.summary())
	}
	c.s.mu.Unlock()
	if picked == nil {
		picked = []ordered{}
	}
	out := obj("invocationJobSummaries", picked)
	if next != "" {
		out = append(out, "nextToken", next)
	}
	c.writeJSON(marshal(out))
}
