package benchfix

import "testing"

var sink uint64

func BenchmarkChecksum(b *testing.B) {
	data := make([]byte, 4096)
	for i := range data {
		data[i] = byte(i * 7)
	}
	b.SetBytes(int64(len(data)))
	for i := 0; i < b.N; i++ {
		sink += Checksum(data)
	}
	// the work per call as a count, the same on every machine: what a test can gate on without a
	// quiet machine (sec/op and B/s are timings, and noise on a busy one)
	b.ReportMetric(Rounds, "rounds/op")
}
