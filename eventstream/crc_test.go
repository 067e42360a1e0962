package eventstream

import (
	"encoding/binary"
	"hash/crc32"
	"math/rand/v2"
	"testing"
)

// TestPreludeCRC holds the 8-byte CRC to hash/crc32 on the spec vectors'
// preludes, edge values and random inputs.
func TestPreludeCRC(t *testing.T) {
	inputs := [][]byte{
		{0, 0, 0, 0x10, 0, 0, 0, 0},    // aws-c-empty: 05c248eb
		{0, 0, 0, 0x3d, 0, 0, 0, 0x20}, // aws-c-header: 07fd8396
		{0, 0, 0, 0, 0, 0, 0, 0},
		{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff},
	}
	rng := rand.New(rand.NewPCG(5, 6))
	for range 10000 {
		inputs = append(inputs, binary.BigEndian.AppendUint64(nil, rng.Uint64()))
	}
	if got := preludeCRC(inputs[0]); got != 0x05c248eb {
		t.Errorf("aws-c-empty prelude CRC = %08x, want 05c248eb", got)
	}
	if got := preludeCRC(inputs[1]); got != 0x07fd8396 {
		t.Errorf("aws-c-header prelude CRC = %08x, want 07fd8396", got)
	}
	for _, p := range inputs {
		if got, want := preludeCRC(p), crc32.ChecksumIEEE(p); got != want {
			t.Fatalf("preludeCRC(%x) = %08x, want %08x", p, got, want)
		}
	}
}
