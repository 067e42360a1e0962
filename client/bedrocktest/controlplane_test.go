package bedrocktest

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestListFoundationModels(t *testing.T) {
	s := newServer(t, nil)
	resp, body := send(t, s, http.MethodGet, "/foundation-models?byProvider=Amazon&byOutputModality=EMBEDDING", "")
	if resp.StatusCode != 200 {
		t.Fatalf("%d %s", resp.StatusCode, body)
	}
	golden(t, "control_list_models_amazon_embedding.json", append(body, '\n'))

	_, body = send(t, s, http.MethodGet, "/foundation-models", "")
	var all struct {
		ModelSummaries []struct {
			ModelID                 string   `json:"modelId"`
			InferenceTypesSupported []string `json:"inferenceTypesSupported"`
		} `json:"modelSummaries"`
	}
	if err := json.Unmarshal(body, &all); err != nil {
		t.Fatal(err)
	}
	ids := map[string]bool{}
	for _, m := range all.ModelSummaries {
		ids[m.ModelID] = true
	}
	for _, want := range []string{"amazon.nova-lite-v1:0", "anthropic.claude-3-5-haiku-20241022-v1:0", "amazon.titan-embed-text-v2:0"} {
		if !ids[want] {
			t.Errorf("list lacks %s", want)
		}
	}
	_, body = send(t, s, http.MethodGet, "/foundation-models?byInferenceType=PROVISIONED", "")
	if !strings.Contains(string(body), `"inferenceTypesSupported":["PROVISIONED"]`) {
		t.Errorf("no provisioned entries: %.300s", body)
	}
	resp, body = send(t, s, http.MethodGet, "/foundation-models?byOutputModality=SOUND", "")
	if status, typ, msg := errorOf(t, resp, body); status != 400 || typ != "ValidationException" ||
		msg != "1 validation error detected: Value 'SOUND' at 'byOutputModality' failed to satisfy constraint: Member must satisfy enum value set: [TEXT, IMAGE, EMBEDDING]" {
		t.Errorf("got %d %s %q", status, typ, msg)
	}
}

func TestGetFoundationModel(t *testing.T) {
	s := newServer(t, nil)
	_, body := send(t, s, http.MethodGet, "/foundation-models/amazon.titan-text-express-v1", "")
	golden(t, "control_get_model_titan_express.json", append(body, '\n'))
	_, byARN := send(t, s, http.MethodGet, "/foundation-models/"+url.PathEscape("arn:aws:bedrock:us-east-1::foundation-model/amazon.titan-text-express-v1"), "")
	if string(byARN) != string(body) {
		t.Errorf("by ARN: %s", byARN)
	}
	for _, id := range []string{"acme.nothing-v1", "us.amazon.nova-lite-v1%3A0"} {
		resp, body := send(t, s, http.MethodGet, "/foundation-models/"+id, "")
		if status, typ, msg := errorOf(t, resp, body); status != 400 || typ != "ValidationException" || msg != "The provided model identifier is invalid." {
			t.Errorf("%s: got %d %s %q", id, status, typ, msg)
		}
	}
}

func TestInferenceProfiles(t *testing.T) {
	s := newServer(t, nil)
	_, body := send(t, s, http.MethodGet, "/inference-profiles?maxResults=2&type=SYSTEM_DEFINED", "")
	golden(t, "control_list_profiles_page1.json", append(body, '\n'))
	var page struct {
		Summaries []struct {
			ID string `json:"inferenceProfileId"`
		} `json:"inferenceProfileSummaries"`
		NextToken string `json:"nextToken"`
	}
	if err := json.Unmarshal(body, &page); err != nil || len(page.Summaries) != 2 || page.NextToken == "" {
		t.Fatalf("page 1: %v %s", err, body)
	}
	_, body = send(t, s, http.MethodGet, "/inference-profiles?maxResults=2&nextToken="+page.NextToken, "")
	var page2 struct {
		Summaries []struct {
			ID string `json:"inferenceProfileId"`
		} `json:"inferenceProfileSummaries"`
	}
	json.Unmarshal(body, &page2)
	if len(page2.Summaries) != 2 || page2.Summaries[0].ID == page.Summaries[0].ID {
		t.Errorf("page 2: %s", body)
	}
	resp, got := send(t, s, http.MethodGet, "/inference-profiles/"+page.Summaries[0].ID, "")
	if resp.StatusCode != 200 || !strings.Contains(string(got), `"inferenceProfileId":"`+page.Summaries[0].ID+`"`) {
		t.Errorf("get: %d %s", resp.StatusCode, got)
	}
	_, apps := send(t, s, http.MethodGet, "/inference-profiles?type=APPLICATION", "")
	if string(apps) != `{"inferenceProfileSummaries":[]}` {
		t.Errorf("application profiles: %s", apps)
	}
	for _, tc := range []struct{ path, typ string }{
		{"/inference-profiles/us.acme.nothing-v1%3A0", "ResourceNotFoundException"},
		{"/inference-profiles?nextToken=zzz", "ValidationException"},
		{"/inference-profiles?type=OTHER", "ValidationException"},
		{"/inference-profiles?maxResults=5000", "ValidationException"},
	} {
		resp, body := send(t, s, http.MethodGet, tc.path, "")
		if _, typ, _ := errorOf(t, resp, body); typ != tc.typ {
			t.Errorf("%s: %s", tc.path, typ)
		}
	}
}
