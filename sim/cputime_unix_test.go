//go:build unix

package sim_test

import (
	"syscall"
	"time"
)

// cpuTime is the process's user plus system CPU time so far (0 where it is
// not available): benchmarks report it next to wall time, which a loaded
// machine inflates.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
