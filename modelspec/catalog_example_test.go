package modelspec_test

import (
	"fmt"

	"github.com/bedrockwire/bedrockwire/modelspec"
)

func ExampleParse() {
	id, err := modelspec.Parse("us.anthropic.claude-3-5-sonnet-20241022-v2:0")
	if err != nil {
		panic(err)
	}
	fmt.Println(id.Kind, id.Geo, id.Provider, id.Name, id.Version)
	fmt.Println(id.Model())

	arn, _ := modelspec.Parse("arn:aws:bedrock:us-east-1::foundation-model/amazon.titan-text-express-v1:0:8k")
	fmt.Println(arn.Kind, arn.Region, arn.Model(), arn.Context)
	// Output:
	// inference-profile us anthropic claude-3-5-sonnet-20241022-v2 0
	// anthropic.claude-3-5-sonnet-20241022-v2:0
	// foundation-model us-east-1 amazon.titan-text-express-v1:0 8k
}

func ExampleLookup() {
	for _, id := range []string{
		"global.amazon.nova-2-lite-v1:0",
		"amazon.titan-embed-text-v1:2:8k",
		"arn:aws:bedrock:eu-west-1:123456789012:inference-profile/eu.amazon.nova-pro-v1:0",
	} {
		m, err := modelspec.Lookup(id)
		if err != nil {
			panic(err)
		}
		fmt.Printf("%s: %s (%s), %v → %v\n", id, m.ID, m.Name, m.InputModalities, m.OutputModalities)
	}
	_, err := modelspec.Lookup("us.anthropclaude-3-7-sonnet-20250219-v1:0")
	fmt.Println(err)
	// Output:
	// global.amazon.nova-2-lite-v1:0: amazon.nova-2-lite-v1:0 (Nova 2 Lite), [TEXT IMAGE VIDEO] → [TEXT]
	// amazon.titan-embed-text-v1:2:8k: amazon.titan-embed-text-v1 (Titan Embeddings G1 - Text), [TEXT] → [EMBEDDING]
	// arn:aws:bedrock:eu-west-1:123456789012:inference-profile/eu.amazon.nova-pro-v1:0: amazon.nova-pro-v1:0 (Nova Pro), [TEXT IMAGE VIDEO] → [TEXT]
	// modelspec: unknown model "us.anthropclaude-3-7-sonnet-20250219-v1:0"; did you mean "us.anthropic.claude-3-7-sonnet-20250219-v1:0"?
}

func ExampleCheckAPI() {
	fmt.Println(modelspec.CheckAPI("amazon.nova-2-sonic-v1:0", modelspec.InvokeModelWithBidirectionalStream))
	fmt.Println(modelspec.CheckAPI("amazon.nova-2-sonic-v1:0", modelspec.Converse))
	// Output:
	// <nil>
	// modelspec: amazon.nova-2-sonic-v1:0 answers only InvokeModelWithBidirectionalStream, not Converse
}

func ExampleCheckRegion() {
	fmt.Println(modelspec.CheckRegion("anthropic.claude-3-5-sonnet-20241022-v2:0", "us-east-1"))
	fmt.Println(modelspec.CheckRegion("us.anthropic.claude-3-5-sonnet-20241022-v2:0", "us-east-1"))
	// Output:
	// modelspec: anthropic.claude-3-5-sonnet-20241022-v2:0 needs an inference profile such as us.anthropic.claude-3-5-sonnet-20241022-v2:0 in us-east-1
	// <nil>
}

func ExampleSelect() {
	for _, m := range modelspec.Select(modelspec.Filter{API: modelspec.InvokeModelWithBidirectionalStream}) {
		fmt.Println(m.ID, m.Regions)
	}
	// Output:
	// amazon.nova-2-sonic-v1:0 [ap-northeast-1 eu-north-1 us-east-1 us-west-2]
	// amazon.nova-sonic-v1:0 [ap-northeast-1 eu-north-1 us-east-1]
}
