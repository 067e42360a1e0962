package eventstream

import (
	"encoding/binary"
	"hash/crc32"
)

// The prelude CRC covers exactly 8 bytes. hash/crc32 is fast on long
// inputs but pays a dispatch on every call, which dominates for 8 bytes, so
// the prelude CRC is computed here in one slicing-by-8 step: eight
// independent table lookups. Longer inputs go to hash/crc32.

// preludeTables[k][b] is the CRC-32 (IEEE, reflected) state contribution of
// byte b followed by k zero bytes.
var preludeTables = func() (t [8][256]uint32) {
	for i := range 256 {
		crc := uint32(i)
		for range 8 {
			if crc&1 != 0 {
				crc = crc>>1 ^ crc32.IEEE
			} else {
				crc >>= 1
			}
		}
		t[0][i] = crc
	}
	for i := range 256 {
		crc := t[0][i]
		for k := 1; k < 8; k++ {
			crc = t[0][crc&0xff] ^ crc>>8
			t[k][i] = crc
		}
	}
	return t
}()

// preludeCRC returns crc32.ChecksumIEEE(p[:8]).
func preludeCRC(p []byte) uint32 {
	_ = p[7]
	x := ^binary.LittleEndian.Uint32(p)
	y := binary.LittleEndian.Uint32(p[4:])
	return ^(preludeTables[7][x&0xff] ^ preludeTables[6][x>>8&0xff] ^
		preludeTables[5][x>>16&0xff] ^ preludeTables[4][x>>24] ^
		preludeTables[3][y&0xff] ^ preludeTables[2][y>>8&0xff] ^
		preludeTables[1][y>>16&0xff] ^ preludeTables[0][y>>24])
}
