package bedrocktest

import (
	"net/http"
	"net/url"
	"strings"
)

// Operation names, as the service model spells them; Request.Operation and
// Fault.Operation use them.
const (
	OpApplyGuardrail                     = "ApplyGuardrail"
	OpConverse                           = "Converse"
	OpConverseStream                     = "ConverseStream"
	OpCountTokens                        = "CountTokens"
	OpGetAsyncInvoke                     = "GetAsyncInvoke"
	OpInvokeGuardrailChecks              = "InvokeGuardrailChecks"
	OpInvokeModel                        = "InvokeModel"
	OpInvokeModelWithBidirectionalStream = "InvokeModelWithBidirectionalStream"
	OpInvokeModelWithResponseStream      = "InvokeModelWithResponseStream"
	OpListAsyncInvokes                   = "ListAsyncInvokes"
	OpStartAsyncInvoke                   = "StartAsyncInvoke"
)

// route is a request matched to an operation, its path labels unescaped.
type route struct {
	op               string
	modelID          string
	guardrailID      string
	guardrailVersion string
	invocationARN    string
	jobID            string // batch job identifier (batch.go)
}

// modelOps maps the last segment of /model/{modelId}/… to its operation.
var modelOps = map[string]string{
	"invoke":                           OpInvokeModel,
	"invoke-with-response-stream":      OpInvokeModelWithResponseStream,
	"converse":                         OpConverse,
	"converse-stream":                  OpConverseStream,
	"count-tokens":                     OpCountTokens,
	"invoke-with-bidirectional-stream": OpInvokeModelWithBidirectionalStream,
}

// parseRoute matches a method and an escaped path (as on the request line)
// to an operation. Path labels are split on the escaped path, so a model ID
// whose "/" travels as %2F stays one label, and are then unescaped. It
// reports false for anything the service would not route.
func parseRoute(method, escapedPath string) (route, bool) {
	if !strings.HasPrefix(escapedPath, "/") {
		return route{}, false
	}
	segs := strings.Split(escapedPath[1:], "/")
	for i, s := range segs {
		u, err := url.PathUnescape(s)
		if err != nil {
			return route{}, false
		}
		segs[i] = u
	}
	switch {
	case len(segs) == 3 && segs[0] == "model" && segs[1] != "":
		op, ok := modelOps[segs[2]]
		if !ok || method != http.MethodPost {
			return route{}, false
		}
		return route{op: op, modelID: segs[1]}, true
	case len(segs) == 5 && segs[0] == "guardrail" && segs[2] == "version" && segs[4] == "apply" &&
		segs[1] != "" && segs[3] != "" && method == http.MethodPost:
		return route{op: OpApplyGuardrail, guardrailID: segs[1], guardrailVersion: segs[3]}, true
	case len(segs) == 2 && segs[0] == "guardrail-checks" && segs[1] == "invoke" && method == http.MethodPost:
		return route{op: OpInvokeGuardrailChecks}, true
	case len(segs) == 1 && segs[0] == "async-invoke":
		switch method {
		case http.MethodPost:
			return route{op: OpStartAsyncInvoke}, true
		case http.MethodGet:
			return route{op: OpListAsyncInvokes}, true
		}
	case len(segs) == 2 && segs[0] == "async-invoke" && segs[1] != "" && method == http.MethodGet:
		return route{op: OpGetAsyncInvoke, invocationARN: segs[1]}, true
	case len(segs) == 1 && segs[0] == "rerank" && method == http.MethodPost:
		return route{op: OpRerank}, true
	case len(segs) == 1 && segs[0] == "foundation-models" && method == http.MethodGet:
		return route{op: OpListFoundationModels}, true
	case len(segs) == 2 && segs[0] == "foundation-models" && segs[1] != "" && method == http.MethodGet:
		return route{op: OpGetFoundationModel, modelID: segs[1]}, true
	case len(segs) == 1 && segs[0] == "inference-profiles" && method == http.MethodGet:
		return route{op: OpListInferenceProfiles}, true
	case len(segs) == 2 && segs[0] == "inference-profiles" && segs[1] != "" && method == http.MethodGet:
		return route{op: OpGetInferenceProfile, modelID: segs[1]}, true
	case segs[0] == "model-invocation-job" || segs[0] == "model-invocation-jobs":
		return batchRoute(method, segs)
	}
	return route{}, false
}
