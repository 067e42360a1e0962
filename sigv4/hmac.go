package sigv4

import "crypto/sha256"

// hmacKey is an HMAC-SHA256 key prepared as its inner and outer pad blocks,
// so that a MAC is two calls of sha256.Sum256 and no allocation.
type hmacKey struct {
	ipad, opad [sha256.BlockSize]byte
}

func newHMACKey(key []byte) hmacKey {
	var k hmacKey
	if len(key) > sha256.BlockSize {
		sum := sha256.Sum256(key)
		key = sum[:]
	}
	copy(k.ipad[:], key)
	copy(k.opad[:], key)
	for i := range k.ipad {
		k.ipad[i] ^= 0x36
		k.opad[i] ^= 0x5c
	}
	return k
}

// sumPrefixed returns HMAC over buf[sha256.BlockSize:]: the caller reserves
// the first block of buf, which sumPrefixed overwrites with the inner pad.
// This keeps the message and the pad contiguous for one sha256.Sum256.
func (k *hmacKey) sumPrefixed(buf []byte) [sha256.Size]byte {
	copy(buf, k.ipad[:])
	inner := sha256.Sum256(buf)
	var outer [sha256.BlockSize + sha256.Size]byte
	copy(outer[:], k.opad[:])
	copy(outer[sha256.BlockSize:], inner[:])
	return sha256.Sum256(outer[:])
}

// hmacSHA256 returns HMAC-SHA256(key, msg) for short messages (the steps of
// the key derivation).
func hmacSHA256(key []byte, msg string) [sha256.Size]byte {
	k := newHMACKey(key)
	var stack [sha256.BlockSize + 64]byte
	buf := append(stack[:sha256.BlockSize], msg...)
	return k.sumPrefixed(buf)
}
