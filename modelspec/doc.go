// Package modelspec knows the Amazon Bedrock models: a catalog of every model
// this project was built against, model-ID parsing, and the request and
// response bodies each model family speaks through InvokeModel.
//
// # The catalog
//
// The catalog is data: catalog.json, embedded in the binary, holds one row
// per base model with its provider, name, input and output modalities, the
// Bedrock Runtime APIs it answers, context window, prompt-caching limits,
// inference types, geographic and global inference profiles (with the Regions
// they serve from and route to), in-Region availability, Provisioned
// Throughput model IDs, embedding dimensions and lifecycle. Adding a model is
// adding a row. [All] returns every entry; [Select] filters by provider,
// modality, API and Region.
//
// # Model IDs
//
// [Parse] splits any model identifier Bedrock accepts into its parts: the
// geographic or global prefix of a cross-Region inference profile (us., eu.,
// apac., global., …), the provider, the model name, version and the
// context-window suffix of a Provisioned Throughput ID (…:0:8k), and the ARNs
// of foundation models, inference profiles, application inference profiles,
// provisioned models, custom and imported models. [Lookup] resolves every
// form that names a catalog model to that model's entry.
//
// # Validation
//
// [CheckAPI] and [CheckRegion] tell, before a request is sent, whether a model
// answers an API and whether an ID can be used from a Region, and their
// errors name what would work instead:
//
//	amazon.nova-2-sonic-v1:0 answers only InvokeModelWithBidirectionalStream
//
// The package knows nothing of HTTP and imports only the standard library.
package modelspec
