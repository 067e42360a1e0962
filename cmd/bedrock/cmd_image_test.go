package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/bedrockwire/bedrockwire/client/bedrocktest"
)

func TestImageGenerateCount(t *testing.T) {
	srv := newEmulator(t)
	dir := t.TempDir()
	out := filepath.Join(dir, "kite.png")
	r := runCLI(t, srv, "image", "-m", "amazon.nova-canvas-v1:0", "--size", "384x320", "--count", "3", "--seed", "7",
		"--negative", "clouds", "--quality", "premium", "--cfg-scale", "6.5", "--style", "PHOTOREALISM", "a red kite", "-o", out)
	if r.code != exitOK {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	var lines []string
	for i, name := range []string{"kite.png", "kite-2.png", "kite-3.png"} {
		got, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if want := bedrocktest.Image("a red kite", 7, i, 384, 320); !bytes.Equal(got, want) {
			t.Errorf("%s is not the emulator's image %d", name, i)
		}
		lines = append(lines, "wrote "+filepath.Join(dir, name)+" ("+itoaTest(len(got))+" bytes)")
	}
	if diff := cmp.Diff(strings.Join(lines, "\n")+"\n", r.stderr); diff != "" {
		t.Errorf("stderr (-want +got):\n%s", diff)
	}
	golden(t, "image-canvas.request.json", lastBody(t, srv))
}

func itoaTest(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}

func TestImageProgressOnTerminal(t *testing.T) {
	srv := newEmulator(t)
	te := newTestEnv(t, srv)
	te.ttyErr = true
	out := filepath.Join(t.TempDir(), "a.png")
	r := te.run(t, context.Background(), "image", "-m", "amazon.nova-canvas-v1:0", "--size", "320x320", "--count", "2", "-o", out, "x")
	if r.code != exitOK {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	if !strings.HasPrefix(r.stderr, "generating 2 images with amazon.nova-canvas-v1:0...\nwrote ") {
		t.Errorf("stderr %q", r.stderr)
	}
}

func TestImageParseSize(t *testing.T) {
	for _, tt := range []struct {
		in   string
		w, h int
		ok   bool
	}{
		{"1024x768", 1024, 768, true}, {"320X320", 320, 320, true}, {"0x5", 0, 0, false}, {"x5", 0, 0, false},
		{"5x", 0, 0, false}, {"-16x16", 0, 0, false}, {"16x16x16", 0, 0, false}, {"", 0, 0, false}, {"1e3x1", 0, 0, false},
	} {
		w, h, err := imageParseSize(tt.in)
		if (err == nil) != tt.ok || w != tt.w || h != tt.h {
			t.Errorf("imageParseSize(%q) = %d, %d, %v", tt.in, w, h, err)
		}
	}
}

// FuzzImageParseSize: any input gives a positive size or a usage error, and
// a size prints back to itself.
func FuzzImageParseSize(f *testing.F) {
	for _, s := range []string{"1024x1024", "0x0", "x", "99999999999999999999x1", "+1x+1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		w, h, err := imageParseSize(s)
		if err != nil {
			if !errors.Is(err, errUsage) {
				t.Fatalf("%q: error %v is not a usage error", s, err)
			}
			return
		}
		if w <= 0 || h <= 0 {
			t.Fatalf("%q: %dx%d", s, w, h)
		}
		w2, h2, err := imageParseSize(strconv.Itoa(w) + "x" + strconv.Itoa(h))
		if err != nil || w2 != w || h2 != h {
			t.Fatalf("%q: %dx%d does not parse back: %d, %d, %v", s, w, h, w2, h2, err)
		}
	})
}

func TestImageKeepsExistingFiles(t *testing.T) {
	srv := newEmulator(t)
	dir := t.TempDir()
	out := filepath.Join(dir, "a.png")
	if err := os.WriteFile(filepath.Join(dir, "a-2.png"), []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	r := runCLI(t, srv, "image", "-m", "amazon.nova-canvas-v1:0", "--count", "2", "-o", out, "x")
	if want := "bedrock image: " + filepath.Join(dir, "a-2.png") + " exists; choose another -o or add --force to replace it\n"; r.code != exitFailure || r.stderr != want {
		t.Errorf("exit %d stderr %q, want 1 and %q", r.code, r.stderr, want)
	}
	if n := len(srv.Requests()); n != 0 {
		t.Errorf("%d requests sent, want none", n)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "a-2.png")); string(b) != "mine" {
		t.Error("the existing file was replaced")
	}
	r = runCLI(t, srv, "image", "--force", "-m", "amazon.nova-canvas-v1:0", "--count", "2", "-o", out, "x")
	if r.code != exitOK {
		t.Fatalf("--force: exit %d: %s", r.code, r.stderr)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "a-2.png")); string(b) == "mine" {
		t.Error("--force did not replace the file")
	}
}

func TestImageToStdout(t *testing.T) {
	srv := newEmulator(t)
	r := runCLI(t, srv, "image", "-m", "amazon.titan-image-generator-v2:0", "--size", "512x512", "-o", "-", "a cat")
	r.wantOK(t, "")
	if want := bedrocktest.Image("a cat", 0, 0, 512, 512); r.stdout != string(want) {
		t.Errorf("stdout is not the PNG (%d bytes)", len(r.stdout))
	}
}

func TestImageEditing(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "in.png")
	mask := filepath.Join(dir, "mask.png")
	png := bedrocktest.Image("in", 0, 0, 2, 2)
	os.WriteFile(in, png, 0o644)
	os.WriteFile(mask, png, 0o644)
	b64 := base64.StdEncoding.EncodeToString(png)
	tests := []struct {
		name string
		args []string
		want string // the request body with IMG for the image's base64
	}{
		{"variation", []string{"--image", in, "similar but blue"},
			`{"taskType":"IMAGE_VARIATION","imageVariationParams":{"text":"similar but blue","images":["IMG"]},"imageGenerationConfig":{"numberOfImages":1}}`},
		{"inpaint-prompt", []string{"--image", in, "--mask-prompt", "the sofa", "a green sofa"},
			`{"taskType":"INPAINTING","inPaintingParams":{"image":"IMG","text":"a green sofa","maskPrompt":"the sofa"},"imageGenerationConfig":{"numberOfImages":1}}`},
		{"outpaint-mask", []string{"--image", in, "--mask", mask, "--task", "outpaint", "a beach"},
			`{"taskType":"OUTPAINTING","outPaintingParams":{"image":"IMG","text":"a beach","maskImage":"IMG"},"imageGenerationConfig":{"numberOfImages":1}}`},
		{"remove-background", []string{"--image", in, "--task", "remove-background"},
			`{"taskType":"BACKGROUND_REMOVAL","backgroundRemovalParams":{"image":"IMG"}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newEmulator(t)
			out := filepath.Join(t.TempDir(), "out.png")
			r := runCLI(t, srv, append([]string{"image", "-m", "amazon.nova-canvas-v1:0", "-o", out}, tt.args...)...)
			if r.code != exitOK {
				t.Fatalf("exit %d: %s", r.code, r.stderr)
			}
			req, _ := srv.LastRequest()
			got := strings.ReplaceAll(string(req.Body), b64, "IMG")
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("body (-want +got):\n%s", diff)
			}
			if _, err := os.Stat(out); err != nil {
				t.Error(err)
			}
		})
	}
}

func TestImageStability(t *testing.T) {
	srv := newEmulator(t)
	png := bedrocktest.Image("s", 0, 0, 4, 4)
	// The catalog has no SD3.5; a script for the ID makes the emulator take it.
	srv.Script("stability.sd3-5-large-v1:0", bedrocktest.Reply{Body: []byte(`{"seeds":[42],"finish_reasons":[null],"images":["` + base64.StdEncoding.EncodeToString(png) + `"]}`)})
	out := filepath.Join(t.TempDir(), "s.png")
	r := runCLI(t, srv, "image", "-m", "stability.sd3-5-large-v1:0", "--aspect", "16:9", "--seed", "42", "--negative", "fog", "a castle", "-o", out)
	if r.code != exitOK {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	if got, _ := os.ReadFile(out); !bytes.Equal(got, png) {
		t.Error("the file is not the returned image")
	}
	req, _ := srv.LastRequest()
	if want := `{"prompt":"a castle","negative_prompt":"fog","aspect_ratio":"16:9","seed":42,"output_format":"png"}`; string(req.Body) != want {
		t.Errorf("body %s\nwant %s", req.Body, want)
	}

	srv.Script("stability.sd3-5-large-v1:0", bedrocktest.Reply{Body: []byte(`{"seeds":[1],"finish_reasons":["Filter reason: prompt"],"images":[""]}`)})
	r = runCLI(t, srv, "image", "-m", "stability.sd3-5-large-v1:0", "a castle", "-o", out+".2")
	if r.code != exitFailure || r.stderr != "bedrock image: image 1 was filtered: Filter reason: prompt\n" {
		t.Errorf("filtered: exit %d stderr %q", r.code, r.stderr)
	}
}

func TestImageModerated(t *testing.T) {
	srv := newEmulator(t)
	srv.Script("", bedrocktest.Reply{Body: []byte(`{"images":[],"error":"This request has been blocked by our content filters."}`)})
	dir := t.TempDir()
	r := runCLI(t, srv, "image", "-m", "amazon.nova-canvas-v1:0", "something", "-o", filepath.Join(dir, "x.png"))
	if r.code != exitFailure || r.stderr != "bedrock image: the model refused: This request has been blocked by our content filters.\n" {
		t.Errorf("exit %d stderr %q", r.code, r.stderr)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("files written: %v", entries)
	}
}

func TestImageUsageErrors(t *testing.T) {
	dir := t.TempDir()
	txt := filepath.Join(dir, "notes.txt")
	os.WriteFile(txt, []byte("hello"), 0o644)
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"image", "x"}, "a model is required: -m MODEL (see 'bedrock models --modality IMAGE')"},
		{[]string{"image", "-m", "amazon.nova-lite-v1:0", "x"}, "amazon.nova-lite-v1:0 is not an image model bedrock knows; see 'bedrock models --modality IMAGE'"},
		{[]string{"image", "-m", "amazon.nova-canvas-v1:0", "--size", "1000x1000", "x"}, "--size 1000x1000: imageGenerationConfig.width: 1000 is not divisible by 16 (try 992 or 1008)"},
		{[]string{"image", "-m", "amazon.nova-canvas-v1:0", "--size", "big", "x"}, `--size "big": want WIDTHxHEIGHT in pixels, e.g. 1024x1024`},
		{[]string{"image", "-m", "amazon.titan-image-generator-v1", "--size", "1000x1000", "x"}, "--size 1000x1000: "},
		{[]string{"image", "-m", "amazon.nova-canvas-v1:0", "--count", "6", "x"}, "--count 6: want 1 to 5"},
		{[]string{"image", "-m", "amazon.nova-canvas-v1:0"}, "no prompt: say what to draw"},
		{[]string{"image", "-m", "amazon.nova-canvas-v1:0", "--task", "inpaint", "x"}, "--task inpaint edits an image: give --image PATH"},
		{[]string{"image", "-m", "amazon.nova-canvas-v1:0", "--image", txt, "x"}, "--image " + txt + ": is not a png, jpeg, gif or webp image (it looks like text/plain)"},
		{[]string{"image", "-m", "amazon.titan-image-generator-v2:0", "--style", "PHOTOREALISM", "x"}, "--style is for Nova Canvas"},
		{[]string{"image", "-m", "stability.sd3-5-large-v1:0", "--size", "512x512", "x"}, "Stability models take --aspect (e.g. 16:9), not --size"},
		{[]string{"image", "-m", "stability.sd3-5-large-v1:0", "--aspect", "7:3", "x"}, `--aspect "7:3": want one of 16:9, 1:1, 21:9, 2:3, 3:2, 4:5, 5:4, 9:16, 9:21`},
		{[]string{"image", "-m", "stability.stable-diffusion-xl-v1", "x"}, "stability.stable-diffusion-xl-v1 speaks the older SDXL body (text_prompts); send it with 'bedrock invoke'"},
		{[]string{"image", "-m", "amazon.nova-canvas-v1:0", "--count", "2", "-o", "-", "x"}, "-o - writes one image to stdout; --count 2 needs a file name"},
	}
	for _, tt := range tests {
		r := runCLI(t, nil, tt.args...)
		prefix := "bedrock image: " + tt.want
		if r.code != exitUsage || !strings.HasPrefix(r.stderr, prefix) || !strings.HasSuffix(r.stderr, "\nRun 'bedrock image --help' for details.\n") {
			t.Errorf("%q: exit %d stderr %q\nwant 2 and %q", tt.args, r.code, r.stderr, prefix)
		}
	}
}
