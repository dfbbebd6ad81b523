// Package benchfix is godiag's Go benchmark fixture: a small, CPU-bound function whose cost the
// gate test measures. Built with -tags slow it does 30% more rounds (a deliberate regression).
package benchfix

// Checksum mixes the bytes of data for Rounds rounds (FNV-1a style) and returns the hash.
func Checksum(data []byte) uint64 {
	h := uint64(14695981039346656037)
	for r := 0; r < Rounds; r++ {
		for _, b := range data {
			h ^= uint64(b)
			h *= 1099511628211
		}
	}
	return h
}
