package sim_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/vsssim/vsssim/fakewriter"
	"github.com/vsssim/vsssim/requestor/vss"
	"github.com/vsssim/vsssim/sim"
)

// AbortBackup while PrepareForBackup is still running interrupts it (its
// IVssAsync ends VSS_S_ASYNC_CANCELLED rather than being run to
// VSS_S_ASYNC_FINISHED first), the writers get Abort, and the system-wide
// creation slot is free again. (Found by TestModelReferenceSequences.)
func TestAbortBackupInterruptsPendingPrepare(t *testing.T) {
	c := sim.NewDefault()
	w := fakewriter.New("Slow").On(sim.EventPrepareForBackup, fakewriter.Behavior{Latency: time.Second})
	_, err := w.Subscribe(c)
	require.NoError(t, err)
	o := c.NewBackupComponents()
	backupTo(t, o, "AddToSnapshotSet")
	a, err := o.PrepareForBackup()
	require.NoError(t, err)
	require.NoError(t, o.AbortBackup())
	st, err := a.QueryStatus()
	require.NoError(t, err)
	require.Equal(t, vss.VSS_S_ASYNC_CANCELLED, st)
	require.Contains(t, w.Events(), sim.EventAbort)
	other := c.NewBackupComponents()
	require.NoError(t, other.InitializeForBackup(""))
	_, err = other.StartSnapshotSet()
	require.NoError(t, err, "AbortBackup frees the creation slot")
	require.NoError(t, other.Release())
	require.NoError(t, o.Release())
}
