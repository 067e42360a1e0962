module github.com/bedrockwire/bedrockwire

go 1.24
