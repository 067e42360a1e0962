package interop

import (
	"context"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/document"
	brtypes "github.com/aws/aws-sdk-go-v2/service/bedrockruntime/types"
	"github.com/bedrockwire/bedrockwire/client/bedrocktest"
)

// sdkAgainstEmulator returns the official SDK's client pointed at a fresh
// emulator, signing with the emulator's default test keys.
func sdkAgainstEmulator(t *testing.T) (*bedrocktest.Server, *bedrockruntime.Client) {
	t.Helper()
	srv := bedrocktest.NewServer(nil)
	t.Cleanup(srv.Close)
	k := bedrocktest.DefaultCredentials
	sdk := bedrockruntime.New(bedrockruntime.Options{
		Region:           bedrocktest.DefaultRegion,
		BaseEndpoint:     aws.String(srv.URL),
		Credentials:      credentials.NewStaticCredentialsProvider(k.AccessKeyID, k.SecretAccessKey, k.SessionToken),
		HTTPClient:       srv.Client(),
		RetryMaxAttempts: 1,
	})
	return srv, sdk
}

func userText(s string) []brtypes.Message {
	return []brtypes.Message{{Role: brtypes.ConversationRoleUser, Content: []brtypes.ContentBlock{&brtypes.ContentBlockMemberText{Value: s}}}}
}

// TestSDKConverseAgainstEmulator: the SDK's signature passes the emulator's
// check and the emulator's JSON decodes into the SDK's types.
func TestSDKConverseAgainstEmulator(t *testing.T) {
	_, sdk := sdkAgainstEmulator(t)
	out, err := sdk.Converse(context.Background(), &bedrockruntime.ConverseInput{
		ModelId:  aws.String("us.amazon.nova-pro-v1:0"),
		Messages: userText("hello emulator"),
	})
	if err != nil {
		t.Fatalf("Converse: %v", err)
	}
	msg, ok := out.Output.(*brtypes.ConverseOutputMemberMessage)
	if !ok || len(msg.Value.Content) == 0 {
		t.Fatalf("Converse output: %#v", out.Output)
	}
	text, ok := msg.Value.Content[0].(*brtypes.ContentBlockMemberText)
	if !ok || !strings.Contains(text.Value, "hello emulator") {
		t.Fatalf("first block: %#v", msg.Value.Content[0])
	}
	if out.StopReason != brtypes.StopReasonEndTurn || out.Usage == nil || aws.ToInt32(out.Usage.InputTokens) == 0 {
		t.Fatalf("stop %q usage %+v", out.StopReason, out.Usage)
	}
}

func TestSDKConverseStreamToolUseAgainstEmulator(t *testing.T) {
	_, sdk := sdkAgainstEmulator(t)
	schema := document.NewLazyDocument(map[string]any{"type": "object", "properties": map[string]any{"city": map[string]any{"type": "string"}}})
	out, err := sdk.ConverseStream(context.Background(), &bedrockruntime.ConverseStreamInput{
		ModelId:  aws.String("anthropic.claude-3-5-haiku-20241022-v1:0"),
		Messages: userText(`weather please {"city":"Paris"}`),
		ToolConfig: &brtypes.ToolConfiguration{
			Tools:      []brtypes.Tool{&brtypes.ToolMemberToolSpec{Value: brtypes.ToolSpecification{Name: aws.String("weather"), InputSchema: &brtypes.ToolInputSchemaMemberJson{Value: schema}}}},
			ToolChoice: &brtypes.ToolChoiceMemberAny{},
		},
	})
	if err != nil {
		t.Fatalf("ConverseStream: %v", err)
	}
	stream := out.GetStream()
	defer stream.Close()
	var toolName, input string
	var stop brtypes.StopReason
	var sawMetadata bool
	for ev := range stream.Events() {
		switch e := ev.(type) {
		case *brtypes.ConverseStreamOutputMemberContentBlockStart:
			if tu, ok := e.Value.Start.(*brtypes.ContentBlockStartMemberToolUse); ok {
				toolName = aws.ToString(tu.Value.Name)
			}
		case *brtypes.ConverseStreamOutputMemberContentBlockDelta:
			if d, ok := e.Value.Delta.(*brtypes.ContentBlockDeltaMemberToolUse); ok {
				input += aws.ToString(d.Value.Input)
			}
		case *brtypes.ConverseStreamOutputMemberMessageStop:
			stop = e.Value.StopReason
		case *brtypes.ConverseStreamOutputMemberMetadata:
			sawMetadata = true
		}
	}
	if err := stream.Err(); err != nil {
		t.Fatalf("stream: %v", err)
	}
	if toolName != "weather" || !strings.Contains(input, "Paris") || stop != brtypes.StopReasonToolUse || !sawMetadata {
		t.Fatalf("tool %q input %q stop %q metadata %v", toolName, input, stop, sawMetadata)
	}
}

func TestSDKInvokeAgainstEmulator(t *testing.T) {
	_, sdk := sdkAgainstEmulator(t)
	ctx := context.Background()
	body := []byte(`{"anthropic_version":"bedrock-2023-05-31","max_tokens":64,"messages":[{"role":"user","content":"ping"}]}`)
	out, err := sdk.InvokeModel(ctx, &bedrockruntime.InvokeModelInput{ModelId: aws.String("anthropic.claude-3-5-haiku-20241022-v1:0"), Body: body, ContentType: aws.String("application/json")})
	if err != nil {
		t.Fatalf("InvokeModel: %v", err)
	}
	if !strings.Contains(string(out.Body), "ping") {
		t.Fatalf("InvokeModel body: %s", out.Body)
	}

	sout, err := sdk.InvokeModelWithResponseStream(ctx, &bedrockruntime.InvokeModelWithResponseStreamInput{ModelId: aws.String("anthropic.claude-3-5-haiku-20241022-v1:0"), Body: body, ContentType: aws.String("application/json")})
	if err != nil {
		t.Fatalf("InvokeModelWithResponseStream: %v", err)
	}
	stream := sout.GetStream()
	defer stream.Close()
	var chunks int
	var all strings.Builder
	for ev := range stream.Events() {
		if c, ok := ev.(*brtypes.ResponseStreamMemberChunk); ok {
			chunks++
			all.Write(c.Value.Bytes)
		}
	}
	if err := stream.Err(); err != nil {
		t.Fatalf("stream: %v", err)
	}
	if chunks < 2 || !strings.Contains(all.String(), "message_stop") {
		t.Fatalf("%d chunks: %s", chunks, all.String())
	}
}

func TestSDKCountTokensAndGuardrailAgainstEmulator(t *testing.T) {
	_, sdk := sdkAgainstEmulator(t)
	ctx := context.Background()
	ct, err := sdk.CountTokens(ctx, &bedrockruntime.CountTokensInput{
		ModelId: aws.String("anthropic.claude-3-5-haiku-20241022-v1:0"),
		Input:   &brtypes.CountTokensInputMemberConverse{Value: brtypes.ConverseTokensRequest{Messages: userText("count these words please")}},
	})
	if err != nil {
		t.Fatalf("CountTokens: %v", err)
	}
	if aws.ToInt32(ct.InputTokens) <= 0 {
		t.Fatalf("CountTokens: %d", aws.ToInt32(ct.InputTokens))
	}
	g, err := sdk.ApplyGuardrail(ctx, &bedrockruntime.ApplyGuardrailInput{
		GuardrailIdentifier: aws.String("abc123xyz"), GuardrailVersion: aws.String("DRAFT"), Source: brtypes.GuardrailContentSourceInput,
		Content: []brtypes.GuardrailContentBlock{&brtypes.GuardrailContentBlockMemberText{Value: brtypes.GuardrailTextBlock{Text: aws.String("a harmless sentence")}}},
	})
	if err != nil {
		t.Fatalf("ApplyGuardrail: %v", err)
	}
	if g.Action != brtypes.GuardrailActionNone {
		t.Fatalf("ApplyGuardrail action %q", g.Action)
	}
}

// TestSDKWrongSecretRejected: the emulator rejects the SDK's signature made
// with a wrong secret the way AWS does.
func TestSDKWrongSecretRejected(t *testing.T) {
	srv := bedrocktest.NewServer(nil)
	t.Cleanup(srv.Close)
	sdk := bedrockruntime.New(bedrockruntime.Options{
		Region:           bedrocktest.DefaultRegion,
		BaseEndpoint:     aws.String(srv.URL),
		Credentials:      credentials.NewStaticCredentialsProvider(bedrocktest.DefaultCredentials.AccessKeyID, "wrong-secret", ""),
		HTTPClient:       srv.Client(),
		RetryMaxAttempts: 1,
	})
	_, err := sdk.Converse(context.Background(), &bedrockruntime.ConverseInput{ModelId: aws.String("amazon.nova-micro-v1:0"), Messages: userText("hi")})
	if err == nil || !strings.Contains(err.Error(), "InvalidSignatureException") {
		t.Fatalf("want InvalidSignatureException, got %v", err)
	}
}

func TestSDKAsyncInvokeAgainstEmulator(t *testing.T) {
	_, sdk := sdkAgainstEmulator(t)
	ctx := context.Background()
	start, err := sdk.StartAsyncInvoke(ctx, &bedrockruntime.StartAsyncInvokeInput{
		ModelId:          aws.String("amazon.nova-reel-v1:1"),
		ModelInput:       document.NewLazyDocument(map[string]any{"taskType": "TEXT_VIDEO", "textToVideoParams": map[string]any{"text": "a red kite over the sea"}, "videoGenerationConfig": map[string]any{"durationSeconds": 6, "fps": 24, "dimension": "1280x720", "seed": 1}}),
		OutputDataConfig: &brtypes.AsyncInvokeOutputDataConfigMemberS3OutputDataConfig{Value: brtypes.AsyncInvokeS3OutputDataConfig{S3Uri: aws.String("s3://bucket/videos/")}},
	})
	if err != nil {
		t.Fatalf("StartAsyncInvoke: %v", err)
	}
	arn := aws.ToString(start.InvocationArn)
	if !strings.HasPrefix(arn, "arn:aws:bedrock:us-east-1:") {
		t.Fatalf("invocation ARN %q", arn)
	}
	got, err := sdk.GetAsyncInvoke(ctx, &bedrockruntime.GetAsyncInvokeInput{InvocationArn: aws.String(arn)})
	if err != nil {
		t.Fatalf("GetAsyncInvoke: %v", err)
	}
	if aws.ToString(got.InvocationArn) != arn || got.Status == "" {
		t.Fatalf("GetAsyncInvoke: arn %q status %q", aws.ToString(got.InvocationArn), got.Status)
	}
	list, err := sdk.ListAsyncInvokes(ctx, &bedrockruntime.ListAsyncInvokesInput{})
	if err != nil {
		t.Fatalf("ListAsyncInvokes: %v", err)
	}
	if len(list.AsyncInvokeSummaries) != 1 || aws.ToString(list.AsyncInvokeSummaries[0].InvocationArn) != arn {
		t.Fatalf("ListAsyncInvokes: %+v", list.AsyncInvokeSummaries)
	}
}
