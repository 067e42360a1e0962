module github.com/bedrockwire/bedrockwire/interop

go 1.24

replace github.com/bedrockwire/bedrockwire => ../

require (
	github.com/aws/aws-sdk-go-v2 v1.48.0
	github.com/aws/aws-sdk-go-v2/aws/protocol/eventstream v1.7.27
	github.com/bedrockwire/bedrockwire v0.0.0-00010101000000-000000000000
)

require github.com/aws/smithy-go v1.28.9 // indirect
