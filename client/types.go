package client

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
)

// Role is the author of a message.
type Role string

// Roles a message can have.
const (
	RoleUser      Role = "user"
	RoleAssistant Role = "assistant"
)

// Message is one turn of a conversation.
type Message struct {
	Role    Role
	Content []ContentBlock
}

type messageWire struct {
	Role    Role             `json:"role"`
	Content contentBlockList `json:"content"`
}

// MarshalJSON writes the message in Bedrock's wire shape.
func (m Message) MarshalJSON() ([]byte, error) {
	c := contentBlockList(m.Content)
	if c == nil {
		c = contentBlockList{}
	}
	return json.Marshal(messageWire{m.Role, c})
}

// UnmarshalJSON reads a message in Bedrock's wire shape.
func (m *Message) UnmarshalJSON(data []byte) error {
	var w messageWire
	if err := json.Unmarshal(data, &w); err != nil {
		return fmt.Errorf("message: %w", err)
	}
	*m = Message{Role: w.Role, Content: w.Content}
	return nil
}

// ContentBlock is one member of a message's content: TextBlock, ImageBlock,
// DocumentBlock, VideoBlock, AudioBlock, ToolUseBlock, ToolResultBlock,
// GuardContentBlock, CachePointBlock, ReasoningBlock, CitationsBlock,
// SearchResultBlock, ToolAdditionBlock, ToolRemovalBlock, or UnknownBlock for
// a member this client does not know. Switch on the concrete type to read one.
type ContentBlock interface {
	unionMember
	isContentBlock()
}

// SystemBlock is one member of the system prompt: TextBlock,
// GuardContentBlock, CachePointBlock or UnknownBlock.
type SystemBlock interface {
	unionMember
	isSystemBlock()
}

// ToolResultContent is one member of a tool result's content: TextBlock,
// JSONBlock, ImageBlock, DocumentBlock, VideoBlock, SearchResultBlock or
// UnknownBlock.
type ToolResultContent interface {
	unionMember
	isToolResultContent()
}

func (UnknownBlock) isContentBlock()      {}
func (UnknownBlock) isSystemBlock()       {}
func (UnknownBlock) isToolResultContent() {}

// TextBlock is text. It is a member of ContentBlock, SystemBlock and
// ToolResultContent.
type TextBlock struct {
	Text string
}

func (TextBlock) unionKey() string     { return "text" }
func (TextBlock) isContentBlock()      {}
func (TextBlock) isSystemBlock()       {}
func (TextBlock) isToolResultContent() {}

// MarshalJSON writes the text as a JSON string, its wire shape.
func (b TextBlock) MarshalJSON() ([]byte, error) { return json.Marshal(b.Text) }

// UnmarshalJSON reads a JSON string.
func (b *TextBlock) UnmarshalJSON(data []byte) error {
	if s, n, ok := jsonString(data, 0); ok && n == len(data) {
		b.Text = s // the common case, without a second scan
		return nil
	}
	return json.Unmarshal(data, &b.Text)
}

// JSONBlock is a JSON value in a tool result.
type JSONBlock struct {
	JSON json.RawMessage
}

func (JSONBlock) unionKey() string     { return "json" }
func (JSONBlock) isToolResultContent() {}

// MarshalJSON writes the JSON value; an empty value is written as {}.
func (b JSONBlock) MarshalJSON() ([]byte, error) { return rawOrEmptyObject(b.JSON, "json") }

// UnmarshalJSON keeps the JSON value.
func (b *JSONBlock) UnmarshalJSON(data []byte) error {
	b.JSON = bytes.Clone(data)
	return nil
}

// Decode unmarshals the JSON value into v.
func (b JSONBlock) Decode(v any) error { return json.Unmarshal(b.JSON, v) }

// rawOrEmptyObject returns raw, or {} when raw is empty; invalid JSON is an error.
func rawOrEmptyObject(raw json.RawMessage, what string) ([]byte, error) {
	if len(bytes.TrimSpace(raw)) == 0 {
		return []byte("{}"), nil
	}
	if !json.Valid(raw) {
		return nil, fmt.Errorf("%s is not valid JSON", what)
	}
	return raw, nil
}

// ToJSON marshals v for a json.RawMessage field such as ToolUseBlock.Input,
// JSONBlock.JSON, ToolSpec.InputSchema or
// ConverseInput.AdditionalModelRequestFields. A json.RawMessage or []byte
// holding valid JSON is returned as is.
func ToJSON(v any) (json.RawMessage, error) {
	switch x := v.(type) {
	case json.RawMessage:
		if !json.Valid(x) {
			return nil, errors.New("ToJSON: invalid JSON")
		}
		return x, nil
	case []byte:
		if !json.Valid(x) {
			return nil, errors.New("ToJSON: invalid JSON")
		}
		return json.RawMessage(x), nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("ToJSON: %w", err)
	}
	return b, nil
}

// ErrorBlock is an error the model reports in place of generated media.
type ErrorBlock struct {
	Message string `json:"message,omitempty"`
}

// Media formats.
type (
	ImageFormat    string // png, jpeg, gif, webp
	DocumentFormat string // pdf, csv, doc, docx, xls, xlsx, html, txt, md
	VideoFormat    string // mkv, mov, mp4, webm, flv, mpeg, mpg, wmv, three_gp
	AudioFormat    string // mp3, opus, wav, aac, flac, mp4, ogg, mkv, mka, x-aac, m4a, mpeg, mpga, pcm, webm
)

// Common media formats.
const (
	ImageFormatPNG     ImageFormat    = "png"
	ImageFormatJPEG    ImageFormat    = "jpeg"
	ImageFormatGIF     ImageFormat    = "gif"
	ImageFormatWebP    ImageFormat    = "webp"
	DocumentFormatPDF  DocumentFormat = "pdf"
	DocumentFormatTXT  DocumentFormat = "txt"
	DocumentFormatMD   DocumentFormat = "md"
	DocumentFormatHTML DocumentFormat = "html"
	DocumentFormatCSV  DocumentFormat = "csv"
	DocumentFormatDOCX DocumentFormat = "docx"
	DocumentFormatXLSX DocumentFormat = "xlsx"
	VideoFormatMP4     VideoFormat    = "mp4"
	AudioFormatMP3     AudioFormat    = "mp3"
	AudioFormatWAV     AudioFormat    = "wav"
)

// Source is where media or document bytes come from: BytesSource,
// S3Location, TextSource and ContentSource (documents only), or
// UnknownBlock.
type Source interface {
	unionMember
	isSource()
}

func (UnknownBlock) isSource() {}

// BytesSource is media sent inline; it is base64 on the wire. If the bytes
// are a data URL ("data:image/png;base64,…"), the prefix is stripped and the
// base64 payload is sent.
type BytesSource []byte

func (BytesSource) unionKey() string { return "bytes" }
func (BytesSource) isSource()        {}

// MarshalJSON writes the bytes as a base64 string.
func (s BytesSource) MarshalJSON() ([]byte, error) { return blobJSON(s) }

// S3Location is an object in Amazon S3. It is a Source.
type S3Location struct {
	URI         string `json:"uri"`
	BucketOwner string `json:"bucketOwner,omitempty"`
}

func (S3Location) unionKey() string { return "s3Location" }
func (S3Location) isSource()        {}

// TextSource is a document given as text.
type TextSource string

func (TextSource) unionKey() string { return "text" }
func (TextSource) isSource()        {}

// ContentSource is a document given as a list of text chunks.
type ContentSource []DocumentContent

func (ContentSource) unionKey() string { return "content" }
func (ContentSource) isSource()        {}

// DocumentContent is one chunk of a ContentSource.
type DocumentContent struct {
	Text string `json:"text"`
}

func decodeSource(key string, inner json.RawMessage) (unionMember, error) {
	switch key {
	case "bytes":
		return decodeAs(inner, BytesSource(nil))
	case "s3Location":
		return decodeAs(inner, S3Location{})
	case "text":
		return decodeAs(inner, TextSource(""))
	case "content":
		return decodeAs(inner, ContentSource(nil))
	}
	return unknownMember(key, inner), nil
}

// blobJSON base64-encodes b as a JSON string. A base64 data URL is sent as
// its payload, after checking that the payload is base64.
func blobJSON(b []byte) ([]byte, error) {
	if payload, ok := dataURLPayload(b); ok {
		dec, err := base64.StdEncoding.DecodeString(string(payload))
		if err != nil {
			if dec, err = base64.RawStdEncoding.DecodeString(string(payload)); err != nil {
				return nil, fmt.Errorf("bytes are a data URL whose payload is not base64: %w", err)
			}
		}
		b = dec
	}
	buf := make([]byte, 0, base64.StdEncoding.EncodedLen(len(b))+2)
	buf = append(buf, '"')
	buf = base64.StdEncoding.AppendEncode(buf, b)
	return append(buf, '"'), nil
}

// dataURLPayload returns the payload of a base64 data URL
// ("data:<mediatype>;base64,<payload>").
func dataURLPayload(b []byte) ([]byte, bool) {
	if !bytes.HasPrefix(b, []byte("data:")) {
		return nil, false
	}
	head := b[:min(len(b), 256)]
	comma := bytes.IndexByte(head, ',')
	if comma < 0 || !bytes.HasSuffix(head[:comma], []byte(";base64")) {
		return nil, false
	}
	return b[comma+1:], true
}

// ImageBlock is an image. It is a member of ContentBlock and
// ToolResultContent.
type ImageBlock struct {
	Format ImageFormat
	Source Source
	// Error is set by models that generate images when generation failed.
	Error *ErrorBlock
}

func (ImageBlock) unionKey() string     { return "image" }
func (ImageBlock) isContentBlock()      {}
func (ImageBlock) isToolResultContent() {}

type imageBlockWire struct {
	_      noCompare
	Format ImageFormat `json:"format"`
	Source *sourceOne  `json:"source,omitempty"`
	Error  *ErrorBlock `json:"error,omitempty"`
}

// MarshalJSON writes the image in Bedrock's wire shape.
func (b ImageBlock) MarshalJSON() ([]byte, error) {
	return json.Marshal(imageBlockWire{Format: b.Format, Source: oneSource(b.Source), Error: b.Error})
}

// UnmarshalJSON reads an image in Bedrock's wire shape.
func (b *ImageBlock) UnmarshalJSON(data []byte) error {
	var w imageBlockWire
	if err := json.Unmarshal(data, &w); err != nil {
		return err
	}
	*b = ImageBlock{w.Format, w.Source.get(), w.Error}
	return nil
}

// CitationsConfig turns citations on for a document or search result.
type CitationsConfig struct {
	Enabled bool `json:"enabled"`
}

// DocumentBlock is a document. It is a member of ContentBlock and
// ToolResultContent. Bedrock requires names to be unique within a request;
// the client does not check that, the service does.
type DocumentBlock struct {
	Format    DocumentFormat
	Name      string
	Source    Source
	Context   string
	Citations *CitationsConfig
}

func (DocumentBlock) unionKey() string     { return "document" }
func (DocumentBlock) isContentBlock()      {}
func (DocumentBlock) isToolResultContent() {}

type documentBlockWire struct {
	_         noCompare
	Format    DocumentFormat   `json:"format,omitempty"`
	Name      string           `json:"name"`
	Source    *sourceOne       `json:"source,omitempty"`
	Context   string           `json:"context,omitempty"`
	Citations *CitationsConfig `json:"citations,omitempty"`
}

// MarshalJSON writes the document in Bedrock's wire shape.
func (b DocumentBlock) MarshalJSON() ([]byte, error) {
	return json.Marshal(documentBlockWire{Format: b.Format, Name: b.Name, Source: oneSource(b.Source), Context: b.Context, Citations: b.Citations})
}

// UnmarshalJSON reads a document in Bedrock's wire shape.
func (b *DocumentBlock) UnmarshalJSON(data []byte) error {
	var w documentBlockWire
	if err := json.Unmarshal(data, &w); err != nil {
		return err
	}
	*b = DocumentBlock{w.Format, w.Name, w.Source.get(), w.Context, w.Citations}
	return nil
}

// VideoBlock is a video. It is a member of ContentBlock and
// ToolResultContent.
type VideoBlock struct {
	Format VideoFormat
	Source Source
}

func (VideoBlock) unionKey() string     { return "video" }
func (VideoBlock) isContentBlock()      {}
func (VideoBlock) isToolResultContent() {}

type videoBlockWire struct {
	_      noCompare
	Format VideoFormat `json:"format"`
	Source *sourceOne  `json:"source,omitempty"`
}

// MarshalJSON writes the video in Bedrock's wire shape.
func (b VideoBlock) MarshalJSON() ([]byte, error) {
	return json.Marshal(videoBlockWire{Format: b.Format, Source: oneSource(b.Source)})
}

// UnmarshalJSON reads a video in Bedrock's wire shape.
func (b *VideoBlock) UnmarshalJSON(data []byte) error {
	var w videoBlockWire
	if err := json.Unmarshal(data, &w); err != nil {
		return err
	}
	*b = VideoBlock{w.Format, w.Source.get()}
	return nil
}

// AudioBlock is audio.
type AudioBlock struct {
	Format AudioFormat
	Source Source
	Error  *ErrorBlock
}

func (AudioBlock) unionKey() string { return "audio" }
func (AudioBlock) isContentBlock()  {}

type audioBlockWire struct {
	_      noCompare
	Format AudioFormat `json:"format"`
	Source *sourceOne  `json:"source,omitempty"`
	Error  *ErrorBlock `json:"error,omitempty"`
}

// MarshalJSON writes the audio in Bedrock's wire shape.
func (b AudioBlock) MarshalJSON() ([]byte, error) {
	return json.Marshal(audioBlockWire{Format: b.Format, Source: oneSource(b.Source), Error: b.Error})
}

// UnmarshalJSON reads audio in Bedrock's wire shape.
func (b *AudioBlock) UnmarshalJSON(data []byte) error {
	var w audioBlockWire
	if err := json.Unmarshal(data, &w); err != nil {
		return err
	}
	*b = AudioBlock{w.Format, w.Source.get(), w.Error}
	return nil
}

// ToolUseBlock is the model's request to call a tool.
type ToolUseBlock struct {
	ToolUseID string
	Name      string
	// Input is the tool's input, a JSON value (usually an object). Read it
	// with DecodeInput or json.Unmarshal; build it with ToJSON.
	Input json.RawMessage
	// Type is "server_tool_use" for tools the service runs itself.
	Type string
}

func (ToolUseBlock) unionKey() string { return "toolUse" }
func (ToolUseBlock) isContentBlock()  {}

type toolUseBlockWire struct {
	ToolUseID string          `json:"toolUseId"`
	Name      string          `json:"name"`
	Input     json.RawMessage `json:"input"`
	Type      string          `json:"type,omitempty"`
}

// MarshalJSON writes the tool use in Bedrock's wire shape; an empty Input is
// sent as {}.
func (b ToolUseBlock) MarshalJSON() ([]byte, error) {
	in, err := rawOrEmptyObject(b.Input, "toolUse input")
	if err != nil {
		return nil, err
	}
	return json.Marshal(toolUseBlockWire{b.ToolUseID, b.Name, in, b.Type})
}

// UnmarshalJSON reads a tool use in Bedrock's wire shape.
func (b *ToolUseBlock) UnmarshalJSON(data []byte) error {
	var w toolUseBlockWire
	if err := json.Unmarshal(data, &w); err != nil {
		return err
	}
	*b = ToolUseBlock{w.ToolUseID, w.Name, w.Input, w.Type}
	return nil
}

// DecodeInput unmarshals the tool input into v.
func (b ToolUseBlock) DecodeInput(v any) error {
	if err := json.Unmarshal(b.Input, v); err != nil {
		return fmt.Errorf("tool %q input: %w", b.Name, err)
	}
	return nil
}

// ToolResultStatus says whether a tool call succeeded.
type ToolResultStatus string

// Tool result statuses.
const (
	ToolResultSuccess ToolResultStatus = "success"
	ToolResultError   ToolResultStatus = "error"
)

// ToolResultBlock is the result of a tool call, sent back to the model.
type ToolResultBlock struct {
	ToolUseID string
	Content   []ToolResultContent
	Status    ToolResultStatus
	Type      string
}

func (ToolResultBlock) unionKey() string { return "toolResult" }
func (ToolResultBlock) isContentBlock()  {}

type toolResultBlockWire struct {
	ToolUseID string                `json:"toolUseId"`
	Content   toolResultContentList `json:"content"`
	Status    ToolResultStatus      `json:"status,omitempty"`
	Type      string                `json:"type,omitempty"`
}

// MarshalJSON writes the tool result in Bedrock's wire shape.
func (b ToolResultBlock) MarshalJSON() ([]byte, error) {
	c := toolResultContentList(b.Content)
	if c == nil {
		c = toolResultContentList{}
	}
	return json.Marshal(toolResultBlockWire{b.ToolUseID, c, b.Status, b.Type})
}

// UnmarshalJSON reads a tool result in Bedrock's wire shape.
func (b *ToolResultBlock) UnmarshalJSON(data []byte) error {
	var w toolResultBlockWire
	if err := json.Unmarshal(data, &w); err != nil {
		return err
	}
	*b = ToolResultBlock{w.ToolUseID, w.Content, w.Status, w.Type}
	return nil
}

func decodeToolResultContent(key string, inner json.RawMessage) (unionMember, error) {
	switch key {
	case "text":
		return decodeAs(inner, TextBlock{})
	case "json":
		return decodeAs(inner, JSONBlock{})
	case "image":
		return decodeAs(inner, ImageBlock{})
	case "document":
		return decodeAs(inner, DocumentBlock{})
	case "video":
		return decodeAs(inner, VideoBlock{})
	case "searchResult":
		return decodeAs(inner, SearchResultBlock{})
	}
	return unknownMember(key, inner), nil
}

// GuardrailContent is content for a guardrail to assess: GuardrailText,
// GuardrailImage or UnknownBlock. It is used in GuardContentBlock and in
// ApplyGuardrailInput.
type GuardrailContent interface {
	unionMember
	isGuardrailContent()
}

func (UnknownBlock) isGuardrailContent() {}

// Qualifiers of guarded text.
const (
	QualifierGroundingSource = "grounding_source"
	QualifierQuery           = "query"
	QualifierGuardContent    = "guard_content"
)

// GuardrailText is text for a guardrail to assess.
type GuardrailText struct {
	Text string `json:"text"`
	// Qualifiers are QualifierGroundingSource, QualifierQuery or
	// QualifierGuardContent.
	Qualifiers []string `json:"qualifiers,omitempty"`
}

func (GuardrailText) unionKey() string    { return "text" }
func (GuardrailText) isGuardrailContent() {}

// GuardrailImage is an image (png or jpeg) for a guardrail to assess.
type GuardrailImage struct {
	Format ImageFormat
	Bytes  []byte
}

func (GuardrailImage) unionKey() string    { return "image" }
func (GuardrailImage) isGuardrailContent() {}

type guardrailImageWire struct {
	Format ImageFormat `json:"format"`
	Source struct {
		Bytes BytesSource `json:"bytes,omitempty"`
	} `json:"source"`
}

// MarshalJSON writes the image in Bedrock's wire shape.
func (g GuardrailImage) MarshalJSON() ([]byte, error) {
	var w guardrailImageWire
	w.Format = g.Format
	w.Source.Bytes = g.Bytes
	return json.Marshal(w)
}

// UnmarshalJSON reads an image in Bedrock's wire shape.
func (g *GuardrailImage) UnmarshalJSON(data []byte) error {
	var w guardrailImageWire
	if err := json.Unmarshal(data, &w); err != nil {
		return err
	}
	*g = GuardrailImage{w.Format, w.Source.Bytes}
	return nil
}

func decodeGuardrailContent(key string, inner json.RawMessage) (unionMember, error) {
	switch key {
	case "text":
		return decodeAs(inner, GuardrailText{})
	case "image":
		return decodeAs(inner, GuardrailImage{})
	}
	return unknownMember(key, inner), nil
}

// GuardContentBlock marks content for the guardrail given in the request's
// GuardrailConfig to assess. It is a member of ContentBlock and SystemBlock.
type GuardContentBlock struct {
	Content GuardrailContent
}

func (GuardContentBlock) unionKey() string { return "guardContent" }
func (GuardContentBlock) isContentBlock()  {}
func (GuardContentBlock) isSystemBlock()   {}

// MarshalJSON writes the guarded content in Bedrock's wire shape.
func (b GuardContentBlock) MarshalJSON() ([]byte, error) {
	return marshalUnion(b.Content, guardrailContentKey)
}

// UnmarshalJSON reads guarded content in Bedrock's wire shape.
func (b *GuardContentBlock) UnmarshalJSON(data []byte) error {
	m, err := decodeUnion(data, decodeGuardrailContent)
	if err != nil {
		return err
	}
	c, ok := m.(GuardrailContent)
	if !ok {
		return notMember(m)
	}
	b.Content = c
	return nil
}

// CacheTTL is how long a prompt-cache checkpoint lives.
type CacheTTL string

// Cache lifetimes.
const (
	CacheTTL5m CacheTTL = "5m"
	CacheTTL1h CacheTTL = "1h"
)

// CachePointBlock marks a prompt-cache checkpoint. It is a member of
// ContentBlock, SystemBlock and Tool.
type CachePointBlock struct {
	// Type is "default", which is also what an empty Type sends.
	Type string
	TTL  CacheTTL
}

func (CachePointBlock) unionKey() string { return "cachePoint" }
func (CachePointBlock) isContentBlock()  {}
func (CachePointBlock) isSystemBlock()   {}
func (CachePointBlock) isTool()          {}

type cachePointWire struct {
	_    noCompare
	Type string   `json:"type"`
	TTL  CacheTTL `json:"ttl,omitempty"`
}

// MarshalJSON writes the cache point in Bedrock's wire shape.
func (b CachePointBlock) MarshalJSON() ([]byte, error) {
	if b.Type == "" {
		b.Type = "default"
	}
	return json.Marshal(cachePointWire{Type: b.Type, TTL: b.TTL})
}

// UnmarshalJSON reads a cache point in Bedrock's wire shape.
func (b *CachePointBlock) UnmarshalJSON(data []byte) error {
	var w cachePointWire
	if err := json.Unmarshal(data, &w); err != nil {
		return err
	}
	*b = CachePointBlock{Type: w.Type, TTL: w.TTL}
	return nil
}

// ReasoningBlock is the model's reasoning: either Text with its Signature,
// or Redacted, reasoning the provider encrypted. Send it back unchanged in
// the next turn.
type ReasoningBlock struct {
	Text      string
	Signature string
	Redacted  []byte
}

func (ReasoningBlock) unionKey() string { return "reasoningContent" }
func (ReasoningBlock) isContentBlock()  {}

type reasoningTextWire struct {
	_         noCompare
	Text      string `json:"text"`
	Signature string `json:"signature,omitempty"`
}

// MarshalJSON writes the reasoning in Bedrock's wire shape, a union of
// reasoningText and redactedContent.
func (b ReasoningBlock) MarshalJSON() ([]byte, error) {
	if b.Redacted != nil {
		if b.Text != "" || b.Signature != "" {
			return nil, errors.New("reasoningContent: both Redacted and Text/Signature set")
		}
		return json.Marshal(struct {
			R []byte `json:"redactedContent"`
		}{b.Redacted})
	}
	return json.Marshal(struct {
		T reasoningTextWire `json:"reasoningText"`
	}{reasoningTextWire{Text: b.Text, Signature: b.Signature}})
}

// errUnknownInner reports a nested union member the flattened Go type cannot
// hold; the enclosing block is then kept as an UnknownBlock.
var errUnknownInner = errors.New("unknown nested union member")

// UnmarshalJSON reads reasoning in Bedrock's wire shape.
func (b *ReasoningBlock) UnmarshalJSON(data []byte) error {
	key, inner, err := splitUnion(data)
	if err != nil {
		return err
	}
	switch key {
	case "reasoningText":
		var w reasoningTextWire
		if err := json.Unmarshal(inner, &w); err != nil {
			return err
		}
		*b = ReasoningBlock{Text: w.Text, Signature: w.Signature}
	case "redactedContent":
		var r []byte
		if err := json.Unmarshal(inner, &r); err != nil {
			return err
		}
		if r == nil {
			r = []byte{}
		}
		*b = ReasoningBlock{Redacted: r}
	default:
		return errUnknownInner
	}
	return nil
}

// CitationsBlock is generated text with the citations that support it.
type CitationsBlock struct {
	Content   []CitationGeneratedContent `json:"content,omitempty"`
	Citations []Citation                 `json:"citations,omitempty"`
}

func (CitationsBlock) unionKey() string { return "citationsContent" }
func (CitationsBlock) isContentBlock()  {}

// CitationGeneratedContent is a piece of generated text that has citations.
type CitationGeneratedContent struct {
	Text string `json:"text"`
}

// CitationSourceContent is the source text a citation quotes.
type CitationSourceContent struct {
	Text string `json:"text"`
}

// Citation points at the source of a piece of generated text.
type Citation struct {
	Title         string
	Source        string
	SourceContent []CitationSourceContent
	Location      CitationLocation
}

type citationWire struct {
	Title         string                  `json:"title,omitempty"`
	Source        string                  `json:"source,omitempty"`
	SourceContent []CitationSourceContent `json:"sourceContent,omitempty"`
	Location      *citationLocationOne    `json:"location,omitempty"`
}

// MarshalJSON writes the citation in Bedrock's wire shape.
func (c Citation) MarshalJSON() ([]byte, error) {
	return json.Marshal(citationWire{c.Title, c.Source, c.SourceContent, oneCitationLocation(c.Location)})
}

// UnmarshalJSON reads a citation in Bedrock's wire shape.
func (c *Citation) UnmarshalJSON(data []byte) error {
	var w citationWire
	if err := json.Unmarshal(data, &w); err != nil {
		return err
	}
	*c = Citation{w.Title, w.Source, w.SourceContent, w.Location.get()}
	return nil
}

// CitationLocation is where in a source a citation points: WebLocation,
// DocumentCharLocation, DocumentPageLocation, DocumentChunkLocation,
// SearchResultLocation or UnknownBlock.
type CitationLocation interface {
	unionMember
	isCitationLocation()
}

func (UnknownBlock) isCitationLocation() {}

// WebLocation is a cited web page.
type WebLocation struct {
	URL    string `json:"url,omitempty"`
	Domain string `json:"domain,omitempty"`
}

// DocumentCharLocation is a character range in a document.
type DocumentCharLocation struct {
	DocumentIndex int `json:"documentIndex"`
	Start         int `json:"start"`
	End           int `json:"end"`
}

// DocumentPageLocation is a page range in a document.
type DocumentPageLocation struct {
	DocumentIndex int `json:"documentIndex"`
	Start         int `json:"start"`
	End           int `json:"end"`
}

// DocumentChunkLocation is a chunk range in a document.
type DocumentChunkLocation struct {
	DocumentIndex int `json:"documentIndex"`
	Start         int `json:"start"`
	End           int `json:"end"`
}

// SearchResultLocation is a range of content blocks in a search result.
type SearchResultLocation struct {
	SearchResultIndex int `json:"searchResultIndex"`
	Start             int `json:"start"`
	End               int `json:"end"`
}

func (WebLocation) unionKey() string              { return "web" }
func (DocumentCharLocation) unionKey() string     { return "documentChar" }
func (DocumentPageLocation) unionKey() string     { return "documentPage" }
func (DocumentChunkLocation) unionKey() string    { return "documentChunk" }
func (SearchResultLocation) unionKey() string     { return "searchResultLocation" }
func (WebLocation) isCitationLocation()           {}
func (DocumentCharLocation) isCitationLocation()  {}
func (DocumentPageLocation) isCitationLocation()  {}
func (DocumentChunkLocation) isCitationLocation() {}
func (SearchResultLocation) isCitationLocation()  {}

func decodeCitationLocation(key string, inner json.RawMessage) (unionMember, error) {
	switch key {
	case "web":
		return decodeAs(inner, WebLocation{})
	case "documentChar":
		return decodeAs(inner, DocumentCharLocation{})
	case "documentPage":
		return decodeAs(inner, DocumentPageLocation{})
	case "documentChunk":
		return decodeAs(inner, DocumentChunkLocation{})
	case "searchResultLocation":
		return decodeAs(inner, SearchResultLocation{})
	}
	return unknownMember(key, inner), nil
}

// SearchResultBlock is a search result the model may cite. It is a member of
// ContentBlock and ToolResultContent.
type SearchResultBlock struct {
	Source    string                `json:"source"`
	Title     string                `json:"title"`
	Content   []SearchResultContent `json:"content"`
	Citations *CitationsConfig      `json:"citations,omitempty"`
}

func (SearchResultBlock) unionKey() string     { return "searchResult" }
func (SearchResultBlock) isContentBlock()      {}
func (SearchResultBlock) isToolResultContent() {}

// SearchResultContent is one text chunk of a search result.
type SearchResultContent struct {
	Text string `json:"text"`
}

// ToolReference names a tool added to or removed from the conversation.
type ToolReference struct {
	Type       string `json:"type,omitempty"`
	Name       string `json:"name,omitempty"`
	ServerName string `json:"serverName,omitempty"`
}

// ToolAdditionBlock records a tool made available mid-conversation.
type ToolAdditionBlock struct {
	Tool ToolReference `json:"tool"`
}

// ToolRemovalBlock records a tool withdrawn mid-conversation.
type ToolRemovalBlock struct {
	Tool ToolReference `json:"tool"`
}

func (ToolAdditionBlock) unionKey() string { return "toolAddition" }
func (ToolAdditionBlock) isContentBlock()  {}
func (ToolRemovalBlock) unionKey() string  { return "toolRemoval" }
func (ToolRemovalBlock) isContentBlock()   {}

func decodeContentBlock(key string, inner json.RawMessage) (unionMember, error) {
	switch key {
	case "text":
		return decodeAs(inner, TextBlock{})
	case "image":
		return decodeAs(inner, ImageBlock{})
	case "document":
		return decodeAs(inner, DocumentBlock{})
	case "video":
		return decodeAs(inner, VideoBlock{})
	case "audio":
		return decodeAs(inner, AudioBlock{})
	case "toolUse":
		return decodeAs(inner, ToolUseBlock{})
	case "toolResult":
		return decodeAs(inner, ToolResultBlock{})
	case "guardContent":
		return decodeAs(inner, GuardContentBlock{})
	case "cachePoint":
		return decodeAs(inner, CachePointBlock{})
	case "reasoningContent":
		b, err := decodeAs(inner, ReasoningBlock{})
		if errors.Is(err, errUnknownInner) {
			return unknownMember(key, inner), nil
		}
		return b, err
	case "citationsContent":
		return decodeAs(inner, CitationsBlock{})
	case "searchResult":
		return decodeAs(inner, SearchResultBlock{})
	case "toolAddition":
		return decodeAs(inner, ToolAdditionBlock{})
	case "toolRemoval":
		return decodeAs(inner, ToolRemovalBlock{})
	}
	return unknownMember(key, inner), nil
}

func decodeSystemBlock(key string, inner json.RawMessage) (unionMember, error) {
	switch key {
	case "text":
		return decodeAs(inner, TextBlock{})
	case "guardContent":
		return decodeAs(inner, GuardContentBlock{})
	case "cachePoint":
		return decodeAs(inner, CachePointBlock{})
	}
	return unknownMember(key, inner), nil
}
