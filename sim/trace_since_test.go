package sim_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/vsssim/vsssim/sim"
)

// TraceSince(k) is Trace().Entries() without the entries recorded before
// k, for every k, and TraceLen is Trace().Len().
func TestTraceSince(t *testing.T) {
	c := sim.New(sim.DefaultOptions())
	newWriters(t, c, 200) // enough events to fill several trace chunks
	o := c.NewBackupComponents()
	backupTo(t, o, "BackupComplete")
	all := c.Trace().Entries()
	if len(all) < 5000 {
		t.Fatalf("only %d trace entries: the test needs several chunks", len(all))
	}
	if c.TraceLen() != c.Trace().Len() || c.TraceLen() != len(all) {
		t.Fatalf("TraceLen %d, Trace().Len() %d, entries %d", c.TraceLen(), c.Trace().Len(), len(all))
	}
	for _, k := range []int{0, 1, 63, 64, 65, 191, 192, 1000, 4095, 4096, len(all) - 1, len(all), len(all) + 10} {
		var want []sim.Entry
		for _, e := range all {
			if e.Seq >= k {
				want = append(want, e)
			}
		}
		if d := cmp.Diff(want, c.TraceSince(k), cmpopts.IgnoreUnexported(sim.Entry{}), cmpopts.EquateEmpty()); d != "" {
			t.Errorf("TraceSince(%d) (-want +got):\n%s", k, d)
		}
	}
}
