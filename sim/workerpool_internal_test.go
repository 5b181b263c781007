package sim

import (
	"runtime"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// The pool hands a job to an idle goroutine instead of starting one, and an
// idle goroutine exits after workerIdle (nothing is left running).
func TestWorkerPoolReusesAndRetires(t *testing.T) {
	before := runtime.NumGoroutine()
	p := workerPool{jobs: make(chan func(uint64))}
	ids := make(chan uint64)
	job := func(g uint64) { ids <- g }
	p.run(job)
	first := <-ids
	require.NotZero(t, first)
	// Wait until the goroutine is idle (parked on p.jobs), then hand it the
	// next job: the same goroutine runs it.
	deadline := time.Now().Add(5 * time.Second)
	for {
		select {
		case p.jobs <- job:
			require.Equal(t, first, <-ids, "an idle goroutine takes the next job")
			goto retire
		default:
		}
		require.True(t, time.Now().Before(deadline), "the goroutine never became idle")
		time.Sleep(time.Millisecond) // the test waits for the goroutine; the pool itself never sleeps
	}
retire:
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	require.LessOrEqual(t, runtime.NumGoroutine(), before, "an idle goroutine exits after workerIdle")
}

// A job that ends its goroutine (runtime.Goexit) does not break the pool:
// the next job runs on a new goroutine.
func TestWorkerPoolGoexit(t *testing.T) {
	p := workerPool{jobs: make(chan func(uint64))}
	done := make(chan uint64)
	p.run(func(g uint64) {
		defer func() { done <- g }()
		runtime.Goexit()
	})
	first := <-done
	p.run(func(g uint64) { done <- g })
	require.NotEqual(t, first, <-done)
}
