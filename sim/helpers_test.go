package sim_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/vsssim/vsssim/fakewriter"
	"github.com/vsssim/vsssim/requestor"
	"github.com/vsssim/vsssim/requestor/vss"
	"github.com/vsssim/vsssim/sim"
)

// newWriters subscribes n fake writers named "Writer 01".. to c.
func newWriters(t testing.TB, c *sim.Coordinator, n int) []*fakewriter.Writer {
	t.Helper()
	ws := make([]*fakewriter.Writer, n)
	for i := range ws {
		ws[i] = fakewriter.New(fmt.Sprintf("Writer %02d", i+1))
		_, err := ws[i].Subscribe(c)
		require.NoError(t, err)
	}
	return ws
}

// wait starts an async call, waits for it with INFINITE and returns the
// final status.
func wait(t testing.TB, call func() (vss.Async, error)) vss.HRESULT {
	t.Helper()
	a, err := call()
	require.NoError(t, err)
	require.NoError(t, a.Wait(requestor.INFINITE))
	st, err := a.QueryStatus()
	require.NoError(t, err)
	return st
}

// mustFinish waits for a and requires VSS_S_ASYNC_FINISHED.
func mustFinish(t testing.TB, call func() (vss.Async, error)) {
	t.Helper()
	st := wait(t, call)
	require.Equal(t, vss.VSS_S_ASYNC_FINISHED, st, "async status")
}

// requireHR requires err to carry hr.
func requireHR(t testing.TB, hr vss.HRESULT, err error) {
	t.Helper()
	require.Equal(t, hr.String(), vss.Code(err).String(), "error: %v", err)
}

// requireBadState requires a VSS_E_BAD_STATE naming rule.
func requireBadState(t testing.TB, rule string, err error) {
	t.Helper()
	requireHR(t, vss.VSS_E_BAD_STATE, err)
	var ve *vss.Error
	require.True(t, errors.As(err, &ve), "not a *vss.Error: %v", err)
	require.Equal(t, rule, ve.Rule, "rule of %v", err)
	require.NotEmpty(t, ve.Expected, "BAD_STATE must say what was expected: %v", err)
}

// backupTo drives o through the documented sequence up to and including
// the named step, selecting every writer's components.
func backupTo(t testing.TB, o *sim.BackupComponents, step string, volumes ...string) {
	t.Helper()
	if len(volumes) == 0 {
		volumes = []string{`C:\`}
	}
	steps := []string{"InitializeForBackup", "SetBackupState", "GatherWriterMetadata", "AddComponent",
		"StartSnapshotSet", "AddToSnapshotSet", "PrepareForBackup", "DoSnapshotSet", "SetBackupSucceeded", "BackupComplete"}
	found := false
	for _, s := range steps {
		if s == step {
			found = true
		}
	}
	require.True(t, found, "unknown step %q", step)
	var added [][2]vss.ID
	var comps []vss.ComponentInfo
	for _, s := range steps {
		switch s {
		case "InitializeForBackup":
			require.NoError(t, o.InitializeForBackup(""))
		case "SetBackupState":
			require.NoError(t, o.SetBackupState(true, false, vss.VSS_BT_FULL, false))
		case "GatherWriterMetadata":
			mustFinish(t, o.GatherWriterMetadata)
		case "AddComponent":
			n, err := o.GetWriterMetadataCount()
			require.NoError(t, err)
			for i := uint32(0); i < n; i++ {
				inst, md, err := o.GetWriterMetadata(i)
				require.NoError(t, err)
				for _, c := range md.Components {
					require.NoError(t, o.AddComponent(inst, md.Identity.WriterID, c.Type, c.LogicalPath, c.Name))
					added = append(added, [2]vss.ID{inst, md.Identity.WriterID})
					comps = append(comps, c)
				}
			}
		case "StartSnapshotSet":
			_, err := o.StartSnapshotSet()
			require.NoError(t, err)
		case "AddToSnapshotSet":
			for _, v := range volumes {
				_, err := o.AddToSnapshotSet(v, vss.ID{})
				require.NoError(t, err)
			}
		case "PrepareForBackup":
			mustFinish(t, o.PrepareForBackup)
		case "DoSnapshotSet":
			mustFinish(t, o.DoSnapshotSet)
		case "SetBackupSucceeded":
			for i, c := range comps {
				require.NoError(t, o.SetBackupSucceeded(added[i][0], added[i][1], c.Type, c.LogicalPath, c.Name, true))
			}
		case "BackupComplete":
			mustFinish(t, o.BackupComplete)
		}
		if s == step {
			return
		}
	}
}

// statuses gathers the writer status table.
func statuses(t testing.TB, o *sim.BackupComponents) []vss.WriterStatus {
	t.Helper()
	mustFinish(t, o.GatherWriterStatus)
	n, err := o.GetWriterStatusCount()
	require.NoError(t, err)
	out := make([]vss.WriterStatus, n)
	for i := range out {
		out[i], err = o.GetWriterStatusEx(uint32(i))
		require.NoError(t, err)
	}
	require.NoError(t, o.FreeWriterStatus())
	return out
}

// stateOf returns the named writer's state and failure.
func stateOf(t testing.TB, rows []vss.WriterStatus, name string) (vss.WriterState, vss.HRESULT) {
	t.Helper()
	for _, r := range rows {
		if r.Name == name {
			return r.State, r.Failure
		}
	}
	t.Fatalf("writer %q not in status %v", name, rows)
	return 0, 0
}

// savedBCD runs a component-mode backup of every writer of c on a separate
// object and returns its Backup Components Document.
func savedBCD(t testing.TB, c *sim.Coordinator) string {
	t.Helper()
	b := c.NewBackupComponents()
	backupTo(t, b, "SetBackupSucceeded")
	xml, err := b.SaveAsXML()
	require.NoError(t, err)
	mustFinish(t, b.BackupComplete)
	require.NoError(t, b.Release())
	return xml
}

// restoreTo drives a restore object through REFERENCE §2.2 up to and
// including step, selecting the first writer's "Data" component.
func restoreTo(t testing.TB, o *sim.BackupComponents, bcd, step string) {
	t.Helper()
	c := o.Coordinator()
	class := func() vss.ID {
		_, md, err := o.GetWriterMetadata(0)
		require.NoError(t, err)
		return md.Identity.WriterID
	}
	for _, s := range []string{"InitializeForRestore", "GatherWriterMetadata", "SetSelectedForRestore", "PreRestore", "SetFileRestoreStatus", "PostRestore"} {
		switch s {
		case "InitializeForRestore":
			require.NoError(t, o.InitializeForRestore(bcd))
		case "GatherWriterMetadata":
			mustFinish(t, o.GatherWriterMetadata)
		case "SetSelectedForRestore":
			require.NoError(t, o.SetSelectedForRestore(class(), vss.VSS_CT_FILEGROUP, "", "Data", true))
		case "PreRestore":
			mustFinish(t, o.PreRestore)
		case "SetFileRestoreStatus":
			require.NoError(t, o.SetFileRestoreStatus(class(), vss.VSS_CT_FILEGROUP, "", "Data", vss.VSS_RS_ALL))
		case "PostRestore":
			mustFinish(t, o.PostRestore)
		}
		_ = c
		if s == step {
			return
		}
	}
	t.Fatalf("unknown restore step %q", step)
}
