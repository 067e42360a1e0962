package main

// --file: turning files into Converse content blocks.

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/bedrockwire/bedrockwire/client"
)

// cliMaxFileBytes bounds a file sent inline: Bedrock takes at most 25 MB of
// inline video (images 3.75 MB, documents 4.5 MB; the service says which
// limit a file broke).
const cliMaxFileBytes = 25 << 20

// Formats by file extension.
var (
	cliImageExt = map[string]client.ImageFormat{
		".png": "png", ".jpg": "jpeg", ".jpeg": "jpeg", ".gif": "gif", ".webp": "webp",
	}
	cliDocumentExt = map[string]client.DocumentFormat{
		".pdf": "pdf", ".csv": "csv", ".doc": "doc", ".docx": "docx", ".xls": "xls", ".xlsx": "xlsx",
		".html": "html", ".htm": "html", ".txt": "txt", ".text": "txt", ".md": "md", ".markdown": "md",
	}
	cliVideoExt = map[string]client.VideoFormat{
		".mkv": "mkv", ".mov": "mov", ".mp4": "mp4", ".m4v": "mp4", ".webm": "webm", ".flv": "flv",
		".mpeg": "mpeg", ".mpg": "mpg", ".wmv": "wmv", ".3gp": "three_gp",
	}
	// cliSniffedImage are the image formats http.DetectContentType knows.
	cliSniffedImage = map[string]client.ImageFormat{
		"image/png": "png", "image/jpeg": "jpeg", "image/gif": "gif", "image/webp": "webp",
	}
)

// cliFileBlocks reads the files and returns one content block each. Media
// type: an image whose bytes say which image format it is is sent in that
// format whatever its extension; otherwise the extension decides; a file
// with an unknown extension is sniffed (PDF, HTML, MP4, WebM, any image) and
// plain text becomes a txt document, so source code and logs can be attached.
// Document names are derived from the file names and made unique.
func cliFileBlocks(paths []string) ([]client.ContentBlock, error) {
	var blocks []client.ContentBlock
	names := map[string]bool{}
	for _, p := range paths {
		data, err := cliReadFile(p)
		if err != nil {
			return nil, err
		}
		b, err := cliFileBlock(p, data, names)
		if err != nil {
			return nil, err
		}
		blocks = append(blocks, b)
	}
	return blocks, nil
}

// cliReadFile reads at most cliMaxFileBytes of a file and refuses larger ones.
func cliReadFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, cliMaxFileBytes+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(data) > cliMaxFileBytes {
		return nil, fmt.Errorf("%s: larger than %d MB, the most Bedrock takes inline", path, cliMaxFileBytes>>20)
	}
	if len(data) == 0 {
		return nil, fmt.Errorf("%s: file is empty", path)
	}
	return data, nil
}

// cliFileBlock chooses the block for one file; names holds the document
// names used so far.
func cliFileBlock(path string, data []byte, names map[string]bool) (client.ContentBlock, error) {
	ext := strings.ToLower(filepath.Ext(path))
	sniffed, _, _ := strings.Cut(http.DetectContentType(data), ";")
	if f, ok := cliSniffedImage[sniffed]; ok {
		return client.ImageBlock{Format: f, Source: client.BytesSource(data)}, nil
	}
	if f, ok := cliImageExt[ext]; ok {
		return nil, fmt.Errorf("%s: named %s but its bytes are not a %s image (they look like %s)", path, ext, f, sniffed)
	}
	if f, ok := cliVideoExt[ext]; ok {
		return client.VideoBlock{Format: f, Source: client.BytesSource(data)}, nil
	}
	doc := func(f client.DocumentFormat) client.ContentBlock {
		return client.DocumentBlock{Format: f, Name: cliDocumentName(path, names), Source: client.BytesSource(data)}
	}
	if f, ok := cliDocumentExt[ext]; ok {
		return doc(f), nil
	}
	switch sniffed {
	case "application/pdf":
		return doc("pdf"), nil
	case "text/html":
		return doc("html"), nil
	case "text/plain":
		return doc("txt"), nil
	case "video/mp4":
		return client.VideoBlock{Format: "mp4", Source: client.BytesSource(data)}, nil
	case "video/webm":
		return client.VideoBlock{Format: "webm", Source: client.BytesSource(data)}, nil
	}
	return nil, fmt.Errorf("%s: cannot tell what kind of file this is (%s); Bedrock takes images (png, jpeg, gif, webp), documents (pdf, csv, doc, docx, xls, xlsx, html, txt, md) and videos (mkv, mov, mp4, webm, flv, mpeg, mpg, wmv, 3gp)", path, sniffed)
}

// cliDocumentName derives a document name Bedrock accepts from a file name:
// ASCII letters and digits, hyphens, parentheses, square brackets and single
// spaces, at most 200 characters. The extension is dropped, '.' and '_'
// become hyphens, anything else not allowed becomes a space. A name already
// in names gets " (2)", " (3)", … appended; the result is added to names.
func cliDocumentName(path string, names map[string]bool) string {
	base := filepath.Base(path)
	base = strings.TrimSuffix(base, filepath.Ext(base))
	var b strings.Builder
	space := false
	for _, r := range base {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9',
			r == '-', r == '(', r == ')', r == '[', r == ']':
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(r)
		case r == '.' || r == '_':
			space = false
			b.WriteByte('-')
		default:
			space = true
		}
	}
	name := b.String()
	const maxName = 200 - len(" (999)")
	if len(name) > maxName {
		name = strings.TrimRight(name[:maxName], " ")
	}
	if name == "" {
		name = "document"
	}
	unique := name
	for i := 2; names[unique]; i++ {
		unique = name + " (" + strconv.Itoa(i) + ")"
	}
	names[unique] = true
	return unique
}
