// Package auth signs users in to the back office: password hashing (argon2id), random tokens
// and their hashes, sessions held in the database, protection of forms against cross-site
// requests, and the rate limit of sign-in attempts, counted in the database so that it holds
// across every instance of a site.
package auth

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
)

// Params are argon2id's parameters. Hashes record the parameters they were made with, so
// changing Current changes only new hashes, and each older one is replaced by a new one the
// next time its user signs in (see Verify's rehash).
type Params struct {
	Memory  uint32 // KiB
	Time    uint32 // passes over the memory
	Threads uint8
	SaltLen uint32 // bytes
	KeyLen  uint32 // bytes
}

// Current are the parameters of every new hash: OWASP's first recommendation for argon2id
// (19 MiB, 2 passes, 1 thread), about 40 ms on one core of a small server. Memory is what
// makes guessing on graphics cards expensive; one thread keeps a sign-in from taking the
// whole machine. Raise Memory first when the hardware allows.
var Current = Params{Memory: 19 * 1024, Time: 2, Threads: 1, SaltLen: 16, KeyLen: 32}

// Password limits: long enough to resist guessing whatever the rate limit, short enough that
// hashing it is cheap.
const (
	MinPasswordLen = 12   // characters
	MaxPasswordLen = 1024 // bytes
)

// ErrPasswordTooShort and ErrPasswordTooLong are what CheckPassword says of a new password.
var (
	ErrPasswordTooShort = fmt.Errorf("a password needs at least %d characters", MinPasswordLen)
	ErrPasswordTooLong  = fmt.Errorf("a password may have at most %d bytes", MaxPasswordLen)
)

// CheckPassword says whether a new password may be used.
func CheckPassword(pw string) error {
	switch {
	case len(pw) > MaxPasswordLen:
		return ErrPasswordTooLong
	case utf8.RuneCountInString(pw) < MinPasswordLen:
		return ErrPasswordTooShort
	}
	return nil
}

// Hash returns pw hashed with p, in the PHC string format:
// $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>, salt and hash in unpadded base64.
func (p Params) Hash(pw string) (string, error) {
	salt := make([]byte, p.SaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("hash password: %w", err)
	}
	key := argon2.IDKey([]byte(pw), salt, p.Time, p.Memory, p.Threads, p.KeyLen)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, p.Memory, p.Time, p.Threads,
		b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

var b64 = base64.RawStdEncoding

var errMalformed = errors.New("malformed password hash")

// parse reads a PHC string's parameters, salt and key.
func parse(phc string) (p Params, salt, key []byte, err error) {
	f := strings.Split(phc, "$")
	if len(f) != 6 || f[0] != "" || f[1] != "argon2id" || f[2] != fmt.Sprintf("v=%d", argon2.Version) {
		return p, nil, nil, errMalformed
	}
	var threads uint32
	if _, err := fmt.Sscanf(f[3], "m=%d,t=%d,p=%d", &p.Memory, &p.Time, &threads); err != nil || threads == 0 || threads > 255 || p.Time == 0 {
		return p, nil, nil, errMalformed
	}
	p.Threads = uint8(threads)
	if salt, err = b64.DecodeString(f[4]); err != nil {
		return p, nil, nil, errMalformed
	}
	if key, err = b64.DecodeString(f[5]); err != nil || len(key) == 0 {
		return p, nil, nil, errMalformed
	}
	p.SaltLen, p.KeyLen = uint32(len(salt)), uint32(len(key))
	return p, salt, key, nil
}

// Verify reports whether pw matches the hash phc, comparing in constant time, and whether the
// hash should be replaced because it was made with other parameters than p.
func (p Params) Verify(phc, pw string) (ok, rehash bool, err error) {
	hp, salt, key, err := parse(phc)
	if err != nil {
		return false, false, err
	}
	if len(pw) > MaxPasswordLen {
		return false, false, nil
	}
	got := argon2.IDKey([]byte(pw), salt, hp.Time, hp.Memory, hp.Threads, hp.KeyLen)
	ok = subtle.ConstantTimeCompare(got, key) == 1
	return ok, ok && hp != p, nil
}
