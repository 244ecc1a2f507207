//go:build race

package locale_test

const raceEnabled = true
