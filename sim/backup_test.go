package sim_test

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/stretchr/testify/require"

	"github.com/vsssim/vsssim/fakewriter"
	"github.com/vsssim/vsssim/requestor"
	"github.com/vsssim/vsssim/requestor/vss"
	"github.com/vsssim/vsssim/sim"
)

// update rewrites golden files. Read the diff before committing them.
var update = flag.Bool("update", false, "rewrite golden files in testdata/golden (review the diff before committing)")

// golden compares got with ../testdata/golden/name.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("..", "testdata", "golden", name)
	if *update {
		require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
		require.NoError(t, os.WriteFile(path, []byte(got), 0o644))
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "missing golden file; run go test ./sim -update and review it")
	if d := cmp.Diff(string(want), got); d != "" {
		t.Fatalf("%s differs (-want +got):\n%s", path, d)
	}
}

// thirtyWriters subscribes 30 writers: 10 front-end, 10 back-end, 10 system,
// and makes writer 30 declare no components so that, in component mode with
// SelectAll, it still takes part (all selectable components are chosen);
// writer 29 is excluded from selection by the test.
func thirtyWriters(t testing.TB, c *sim.Coordinator) []*fakewriter.Writer {
	t.Helper()
	levels := []vss.ApplicationLevel{vss.VSS_APP_FRONT_END, vss.VSS_APP_BACK_END, vss.VSS_APP_SYSTEM}
	ws := make([]*fakewriter.Writer, 30)
	for i := range ws {
		w := fakewriter.New(fmt.Sprintf("Writer %02d", i+1))
		w.Config.Level = levels[i/10]
		ws[i] = w
		_, err := w.Subscribe(c)
		require.NoError(t, err)
	}
	return ws
}

// A full component-mode backup with 30 writers, checked event by event.
func TestFullBackup30Writers(t *testing.T) {
	c := sim.NewDefault()
	c.AddVolume(sim.Volume{Name: `D:\`})
	ws := thirtyWriters(t, c)
	o := c.NewBackupComponents()
	backupTo(t, o, "BackupComplete", `C:\`, `D:\`)
	rows := statuses(t, o)
	require.Len(t, rows, 30)
	for _, r := range rows {
		require.Equal(t, vss.VSS_WS_STABLE, r.State, r.Name)
		require.Equal(t, vss.S_OK, r.Failure, r.Name)
	}
	require.Len(t, c.ShadowCopies(), 2, "two shadow copies exist until Release")
	require.NoError(t, o.Release())
	require.Empty(t, c.ShadowCopies(), "VSS_CTX_BACKUP shadow copies are auto-release")

	want := []sim.Event{sim.EventIdentify, sim.EventPrepareForBackup, sim.EventPrepareForSnapshot, sim.EventFreeze,
		sim.EventThaw, sim.EventPostSnapshot, sim.EventBackupComplete, sim.EventBackupShutdown}
	for _, w := range ws {
		if d := cmp.Diff(want, w.Events()); d != "" {
			t.Errorf("%s events (-want +got):\n%s", w.Config.Name, d)
		}
		log := w.Log()
		require.Equal(t, 1, log[1].Components, "PrepareForBackup gets the writer's one component")
		require.False(t, log[7].SnapshotSetID.IsNull(), "BackupShutdown carries the set id")
	}

	// Freeze goes front end, back end, system; Thaw in reverse
	// (REFERENCE §4.2, Options.ThawOrder).
	var freeze, thaw []string
	for _, e := range c.Trace().Entries() {
		if e.Kind == sim.KindEvent && e.Name == string(sim.EventFreeze) {
			freeze = append(freeze, e.Writer)
		}
		if e.Kind == sim.KindEvent && e.Name == string(sim.EventThaw) {
			thaw = append(thaw, e.Writer)
		}
	}
	var wantFreeze, wantThaw []string
	for i := 1; i <= 30; i++ {
		wantFreeze = append(wantFreeze, fmt.Sprintf("Writer %02d", i))
	}
	for _, block := range [][2]int{{21, 30}, {11, 20}, {1, 10}} {
		for i := block[0]; i <= block[1]; i++ {
			wantThaw = append(wantThaw, fmt.Sprintf("Writer %02d", i))
		}
	}
	if d := cmp.Diff(wantFreeze, freeze); d != "" {
		t.Errorf("freeze order (-want +got):\n%s", d)
	}
	if d := cmp.Diff(wantThaw, thaw); d != "" {
		t.Errorf("thaw order (-want +got):\n%s", d)
	}
	golden(t, "backup_30_writers.trace", c.Trace().String())
}

// The same calls give the same trace, byte for byte, although writers run
// on goroutines.
func TestTraceIsDeterministic(t *testing.T) {
	run := func() string {
		c := sim.NewDefault()
		ws := thirtyWriters(t, c)
		ws[4].On(sim.EventPrepareForBackup, fakewriter.Behavior{Latency: 3e9})
		ws[17].On(sim.EventPostSnapshot, fakewriter.NonRetryable())
		o := c.NewBackupComponents()
		backupTo(t, o, "BackupComplete")
		require.NoError(t, o.Release())
		return c.Trace().String()
	}
	first := run()
	for i := 0; i < 5; i++ {
		if d := cmp.Diff(first, run()); d != "" {
			t.Fatalf("run %d differs (-first +this):\n%s", i+2, d)
		}
	}
}

// Only writers with a selected component get events after PrepareForBackup
// in component mode (REFERENCE §4.2).
func TestComponentModeParticipation(t *testing.T) {
	c := sim.NewDefault()
	ws := newWriters(t, c, 2)
	o := c.NewBackupComponents()
	require.NoError(t, o.InitializeForBackup(""))
	require.NoError(t, o.SetBackupState(true, false, vss.VSS_BT_FULL, false))
	mustFinish(t, o.GatherWriterMetadata)
	inst, md, err := o.GetWriterMetadata(0)
	require.NoError(t, err)
	c0 := md.Components[0]
	require.NoError(t, o.AddComponent(inst, md.Identity.WriterID, c0.Type, c0.LogicalPath, c0.Name))
	requireHR(t, vss.VSS_E_OBJECT_ALREADY_EXISTS, o.AddComponent(inst, md.Identity.WriterID, c0.Type, c0.LogicalPath, c0.Name))
	_, err = o.StartSnapshotSet()
	require.NoError(t, err)
	mustFinish(t, o.PrepareForBackup)
	mustFinish(t, o.DoSnapshotSet)
	mustFinish(t, o.BackupComplete)
	require.NoError(t, o.Release())
	require.Equal(t, []sim.Event{sim.EventIdentify, sim.EventPrepareForBackup, sim.EventPrepareForSnapshot, sim.EventFreeze,
		sim.EventThaw, sim.EventPostSnapshot, sim.EventBackupComplete, sim.EventBackupShutdown}, ws[0].Events())
	require.Equal(t, []sim.Event{sim.EventIdentify, sim.EventPrepareForBackup, sim.EventBackupShutdown}, ws[1].Events())
	require.Equal(t, 0, ws[1].Log()[1].Components, "a writer with nothing selected gets an empty component list")
}

// Non-component mode: every writer takes part, and handlers get no
// component list (IVssWriterComponents is NULL).
func TestNonComponentMode(t *testing.T) {
	c := sim.NewDefault()
	ws := newWriters(t, c, 2)
	bc := requestor.NewSim(c)
	_, err := requestor.RunBackup(context.Background(), bc, requestor.BackupPlan{Volumes: []string{`C:\`}})
	require.NoError(t, err)
	for _, w := range ws {
		require.Len(t, w.Events(), 8)
		require.Equal(t, -1, w.Log()[1].Components)
	}
}

// Non-writer contexts send no writer events and refuse the writer calls
// (REFERENCE §2.1 non-writer contexts, §2.3 row 14).
func TestNonWriterContext(t *testing.T) {
	c := sim.NewDefault()
	ws := newWriters(t, c, 1)
	o := c.NewBackupComponents()
	require.NoError(t, o.InitializeForBackup(""))
	require.NoError(t, o.SetContext(vss.VSS_CTX_FILE_SHARE_BACKUP))
	mustFinish(t, o.GatherWriterMetadata) // optional there, still allowed
	inst, md, err := o.GetWriterMetadata(0)
	require.NoError(t, err)
	requireBadState(t, "§2.3#14", o.AddComponent(inst, md.Identity.WriterID, vss.VSS_CT_FILEGROUP, "", "Data"))
	_, err = o.StartSnapshotSet()
	require.NoError(t, err)
	_, err = o.AddToSnapshotSet(`C:\`, vss.ID{})
	require.NoError(t, err)
	_, err = o.PrepareForBackup()
	requireBadState(t, "§2.3#14", err)
	mustFinish(t, o.DoSnapshotSet)
	_, err = o.BackupComplete()
	requireBadState(t, "§2.3#14", err)
	require.Len(t, c.ShadowCopies(), 1)
	require.NoError(t, o.Release())
	require.Empty(t, c.ShadowCopies(), "FILE_SHARE_BACKUP is auto-release")
	require.Equal(t, []sim.Event{sim.EventIdentify}, ws[0].Events())
}

// Persistent contexts outlive their object; auto-release ones do not
// (REFERENCE §6.3, Appendix B rule 7).
func TestSnapshotLifetimes(t *testing.T) {
	c := sim.NewDefault()
	newWriters(t, c, 1)
	o := c.NewBackupComponents()
	require.NoError(t, o.InitializeForBackup(""))
	require.NoError(t, o.SetContext(vss.VSS_CTX_APP_ROLLBACK))
	backupToFrom(t, o)
	require.NoError(t, o.Release())
	require.Len(t, c.ShadowCopies(), 1, "APP_ROLLBACK shadow copies are persistent")

	q := c.NewBackupComponents()
	require.NoError(t, q.InitializeForBackup(""))
	// Before SetContext, Query runs in the default context (VSS_CTX_BACKUP;
	// Options.QueryNeedsSetContext is off by default).
	props, err := q.Query(vss.ID{}, vss.VSS_OBJECT_NONE, vss.VSS_OBJECT_SNAPSHOT)
	require.NoError(t, err)
	require.Empty(t, props, "the default context does not see APP_ROLLBACK shadow copies")
	require.NoError(t, q.SetContext(vss.VSS_CTX_BACKUP))
	props, err = q.Query(vss.ID{}, vss.VSS_OBJECT_NONE, vss.VSS_OBJECT_SNAPSHOT)
	require.NoError(t, err)
	require.Empty(t, props, "VSS_CTX_BACKUP does not see APP_ROLLBACK shadow copies")
	require.NoError(t, q.Release())
	q = c.NewBackupComponents()
	require.NoError(t, q.InitializeForBackup(""))
	require.NoError(t, q.SetContext(vss.VSS_CTX_ALL))
	props, err = q.Query(vss.ID{}, vss.VSS_OBJECT_NONE, vss.VSS_OBJECT_SNAPSHOT)
	require.NoError(t, err)
	require.Len(t, props, 1)
	snap := props[0].Snap
	require.Equal(t, vss.VSS_SS_CREATED, snap.Status)
	require.True(t, strings.HasPrefix(snap.SnapshotDeviceObject, `\\?\GLOBALROOT\Device\HarddiskVolumeShadowCopy`))
	p, err := q.GetSnapshotProperties(snap.SnapshotID)
	require.NoError(t, err)
	require.Equal(t, snap, p)
	n, nd, err := q.DeleteSnapshots(snap.SnapshotSetID, vss.VSS_OBJECT_SNAPSHOT_SET, false)
	require.NoError(t, err)
	require.Equal(t, int32(1), n)
	require.True(t, nd.IsNull())
	_, _, err = q.DeleteSnapshots(snap.SnapshotSetID, vss.VSS_OBJECT_SNAPSHOT_SET, false)
	requireHR(t, vss.VSS_E_OBJECT_NOT_FOUND, err)
	require.Empty(t, c.ShadowCopies())
	require.NoError(t, q.Release())
}

// backupToFrom continues an initialised object (context already set) to a
// finished DoSnapshotSet.
func backupToFrom(t testing.TB, o *sim.BackupComponents) {
	t.Helper()
	require.NoError(t, o.SetBackupState(false, false, vss.VSS_BT_FULL, false))
	mustFinish(t, o.GatherWriterMetadata)
	_, err := o.StartSnapshotSet()
	require.NoError(t, err)
	_, err = o.AddToSnapshotSet(`C:\`, vss.ID{})
	require.NoError(t, err)
	mustFinish(t, o.PrepareForBackup)
	mustFinish(t, o.DoSnapshotSet)
}

// Only one shadow copy set is created at a time, system-wide; a set left
// by an object that never aborted blocks others until it is released
// ([Obs] duplicati#7005).
func TestOneSnapshotSetAtATime(t *testing.T) {
	c := sim.NewDefault()
	newWriters(t, c, 1)
	a := c.NewBackupComponents()
	backupTo(t, a, "AddToSnapshotSet")
	b := c.NewBackupComponents()
	backupTo(t, b, "AddComponent")
	_, err := b.StartSnapshotSet()
	requireHR(t, vss.VSS_E_SNAPSHOT_SET_IN_PROGRESS, err)
	require.NoError(t, a.Release()) // before PrepareForBackup a plain Release is fine (§2.1)
	require.NotContains(t, c.Trace().String(), "without AbortBackup")
	_, err = b.StartSnapshotSet()
	require.NoError(t, err)
	mustFinish(t, b.PrepareForBackup)
	mustFinish(t, b.DoSnapshotSet)
	// Creation over: a third object may start.
	d := c.NewBackupComponents()
	require.NoError(t, d.InitializeForBackup(""))
	require.NoError(t, d.SetContext(vss.VSS_CTX_FILE_SHARE_BACKUP))
	_, err = d.StartSnapshotSet()
	require.NoError(t, err)
	require.NoError(t, d.AbortBackup())
	require.NoError(t, b.Release())
	require.NoError(t, d.Release())
}

// AbortBackup sends Abort to the writers not past PostSnapshot and ends the
// backup; with nothing under way it is ignored (§2.3 rows 22, 23).
func TestAbortBackup(t *testing.T) {
	c := sim.NewDefault()
	ws := newWriters(t, c, 1)
	o := c.NewBackupComponents()
	requireBadState(t, "§2.3#1", o.AbortBackup())
	backupTo(t, o, "AddComponent")
	require.NoError(t, o.AbortBackup(), "nothing under way: ignored")
	backupToAfterAdd(t, o)
	require.NoError(t, o.AbortBackup())
	_, err := o.DoSnapshotSet()
	requireBadState(t, "§2.3#22", err)
	_, err = o.BackupComplete()
	requireBadState(t, "§2.3#22", err)
	rows := statuses(t, o) // status stays readable after the end
	st, _ := stateOf(t, rows, "Writer 01")
	require.Equal(t, vss.VSS_WS_STABLE, st)
	require.NoError(t, o.Release())
	require.Equal(t, []sim.Event{sim.EventIdentify, sim.EventPrepareForBackup, sim.EventAbort, sim.EventBackupShutdown}, ws[0].Events())
	require.True(t, ws[0].Log()[3].SnapshotSetID.IsNull(), "no shadow copy was created: BackupShutdown gets GUID_NULL")
}

func backupToAfterAdd(t testing.TB, o *sim.BackupComponents) {
	t.Helper()
	_, err := o.StartSnapshotSet()
	require.NoError(t, err)
	_, err = o.AddToSnapshotSet(`C:\`, vss.ID{})
	require.NoError(t, err)
	mustFinish(t, o.PrepareForBackup)
}

// BackupComplete and SetBackupSucceeded need a successful DoSnapshotSet
// ([Obs] bareos#1923, cyphertite#9).
func TestBackupCompleteAfterFailedSnapshot(t *testing.T) {
	c := sim.NewDefault()
	newWriters(t, c, 1)
	o := c.NewBackupComponents()
	backupTo(t, o, "PrepareForBackup")
	require.NoError(t, c.InjectFault(sim.Fault{Method: "DoSnapshotSet", HR: vss.VSS_E_INSUFFICIENT_STORAGE, Async: true}))
	st := wait(t, o.DoSnapshotSet)
	require.Equal(t, vss.VSS_E_INSUFFICIENT_STORAGE, st)
	_, err := o.BackupComplete()
	requireBadState(t, "§2.3#16", err)
	inst, md := c.Writers()[0], fakewriter.ClassID("Writer 01")
	requireBadState(t, "§2.3#15", o.SetBackupSucceeded(inst, md, vss.VSS_CT_FILEGROUP, "", "Data", true))
	require.Empty(t, c.ShadowCopies())
	require.NoError(t, o.AbortBackup())
	require.NoError(t, o.Release())
}

// Writer-side BCD access: stamps and metadata set in PrepareForBackup and
// PostSnapshot land in the BCD; the BCD is read-only at BackupComplete
// (REFERENCE §4.6).
func TestWriterComponentsAndBCD(t *testing.T) {
	c := sim.NewDefault()
	w := fakewriter.New("SqlServerWriter")
	var errs []string
	w.OnComponents = func(ctx *sim.WriterContext, comps []*sim.Component) {
		for _, comp := range comps {
			switch ctx.Event() {
			case sim.EventPrepareForBackup:
				require.Equal(t, "opts", comp.BackupOptions())
				require.Equal(t, "stamp-1", comp.PreviousBackupStamp())
				if err := comp.SetBackupMetadata("meta"); err != nil {
					errs = append(errs, err.Error())
				}
			case sim.EventPostSnapshot:
				if err := comp.SetBackupStamp("stamp-2"); err != nil {
					errs = append(errs, err.Error())
				}
			case sim.EventBackupComplete:
				require.True(t, comp.BackupSucceeded())
				errs = append(errs, vss.Code(comp.SetBackupMetadata("late")).String())
			}
		}
	}
	_, err := w.Subscribe(c)
	require.NoError(t, err)
	o := c.NewBackupComponents()
	backupTo(t, o, "AddComponent")
	_, err = o.SaveAsXML()
	requireBadState(t, "§2.3#17", err)
	require.NoError(t, o.SetBackupOptions(w.Config.ClassID, vss.VSS_CT_FILEGROUP, "", "Data", "opts"))
	require.NoError(t, o.SetPreviousBackupStamp(w.Config.ClassID, vss.VSS_CT_FILEGROUP, "", "Data", "stamp-1"))
	requireHR(t, vss.VSS_E_OBJECT_NOT_FOUND, o.SetBackupOptions(w.Config.ClassID, vss.VSS_CT_FILEGROUP, "", "Nope", "x"))
	backupToAfterAdd(t, o)
	requireBadState(t, "§2.3#12/§8 C3", o.SetBackupOptions(w.Config.ClassID, vss.VSS_CT_FILEGROUP, "", "Data", "too late"))
	mustFinish(t, o.DoSnapshotSet)
	require.NoError(t, o.SetBackupSucceeded(c.Writers()[0], w.Config.ClassID, vss.VSS_CT_FILEGROUP, "", "Data", true))
	xml, err := o.SaveAsXML()
	require.NoError(t, err)
	mustFinish(t, o.BackupComplete)
	require.NoError(t, o.Release())
	require.Equal(t, []string{"VSS_E_BAD_STATE"}, errs)
	for _, s := range []string{`<BACKUP_COMPONENTS xmlns="x-schema:#VssComponentMetadata" version="1.2"`,
		`selectComponents="yes"`, `backupType="full"`, `componentName="Data"`, `backupStamp="stamp-2"`,
		`previousBackupStamp="stamp-1"`, `backupOptions="opts"`, `backupSucceeded="yes"`, `metadata="meta"`} {
		require.Contains(t, xml, s)
	}
}

// The BCD that SaveAsXML writes loads again (for the restore) and carries
// everything the requestor and the writers put in it.
func TestSaveAsXMLLoadsAgain(t *testing.T) {
	c := sim.NewDefault()
	w := fakewriter.New("SqlServerWriter")
	w.OnComponents = func(ctx *sim.WriterContext, comps []*sim.Component) {
		for _, comp := range comps {
			switch ctx.Event() {
			case sim.EventPrepareForBackup:
				_ = comp.SetBackupMetadata("bWV0YQ==")
				_ = comp.SetRestoreMetadata("restore-me")
			case sim.EventPostSnapshot:
				_ = comp.SetBackupStamp("lsn:42")
			}
		}
	}
	_, err := w.Subscribe(c)
	require.NoError(t, err)
	o := c.NewBackupComponents()
	backupTo(t, o, "AddComponent")
	require.NoError(t, o.SetBackupOptions(w.Config.ClassID, vss.VSS_CT_FILEGROUP, "", "Data", "COPY_ONLY"))
	backupToAfterAdd(t, o)
	mustFinish(t, o.DoSnapshotSet)
	require.NoError(t, o.SetBackupSucceeded(c.Writers()[0], w.Config.ClassID, vss.VSS_CT_FILEGROUP, "", "Data", true))
	xml, err := o.SaveAsXML()
	require.NoError(t, err)
	d, err := vss.LoadBackupComponents([]byte(xml))
	require.NoError(t, err)
	require.True(t, d.SelectComponents)
	require.Equal(t, vss.VSS_BT_FULL, d.BackupType)
	require.False(t, d.SnapshotSetID.IsNull())
	require.Len(t, d.Writers, 1)
	want := &vss.BCDComponent{Type: vss.VSS_CT_FILEGROUP, Name: "Data", BackupOptions: "COPY_ONLY", BackupStamp: "lsn:42",
		BackupSucceeded: true, BackupMetadata: "bWV0YQ==", RestoreMetadata: "restore-me"}
	if d := cmp.Diff(want, d.Writers[0].Components[0], cmpopts.EquateEmpty()); d != "" {
		t.Fatalf("BCD component (-want +got):\n%s", d)
	}
	require.Equal(t, c.Writers()[0], d.Writers[0].InstanceID)
	mustFinish(t, o.BackupComplete)
	require.NoError(t, o.Release())

	// A saved BCD is accepted by InitializeForBackup (transportable form);
	// garbage is VSS_E_INVALID_XML_DOCUMENT.
	o2 := c.NewBackupComponents()
	requireHR(t, vss.VSS_E_INVALID_XML_DOCUMENT, o2.InitializeForBackup("<BACKUP_COMPONENTS"))
	require.NoError(t, o2.InitializeForBackup(xml))
	require.NoError(t, o2.Release())
}
