package ticker

import (
	"testing"
	"time"
)

// Silent: a test's ticker ends with the test.
func TestPoll(t *testing.T) {
	tick := time.NewTicker(time.Millisecond)
	for i := 0; i < 3; i++ {
		<-tick.C
	}
}
