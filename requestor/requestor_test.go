package requestor_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/vsssim/vsssim/fakewriter"
	"github.com/vsssim/vsssim/requestor"
	"github.com/vsssim/vsssim/requestor/vss"
	"github.com/vsssim/vsssim/sim"
)

func subscribe(t testing.TB, c *sim.Coordinator, ws ...*fakewriter.Writer) {
	t.Helper()
	for _, w := range ws {
		_, err := w.Subscribe(c)
		require.NoError(t, err)
	}
}

// The README's example, kept honest.
func TestReadmeExample(t *testing.T) {
	c := sim.NewDefault()
	sql := fakewriter.New("SqlServerWriter").On(sim.EventFreeze, fakewriter.Retryable(1))
	_, err := sql.Subscribe(c)
	require.NoError(t, err)

	bc := requestor.NewSim(c)
	_, err = requestor.RunBackup(context.Background(), bc, requestor.BackupPlan{
		Volumes: []string{`C:\`}, SelectAll: true,
	})
	require.ErrorIs(t, err, vss.VSS_E_WRITERERROR_RETRYABLE)
	require.Contains(t, c.Trace().String(), "call   AbortBackup()", "RunBackup aborts after a failed DoSnapshotSet")
	require.Empty(t, c.ShadowCopies())
}

func TestRunBackup(t *testing.T) {
	c := sim.NewDefault()
	c.AddVolume(sim.Volume{Name: `D:\`})
	a, b := fakewriter.New("A"), fakewriter.New("B")
	subscribe(t, c, a, b)
	res, err := requestor.RunBackup(context.Background(), requestor.NewSim(c), requestor.BackupPlan{
		Volumes: []string{`C:\`, `D:\`}, SelectAll: true})
	require.NoError(t, err)
	require.Len(t, res.Snapshots, 2)
	require.False(t, res.SnapshotSetID.IsNull())
	require.Equal(t, res.SnapshotSetID, res.Snapshots[0].SnapshotSetID)
	require.Len(t, res.Status, 2)
	require.Contains(t, res.BCD, `backupSucceeded="yes"`)
	require.Empty(t, c.ShadowCopies(), "released")
	require.Len(t, a.Events(), 8)
}

func TestRunBackupWriterFailure(t *testing.T) {
	c := sim.NewDefault()
	w := fakewriter.New("A").On(sim.EventPrepareForBackup, fakewriter.NonRetryable())
	subscribe(t, c, w)
	_, err := requestor.RunBackup(context.Background(), requestor.NewSim(c), requestor.BackupPlan{Volumes: []string{`C:\`}, SelectAll: true})
	require.ErrorIs(t, err, requestor.ErrWriterFailed)
	require.Contains(t, err.Error(), "VSS_WS_FAILED_AT_PREPARE_BACKUP")
	// AbortBackup reaches every writer not past PostSnapshot, the failed one
	// included (REFERENCE §2.1 abort path).
	require.Equal(t, []sim.Event{sim.EventIdentify, sim.EventPrepareForBackup, sim.EventAbort, sim.EventBackupShutdown}, w.Events())

	c = sim.NewDefault()
	w = fakewriter.New("A").On(sim.EventPrepareForBackup, fakewriter.NonRetryable())
	subscribe(t, c, w, fakewriter.New("B"))
	res, err := requestor.RunBackup(context.Background(), requestor.NewSim(c), requestor.BackupPlan{
		Volumes: []string{`C:\`}, SelectAll: true, IgnoreWriterFailures: true})
	require.NoError(t, err)
	require.Equal(t, vss.VSS_WS_FAILED_AT_PREPARE_BACKUP, res.Status[0].State)
	require.Equal(t, vss.VSS_WS_STABLE, res.Status[1].State)
}

func TestRunBackupNonWriterContext(t *testing.T) {
	c := sim.NewDefault()
	w := fakewriter.New("A")
	subscribe(t, c, w)
	res, err := requestor.RunBackup(context.Background(), requestor.NewSim(c), requestor.BackupPlan{
		Volumes: []string{`C:\`}, Context: vss.VSS_CTX_NAS_ROLLBACK})
	require.NoError(t, err)
	require.Len(t, res.Snapshots, 1)
	require.Empty(t, w.Events())
	require.Len(t, c.ShadowCopies(), 1, "NAS_ROLLBACK shadow copies are persistent")
}

// Wait: a context deadline cancels the operation (restic's and breeze's
// behaviour) and the writers get Abort.
func TestWaitHonoursContext(t *testing.T) {
	c := sim.NewDefault()
	w := fakewriter.New("Slow").On(sim.EventPrepareForBackup, fakewriter.Behavior{Latency: time.Hour})
	subscribe(t, c, w)
	bc := requestor.NewSim(c)
	require.NoError(t, bc.InitializeForBackup(""))
	require.NoError(t, bc.SetBackupState(false, false, vss.VSS_BT_FULL, false))
	a, err := bc.GatherWriterMetadata()
	require.NoError(t, err)
	require.NoError(t, requestor.Wait(context.Background(), a, 0))
	_, err = bc.StartSnapshotSet()
	require.NoError(t, err)
	a, err = bc.PrepareForBackup()
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err = requestor.Wait(ctx, a, time.Second)
	require.ErrorIs(t, err, context.Canceled)
	st, err := a.QueryStatus()
	require.NoError(t, err)
	require.Equal(t, vss.VSS_S_ASYNC_CANCELLED, st)
	require.ErrorIs(t, requestor.Wait(context.Background(), a, 0), requestor.ErrCancelled)
	require.NoError(t, bc.AbortBackup())
	require.NoError(t, bc.Release())
	require.Equal(t, []sim.Event{sim.EventIdentify, sim.EventPrepareForBackup, sim.EventAbort, sim.EventBackupShutdown}, w.Events())
	require.Equal(t, 3*time.Minute, c.Now(), "VSS waited for the writer (up to Options.EventTimeout) before aborting it")
}

func TestWaitResults(t *testing.T) {
	c := sim.NewDefault()
	bc := requestor.NewSim(c)
	require.NoError(t, bc.InitializeForBackup(""))
	require.NoError(t, c.InjectFault(sim.Fault{Method: "GatherWriterMetadata", HR: vss.VSS_E_WRITER_INFRASTRUCTURE, Async: true}))
	a, err := bc.GatherWriterMetadata()
	require.NoError(t, err)
	err = requestor.Wait(context.Background(), a, 0)
	require.ErrorIs(t, err, vss.VSS_E_WRITER_INFRASTRUCTURE)
	var hr vss.HRESULT
	require.True(t, errors.As(err, &hr))
}
