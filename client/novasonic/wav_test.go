package novasonic

import (
	"bytes"
	"encoding/binary"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// wavHeader builds a WAV file with the given format fields and data.
func wavFile(format, channels uint16, rate uint32, bits uint16, data []byte, extra ...[]byte) []byte {
	le := binary.LittleEndian
	var b []byte
	b = append(b, "RIFF"...)
	b = le.AppendUint32(b, 0) // RIFF size: not checked
	b = append(b, "WAVE"...)
	for _, x := range extra {
		b = append(b, x...)
	}
	b = append(b, "fmt "...)
	b = le.AppendUint32(b, 16)
	b = le.AppendUint16(b, format)
	b = le.AppendUint16(b, channels)
	b = le.AppendUint32(b, rate)
	b = le.AppendUint32(b, rate*uint32(channels)*uint32(bits)/8)
	b = le.AppendUint16(b, channels*bits/8)
	b = le.AppendUint16(b, bits)
	b = append(b, "data"...)
	b = le.AppendUint32(b, uint32(len(data)))
	return append(b, data...)
}

func TestWAVRoundTrip(t *testing.T) {
	pcm := []byte{1, 0, 2, 0, 0xff, 0x7f, 0, 0x80}
	var buf bytes.Buffer
	if err := WriteWAV(&buf, pcm, 24000); err != nil {
		t.Fatal(err)
	}
	want := wavFile(1, 1, 24000, 16, pcm)
	binary.LittleEndian.PutUint32(want[4:8], uint32(36+len(pcm)))
	if diff := cmp.Diff(want, buf.Bytes()); diff != "" {
		t.Errorf("WriteWAV bytes (-want +got):\n%s", diff)
	}
	w, err := ReadWAV(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(WAV{SampleRate: 24000, PCM: pcm}, w); diff != "" {
		t.Errorf("ReadWAV (-want +got):\n%s", diff)
	}
	if d := w.Duration(); d != 4.0/24000 {
		t.Errorf("Duration = %v", d)
	}
}

func TestReadWAVSkipsOtherChunks(t *testing.T) {
	list := append([]byte("LIST\x03\x00\x00\x00abc"), 0) // odd size, padded
	f := wavFile(1, 1, 16000, 16, []byte{9, 0, 8, 0}, list)
	w, err := ReadWAV(bytes.NewReader(f))
	if err != nil {
		t.Fatal(err)
	}
	if w.SampleRate != 16000 || !bytes.Equal(w.PCM, []byte{9, 0, 8, 0}) {
		t.Errorf("ReadWAV = %+v", w)
	}
}

func TestReadWAVRefuses(t *testing.T) {
	good := wavFile(1, 1, 16000, 16, []byte{1, 2, 3, 4})
	for _, tc := range []struct {
		name string
		data []byte
		want string
	}{
		{"empty", nil, "too short"},
		{"not riff", []byte("RIFX\x00\x00\x00\x00WAVE"), "not a RIFF/WAVE"},
		{"stereo", wavFile(1, 2, 16000, 16, []byte{1, 2, 3, 4}), "2 channels; Nova Sonic needs mono"},
		{"8-bit", wavFile(1, 1, 16000, 8, []byte{1, 2}), "8-bit samples"},
		{"float", wavFile(3, 1, 16000, 32, []byte{1, 2, 3, 4}), "encoding 3 is not PCM"},
		{"zero rate", wavFile(1, 1, 0, 16, []byte{1, 2}), "sample rate 0"},
		{"odd data", wavFile(1, 1, 16000, 16, []byte{1, 2, 3}), "not whole 16-bit samples"},
		{"truncated data", good[:len(good)-1], "declares 4 bytes, file holds 3"},
		{"no data", good[:36], `no "data" chunk`},
		{"truncated chunk header", good[:40], "truncated chunk header"},
		{"data before fmt", append([]byte("RIFF\x00\x00\x00\x00WAVEdata\x02\x00\x00\x00"), 1, 2), `"data" chunk before "fmt "`},
		{"huge fmt", append([]byte("RIFF\x00\x00\x00\x00WAVEfmt \xff\xff\xff\xff"), 1, 2), `"fmt " chunk of 4294967295 bytes`},
		{"huge data", append(wavFile(1, 1, 16000, 16, nil)[:40], 0xfe, 0xff, 0xff, 0xff), "more than"},
		{"truncated other chunk", append([]byte("RIFF\x00\x00\x00\x00WAVEjunk\x10\x00\x00\x00"), 1, 2), `truncated "junk" chunk`},
	} {
		_, err := ReadWAV(bytes.NewReader(tc.data))
		var we *WAVError
		if !errors.As(err, &we) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v, want a *WAVError containing %q", tc.name, err, tc.want)
		}
	}
}

func TestWriteWAVRefuses(t *testing.T) {
	if err := WriteWAV(&bytes.Buffer{}, []byte{1}, 16000); err == nil {
		t.Error("odd PCM: nil error")
	}
	if err := WriteWAV(&bytes.Buffer{}, []byte{1, 2}, 0); err == nil {
		t.Error("zero rate: nil error")
	}
}

// FuzzReadWAV: any input gives a WAV or a *WAVError, never a panic; what it
// reads writes back to a file that reads the same.
func FuzzReadWAV(f *testing.F) {
	f.Add(wavFile(1, 1, 16000, 16, []byte{1, 2, 3, 4}))
	f.Add(wavFile(1, 2, 44100, 16, nil))
	f.Add(wavFile(0xFFFE, 1, 16000, 16, []byte{1, 2}))
	f.Add([]byte("RIFF\x00\x00\x00\x00WAVEdata\xff\xff\xff\xff"))
	f.Fuzz(func(t *testing.T, data []byte) {
		w, err := ReadWAV(bytes.NewReader(data))
		if err != nil {
			var we *WAVError
			if !errors.As(err, &we) {
				t.Fatalf("error %v (%T) is not a *WAVError", err, err)
			}
			return
		}
		if len(w.PCM)%2 != 0 || w.SampleRate <= 0 {
			t.Fatalf("ReadWAV = rate %d, %d bytes", w.SampleRate, len(w.PCM))
		}
		var buf bytes.Buffer
		if err := WriteWAV(&buf, w.PCM, w.SampleRate); err != nil {
			t.Fatal(err)
		}
		again, err := ReadWAV(&buf)
		if err != nil || again.SampleRate != w.SampleRate || !bytes.Equal(again.PCM, w.PCM) {
			t.Fatalf("round trip: %+v, %v", again, err)
		}
	})
}
