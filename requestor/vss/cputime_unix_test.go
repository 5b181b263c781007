//go:build unix

package vss

import (
	"syscall"
	"time"
)

// cpuTime is the CPU time the test process has used (user and system).
// Benchmarks report it next to wall time: on a machine shared with other
// jobs, wall time says more about the neighbours than about the code.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
