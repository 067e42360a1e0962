package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/bedrockwire/bedrockwire/client"
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
    bedrock models --remote [--provider P] [--modality M] [--region R] [--json] [ID...]
    bedrock models --remote --profiles [--region R] [--json]
    bedrock models --remote --diff [--region R] [--json]

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

    With --remote, asks the service instead (ListFoundationModels in the
    Region, or GetFoundationModel for each ID) and prints what it says:
    model ID, provider, name, modalities, streaming, inference types
    (on-demand, provisioned, profile) and lifecycle status. --provider is
    the provider's name as the service spells it ("Amazon", "Mistral AI"),
    --modality an output modality (TEXT, IMAGE or EMBEDDING). The global
    options below apply (credentials, --profile, --endpoint-url, --debug).

    With --remote --profiles, lists the inference profiles the Region
    offers (ListInferenceProfiles): system-defined cross-Region profiles and
    the account's application profiles, with the Regions they route to.

    With --remote --diff, compares the service's lists for the Region with
    the built-in catalog and prints what differs: models the service lists
    that the catalog does not know (+), models the catalog places in the
    Region that the service does not list (-), models whose lifecycle
    status, modalities, streaming or on-demand availability disagree (~),
    and system-defined inference profiles on one side only. A stale catalog
    shows here first.

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
    --remote       ask the service (ListFoundationModels, GetFoundationModel)
                   instead of the catalog
    --profiles     with --remote: list inference profiles instead of models
    --diff         with --remote: compare the service's lists with the catalog

GLOBAL OPTIONS (with --remote)
    --region R, --profile P, --endpoint-url URL, --debug, as for every
    command that calls Bedrock; the control plane's endpoint is
    AWS_ENDPOINT_URL_BEDROCK, else AWS_ENDPOINT_URL.

EXIT STATUS
    0 on success; 1 when an ID does not resolve, no model passes the
    filters, the service refused, or --diff found differences; 2 on bad
    flags or arguments.

EXAMPLES
    bedrock models
    bedrock models --provider anthropic --region eu-west-1
    bedrock models --api bidi
    bedrock models --modality EMBEDDING --json
    bedrock models --json us.anthropic.claude-3-5-sonnet-20241022-v2:0 amazon.titan-text-express-v1:0:8k
    bedrock models --remote --region us-west-2 --provider Anthropic
    bedrock models --remote --diff --region eu-central-1
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

func runModels(ctx context.Context, e *env, args []string) int {
	fs := flag.NewFlagSet("models", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {} // -h prints the manual; other errors the synopsis, below
	var (
		provider = fs.String("provider", "", "provider name or ID prefix")
		apiFlag  = fs.String("api", "", "API name or abbreviation")
		modality = fs.String("modality", "", "input or output modality")
		region   = fs.String("region", "", "Region the models must be usable from")
		asJSON   = fs.Bool("json", false, "print JSON")
		remote   = fs.Bool("remote", false, "ask the service")
		diff     = fs.Bool("diff", false, "compare the service's list with the catalog")
		profiles = fs.Bool("profiles", false, "list inference profiles")
		help     = fs.Bool("help", false, "show the manual")
		g        = &globalFlags{}
	)
	fs.StringVar(&g.profile, "profile", "", "shared-config profile")
	fs.StringVar(&g.endpoint, "endpoint-url", "", "endpoint URL override")
	fs.BoolVar(&g.debug, "debug", false, "log the wire exchange to stderr")
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
	if *profiles && (!*remote || *diff || len(ids) > 0 || *provider != "" || *modality != "" || *apiFlag != "") {
		return usageErr("--profiles lists the Region's inference profiles: give --remote and no IDs or other filters")
	}
	if *diff && !*remote {
		return usageErr("--diff compares the service's list with the catalog: give --remote too")
	}
	if !*remote && (g.profile != "" || g.endpoint != "" || g.debug) {
		return usageErr("--profile, --endpoint-url and --debug apply to --remote only")
	}
	if *remote {
		g.region = *region
		if *apiFlag != "" {
			return usageErr("--api filters the catalog; the service's list has no API filter")
		}
		if *diff && (len(ids) > 0 || *provider != "" || *modality != "") {
			return usageErr("--diff compares the whole list for the Region: give no IDs, --provider or --modality")
		}
		in := &client.ListFoundationModelsInput{ByProvider: *provider}
		if *modality != "" {
			m := strings.ToUpper(*modality)
			if m != client.ModalityText && m != client.ModalityImage && m != client.ModalityEmbedding {
				return usageErr("--modality %q: the service filters by output modality TEXT, IMAGE or EMBEDDING", *modality)
			}
			in.ByOutputModality = m
		}
		if *profiles {
			return runModelsProfiles(ctx, e, g, *asJSON)
		}
		return runModelsRemote(ctx, e, g, in, ids, *diff, *asJSON)
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

// runModelsRemote lists (or gets) foundation models from the service, or
// diffs the list with the catalog.
func runModelsRemote(ctx context.Context, e *env, g *globalFlags, in *client.ListFoundationModelsInput, ids []string, diff, asJSON bool) int {
	fail := func(err error) int { return cliFail(ctx, e, "models", err) }
	c, err := g.newClient(ctx, e)
	if err != nil {
		return fail(err)
	}
	var models []client.FoundationModel
	code := exitOK
	if len(ids) > 0 {
		for _, id := range ids {
			m, err := c.GetFoundationModel(ctx, id)
			if err != nil {
				if code = cliFail(ctx, e, "models", err); code != exitFailure {
					return code
				}
				continue
			}
			models = append(models, *m)
		}
	} else {
		out, err := c.ListFoundationModels(ctx, in)
		if err != nil {
			return fail(err)
		}
		models = out.ModelSummaries
	}
	if diff {
		d := modelsDiff(models, c.Region())
		var profiles []client.InferenceProfile
		var perr error
		for p, err := range c.AllInferenceProfiles(ctx, &client.ListInferenceProfilesInput{TypeEquals: client.InferenceProfileSystemDefined}) {
			if err != nil {
				perr = err
				break
			}
			profiles = append(profiles, p)
		}
		if perr != nil {
			if ctx.Err() != nil {
				return fail(perr)
			}
			fmt.Fprintf(e.stderr, "bedrock models: inference profiles not compared: %v\n", perr)
		} else {
			d.diffProfiles(profiles)
		}
		if asJSON {
			asyncPrintJSON(e.stdout, d)
		} else {
			d.write(e.stdout)
		}
		if d.empty() {
			return exitOK
		}
		return exitFailure
	}
	if asJSON {
		if models == nil {
			models = []client.FoundationModel{}
		}
		asyncPrintJSON(e.stdout, models)
		return code
	}
	if len(models) == 0 && len(ids) == 0 {
		fmt.Fprintln(e.stderr, "bedrock models: the service lists no model that passes the filters")
		return exitFailure
	}
	if len(models) > 0 {
		tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tPROVIDER\tNAME\tINPUT\tOUTPUT\tSTREAM\tINFERENCE\tSTATUS")
		for i := range models {
			m := &models[i]
			stream := "-"
			if m.ResponseStreamingSupported != nil {
				stream = map[bool]string{true: "yes", false: "no"}[*m.ResponseStreamingSupported]
			}
			status := "-"
			if m.ModelLifecycle != nil {
				status = strings.ToLower(m.ModelLifecycle.Status)
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", m.ModelID, m.ProviderName, m.ModelName,
				modelsLower(m.InputModalities), modelsLower(m.OutputModalities), stream, modelsInference(m.InferenceTypesSupported), status)
		}
		tw.Flush()
	}
	return code
}

func modelsLower(s []string) string {
	if len(s) == 0 {
		return "-"
	}
	return strings.ToLower(strings.Join(s, ","))
}

// modelsInference abbreviates inference types: on-demand, provisioned,
// profile.
func modelsInference(types []string) string {
	short := map[string]string{client.InferenceOnDemand: "on-demand", client.InferenceProvisioned: "provisioned", client.InferenceInferenceProfile: "profile"}
	var out []string
	for _, t := range types {
		if s, ok := short[t]; ok {
			out = append(out, s)
		} else {
			out = append(out, strings.ToLower(t))
		}
	}
	if len(out) == 0 {
		return "-"
	}
	return strings.Join(out, ",")
}

// modelsDifference is the comparison of the service's list for a Region
// with the catalog.
type modelsDifference struct {
	Region      string            `json:"region"`
	Service     int               `json:"service_models"`
	OnlyService []modelsOnly      `json:"only_in_service"`
	OnlyCatalog []modelsOnly      `json:"only_in_catalog"`
	Different   []modelsFieldDiff `json:"different"`
	// ProfilesOnlyService and ProfilesOnlyCatalog are system-defined
	// inference profile IDs on one side only.
	ProfilesOnlyService []string `json:"profiles_only_in_service"`
	ProfilesOnlyCatalog []string `json:"profiles_only_in_catalog"`
}

// modelsOnly is a model one side has and the other has not.
type modelsOnly struct {
	ID       string `json:"id"`
	Name     string `json:"name,omitempty"`
	Provider string `json:"provider,omitempty"`
}

// modelsFieldDiff is one field on which the two sides disagree.
type modelsFieldDiff struct {
	ID      string `json:"id"`
	Field   string `json:"field"`
	Service string `json:"service"`
	Catalog string `json:"catalog"`
}

func (d *modelsDifference) empty() bool {
	return len(d.OnlyService)+len(d.OnlyCatalog)+len(d.Different)+len(d.ProfilesOnlyService)+len(d.ProfilesOnlyCatalog) == 0
}

func (d *modelsDifference) write(w io.Writer) {
	fmt.Fprintf(w, "%s: the service lists %d models\n", d.Region, d.Service)
	if d.empty() {
		fmt.Fprintln(w, "no differences from the built-in catalog")
		return
	}
	if len(d.OnlyService) > 0 {
		fmt.Fprintf(w, "\nlisted by the service, unknown to the catalog (%d):\n", len(d.OnlyService))
		for _, m := range d.OnlyService {
			fmt.Fprintf(w, "  + %s  %s (%s)\n", m.ID, m.Name, m.Provider)
		}
	}
	if len(d.OnlyCatalog) > 0 {
		fmt.Fprintf(w, "\nin the catalog for %s, not listed by the service (%d):\n", d.Region, len(d.OnlyCatalog))
		for _, m := range d.OnlyCatalog {
			fmt.Fprintf(w, "  - %s  %s (%s)\n", m.ID, m.Name, m.Provider)
		}
	}
	if len(d.Different) > 0 {
		fmt.Fprintf(w, "\ndifferent (%d):\n", len(d.Different))
		for _, f := range d.Different {
			fmt.Fprintf(w, "  ~ %s  %s: service %s, catalog %s\n", f.ID, f.Field, f.Service, f.Catalog)
		}
	}
	if len(d.ProfilesOnlyService) > 0 {
		fmt.Fprintf(w, "\ninference profiles listed by the service, unknown to the catalog (%d):\n", len(d.ProfilesOnlyService))
		for _, id := range d.ProfilesOnlyService {
			fmt.Fprintf(w, "  + %s\n", id)
		}
	}
	if len(d.ProfilesOnlyCatalog) > 0 {
		fmt.Fprintf(w, "\ninference profiles the catalog offers from %s, not listed by the service (%d):\n", d.Region, len(d.ProfilesOnlyCatalog))
		for _, id := range d.ProfilesOnlyCatalog {
			fmt.Fprintf(w, "  - %s\n", id)
		}
	}
}

// modelsDiff compares the service's models in region with the catalog.
func modelsDiff(live []client.FoundationModel, region string) *modelsDifference {
	d := &modelsDifference{Region: region, Service: len(live), OnlyService: []modelsOnly{}, OnlyCatalog: []modelsOnly{}, Different: []modelsFieldDiff{},
		ProfilesOnlyService: []string{}, ProfilesOnlyCatalog: []string{}}
	listed := map[string]bool{}
	for _, s := range live {
		listed[s.ModelID] = true
	}
	for i := range live {
		s := &live[i]
		m, err := modelspec.Lookup(s.ModelID)
		if err != nil {
			d.OnlyService = append(d.OnlyService, modelsOnly{s.ModelID, s.ModelName, s.ProviderName})
			continue
		}
		if m.ID != s.ModelID && !slices.Contains(m.Aliases, s.ModelID) {
			continue // a Provisioned Throughput variant: known is enough
		}
		diff := func(field, service, catalog string) {
			if service != catalog {
				d.Different = append(d.Different, modelsFieldDiff{s.ModelID, field, service, catalog})
			}
		}
		if s.ModelLifecycle != nil {
			diff("status", s.ModelLifecycle.Status, m.Lifecycle.Status)
		}
		diff("input modalities", modelsSet(s.InputModalities), modelsSet(modelsStrings(m.InputModalities)))
		diff("output modalities", modelsSet(s.OutputModalities), modelsSet(modelsStrings(m.OutputModalities)))
		if s.ResponseStreamingSupported != nil {
			diff("streaming", strconv.FormatBool(*s.ResponseStreamingSupported), strconv.FormatBool(m.Streaming))
		}
		// The catalog's Regions are complete only for some models; for the
		// others they are the Regions known to work.
		if m.RegionsComplete {
			onDemand := slices.Contains(s.InferenceTypesSupported, client.InferenceOnDemand)
			catalogOnDemand := m.InRegion(region) && slices.Contains(m.InferenceTypes, modelspec.OnDemand)
			diff("on-demand in "+region, map[bool]string{true: "yes", false: "no"}[onDemand], map[bool]string{true: "yes", false: "no"}[catalogOnDemand])
		}
	}
	for _, m := range modelspec.All() {
		if m.Lifecycle.Status == modelspec.StatusEndOfLife || !(m.InRegion(region) || slices.Contains(m.ProfileOnlyRegions, region)) {
			continue
		}
		if listed[m.ID] || slices.ContainsFunc(m.Aliases, func(a string) bool { return listed[a] }) {
			continue
		}
		d.OnlyCatalog = append(d.OnlyCatalog, modelsOnly{m.ID, m.Name, m.Provider})
	}
	return d
}

// modelsSet renders a modality list as a sorted, comma-separated set.
func modelsSet(s []string) string {
	s = slices.Clone(s)
	for i := range s {
		s[i] = strings.ToUpper(s[i])
	}
	slices.Sort(s)
	s = slices.Compact(s)
	if len(s) == 0 {
		return "none"
	}
	return strings.Join(s, ",")
}

func modelsStrings(ms []modelspec.Modality) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = string(m)
	}
	return out
}

// diffProfiles compares the service's system-defined inference profiles
// with the catalog's profiles callable from the Region.
func (d *modelsDifference) diffProfiles(live []client.InferenceProfile) {
	listed := map[string]bool{}
	for _, p := range live {
		listed[p.InferenceProfileID] = true
		if _, err := modelspec.Lookup(p.InferenceProfileID); err != nil {
			d.ProfilesOnlyService = append(d.ProfilesOnlyService, p.InferenceProfileID)
		}
	}
	for _, m := range modelspec.All() {
		if m.Lifecycle.Status == modelspec.StatusEndOfLife {
			continue
		}
		for _, p := range m.ProfilesFrom(d.Region) {
			if !listed[p.ID] {
				d.ProfilesOnlyCatalog = append(d.ProfilesOnlyCatalog, p.ID)
			}
		}
	}
}

// runModelsProfiles lists the Region's inference profiles.
func runModelsProfiles(ctx context.Context, e *env, g *globalFlags, asJSON bool) int {
	fail := func(err error) int { return cliFail(ctx, e, "models", err) }
	c, err := g.newClient(ctx, e)
	if err != nil {
		return fail(err)
	}
	profiles := []client.InferenceProfile{}
	for p, err := range c.AllInferenceProfiles(ctx, nil) {
		if err != nil {
			return fail(err)
		}
		profiles = append(profiles, p)
	}
	if asJSON {
		asyncPrintJSON(e.stdout, profiles)
		return exitOK
	}
	if len(profiles) == 0 {
		fmt.Fprintln(e.stderr, "bedrock models: the service lists no inference profiles")
		return exitOK
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "PROFILE\tTYPE\tSTATUS\tROUTES TO\tNAME")
	for _, p := range profiles {
		var regions []string
		for _, m := range p.Models {
			// arn:aws:bedrock:REGION::foundation-model/ID
			if parts := strings.SplitN(m.ModelARN, ":", 5); len(parts) == 5 && parts[3] != "" && !slices.Contains(regions, parts[3]) {
				regions = append(regions, parts[3])
			}
		}
		route := strings.Join(regions, ",")
		if route == "" {
			route = "-"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", p.InferenceProfileID, strings.ToLower(p.Type), strings.ToLower(p.Status), route, p.InferenceProfileName)
	}
	tw.Flush()
	return exitOK
}
