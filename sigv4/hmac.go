package sigv4

import (
	"crypto/sha256"
	"encoding"
	"hash"
)

// hmacKey is a derived signing key prepared for HMAC-SHA256. Besides its
// inner and outer pad blocks it keeps the SHA-256 states reached after
// hashing each pad, so that a MAC resumes from them and hashes only the
// message: two blocks fewer per signature.
type hmacKey struct {
	ipad, opad   [sha256.BlockSize]byte
	inner, outer []byte // marshaled SHA-256 states after ipad and opad; nil if unavailable
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

// withMidstates returns k with the pad states computed.
func (k hmacKey) withMidstates() hmacKey {
	k.inner, k.outer = padState(k.ipad[:]), padState(k.opad[:])
	if k.inner == nil || k.outer == nil {
		k.inner, k.outer = nil, nil
	}
	return k
}

func padState(pad []byte) []byte {
	h := sha256.New()
	h.Write(pad)
	m, ok := h.(encoding.BinaryMarshaler)
	if !ok {
		return nil
	}
	st, err := m.MarshalBinary()
	if err != nil {
		return nil
	}
	return st
}

// hasher is a reusable SHA-256 whose state can be restored; it lives in the
// pooled scratch of a signature.
type hasher struct {
	h     hash.Hash
	state encoding.BinaryUnmarshaler // h's, nil if it cannot be restored
	sum   [sha256.Size]byte
}

func newHasher() hasher {
	h := sha256.New()
	u, _ := h.(encoding.BinaryUnmarshaler)
	return hasher{h: h, state: u}
}

// sum returns HMAC(k, buf[sha256.BlockSize:]). The caller reserves the first
// block of buf: when the pad states cannot be resumed, sum writes the inner
// pad there and hashes pad and message in one call.
func (k *hmacKey) sum(hs *hasher, buf []byte) [sha256.Size]byte {
	if k.inner == nil || hs.state == nil || hs.state.UnmarshalBinary(k.inner) != nil {
		return k.sumPrefixed(buf)
	}
	hs.h.Write(buf[sha256.BlockSize:])
	hs.h.Sum(hs.sum[:0])
	if hs.state.UnmarshalBinary(k.outer) != nil {
		return k.sumPrefixed(buf)
	}
	hs.h.Write(hs.sum[:])
	hs.h.Sum(hs.sum[:0])
	return hs.sum
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
