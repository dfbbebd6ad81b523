//go:build slow

package benchfix

// Rounds is the work per call of the slow build: 30% more than the normal one.
const Rounds = 13
