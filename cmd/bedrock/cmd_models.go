package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/bedrockwire/bedrockwire/modelspec"
)

func init() {
	register(&command{name: "models", summary: "list the model catalog, or resolve model IDs to their entries", run: runModels})
}

const modelsHelp = `NAME
    bedrock models — the model catalog on the command line

SYNOPSIS
    bedrock models [--provider P] [--api API] [--modality M] [--region R] [--json]
    bedrock models [--json] ID...

DESCRIPTION
    Without IDs, prints every model of the built-in catalog that passes the
    filters, one row each: base model ID, provider, name, input and output
    modalities, APIs, inference profile prefixes and lifecycle status. With
    --region, a USE column names the ID to call from that Region (the base
    ID in-Region, or an inference profile).

    With IDs, resolves each one — base model ID, versioned ID, geographic or
    global inference profile ID (us., eu., apac., global., ...), Provisioned
    Throughput ID (...:0:8k), or the ARN of a foundation model, inference
    profile or custom model — and prints its base model's entry, in the
    order given. IDs that do not resolve are named on stderr, each with the
    reason and suggestions; the entries that did resolve are still printed,
    and the exit status is 1.

    The APIS column abbreviates: invoke (InvokeModel), converse (Converse),
    stream (the streaming variant of each: InvokeModelWithResponseStream,
    ConverseStream), bidi (InvokeModelWithBidirectionalStream), async
    (StartAsyncInvoke), count-tokens (CountTokens), rerank (Rerank).

OPTIONS
    --provider P   provider name or ID prefix: amazon, anthropic, "Mistral AI", ...
    --api API      an API name (ConverseStream) or its abbreviation (bidi)
    --modality M   TEXT, IMAGE, VIDEO, AUDIO, SPEECH or EMBEDDING, input or output
    --region R     models usable from Region R, in-Region or through a profile
    --json         print a JSON array of catalog entries instead of the table;
                   every entry has id, provider, name, input_modalities,
                   output_modalities, apis, inference_profiles, provisioned_ids
                   and lifecycle, among others
    --remote       (not yet) ask ListFoundationModels instead of the catalog

EXIT STATUS
    0 on success; 1 when an ID does not resolve or no model passes the
    filters; 2 on bad flags or arguments.

EXAMPLES
    bedrock models
    bedrock models --provider anthropic --region eu-west-1
    bedrock models --api bidi
    bedrock models --modality EMBEDDING --json
    bedrock models --json us.anthropic.claude-3-5-sonnet-20241022-v2:0 amazon.titan-text-express-v1:0:8k
`

// modelsAPILabels are the APIS column's abbreviations.
var modelsAPILabels = map[modelspec.API]string{
	modelspec.InvokeModel:                        "invoke",
	modelspec.Converse:                           "converse",
	modelspec.InvokeModelWithBidirectionalStream: "bidi",
	modelspec.StartAsyncInvoke:                   "async",
	modelspec.CountTokens:                        "count-tokens",
	modelspec.Rerank:                             "rerank",
}

func runModels(_ context.Context, e *env, args []string) int {
	fs := flag.NewFlagSet("models", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {} // -h prints the manual; other errors the synopsis, below
	var (
		provider = fs.String("provider", "", "provider name or ID prefix")
		apiFlag  = fs.String("api", "", "API name or abbreviation")
		modality = fs.String("modality", "", "input or output modality")
		region   = fs.String("region", "", "Region the models must be usable from")
		asJSON   = fs.Bool("json", false, "print JSON")
		remote   = fs.Bool("remote", false, "not yet implemented")
		help     = fs.Bool("help", false, "show the manual")
	)
	// Flags may come before, between and after IDs.
	var ids []string
	rest := args
	for {
		if err := fs.Parse(rest); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				io.WriteString(e.stdout, modelsHelp)
				return exitOK
			}
			fmt.Fprint(e.stderr, "usage: bedrock models [--provider P] [--api API] [--modality M] [--region R] [--json] [ID...]\nRun 'bedrock models --help' for details.\n")
			return exitUsage
		}
		rest = fs.Args()
		if len(rest) == 0 {
			break
		}
		ids = append(ids, rest[0])
		rest = rest[1:]
	}
	if *help {
		io.WriteString(e.stdout, modelsHelp)
		return exitOK
	}
	usageErr := func(format string, a ...any) int {
		fmt.Fprintf(e.stderr, "bedrock models: "+format+"\n", a...)
		return exitUsage
	}
	if *remote {
		return usageErr("--remote is not implemented yet; this version lists the built-in catalog only")
	}
	var f modelspec.Filter
	f.Provider = *provider
	f.Region = *region
	if *apiFlag != "" {
		api, err := modelsParseAPI(*apiFlag)
		if err != nil {
			return usageErr("%v", err)
		}
		f.API = api
	}
	if *modality != "" {
		m, err := modelspec.ParseModality(*modality)
		if err != nil {
			return usageErr("--modality: %v", strings.TrimPrefix(err.Error(), "modelspec: "))
		}
		f.Modality = m
	}
	if f.Region != "" && !modelsRegionOK(f.Region) {
		return usageErr("--region %q is not a Region name such as us-east-1", f.Region)
	}
	filtered := f != (modelspec.Filter{})
	if filtered && len(ids) > 0 {
		return usageErr("give model IDs or filters, not both")
	}

	var models []modelspec.Model
	code := exitOK
	if len(ids) > 0 {
		for _, id := range ids {
			m, err := modelspec.Lookup(id)
			if err != nil {
				fmt.Fprintf(e.stderr, "bedrock models: %s\n", strings.TrimPrefix(err.Error(), "modelspec: "))
				code = exitFailure
				continue
			}
			models = append(models, *m)
		}
	} else {
		models = modelspec.Select(f)
		if len(models) == 0 {
			fmt.Fprintln(e.stderr, "bedrock models: no model passes the filters")
			code = exitFailure
		}
	}

	if *asJSON {
		if models == nil {
			models = []modelspec.Model{}
		}
		enc := json.NewEncoder(e.stdout)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		if err := enc.Encode(models); err != nil {
			fmt.Fprintf(e.stderr, "bedrock models: %v\n", err)
			return exitFailure
		}
		return code
	}
	if len(models) > 0 {
		if err := writeModelsTable(e.stdout, models, f.Region); err != nil {
			fmt.Fprintf(e.stderr, "bedrock models: %v\n", err)
			return exitFailure
		}
	}
	return code
}

// modelsParseAPI accepts an API name in any case or a table abbreviation.
func modelsParseAPI(s string) (modelspec.API, error) {
	if api, err := modelspec.ParseAPI(s); err == nil {
		return api, nil
	}
	for api, label := range modelsAPILabels {
		if strings.EqualFold(label, s) {
			return api, nil
		}
	}
	names := make([]string, len(modelspec.APIs))
	for i, a := range modelspec.APIs {
		names[i] = string(a)
	}
	return "", fmt.Errorf("--api %q is not one of %s (or invoke, converse, bidi, async, count-tokens, rerank)", s, strings.Join(names, ", "))
}

// modelsRegionOK checks the shape of a Region name.
func modelsRegionOK(r string) bool {
	parts := strings.Split(r, "-")
	if len(parts) < 3 {
		return false
	}
	for _, p := range parts {
		if p == "" {
			return false
		}
		for _, c := range p {
			if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9') {
				return false
			}
		}
	}
	return true
}

// writeModelsTable prints the aligned table; with a Region it adds the ID
// to call from there.
func writeModelsTable(w io.Writer, models []modelspec.Model, region string) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	header := "ID\tPROVIDER\tNAME\tINPUT\tOUTPUT\tAPIS\tPROFILES\tSTATUS"
	if region != "" {
		header += "\tUSE IN " + region
	}
	fmt.Fprintln(tw, header)
	for i := range models {
		m := &models[i]
		row := []string{
			m.ID, m.Provider, m.Name,
			modelsModalities(m.InputModalities), modelsModalities(m.OutputModalities),
			modelsAPIs(m), modelsProfiles(m), strings.ToLower(m.Lifecycle.Status),
		}
		if region != "" {
			row = append(row, modelsUseIn(m, region))
		}
		fmt.Fprintln(tw, strings.Join(row, "\t"))
	}
	return tw.Flush()
}

func modelsModalities(ms []modelspec.Modality) string {
	s := make([]string, len(ms))
	for i, m := range ms {
		s[i] = strings.ToLower(string(m))
	}
	return strings.Join(s, ",")
}

func modelsAPIs(m *modelspec.Model) string {
	var s []string
	for _, api := range m.APIs {
		if label, ok := modelsAPILabels[api]; ok {
			s = append(s, label)
		}
	}
	if m.Supports(modelspec.InvokeModelWithResponseStream) || m.Supports(modelspec.ConverseStream) {
		// After invoke and converse, before the rest.
		at := 0
		for at < len(s) && (s[at] == "invoke" || s[at] == "converse") {
			at++
		}
		s = append(s[:at], append([]string{"stream"}, s[at:]...)...)
	}
	return strings.Join(s, ",")
}

func modelsProfiles(m *modelspec.Model) string {
	if len(m.InferenceProfiles) == 0 {
		return "-"
	}
	s := make([]string, len(m.InferenceProfiles))
	for i, p := range m.InferenceProfiles {
		s[i] = p.Geo
	}
	return strings.Join(s, ",")
}

// modelsUseIn names the ID to call the model with from region.
func modelsUseIn(m *modelspec.Model, region string) string {
	if id, ok := m.IDFor(region); ok {
		return id
	}
	return "-"
}
