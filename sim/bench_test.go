package sim_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/vsssim/vsssim/fakewriter"
	"github.com/vsssim/vsssim/internal/testenv"
	"github.com/vsssim/vsssim/requestor"
	"github.com/vsssim/vsssim/requestor/vss"
	"github.com/vsssim/vsssim/sim"
)

// BenchmarkBackup runs the full documented sequence (requestor.RunBackup:
// Initialize ... BackupComplete, GatherWriterStatus three times, Release)
// with n writers in component mode, trace on. Set-up (the coordinator and
// the writers' subscriptions) is outside the timer. ns/writer is the cost
// per writer (cpu-ns/writer the CPU time, all threads). The model is linear
// in writers: from 100 to 100,000 writers the series is flat; at 10 writers
// a fixed cost of the eight event rounds (about 0.3 ms a backup) still
// shows (issue 9 asked for 1.5x from 10 writers: not met).
func BenchmarkBackup(b *testing.B) {
	for _, n := range []int{10, 100, 1000, 10000, 100000} {
		b.Run(fmt.Sprintf("writers=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			var spent, cpu time.Duration
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				c := sim.NewDefault()
				for j := 0; j < n; j++ {
					w := fakewriter.New(fmt.Sprintf("Writer %06d", j))
					if _, err := w.Subscribe(c); err != nil {
						b.Fatal(err)
					}
				}
				b.StartTimer()
				start, cpu0 := time.Now(), testenv.CPUTime()
				_, err := requestor.RunBackup(context.Background(), requestor.NewSim(c),
					requestor.BackupPlan{Volumes: []string{`C:\`}, SelectAll: true})
				spent += time.Since(start)
				cpu += testenv.CPUTime() - cpu0
				if err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(spent.Nanoseconds())/float64(b.N*n), "ns/writer")
			if cpu > 0 {
				// CPU time (all threads, GC included): what a loaded
				// machine does not inflate.
				b.ReportMetric(float64(cpu.Nanoseconds())/float64(b.N*n), "cpu-ns/writer")
			}
		})
	}
}

// BenchmarkFreezeTimeout waits out a 60 s freeze timeout (DoSnapshotSet to
// its failed end) on the virtual clock.
func BenchmarkFreezeTimeout(b *testing.B) {
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		_, o, _ := freezeTimeoutScenario(b)
		b.StartTimer()
		a, err := o.DoSnapshotSet()
		if err != nil {
			b.Fatal(err)
		}
		if err := a.Wait(-1); err != nil {
			b.Fatal(err)
		}
		if st, _ := a.QueryStatus(); st != vss.VSS_E_WRITERERROR_TIMEOUT {
			b.Fatal(st)
		}
		if o.Coordinator().Now() != 60*time.Second {
			b.Fatal(o.Coordinator().Now())
		}
	}
}
