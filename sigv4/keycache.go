package sigv4

import (
	"sync"
	"sync/atomic"
)

// maxCachedKeys bounds the derived-key cache; past it the cache starts over.
// A process signs with a handful of (key, date, region, service) tuples.
const maxCachedKeys = 64

// keyID identifies one derived signing key.
type keyID struct {
	accessKeyID string
	date        [8]byte // YYYYMMDD
	region      string
	service     string
}

// derivedKey is one cache entry. The secret is kept to detect a rotated
// secret under an unchanged access key ID.
type derivedKey struct {
	id     keyID
	secret string
	key    hmacKey
}

// keyCache caches derived signing keys. The zero value is ready; it is safe
// for concurrent use.
type keyCache struct {
	last atomic.Pointer[derivedKey] // most recently used entry: the fast path
	mu   sync.Mutex
	keys map[keyID]*derivedKey

	// token is the last session token found verbatim (see
	// isVerbatimValue): a process signs many requests with one token.
	token atomic.Pointer[string]
}

// verbatimToken reports whether tok can stand in a canonical request as it
// is, scanning it only when it is not the token last seen.
func (c *keyCache) verbatimToken(tok string) bool {
	if p := c.token.Load(); p != nil && *p == tok {
		return true
	}
	if !isVerbatimValue(tok) {
		return false
	}
	seen := tok // only a miss puts a copy of the header on the heap
	c.token.Store(&seen)
	return true
}

// get returns the signing key for the tuple, deriving it on a miss. Only
// valid scopes enter the cache, so a hit needs no check.
func (c *keyCache) get(secret string, id *keyID) (*hmacKey, error) {
	if e := c.last.Load(); e != nil && e.id == *id && e.secret == secret {
		return &e.key, nil
	}
	if err := validScope(id); err != nil {
		return nil, err
	}
	c.mu.Lock()
	e := c.keys[*id]
	if e == nil || e.secret != secret {
		e = &derivedKey{id: *id, secret: secret, key: deriveSigningKey(secret, id)}
		if c.keys == nil || len(c.keys) >= maxCachedKeys {
			c.keys = make(map[keyID]*derivedKey)
		}
		c.keys[*id] = e
	}
	c.mu.Unlock()
	c.last.Store(e)
	return &e.key, nil
}

// deriveSigningKey computes
// HMAC(HMAC(HMAC(HMAC("AWS4"+secret, date), region), service), "aws4_request").
func deriveSigningKey(secret string, id *keyID) hmacKey {
	k := make([]byte, 0, 4+len(secret))
	k = append(k, "AWS4"...)
	k = append(k, secret...)
	kDate := hmacSHA256(k, string(id.date[:]))
	kRegion := hmacSHA256(kDate[:], id.region)
	kService := hmacSHA256(kRegion[:], id.service)
	kSigning := hmacSHA256(kService[:], "aws4_request")
	return newHMACKey(kSigning[:]).withMidstates()
}
