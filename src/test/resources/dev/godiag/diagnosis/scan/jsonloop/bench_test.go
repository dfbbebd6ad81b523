package jsonloop

import (
	"encoding/json"
	"testing"
)

// a benchmark's loop repeats its body to measure it: not a finding
func BenchmarkMarshal(b *testing.B) {
	e := event{Name: "x", N: 1}
	for i := 0; i < b.N; i++ {
		if _, err := json.Marshal(e); err != nil {
			b.Fatal(err)
		}
	}
	for b.Loop() {
		_, _ = json.Marshal(e)
	}
	for range b.N {
		_, _ = json.Marshal(e)
	}
}

// a test's loop over cases is not a benchmark
func TestRoundTrip(t *testing.T) {
	for _, e := range []event{{Name: "a"}, {Name: "b"}} {
		b, err := json.Marshal(e) // want "json.Marshal encodes through reflection on every iteration of the loop at line 26"
		if err != nil {
			t.Fatal(err)
		}
		_ = b
	}
}
