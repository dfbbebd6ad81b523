//go:build !slow

package benchfix

// Rounds is the work per call of the normal build.
const Rounds = 10
