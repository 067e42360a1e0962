package interop

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
	brtypes "github.com/aws/aws-sdk-go-v2/service/bedrockruntime/types"
	"github.com/bedrockwire/bedrockwire/client/bedrocktest"
	"github.com/bedrockwire/bedrockwire/modelspec"
)

// TestSDKBidirectionalAgainstEmulator runs a Nova Sonic text turn through the
// SDK's InvokeModelWithBidirectionalStream: the emulator must accept the
// SDK's seed signature and every chained frame signature, and the SDK must
// decode the emulator's output frames.
func TestSDKBidirectionalAgainstEmulator(t *testing.T) {
	srv, sdk := sdkAgainstEmulator(t)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	out, err := sdk.InvokeModelWithBidirectionalStream(ctx, &bedrockruntime.InvokeModelWithBidirectionalStreamInput{
		ModelId: aws.String("amazon.nova-2-sonic-v1:0"),
	})
	if err != nil {
		t.Fatalf("InvokeModelWithBidirectionalStream: %v", err)
	}
	stream := out.GetStream()
	defer stream.Close()

	const p = "interop-prompt"
	events := []modelspec.SonicEvent{
		modelspec.SonicSessionStart{InferenceConfiguration: modelspec.SonicInferenceConfiguration{MaxTokens: 256}},
		modelspec.NewSonicPromptStart(p, "matthew"),
	}
	events = append(events, modelspec.SonicTextBlock(p, "system", modelspec.SonicRoleSystem, "Be brief.")...)
	turn := modelspec.SonicTextBlock(p, "turn-1", modelspec.SonicRoleUser, "Hello from the SDK")
	start := turn[0].(modelspec.SonicContentStart)
	start.Interactive = true
	turn[0] = start
	events = append(events, turn...)
	events = append(events, modelspec.SonicPromptEnd{PromptName: p}, modelspec.SonicSessionEnd{})

	sendErr := make(chan error, 1)
	go func() {
		for _, ev := range events {
			b, err := modelspec.EncodeSonicEvent(ev)
			if err == nil {
				err = stream.Send(ctx, &brtypes.InvokeModelWithBidirectionalStreamInputMemberChunk{Value: brtypes.BidirectionalInputPayloadPart{Bytes: b}})
			}
			if err != nil {
				sendErr <- err
				return
			}
		}
		sendErr <- nil
	}()

	var texts []string
	var audio int
	for ev := range stream.Events() {
		chunk, ok := ev.(*brtypes.InvokeModelWithBidirectionalStreamOutputMemberChunk)
		if !ok {
			continue
		}
		parsed, err := modelspec.ParseSonicEvent(chunk.Value.Bytes)
		if err != nil {
			t.Fatalf("output event: %v", err)
		}
		switch e := parsed.(type) {
		case *modelspec.SonicTextOutput:
			texts = append(texts, e.Content)
		case *modelspec.SonicAudioOutput:
			pcm, err := e.AppendPCM(nil)
			if err != nil {
				t.Fatal(err)
			}
			audio += len(pcm)
		case *modelspec.SonicCompletionEnd:
			stream.Close() // the session is over; end our side too
		}
	}
	if err := <-sendErr; err != nil {
		t.Fatalf("send: %v", err)
	}
	if err := stream.Err(); err != nil {
		t.Fatalf("stream: %v", err)
	}
	joined := strings.Join(texts, " | ")
	if !strings.Contains(joined, "Hello from the SDK") || audio == 0 {
		t.Fatalf("texts %q, %d bytes of audio", joined, audio)
	}
	var frames int
	for _, r := range srv.Requests() {
		if r.Operation == bedrocktest.OpInvokeModelWithBidirectionalStream {
			frames = len(r.Events)
			if r.Status != 0 && r.Status != 200 {
				t.Fatalf("emulator answered %d %s", r.Status, r.ErrorType)
			}
		}
	}
	if frames != len(events) {
		t.Fatalf("emulator verified %d frames, want %d", frames, len(events))
	}
}
