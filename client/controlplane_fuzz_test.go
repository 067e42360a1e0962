package client

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// FuzzDecodeJobShapes feeds any bytes to the response decoders of this
// file family (the types with their own UnmarshalJSON: times, Rerank
// documents): they return a value or an error, never panic, and a value
// they return marshals back to JSON that decodes to the same value.
func FuzzDecodeJobShapes(f *testing.F) {
	for _, name := range []string{"async/get_failed.response.json", "async/list.response.json", "batch/get.response.json",
		"controlplane/get_foundation_model.response.json", "controlplane/get_inference_profile.response.json",
		"controlplane/list_inference_profiles.response.json", "rerank/response.json"} {
		f.Add(readTestdata(f, name))
	}
	f.Add([]byte(`{"modelLifecycle":{"status":"LEGACY","legacyTime":1.5e9}}`))
	f.Add([]byte(`{"results":[{"index":0,"relevanceScore":1,"document":{"type":"JSON","jsonDocument":[1,{"a":null}]}}]}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		roundTrip(t, b, func() any { return new(AsyncInvoke) })
		roundTrip(t, b, func() any { return new(ListAsyncInvokesOutput) })
		roundTrip(t, b, func() any { return new(ModelInvocationJob) })
		roundTrip(t, b, func() any { return new(ListModelInvocationJobsOutput) })
		roundTrip(t, b, func() any { return new(FoundationModel) })
		roundTrip(t, b, func() any { return new(ListFoundationModelsOutput) })
		roundTrip(t, b, func() any { return new(InferenceProfile) })
		roundTrip(t, b, func() any { return new(ListInferenceProfilesOutput) })
		roundTrip(t, b, func() any { return new(RerankOutput) })
	})
}

func roundTrip(t *testing.T, b []byte, newV func() any) {
	v := newV()
	if err := json.Unmarshal(b, v); err != nil {
		return
	}
	out, err := json.Marshal(v)
	if err != nil {
		// A decoded Rerank document may be one the client would not send
		// (a type with both members, or none it knows): refusing to
		// marshal it is the writer's check, not a decoding failure.
		if _, ok := v.(*RerankOutput); ok {
			return
		}
		t.Fatalf("%T from %q does not marshal: %v", v, b, err)
	}
	back := newV()
	if err := json.Unmarshal(out, back); err != nil {
		t.Fatalf("%T: %s does not decode back: %v", v, out, err)
	}
	// Times go out at millisecond precision, in UTC.
	out2, err := json.Marshal(back)
	if err != nil {
		t.Fatalf("%T: second marshal: %v", back, err)
	}
	if diff := cmp.Diff(string(out), string(out2)); diff != "" {
		t.Fatalf("%T round trip (-first +second):\n%s", v, diff)
	}
}
