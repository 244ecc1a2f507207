package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
)

// NewToken returns 32 random bytes in URL-safe base64: a session's cookie, a form's CSRF token,
// an API token, a mailed link's secret.
func NewToken() string {
	b := make([]byte, 32)
	rand.Read(b) // never fails (crypto/rand panics rather than return weak bytes)
	return base64.RawURLEncoding.EncodeToString(b)
}

// HashToken is what the database keeps of a token: its SHA-256, in hex. A token has 256 random
// bits, so a fast hash is enough; what matters is that a copy of the database holds nothing
// that signs anyone in.
func HashToken(tok string) string {
	h := sha256.Sum256([]byte(tok))
	return hex.EncodeToString(h[:])
}

// SameToken compares two tokens in constant time; an empty token matches nothing.
func SameToken(a, b string) bool {
	return a != "" && subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1
}
