package novasonic

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// MaxWAVData is the largest audio payload ReadWAV accepts: about 50 minutes
// of 24 kHz 16-bit mono, far more than a session of 8 minutes can use.
const MaxWAVData = 128 << 20

// WAV is 16-bit mono PCM audio read from a WAV file.
type WAV struct {
	SampleRate int
	PCM        []byte // 16-bit signed little-endian samples
}

// Duration returns the length of the audio.
func (w WAV) Duration() float64 { return float64(len(w.PCM)/2) / float64(w.SampleRate) }

// WAVError reports a WAV file ReadWAV cannot use, saying why.
type WAVError struct{ Reason string }

// Error returns "novasonic: WAV: " and the reason.
func (e *WAVError) Error() string { return "novasonic: WAV: " + e.Reason }

func wavErr(format string, args ...any) error {
	return &WAVError{Reason: fmt.Sprintf(format, args...)}
}

// ReadWAV reads a RIFF/WAVE file holding 16-bit PCM mono audio, at any
// sample rate (Nova Sonic takes 16 kHz: check SampleRate). Other encodings,
// sample sizes and channel counts are refused with a *WAVError that says
// what the file holds; resampling and mixing down are left to tools made
// for it (e.g. sox in.wav -r 16000 -c 1 -b 16 out.wav). Chunks other than
// "fmt " and "data" are skipped.
func ReadWAV(r io.Reader) (WAV, error) {
	var hdr [12]byte
	if _, err := io.ReadFull(r, hdr[:]); err != nil {
		return WAV{}, wavErr("too short for a RIFF header (%v)", err)
	}
	if string(hdr[0:4]) != "RIFF" || string(hdr[8:12]) != "WAVE" {
		return WAV{}, wavErr("not a RIFF/WAVE file")
	}
	var (
		w      WAV
		gotFmt bool
	)
	for {
		var ch [8]byte
		if _, err := io.ReadFull(r, ch[:]); err != nil {
			if err == io.EOF {
				return WAV{}, wavErr(`no "data" chunk`)
			}
			return WAV{}, wavErr("truncated chunk header (%v)", err)
		}
		id, size := string(ch[0:4]), binary.LittleEndian.Uint32(ch[4:8])
		switch id {
		case "fmt ":
			if size < 16 || size > 1024 {
				return WAV{}, wavErr(`"fmt " chunk of %d bytes`, size)
			}
			f := make([]byte, size+size%2)
			if _, err := io.ReadFull(r, f); err != nil {
				return WAV{}, wavErr(`truncated "fmt " chunk (%v)`, err)
			}
			format := binary.LittleEndian.Uint16(f[0:2])
			channels := binary.LittleEndian.Uint16(f[2:4])
			rate := binary.LittleEndian.Uint32(f[4:8])
			bits := binary.LittleEndian.Uint16(f[14:16])
			if format == 0xFFFE && size >= 40 { // WAVE_FORMAT_EXTENSIBLE: the sub-format's first two bytes
				format = binary.LittleEndian.Uint16(f[24:26])
			}
			if format != 1 {
				return WAV{}, wavErr("encoding %d is not PCM (1); convert to 16-bit PCM", format)
			}
			if channels != 1 {
				return WAV{}, wavErr("%d channels; Nova Sonic needs mono: mix down to 1 channel", channels)
			}
			if bits != 16 {
				return WAV{}, wavErr("%d-bit samples; Nova Sonic needs 16-bit", bits)
			}
			if rate == 0 || rate > 384000 {
				return WAV{}, wavErr("sample rate %d Hz", rate)
			}
			w.SampleRate = int(rate)
			gotFmt = true
		case "data":
			if !gotFmt {
				return WAV{}, wavErr(`"data" chunk before "fmt "`)
			}
			var pcm []byte
			var err error
			if size == 0xFFFFFFFF {
				// streamed WAV with an unknown length: read to the end
				pcm, err = readBounded(r, MaxWAVData)
			} else {
				if size > MaxWAVData {
					return WAV{}, wavErr("data chunk of %d bytes, more than %d", size, MaxWAVData)
				}
				pcm, err = readBounded(io.LimitReader(r, int64(size)), MaxWAVData)
				if err == nil && len(pcm) < int(size) {
					return WAV{}, wavErr("data chunk declares %d bytes, file holds %d", size, len(pcm))
				}
			}
			if err != nil {
				return WAV{}, wavErr("reading data: %v", err)
			}
			if len(pcm)%2 != 0 {
				return WAV{}, wavErr("data of %d bytes is not whole 16-bit samples", len(pcm))
			}
			w.PCM = pcm
			return w, nil
		default:
			if _, err := io.CopyN(io.Discard, r, int64(size)+int64(size%2)); err != nil {
				return WAV{}, wavErr("truncated %q chunk (%v)", id, err)
			}
		}
	}
}

// readBounded reads r to its end, refusing more than max bytes. It grows
// its buffer as bytes arrive, never by a declared length.
func readBounded(r io.Reader, max int) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, int64(max)+1))
	if err != nil {
		return nil, err
	}
	if len(b) > max {
		return nil, errors.New("audio too long")
	}
	return b, nil
}

// AppendWAV appends a WAV file holding pcm (16-bit mono LPCM at
// sampleRate) to dst.
func AppendWAV(dst []byte, pcm []byte, sampleRate int) []byte {
	le := binary.LittleEndian
	dst = append(dst, "RIFF"...)
	dst = le.AppendUint32(dst, uint32(36+len(pcm)))
	dst = append(dst, "WAVEfmt "...)
	dst = le.AppendUint32(dst, 16)
	dst = le.AppendUint16(dst, 1) // PCM
	dst = le.AppendUint16(dst, 1) // mono
	dst = le.AppendUint32(dst, uint32(sampleRate))
	dst = le.AppendUint32(dst, uint32(sampleRate*2)) // byte rate
	dst = le.AppendUint16(dst, 2)                    // block align
	dst = le.AppendUint16(dst, 16)                   // bits per sample
	dst = append(dst, "data"...)
	dst = le.AppendUint32(dst, uint32(len(pcm)))
	return append(dst, pcm...)
}

// WriteWAV writes pcm (16-bit mono LPCM at sampleRate) as a WAV file.
func WriteWAV(w io.Writer, pcm []byte, sampleRate int) error {
	if len(pcm)%2 != 0 {
		return errors.New("novasonic: WAV: PCM of an odd number of bytes is not 16-bit samples")
	}
	if sampleRate <= 0 {
		return errors.New("novasonic: WAV: sample rate must be positive")
	}
	if len(pcm) > 1<<32-64 {
		return errors.New("novasonic: WAV: audio too long for a WAV file")
	}
	_, err := w.Write(AppendWAV(make([]byte, 0, 44+len(pcm)), pcm, sampleRate))
	return err
}
