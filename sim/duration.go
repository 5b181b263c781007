package sim

import (
	"math"
	"time"
)

// Virtual time saturates instead of wrapping: a duration near
// math.MaxInt64 (time.Duration's 292 years), such as an option set to
// "2562047h47m", must not turn a deadline into the past.

// never is the end of virtual time, where saturated sums stop.
const never = time.Duration(math.MaxInt64)

// satAdd is a+b clamped to the range of time.Duration.
func satAdd(a, b time.Duration) time.Duration {
	s := a + b
	switch {
	case b > 0 && s < a:
		return never
	case b < 0 && s > a:
		return time.Duration(math.MinInt64)
	}
	return s
}
