//go:build unix

package testenv

import (
	"syscall"
	"time"
)

// CPUTime is the CPU time the process has used so far (user plus system;
// 0 where it is not available). Benchmarks report it next to wall time: on
// a machine shared with other jobs, wall time says more about the
// neighbours than about the code.
func CPUTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
