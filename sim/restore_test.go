package sim_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/vsssim/vsssim/fakewriter"
	"github.com/vsssim/vsssim/requestor/vss"
	"github.com/vsssim/vsssim/sim"
)

var sqlClass = vss.MustParseID("a65faa63-5ea8-4ebc-9dbd-a0c4db26912a")
var systemClass = vss.MustParseID("e8132975-6f93-4464-a53e-1050253ae220")

func presetCoordinator(t *testing.T) (*sim.Coordinator, map[string]*fakewriter.Writer) {
	t.Helper()
	ws, err := fakewriter.Presets("../testdata/writers")
	require.NoError(t, err)
	c := sim.NewDefault()
	c.AddVolume(sim.Volume{Name: `D:\`})
	c.AddVolume(sim.Volume{Name: `L:\`})
	byName := map[string]*fakewriter.Writer{}
	for _, w := range ws {
		_, err := w.Subscribe(c)
		require.NoError(t, err)
		byName[w.Config.Name] = w
	}
	return c, byName
}

// The round trip of REFERENCE §2.1 and §2.2: a backup with the preset
// writers, its BCD, and a restore of two components from it.
func TestBackupRestoreRoundTrip(t *testing.T) {
	c, ws := presetCoordinator(t)
	bcd := savedBCD(t, c)

	o := c.NewBackupComponents()
	require.NoError(t, o.InitializeForRestore(bcd))
	_, err := o.StartSnapshotSet()
	requireBadState(t, "§2.3#3", err)
	requireBadState(t, "§2.2 GatherWriterMetadata", o.SetSelectedForRestore(sqlClass, vss.VSS_CT_FILEGROUP, "SQLHOST01", "master", true))
	mustFinish(t, o.GatherWriterMetadata)
	n, err := o.GetWriterComponentsCount()
	require.NoError(t, err)
	require.Greater(t, n, uint32(1))
	require.NoError(t, o.SetRestoreState(vss.VSS_RTYPE_BY_COPY))
	require.NoError(t, o.SetSelectedForRestore(sqlClass, vss.VSS_CT_FILEGROUP, "SQLHOST01", "master", true))
	require.NoError(t, o.SetRestoreOptions(sqlClass, vss.VSS_CT_FILEGROUP, "SQLHOST01", "master", "WITH NORECOVERY"))
	requireHR(t, vss.VSS_E_OBJECT_NOT_FOUND, o.SetSelectedForRestore(sqlClass, vss.VSS_CT_FILEGROUP, "SQLHOST01", "nosuchdb", true))
	requireBadState(t, "§1.4 AddRestoreSubcomponent", o.AddRestoreSubcomponent(sqlClass, vss.VSS_CT_FILEGROUP, "SQLHOST01", "model", `SQLHOST01\model`, "part"))
	require.NoError(t, o.AddRestoreSubcomponent(sqlClass, vss.VSS_CT_FILEGROUP, "SQLHOST01", "master", `SQLHOST01\master`, "part"))
	require.NoError(t, o.SetSelectedForRestore(systemClass, vss.VSS_CT_FILEGROUP, "", "System Files", true))
	requireBadState(t, "§2.3#19", o.SetFileRestoreStatus(sqlClass, vss.VSS_CT_FILEGROUP, "SQLHOST01", "master", vss.VSS_RS_ALL))
	_, err = o.PostRestore()
	requireBadState(t, "§2.3#20", err)

	mustFinish(t, o.PreRestore)
	requireBadState(t, "§2.3#18", o.SetSelectedForRestore(sqlClass, vss.VSS_CT_FILEGROUP, "SQLHOST01", "model", true))
	require.NoError(t, o.SetFileRestoreStatus(sqlClass, vss.VSS_CT_FILEGROUP, "SQLHOST01", "master", vss.VSS_RS_ALL))
	require.NoError(t, o.AddAlternativeLocationMapping(sqlClass, vss.VSS_CT_FILEGROUP, "SQLHOST01", "master", `c:\sql`, "*.mdf", false, `d:\restored`))
	requireHR(t, vss.E_INVALIDARG, o.SetRangesFilePath(sqlClass, vss.VSS_CT_FILEGROUP, "SQLHOST01", "master", 0, `d:\ranges`))
	mustFinish(t, o.PostRestore)
	requireBadState(t, "§2.3#22", o.SetFileRestoreStatus(sqlClass, vss.VSS_CT_FILEGROUP, "SQLHOST01", "master", vss.VSS_RS_ALL))
	require.NoError(t, o.AbortBackup(), "AbortBackup on a restore object is a no-op (§8 C13)")

	wc, err := o.GetWriterComponents(0)
	require.NoError(t, err)
	require.NotNil(t, wc)
	rows := statuses(t, o)
	st, f := stateOf(t, rows, "SqlServerWriter")
	require.Equal(t, vss.VSS_WS_STABLE, st)
	require.Equal(t, vss.S_OK, f)
	xml, err := o.SaveAsXML()
	require.NoError(t, err)
	d, err := vss.LoadBackupComponents([]byte(xml))
	require.NoError(t, err)
	master := d.Find(sqlClass, "SQLHOST01", "master")
	require.True(t, master.SelectedForRestore)
	require.Equal(t, "WITH NORECOVERY", master.RestoreOptions)
	require.Equal(t, vss.VSS_RS_ALL, master.FileRestoreStatus)
	require.Len(t, master.Subcomponents, 1)
	require.Len(t, master.RestoreMappings, 1)
	require.NoError(t, o.Release())

	// Restore events follow VSS_WRITERRESTORE_ENUM (REFERENCE §2.2): SQL
	// (always) gets both; System Writer (never) gets none though selected;
	// no BackupShutdown for a restore.
	require.Equal(t, []sim.Event{sim.EventPreRestore, sim.EventPostRestore}, restoreEvents(ws["SqlServerWriter"]))
	require.Empty(t, restoreEvents(ws["System Writer"]))
	require.Empty(t, restoreEvents(ws["WMI Writer"]))
}

func restoreEvents(w *fakewriter.Writer) []sim.Event {
	var out []sim.Event
	seenRestore := false
	for _, e := range w.Events() {
		switch e {
		case sim.EventPreRestore, sim.EventPostRestore:
			seenRestore = true
			out = append(out, e)
		case sim.EventBackupShutdown:
			if seenRestore {
				out = append(out, e)
			}
		}
	}
	return out
}

func TestRestoreRules(t *testing.T) {
	c := sim.NewDefault()
	w := fakewriter.New("W")
	_, err := w.Subscribe(c)
	require.NoError(t, err)
	bcd := savedBCD(t, c)
	b := c.NewBackupComponents()
	require.NoError(t, b.InitializeForBackup(""))
	requireBadState(t, "§2.3#4", b.SetRestoreState(vss.VSS_RTYPE_BY_COPY))
	_, err = b.PreRestore()
	requireBadState(t, "§2.3#4", err)
	requireHR(t, vss.E_INVALIDARG, b.SetRestoreState(vss.RestoreType(9))) // arguments first

	r := c.NewBackupComponents()
	requireHR(t, vss.E_INVALIDARG, r.InitializeForRestore(""))
	requireHR(t, vss.VSS_E_INVALID_XML_DOCUMENT, r.InitializeForRestore("<WRITER_METADATA/>"))
	restoreTo(t, r, bcd, "GatherWriterMetadata")
	_, err = r.GatherWriterMetadata()
	requireBadState(t, "§2.3#6", err)
	requireHR(t, vss.VSS_E_OBJECT_NOT_FOUND, r.AddNewTarget(w.Config.ClassID, vss.VSS_CT_FILEGROUP, "", "Data", `c:\nowhere`, "*", true, `d:\x`))
	require.NoError(t, r.AddNewTarget(w.Config.ClassID, vss.VSS_CT_FILEGROUP, "", "Data", `C:\Data\W`, "*", true, `d:\x`))
	_, err = r.PreRestore()
	require.NoError(t, err)

	// The literal reading of the GatherWriterMetadata page, as an option.
	opts := sim.DefaultOptions()
	opts.GatherMetadataInRestoreIsBadState = true
	c2 := sim.New(opts)
	_, err = fakewriter.New("W").Subscribe(c2)
	require.NoError(t, err)
	r2 := c2.NewBackupComponents()
	require.NoError(t, r2.InitializeForRestore(savedBCD(t, c2)))
	_, err = r2.GatherWriterMetadata()
	requireBadState(t, "§1.3 GatherWriterMetadata restore", err)
}

// A writer's restore failures show in the writer status.
func TestRestoreWriterFailure(t *testing.T) {
	c, ws := presetCoordinator(t)
	bcd := savedBCD(t, c)
	ws["SqlServerWriter"].On(sim.EventPreRestore, fakewriter.NonRetryable())
	o := c.NewBackupComponents()
	restoreTo(t, o, bcd, "GatherWriterMetadata")
	require.NoError(t, o.SetSelectedForRestore(sqlClass, vss.VSS_CT_FILEGROUP, "SQLHOST01", "master", true))
	mustFinish(t, o.PreRestore)
	st, f := stateOf(t, statuses(t, o), "SqlServerWriter")
	require.Equal(t, vss.VSS_WS_FAILED_AT_PRE_RESTORE, st)
	require.Equal(t, vss.VSS_E_WRITERERROR_NONRETRYABLE, f)
	require.NoError(t, o.Release())
}

// The Ex/Ex2 restore calls need the writer's backup schema to allow them
// (REFERENCE §1.2); a writer records directed targets in PreRestore.
func TestRestoreExCalls(t *testing.T) {
	c, ws := presetCoordinator(t)
	bcd := savedBCD(t, c)
	ws["SqlServerWriter"].OnComponents = func(ctx *sim.WriterContext, comps []*sim.Component) {
		if ctx.Event() != sim.EventPreRestore {
			return
		}
		for _, comp := range comps {
			if comp.IsSelectedForRestore() {
				if err := comp.AddDirectedTarget(`c:\sql`, "master.mdf", "", `d:\moved`, "master.mdf", ""); err != nil {
					panic(err)
				}
				if err := comp.SetRestoreTarget(vss.VSS_RT_DIRECTED); err != nil {
					panic(err)
				}
			}
		}
	}
	o := c.NewBackupComponents()
	restoreTo(t, o, bcd, "GatherWriterMetadata")
	// SQL's schema (881) has RESTORE_WITH_MOVE but not AUTHORITATIVE, ROLLFORWARD or RENAME.
	require.NoError(t, o.SetSelectedForRestoreEx(sqlClass, vss.VSS_CT_FILEGROUP, "SQLHOST01", "master", true, c.Writers()[0]))
	requireHR(t, vss.VSS_E_NOT_SUPPORTED, o.SetAuthoritativeRestore(sqlClass, vss.VSS_CT_FILEGROUP, "SQLHOST01", "master", true))
	requireHR(t, vss.VSS_E_NOT_SUPPORTED, o.SetRollForward(sqlClass, vss.VSS_CT_FILEGROUP, "SQLHOST01", "master", vss.VSS_RF_ALL, ""))
	requireHR(t, vss.VSS_E_NOT_SUPPORTED, o.SetRestoreName(sqlClass, vss.VSS_CT_FILEGROUP, "SQLHOST01", "master", "copy"))
	requireHR(t, vss.E_INVALIDARG, o.SetRollForward(sqlClass, vss.VSS_CT_FILEGROUP, "SQLHOST01", "master", vss.RollForwardType(9), ""))
	requireHR(t, vss.VSS_E_NOT_SUPPORTED, o.SetSelectedForRestoreEx(systemClass, vss.VSS_CT_FILEGROUP, "", "System Files", true, vss.ID{}))
	mustFinish(t, o.PreRestore)
	requireBadState(t, "§2.3#18", o.SetRestoreName(sqlClass, vss.VSS_CT_FILEGROUP, "SQLHOST01", "master", "copy"))
	n, err := o.GetWriterComponentsCount()
	require.NoError(t, err)
	var master *vss.BCDComponent
	for i := uint32(0); i < n; i++ {
		wc, err := o.GetWriterComponents(i)
		require.NoError(t, err)
		for _, comp := range wc.Components {
			if wc.WriterID == sqlClass && comp.Name == "master" {
				master = comp
			}
		}
	}
	require.NotNil(t, master, "GetWriterComponents after PreRestore shows what the writer set")
	require.Equal(t, vss.VSS_RT_DIRECTED, master.RestoreTarget)
	require.Len(t, master.DirectedTargets, 1)
	require.Equal(t, `d:\moved`, master.DirectedTargets[0].DestPath)
	require.Equal(t, c.Writers()[0], master.RestoreInstanceID)
	require.NoError(t, o.Release())
}
