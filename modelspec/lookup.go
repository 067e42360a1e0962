package modelspec

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

// ErrUnknownModel is matched (errors.Is) by the error Lookup and Resolve
// return for an identifier that is well formed but names no catalog model.
var ErrUnknownModel = errors.New("model not in catalog")

// UnknownModelError reports an identifier the catalog cannot resolve.
type UnknownModelError struct {
	ID string
	// Reason explains why, when there is more to say than "not in the
	// catalog" (an application inference profile ARN, for instance).
	Reason string
	// Suggestions are catalog IDs that look like ID, best first.
	Suggestions []string
}

// Error describes the problem and, where it can, what would work.
func (e *UnknownModelError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "modelspec: unknown model %q", truncateID(e.ID))
	if e.Reason != "" {
		b.WriteString(": ")
		b.WriteString(e.Reason)
	}
	if len(e.Suggestions) > 0 {
		b.WriteString("; did you mean ")
		for i, s := range e.Suggestions {
			if i > 0 {
				b.WriteString(" or ")
			}
			fmt.Fprintf(&b, "%q", s)
		}
		b.WriteString("?")
	}
	return b.String()
}

// Is makes errors.Is(err, ErrUnknownModel) true.
func (e *UnknownModelError) Is(target error) bool { return target == ErrUnknownModel }

// Form says which kind of catalog ID an identifier resolved through.
type Form string

// The forms an identifier can take.
const (
	FormBase        Form = "base"        // the base model ID
	FormAlias       Form = "alias"       // another on-demand ID of the same model
	FormProfile     Form = "profile"     // a system-defined inference profile
	FormProvisioned Form = "provisioned" // a Provisioned Throughput model ID
	FormCustom      Form = "custom"      // a custom model ARN naming its base model
)

// Resolution is what an identifier resolved to.
type Resolution struct {
	// ID is the parsed identifier.
	ID ID
	// Model is a copy of the catalog entry.
	Model Model
	// Form is how the identifier named the model.
	Form Form
	// Profile is set when Form is FormProfile.
	Profile *Profile
	// Provisioned is set when Form is FormProvisioned.
	Provisioned *ProvisionedID
}

// Lookup resolves a model identifier in any form (base ID, older alias,
// geographic or global inference profile ID, Provisioned Throughput ID, or
// the ARN of a foundation model, an inference profile or a custom model
// built on a catalog model) to a copy of its base model's catalog entry.
//
// Errors match ErrInvalidID when the identifier is malformed and
// ErrUnknownModel when the catalog does not know it; the latter also covers
// identifiers only the service can resolve (application inference
// profiles, provisioned and imported model ARNs, bare names).
func Lookup(id string) (*Model, error) {
	r, err := Resolve(id)
	if err != nil {
		return nil, err
	}
	return &r.Model, nil
}

// Resolve is Lookup that also tells which form the identifier took.
func Resolve(id string) (*Resolution, error) { return mustCatalog().resolve(id, true) }

// resolve is Resolve against catalog c. Unless deep is set, the Model of
// the result shares its lists with the catalog and must not be changed
// (the checks of validate.go only read it).
func (c *catalog) resolve(id string, deep bool) (*Resolution, error) {
	pid, err := Parse(id)
	if err != nil {
		return nil, err
	}
	unknown := func(reason string) error {
		return &UnknownModelError{ID: id, Reason: reason}
	}
	form := Form("")
	switch pid.Kind {
	case KindFoundationModel, KindInferenceProfile:
	case KindCustomModel:
		if pid.Provider == "" {
			return nil, unknown("a custom model ARN without its base model; only the service knows its base model")
		}
		form = FormCustom
	case KindName:
		return nil, &UnknownModelError{ID: id, Reason: "a bare name (of a provisioned or custom model?) that only the service can resolve", Suggestions: c.suggest(id)}
	default:
		return nil, unknown(fmt.Sprintf("%s ARNs are resolved only by the service", pid.Kind))
	}
	key := pid.Bare()
	if form == FormCustom {
		key = pid.Model()
	}
	e, ok := c.index[indexKey(key)]
	if !ok {
		return nil, c.notFound(id, pid)
	}
	if pid.Kind == KindInferenceProfile && e.kind != entryProfile {
		return nil, &UnknownModelError{ID: id, Reason: fmt.Sprintf("%q is not an inference profile ID", key)}
	}
	m := c.models[e.model]
	if deep {
		m = m.clone()
	}
	r := &Resolution{ID: pid, Model: m}
	switch {
	case form == FormCustom:
		r.Form = FormCustom
	case e.kind == entryBase:
		r.Form = FormBase
	case e.kind == entryAlias:
		r.Form = FormAlias
	case e.kind == entryProfile:
		r.Form = FormProfile
		r.Profile = &r.Model.InferenceProfiles[e.sub]
	case e.kind == entryProvisioned:
		r.Form = FormProvisioned
		r.Provisioned = &r.Model.ProvisionedIDs[e.sub]
	}
	return r, nil
}

// notFound builds the error for a well-formed ID the index lacks, naming
// the profiles a known model does have when only the prefix is wrong.
func (c *catalog) notFound(id string, pid ID) error {
	err := &UnknownModelError{ID: id}
	if pid.Geo != "" {
		if e, ok := c.index[indexKey(pid.Model())]; ok {
			m := &c.models[e.model]
			if len(m.InferenceProfiles) == 0 {
				err.Reason = fmt.Sprintf("%s has no inference profiles", m.ID)
			} else {
				err.Reason = fmt.Sprintf("%s has no %s. inference profile", m.ID, pid.Geo)
				for _, p := range m.InferenceProfiles {
					err.Suggestions = append(err.Suggestions, p.ID)
				}
			}
			return err
		}
	}
	if pid.Context != "" {
		if e, ok := c.index[indexKey(pid.Model())]; ok {
			m := &c.models[e.model]
			err.Reason = fmt.Sprintf("%s has no Provisioned Throughput ID with context %q", m.ID, pid.Context)
			for _, p := range m.ProvisionedIDs {
				err.Suggestions = append(err.Suggestions, p.ID)
			}
			return err
		}
	}
	key := pid.Bare()
	if key == "" {
		key = id
	}
	err.Suggestions = c.suggest(key)
	return err
}

// suggest returns up to three known IDs close to s in edit distance.
func (c *catalog) suggest(s string) []string {
	type cand struct {
		id   string
		dist int
	}
	limit := len(s)/4 + 2
	var best []cand
	for _, k := range c.keys {
		d := editDistance(s, k, limit)
		if d > limit {
			continue
		}
		best = append(best, cand{c.index[k].id, d})
	}
	slices.SortStableFunc(best, func(a, b cand) int { return a.dist - b.dist })
	var out []string
	for i := 0; i < len(best) && i < 3; i++ {
		if i > 0 && best[i].dist > best[0].dist {
			break
		}
		out = append(out, best[i].id)
	}
	if len(out) > 0 || len(s) < 3 {
		return out
	}
	// A fragment such as "nova-pro" or "claude-3-haiku": the base IDs
	// that contain it.
	needle := strings.ToLower(s)
	for i := range c.models {
		if strings.Contains(strings.ToLower(c.models[i].ID), needle) {
			out = append(out, c.models[i].ID)
			if len(out) == 3 {
				break
			}
		}
	}
	return out
}

// editDistance is the Levenshtein distance of a and b, or limit+1 once it
// is known to exceed limit.
func editDistance(a, b string, limit int) int {
	if d := len(a) - len(b); d > limit || -d > limit {
		return limit + 1
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			rowMin = min(rowMin, cur[j])
		}
		if rowMin > limit {
			return limit + 1
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// Filter selects catalog entries; zero fields match everything.
type Filter struct {
	// Provider matches the provider name ("Mistral AI") or the provider
	// segment of the model ID ("mistral"), without regard to case.
	Provider string
	// API matches models that answer it.
	API API
	// Modality matches models with it among their input or output
	// modalities; Input and Output match one side only.
	Modality Modality
	Input    Modality
	Output   Modality
	// Region matches models usable from it, in-Region or through an
	// inference profile.
	Region string
	// Status matches the lifecycle status (ACTIVE, LEGACY).
	Status string
}

// Match reports whether m passes the filter.
func (f Filter) Match(m *Model) bool {
	if f.Provider != "" && !matchProvider(m, f.Provider) {
		return false
	}
	if f.API != "" && !m.Supports(f.API) {
		return false
	}
	if f.Modality != "" && !m.HasInput(f.Modality) && !m.HasOutput(f.Modality) {
		return false
	}
	if f.Input != "" && !m.HasInput(f.Input) {
		return false
	}
	if f.Output != "" && !m.HasOutput(f.Output) {
		return false
	}
	if f.Region != "" && !m.UsableFrom(f.Region) {
		return false
	}
	if f.Status != "" && !strings.EqualFold(m.Lifecycle.Status, f.Status) {
		return false
	}
	return true
}

func matchProvider(m *Model, p string) bool {
	if strings.EqualFold(m.Provider, p) {
		return true
	}
	seg, _, _ := strings.Cut(m.ID, ".")
	return strings.EqualFold(seg, p)
}

// Select returns copies of the catalog entries that pass f, in catalog order.
func Select(f Filter) []Model {
	var out []Model
	for i := range mustCatalog().models {
		m := &mustCatalog().models[i]
		if f.Match(m) {
			out = append(out, m.clone())
		}
	}
	return out
}

// ByProvider returns the models of a provider (name or ID segment).
func ByProvider(provider string) []Model { return Select(Filter{Provider: provider}) }

// WithAPI returns the models that answer api.
func WithAPI(api API) []Model { return Select(Filter{API: api}) }

// WithModality returns the models that take or produce mod.
func WithModality(mod Modality) []Model { return Select(Filter{Modality: mod}) }

// InRegion returns the models usable from region, in-Region or through an
// inference profile.
func InRegion(region string) []Model { return Select(Filter{Region: region}) }
