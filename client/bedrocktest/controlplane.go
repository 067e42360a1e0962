package bedrocktest

import (
	"fmt"
	"net/url"
	"slices"
	"strings"

	"github.com/bedrockwire/bedrockwire/modelspec"
)

// The model-catalog part of the Bedrock control plane (service "bedrock",
// host bedrock.{region}.amazonaws.com, same SigV4 signing name), served from
// the modelspec catalog so that a client configured with one endpoint for
// both services can list what the emulator answers.

// Control-plane operation names.
const (
	OpListFoundationModels  = "ListFoundationModels"
	OpGetFoundationModel    = "GetFoundationModel"
	OpListInferenceProfiles = "ListInferenceProfiles"
	OpGetInferenceProfile   = "GetInferenceProfile"
)

// profilesCreated is the creation time the emulator gives system-defined
// inference profiles.
const profilesCreated = "2024-08-27T00:00:00.000Z"

func (s *Server) foundationModelArn(region, id string) string {
	return "arn:aws:bedrock:" + region + "::foundation-model/" + id
}

// modelSummary is a FoundationModelSummary (and FoundationModelDetails), in
// the service's member order.
func (s *Server) modelSummary(m *modelspec.Model, id string, types []string) ordered {
	in := modalities(m.InputModalities)
	out := modalities(m.OutputModalities)
	o := obj("modelArn", s.foundationModelArn(s.opts.region(), id), "modelId", id, "modelName", m.Name, "providerName", m.Provider,
		"inputModalities", in, "outputModalities", out)
	if m.Streaming {
		o = append(o, "responseStreamingSupported", true)
	}
	customs := m.Customizations
	if customs == nil {
		customs = []string{}
	}
	lifecycle := obj("status", lifecycleStatus(m.Lifecycle.Status))
	return append(o, "customizationsSupported", customs, "inferenceTypesSupported", types, "modelLifecycle", lifecycle)
}

func modalities(ms []modelspec.Modality) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = string(m)
	}
	return out
}

func lifecycleStatus(s string) string {
	if s == "" {
		return modelspec.StatusActive
	}
	return s
}

func inferenceTypes(m *modelspec.Model) []string {
	out := make([]string, 0, len(m.InferenceTypes))
	for _, t := range m.InferenceTypes {
		out = append(out, string(t))
	}
	return out
}

// listFoundationModels answers ListFoundationModels: the catalog models
// usable from the server's region, and their Provisioned Throughput IDs,
// with the byProvider, byOutputModality, byInferenceType and
// byCustomizationType filters.
func (c *call) listFoundationModels() {
	q, err := url.ParseQuery(c.r.URL.RawQuery)
	if err != nil {
		c.fail(ValidationError("Malformed query string."))
		return
	}
	if !c.checkEnums(q,
		enumParam{key: "byOutputModality", allow: []string{"TEXT", "IMAGE", "EMBEDDING"}},
		enumParam{key: "byInferenceType", allow: []string{"ON_DEMAND", "PROVISIONED"}},
		enumParam{key: "byCustomizationType", allow: []string{"FINE_TUNING", "CONTINUED_PRE_TRAINING", "DISTILLATION"}}) {
		return
	}
	provider, outMod, infType, custom := q.Get("byProvider"), q.Get("byOutputModality"), q.Get("byInferenceType"), q.Get("byCustomizationType")
	region := c.s.opts.region()
	sums := []any{}
	for _, m := range modelspec.All() {
		if !m.UsableFrom(region) {
			continue
		}
		if provider != "" && !strings.EqualFold(provider, m.Provider) && !strings.EqualFold(provider, strings.SplitN(m.ID, ".", 2)[0]) {
			continue
		}
		if outMod != "" && !m.HasOutput(modelspec.Modality(outMod)) {
			continue
		}
		if custom != "" && !slices.Contains(m.Customizations, custom) {
			continue
		}
		types := inferenceTypes(&m)
		if infType == "" || slices.Contains(types, infType) {
			sums = append(sums, c.s.modelSummary(&m, m.ID, types))
		}
		if infType == "" || infType == "PROVISIONED" {
			for _, p := range m.ProvisionedIDs {
				if p.ID != m.ID {
					sums = append(sums, c.s.modelSummary(&m, p.ID, []string{"PROVISIONED"}))
				}
			}
		}
	}
	c.writeJSON(marshal(obj("modelSummaries", sums)))
}

// getFoundationModel answers GetFoundationModel for a model ID or
// foundation-model ARN.
func (c *call) getFoundationModel() {
	id := c.rt.modelID
	m, err := modelspec.Lookup(id)
	if err != nil || strings.Contains(id, "inference-profile") || isProfileID(id) {
		c.fail(ValidationError("The provided model identifier is invalid."))
		return
	}
	if i := strings.LastIndex(id, "foundation-model/"); i >= 0 {
		id = id[i+len("foundation-model/"):]
	}
	types := inferenceTypes(m)
	if id != m.ID {
		types = []string{"PROVISIONED"}
	}
	c.writeJSON(marshal(obj("modelDetails", c.s.modelSummary(m, id, types))))
}

// isProfileID reports whether id is a geographic or global inference
// profile ID rather than a model ID.
func isProfileID(id string) bool {
	p, err := modelspec.Parse(id)
	return err == nil && p.Geo != ""
}

// profileSummary is an InferenceProfileSummary (and the
// GetInferenceProfile body) for a system-defined profile.
func (s *Server) profileSummary(m *modelspec.Model, p *modelspec.Profile) ordered {
	region := s.opts.region()
	dests := p.DestinationRegions
	if r, ok := p.Routes[region]; ok {
		dests = r
	}
	if len(dests) == 0 {
		dests = []string{region}
	}
	models := make([]any, len(dests))
	for i, d := range dests {
		models[i] = obj("modelArn", s.foundationModelArn(d, m.ID))
	}
	geo := strings.ToUpper(p.Geo)
	where := strings.Join(dests, ", ")
	if p.Geo == "global" {
		geo = "Global"
		if len(p.DestinationRegions) == 0 {
			where = "commercial AWS Regions"
		}
	}
	return obj(
		"inferenceProfileName", geo+" "+m.Name,
		"description", "Routes requests to "+m.Name+" in "+where+".",
		"createdAt", profilesCreated,
		"updatedAt", profilesCreated,
		"inferenceProfileArn", fmt.Sprintf("arn:aws:bedrock:%s:%s:inference-profile/%s", region, DefaultAccountID, p.ID),
		"models", models,
		"inferenceProfileId", p.ID,
		"status", "ACTIVE",
		"type", "SYSTEM_DEFINED",
	)
}

// regionProfiles lists the system-defined profiles callable from the
// server's region, in catalog order.
func (s *Server) regionProfiles() []ordered {
	region := s.opts.region()
	var out []ordered
	for _, m := range modelspec.All() {
		for i := range m.InferenceProfiles {
			p := &m.InferenceProfiles[i]
			if len(p.SourceRegions) == 0 || slices.Contains(p.SourceRegions, region) {
				out = append(out, s.profileSummary(&m, p))
			}
		}
	}
	return out
}

// listInferenceProfiles answers ListInferenceProfiles (type SYSTEM_DEFINED
// or unset; the emulator has no application profiles), paginated.
func (c *call) listInferenceProfiles() {
	l, ok := c.parseListing("profiles:", false,
		enumParam{key: "type", member: "typeEquals", allow: []string{"SYSTEM_DEFINED", "APPLICATION"}})
	if !ok {
		return
	}
	var all []ordered
	if l.q.Get("type") != "APPLICATION" {
		all = c.s.regionProfiles()
	}
	start, end, next := l.page(len(all))
	out := obj()
	if next != "" {
		out = append(out, "nextToken", next)
	}
	items := make([]any, end-start)
	for i, p := range all[start:end] {
		items[i] = p
	}
	out = append(obj("inferenceProfileSummaries", items), out...)
	c.writeJSON(marshal(out))
}

// getInferenceProfile answers GetInferenceProfile for a profile ID or ARN.
func (c *call) getInferenceProfile() {
	id := c.rt.modelID
	if i := strings.LastIndex(id, "inference-profile/"); i >= 0 {
		id = id[i+len("inference-profile/"):]
	}
	for _, p := range c.s.regionProfiles() {
		if p.get("inferenceProfileId") == id {
			c.writeJSON(marshal(p))
			return
		}
	}
	c.fail(ResourceNotFoundError(fmt.Sprintf("Inference profile %s not found.", c.rt.modelID)))
}
