package blocks

import "testing"

// Silent: a test that leaks a goroutine on purpose, to see a leak detector find it.
func TestLeakDetector(t *testing.T) {
	go func() {
		select {}
	}()
}
