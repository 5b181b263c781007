package sim_test

import (
	"context"
	"fmt"
	"runtime"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/vsssim/vsssim/fakewriter"
	"github.com/vsssim/vsssim/requestor"
	"github.com/vsssim/vsssim/requestor/vss"
	"github.com/vsssim/vsssim/sim"
)

// heapAfterGC is the live heap after a full collection.
func heapAfterGC() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// longLivedBackups runs n complete backups, one after the other, on c.
func longLivedBackups(t testing.TB, c *sim.Coordinator, n int) {
	t.Helper()
	plan := requestor.BackupPlan{Volumes: []string{`C:\`}, SelectAll: true}
	for i := 0; i < n; i++ {
		if _, err := requestor.RunBackup(context.Background(), requestor.NewSim(c), plan); err != nil {
			t.Fatal(err)
		}
	}
}

// quietWriter declares one component and keeps no log (a
// fakewriter.Writer records every delivery, which grows by design).
type quietWriter struct {
	sim.BaseWriter
	name string
}

func (q *quietWriter) OnIdentify(ctx *sim.WriterContext, md *vss.CreateWriterMetadata) bool {
	return fakewriter.New(q.name).OnIdentify(ctx, md)
}

func quietWriters(t testing.TB, c *sim.Coordinator, n int) {
	t.Helper()
	for i := 0; i < n; i++ {
		name := fmt.Sprintf("Quiet %d", i)
		_, err := c.Subscribe(&quietWriter{name: name}, fakewriter.New(name).Config)
		require.NoError(t, err)
	}
}

// A coordinator that runs backup after backup does not grow (issue 9:
// snapshot sets were never pruned and shadow copies kept their object
// alive, about 17 KB a backup). The trace is off: with it on, the trace is
// the record of every call and grows by design.
func TestLongLivedCoordinatorHeapIsFlat(t *testing.T) {
	total := 20000
	if raceEnabled || testing.Short() {
		total = 3000
	}
	opts := sim.DefaultOptions()
	opts.Trace = false
	c := sim.New(opts)
	quietWriters(t, c, 3)
	longLivedBackups(t, c, 500) // warm up (pools, maps at their size)
	before := heapAfterGC()
	longLivedBackups(t, c, total-500)
	after := heapAfterGC()
	growth := int64(after) - int64(before)
	t.Logf("heap %d -> %d bytes across %d backups (%+d bytes, %.1f bytes a backup)", before, after, total-500, growth, float64(growth)/float64(total-500))
	require.Less(t, growth, int64(256<<10), "the heap grows with the number of backups")
	require.Empty(t, c.ShadowCopies())
}

// BenchmarkLongLivedCoordinator runs backup after backup on one
// coordinator (trace off, 3 writers) and reports the live heap growth per
// backup: flat means 0 within noise.
func BenchmarkLongLivedCoordinator(b *testing.B) {
	opts := sim.DefaultOptions()
	opts.Trace = false
	c := sim.New(opts)
	quietWriters(b, c, 3)
	longLivedBackups(b, c, 100)
	before := heapAfterGC()
	b.ResetTimer()
	longLivedBackups(b, c, b.N)
	b.StopTimer()
	b.ReportMetric(float64(int64(heapAfterGC())-int64(before))/float64(b.N), "heap-B/backup")
}
