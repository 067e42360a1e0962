package modelspec

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"
)

// API is a Bedrock operation through which a model can be called. The
// values are the operation names of the service models.
type API string

// The APIs a catalog model may answer.
const (
	InvokeModel                        API = "InvokeModel"
	InvokeModelWithResponseStream      API = "InvokeModelWithResponseStream"
	Converse                           API = "Converse"
	ConverseStream                     API = "ConverseStream"
	InvokeModelWithBidirectionalStream API = "InvokeModelWithBidirectionalStream"
	StartAsyncInvoke                   API = "StartAsyncInvoke"
	CountTokens                        API = "CountTokens"
	// Rerank is the bedrock-agent-runtime Rerank operation.
	Rerank API = "Rerank"
)

// APIs lists every API constant in a fixed order (the order catalog entries
// list theirs in).
var APIs = []API{
	InvokeModel, InvokeModelWithResponseStream, Converse, ConverseStream,
	InvokeModelWithBidirectionalStream, StartAsyncInvoke, CountTokens, Rerank,
}

// Modality is a kind of model input or output, spelled as ListFoundationModels
// spells it.
type Modality string

// The modalities of catalog models.
const (
	Text      Modality = "TEXT"
	Image     Modality = "IMAGE"
	Video     Modality = "VIDEO"
	Audio     Modality = "AUDIO"
	Speech    Modality = "SPEECH"
	Embedding Modality = "EMBEDDING"
)

// Modalities lists every Modality constant in a fixed order.
var Modalities = []Modality{Text, Image, Video, Audio, Speech, Embedding}

// InferenceType is a way of paying for and reaching a model, as in
// ListFoundationModels' inferenceTypesSupported.
type InferenceType string

// The inference types.
const (
	OnDemand         InferenceType = "ON_DEMAND"
	InferenceProfile InferenceType = "INFERENCE_PROFILE"
	Provisioned      InferenceType = "PROVISIONED"
)

// Lifecycle status values, as in ListFoundationModels' modelLifecycle.status.
const (
	StatusActive = "ACTIVE"
	StatusLegacy = "LEGACY"
	// StatusEndOfLife marks models of the AWS model-ID tables that
	// ListFoundationModels no longer lists; their IDs no longer work.
	StatusEndOfLife = "END_OF_LIFE"
)

// Model is one catalog entry: a base foundation model and everything known
// about reaching it. The JSON field names are a contract (bedrock models
// --json prints this struct).
type Model struct {
	// ID is the base model ID used for on-demand calls, e.g.
	// "anthropic.claude-3-5-sonnet-20241022-v2:0".
	ID string `json:"id"`
	// Provider is the provider name as ListFoundationModels spells it
	// ("Amazon", "Anthropic", "Mistral AI", …).
	Provider string `json:"provider"`
	// Name is the model's display name.
	Name string `json:"name"`
	// Aliases are other IDs the service accepts for the same model (older
	// spellings listed by ListFoundationModels).
	Aliases          []string   `json:"aliases,omitempty"`
	InputModalities  []Modality `json:"input_modalities"`
	OutputModalities []Modality `json:"output_modalities"`
	// APIs are the Bedrock operations the model answers.
	APIs []API `json:"apis"`
	// Streaming reports whether responses can be streamed
	// (responseStreamingSupported).
	Streaming bool `json:"streaming"`
	// ContextWindow and MaxOutputTokens are in tokens; 0 means unknown or
	// not applicable.
	ContextWindow   int `json:"context_window,omitempty"`
	MaxOutputTokens int `json:"max_output_tokens,omitempty"`
	// PromptCaching is nil when the model has no prompt caching.
	PromptCaching *PromptCaching `json:"prompt_caching,omitempty"`
	// InferenceTypes are the ways the base model ID can be used.
	InferenceTypes []InferenceType `json:"inference_types"`
	// InferenceProfiles are the system-defined cross-Region inference
	// profiles (geographic and global) that route to this model.
	InferenceProfiles []Profile `json:"inference_profiles"`
	// Regions are the Regions where the base model ID works in-Region.
	Regions []string `json:"regions"`
	// RegionsComplete reports that Regions is the full list (from a model
	// card's availability table); otherwise it lists Regions known to
	// work, and others are not ruled out.
	RegionsComplete bool `json:"regions_complete"`
	// ProfileOnlyRegions are Regions where the model is offered only
	// through an inference profile (ListFoundationModels there reports
	// INFERENCE_PROFILE without ON_DEMAND).
	ProfileOnlyRegions []string `json:"profile_only_regions,omitempty"`
	// ProvisionedIDs are the model IDs used to buy Provisioned Throughput
	// (and the context-length variants ListFoundationModels lists).
	ProvisionedIDs []ProvisionedID `json:"provisioned_ids"`
	// EmbeddingDimensions are the output vector lengths an embedding model
	// offers; the first is the default.
	EmbeddingDimensions []int `json:"embedding_dimensions,omitempty"`
	// Customizations are the customization methods (FINE_TUNING,
	// CONTINUED_PRE_TRAINING, DISTILLATION) the model supports.
	Customizations []string  `json:"customizations,omitempty"`
	Reasoning      bool      `json:"reasoning,omitempty"`
	Lifecycle      Lifecycle `json:"lifecycle"`
	// Sources names the seed documents the entry is drawn from.
	Sources []string `json:"sources,omitempty"`
	// Notes record where the entry departs from a source, and why.
	Notes []string `json:"notes,omitempty"`
}

// Profile is a system-defined cross-Region inference profile.
type Profile struct {
	// ID is the profile ID, e.g. "us.anthropic.claude-3-5-sonnet-20241022-v2:0".
	ID string `json:"id"`
	// Geo is the ID's prefix: "us", "eu", "apac", "jp", "au", "ca",
	// "us-gov" or "global".
	Geo string `json:"geo"`
	// SourceRegions are the Regions a request may be sent to with this ID.
	SourceRegions []string `json:"source_regions"`
	// DestinationRegions are the Regions requests may be routed to; empty
	// for global profiles, which route to any commercial Region.
	DestinationRegions []string `json:"destination_regions,omitempty"`
	// Routes maps a source Region to the Regions requests sent there may
	// be routed to, when the model card gives that detail.
	Routes map[string][]string `json:"routes,omitempty"`
}

// ProvisionedID is a model ID for Provisioned Throughput.
type ProvisionedID struct {
	// ID is e.g. "amazon.titan-text-express-v1:0:8k".
	ID string `json:"id"`
	// Context is the context-length suffix ("8k", "200k", "mm"); empty
	// when the ID has none.
	Context string `json:"context,omitempty"`
	// NoCommitment reports whether throughput can be bought without a
	// term commitment; nil when unknown.
	NoCommitment *bool `json:"no_commitment,omitempty"`
}

// PromptCaching are a model's prompt-caching limits.
type PromptCaching struct {
	MinTokensPerCheckpoint int `json:"min_tokens_per_checkpoint"`
	MaxCheckpoints         int `json:"max_checkpoints"`
	// MaxCachedTokens is the most tokens a prompt may cache; 0 when
	// unlimited or unknown.
	MaxCachedTokens int `json:"max_cached_tokens,omitempty"`
	// TTLs are the supported cache lifetimes, e.g. "5m", "1h".
	TTLs []string `json:"ttls"`
	// Fields are the request fields that accept cache checkpoints
	// ("system", "messages", "tools").
	Fields []string `json:"fields"`
}

// Lifecycle is where a model is in its life. Dates are "YYYY-MM-DD", or
// "YYYY-MM" when only the month is known.
type Lifecycle struct {
	Status   string `json:"status"`
	Launched string `json:"launched,omitempty"`
	// Legacy is the date the model became legacy.
	Legacy string `json:"legacy,omitempty"`
	// EndOfLife is the date the model stops working.
	EndOfLife string `json:"end_of_life,omitempty"`
	// EndOfLifeNotBefore is the earliest end of life AWS promises.
	EndOfLifeNotBefore string `json:"end_of_life_not_before,omitempty"`
	// Note qualifies the status, e.g. "legacy in certain Regions".
	Note string `json:"note,omitempty"`
}

// Supports reports whether the model answers api.
func (m *Model) Supports(api API) bool { return slices.Contains(m.APIs, api) }

// HasInput reports whether the model accepts modality mod as input.
func (m *Model) HasInput(mod Modality) bool { return slices.Contains(m.InputModalities, mod) }

// HasOutput reports whether the model produces modality mod.
func (m *Model) HasOutput(mod Modality) bool { return slices.Contains(m.OutputModalities, mod) }

// InRegion reports whether the base model ID works in-Region in region.
func (m *Model) InRegion(region string) bool { return slices.Contains(m.Regions, region) }

// ProfilesFrom returns the model's inference profiles that may be called
// from region, geographic profiles before global ones.
func (m *Model) ProfilesFrom(region string) []Profile {
	var geo, global []Profile
	for _, p := range m.InferenceProfiles {
		if !slices.Contains(p.SourceRegions, region) {
			continue
		}
		if p.Geo == "global" {
			global = append(global, p)
		} else {
			geo = append(geo, p)
		}
	}
	return append(geo, global...)
}

// UsableFrom reports whether some ID of the model (the base ID in-Region or
// an inference profile) may be called from region.
func (m *Model) UsableFrom(region string) bool {
	return m.InRegion(region) || len(m.ProfilesFrom(region)) > 0
}

// IDFor returns the ID to call the model with from region: the base ID
// where it works in-Region, else the first inference profile served from
// region (geographic before global). ok is false when the catalog knows no
// such ID.
func (m *Model) IDFor(region string) (id string, ok bool) {
	if m.InRegion(region) && slices.Contains(m.InferenceTypes, OnDemand) {
		return m.ID, true
	}
	if ps := m.ProfilesFrom(region); len(ps) > 0 {
		return ps[0].ID, true
	}
	return "", false
}

// clone returns a deep copy, so callers cannot change the catalog.
func (m Model) clone() Model {
	m.Aliases = slices.Clone(m.Aliases)
	m.InputModalities = slices.Clone(m.InputModalities)
	m.OutputModalities = slices.Clone(m.OutputModalities)
	m.APIs = slices.Clone(m.APIs)
	if m.PromptCaching != nil {
		pc := *m.PromptCaching
		pc.TTLs = slices.Clone(pc.TTLs)
		pc.Fields = slices.Clone(pc.Fields)
		m.PromptCaching = &pc
	}
	m.InferenceTypes = slices.Clone(m.InferenceTypes)
	m.InferenceProfiles = slices.Clone(m.InferenceProfiles)
	for i := range m.InferenceProfiles {
		p := &m.InferenceProfiles[i]
		p.SourceRegions = slices.Clone(p.SourceRegions)
		p.DestinationRegions = slices.Clone(p.DestinationRegions)
		if p.Routes != nil {
			routes := make(map[string][]string, len(p.Routes))
			for k, v := range p.Routes {
				routes[k] = slices.Clone(v)
			}
			p.Routes = routes
		}
	}
	m.ProfileOnlyRegions = slices.Clone(m.ProfileOnlyRegions)
	m.Regions = slices.Clone(m.Regions)
	m.ProvisionedIDs = slices.Clone(m.ProvisionedIDs)
	for i := range m.ProvisionedIDs {
		if nc := m.ProvisionedIDs[i].NoCommitment; nc != nil {
			v := *nc
			m.ProvisionedIDs[i].NoCommitment = &v
		}
	}
	m.EmbeddingDimensions = slices.Clone(m.EmbeddingDimensions)
	m.Customizations = slices.Clone(m.Customizations)
	m.Sources = slices.Clone(m.Sources)
	m.Notes = slices.Clone(m.Notes)
	return m
}

// normalize replaces nil lists that are part of the JSON contract with empty
// ones, so that they print as [] rather than null.
func (m *Model) normalize() {
	if m.InputModalities == nil {
		m.InputModalities = []Modality{}
	}
	if m.OutputModalities == nil {
		m.OutputModalities = []Modality{}
	}
	if m.APIs == nil {
		m.APIs = []API{}
	}
	if m.InferenceTypes == nil {
		m.InferenceTypes = []InferenceType{}
	}
	if m.InferenceProfiles == nil {
		m.InferenceProfiles = []Profile{}
	}
	for i := range m.InferenceProfiles {
		if m.InferenceProfiles[i].SourceRegions == nil {
			m.InferenceProfiles[i].SourceRegions = []string{}
		}
	}
	if m.Regions == nil {
		m.Regions = []string{}
	}
	if m.ProvisionedIDs == nil {
		m.ProvisionedIDs = []ProvisionedID{}
	}
}

//go:embed catalog.json
var catalogJSON []byte

// catalogFile is the layout of catalog.json.
type catalogFile struct {
	// Comment documents the file for people who edit it.
	Comment []string `json:"comment,omitempty"`
	Models  []Model  `json:"models"`
}

// catalog is the loaded, indexed catalog.
type catalog struct {
	models []Model
	// index maps every known ID (base, alias, profile, provisioned; keys
	// normalized by indexKey) to what it names.
	index map[string]entry
	// keys are the index keys, sorted, for suggestions.
	keys []string
}

// entryKind says what an index entry's ID is.
type entryKind int

const (
	entryBase entryKind = iota
	entryAlias
	entryProfile
	entryProvisioned
)

type entry struct {
	model int // index into models
	kind  entryKind
	sub   int // index into InferenceProfiles or ProvisionedIDs
	id    string
}

var loadCatalog = sync.OnceValues(func() (*catalog, error) {
	return parseCatalog(catalogJSON)
})

// mustCatalog returns the embedded catalog; the embedded file is checked by
// the package tests, so an error here is a build defect.
func mustCatalog() *catalog {
	c, err := loadCatalog()
	if err != nil {
		panic("modelspec: embedded catalog.json is invalid: " + err.Error())
	}
	return c
}

// parseCatalog decodes and indexes a catalog file, rejecting unknown fields
// and IDs that name two things.
func parseCatalog(data []byte) (*catalog, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var f catalogFile
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("decode: %w", err)
	}
	c := &catalog{models: f.Models, index: map[string]entry{}}
	add := func(id string, e entry) error {
		if id == "" {
			return fmt.Errorf("model %d (%s): empty ID", e.model, c.models[e.model].ID)
		}
		k := indexKey(id)
		if prev, dup := c.index[k]; dup {
			return fmt.Errorf("ID %q is listed twice (for %s and %s)", id, c.models[prev.model].ID, c.models[e.model].ID)
		}
		e.id = id
		c.index[k] = e
		return nil
	}
	for i := range c.models {
		m := &c.models[i]
		m.normalize()
		if err := add(m.ID, entry{model: i, kind: entryBase}); err != nil {
			return nil, err
		}
		for _, a := range m.Aliases {
			if err := add(a, entry{model: i, kind: entryAlias}); err != nil {
				return nil, err
			}
		}
		for j, p := range m.InferenceProfiles {
			if err := add(p.ID, entry{model: i, kind: entryProfile, sub: j}); err != nil {
				return nil, err
			}
		}
		for j, p := range m.ProvisionedIDs {
			if err := add(p.ID, entry{model: i, kind: entryProvisioned, sub: j}); err != nil {
				return nil, err
			}
		}
	}
	for k := range c.index {
		c.keys = append(c.keys, k)
	}
	sort.Strings(c.keys)
	return c, nil
}

// indexKey normalizes an ID for the index: the context suffix of a
// Provisioned Throughput ID is matched without regard to case ("…:0:32K" in
// the AWS model-ID table names "…:0:32k").
func indexKey(id string) string {
	if i := strings.LastIndexByte(id, ':'); i >= 0 && strings.Count(id, ":") == 2 {
		return id[:i+1] + strings.ToLower(id[i+1:])
	}
	return id
}

// All returns a copy of every catalog entry, in catalog order (by provider,
// then family, newest first within a family).
func All() []Model {
	c := mustCatalog()
	out := make([]Model, len(c.models))
	for i, m := range c.models {
		out[i] = m.clone()
	}
	return out
}

// Providers returns the distinct provider names, sorted.
func Providers() []string {
	seen := map[string]bool{}
	var out []string
	for _, m := range mustCatalog().models {
		if !seen[m.Provider] {
			seen[m.Provider] = true
			out = append(out, m.Provider)
		}
	}
	sort.Strings(out)
	return out
}

// KnownIDs returns every ID the catalog resolves without ARN syntax: base
// IDs, aliases, inference profile IDs and Provisioned Throughput IDs, sorted.
func KnownIDs() []string {
	c := mustCatalog()
	out := make([]string, 0, len(c.index))
	for _, k := range c.keys {
		out = append(out, c.index[k].id)
	}
	return out
}
