package sim_test

import (
	"sort"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/vsssim/vsssim/requestor/vss"
	"github.com/vsssim/vsssim/sim"
)

// faultCase reaches a state in which method is legal and calls it.
type faultCase struct {
	setup func(t testing.TB, o *sim.BackupComponents)
	call  func(o *sim.BackupComponents) (vss.Async, error)
}

func sync(f func(o *sim.BackupComponents) error) func(o *sim.BackupComponents) (vss.Async, error) {
	return func(o *sim.BackupComponents) (vss.Async, error) { return nil, f(o) }
}

func upTo(step string) func(t testing.TB, o *sim.BackupComponents) {
	return func(t testing.TB, o *sim.BackupComponents) {
		t.Helper()
		if step != "" {
			backupTo(t, o, step)
		}
	}
}

func faultCases() map[string]faultCase {
	withStatus := func(t testing.TB, o *sim.BackupComponents) {
		t.Helper()
		backupTo(t, o, "GatherWriterMetadata")
		mustFinish(t, o.GatherWriterStatus)
	}
	snapshotID := func(o *sim.BackupComponents) vss.ID {
		props := o.Coordinator().ShadowCopies()
		if len(props) == 0 {
			return vss.ID{}
		}
		return props[0].SnapshotID
	}
	return map[string]faultCase{
		"InitializeForBackup": {upTo(""), sync(func(o *sim.BackupComponents) error { return o.InitializeForBackup("") })},
		"SetContext":          {upTo("InitializeForBackup"), sync(func(o *sim.BackupComponents) error { return o.SetContext(vss.VSS_CTX_APP_ROLLBACK) })},
		"SetBackupState": {upTo("InitializeForBackup"), sync(func(o *sim.BackupComponents) error {
			return o.SetBackupState(true, false, vss.VSS_BT_COPY, false)
		})},
		"DisableWriterClasses": {upTo("InitializeForBackup"), sync(func(o *sim.BackupComponents) error {
			return o.DisableWriterClasses([]vss.ID{vss.MustParseID("11111111-2222-3333-4444-555555555555")})
		})},
		"EnableWriterClasses":    {upTo("InitializeForBackup"), sync(func(o *sim.BackupComponents) error { return o.EnableWriterClasses(nil) })},
		"DisableWriterInstances": {upTo("InitializeForBackup"), sync(func(o *sim.BackupComponents) error { return o.DisableWriterInstances(nil) })},
		"GatherWriterMetadata":   {upTo("SetBackupState"), func(o *sim.BackupComponents) (vss.Async, error) { return o.GatherWriterMetadata() }},
		"GetWriterMetadataCount": {upTo("GatherWriterMetadata"), sync(func(o *sim.BackupComponents) error { _, err := o.GetWriterMetadataCount(); return err })},
		"GetWriterMetadata":      {upTo("GatherWriterMetadata"), sync(func(o *sim.BackupComponents) error { _, _, err := o.GetWriterMetadata(0); return err })},
		"FreeWriterMetadata":     {upTo("GatherWriterMetadata"), sync(func(o *sim.BackupComponents) error { return o.FreeWriterMetadata() })},
		"GatherWriterStatus":     {upTo("GatherWriterMetadata"), func(o *sim.BackupComponents) (vss.Async, error) { return o.GatherWriterStatus() }},
		"GetWriterStatusCount":   {withStatus, sync(func(o *sim.BackupComponents) error { _, err := o.GetWriterStatusCount(); return err })},
		"GetWriterStatus":        {withStatus, sync(func(o *sim.BackupComponents) error { _, err := o.GetWriterStatus(0); return err })},
		"GetWriterStatusEx":      {withStatus, sync(func(o *sim.BackupComponents) error { _, err := o.GetWriterStatusEx(0); return err })},
		"FreeWriterStatus":       {withStatus, sync(func(o *sim.BackupComponents) error { return o.FreeWriterStatus() })},
		"AddComponent": {upTo("GatherWriterMetadata"), sync(func(o *sim.BackupComponents) error {
			inst, md, err := o.GetWriterMetadata(0)
			if err != nil {
				return err
			}
			return o.AddComponent(inst, md.Identity.WriterID, vss.VSS_CT_FILEGROUP, "", "Data")
		})},
		"SetBackupOptions": {upTo("AddComponent"), sync(func(o *sim.BackupComponents) error {
			return o.SetBackupOptions(classFor(o), vss.VSS_CT_FILEGROUP, "", "Data", "opts")
		})},
		"SetPreviousBackupStamp": {upTo("AddComponent"), sync(func(o *sim.BackupComponents) error {
			return o.SetPreviousBackupStamp(classFor(o), vss.VSS_CT_FILEGROUP, "", "Data", "stamp")
		})},
		"StartSnapshotSet": {upTo("AddComponent"), sync(func(o *sim.BackupComponents) error { _, err := o.StartSnapshotSet(); return err })},
		"AddToSnapshotSet": {upTo("StartSnapshotSet"), sync(func(o *sim.BackupComponents) error { _, err := o.AddToSnapshotSet(`C:\`, vss.ID{}); return err })},
		"IsVolumeSupported": {upTo("InitializeForBackup"), sync(func(o *sim.BackupComponents) error {
			_, err := o.IsVolumeSupported(vss.ID{}, `C:\`)
			return err
		})},
		"PrepareForBackup": {upTo("AddToSnapshotSet"), func(o *sim.BackupComponents) (vss.Async, error) { return o.PrepareForBackup() }},
		"DoSnapshotSet":    {upTo("PrepareForBackup"), func(o *sim.BackupComponents) (vss.Async, error) { return o.DoSnapshotSet() }},
		"SaveAsXML":        {upTo("PrepareForBackup"), sync(func(o *sim.BackupComponents) error { _, err := o.SaveAsXML(); return err })},
		"AbortBackup":      {upTo("PrepareForBackup"), sync(func(o *sim.BackupComponents) error { return o.AbortBackup() })},
		"GetSnapshotProperties": {upTo("DoSnapshotSet"), sync(func(o *sim.BackupComponents) error {
			_, err := o.GetSnapshotProperties(snapshotID(o))
			return err
		})},
		"Query": {func(t testing.TB, o *sim.BackupComponents) {
			t.Helper()
			backupTo(t, o, "InitializeForBackup")
			require.NoError(t, o.SetContext(vss.VSS_CTX_ALL))
		}, sync(func(o *sim.BackupComponents) error {
			_, err := o.Query(vss.ID{}, vss.VSS_OBJECT_NONE, vss.VSS_OBJECT_PROVIDER)
			return err
		})},
		"SetBackupSucceeded": {upTo("DoSnapshotSet"), sync(func(o *sim.BackupComponents) error {
			return o.SetBackupSucceeded(o.Coordinator().Writers()[0], classFor(o), vss.VSS_CT_FILEGROUP, "", "Data", true)
		})},
		"BackupComplete": {upTo("SetBackupSucceeded"), func(o *sim.BackupComponents) (vss.Async, error) { return o.BackupComplete() }},
		"InitializeForRestore": {func(testing.TB, *sim.BackupComponents) {}, sync(func(o *sim.BackupComponents) error {
			return o.InitializeForRestore(savedBCDFor(o))
		})},
		"SetRestoreState":          {restoreUpTo("InitializeForRestore"), sync(func(o *sim.BackupComponents) error { return o.SetRestoreState(vss.VSS_RTYPE_BY_COPY) })},
		"GetWriterComponentsCount": {restoreUpTo("InitializeForRestore"), sync(func(o *sim.BackupComponents) error { _, err := o.GetWriterComponentsCount(); return err })},
		"GetWriterComponents":      {restoreUpTo("InitializeForRestore"), sync(func(o *sim.BackupComponents) error { _, err := o.GetWriterComponents(0); return err })},
		"SetSelectedForRestore": {restoreUpTo("GatherWriterMetadata"), sync(func(o *sim.BackupComponents) error {
			return o.SetSelectedForRestore(classFor(o), vss.VSS_CT_FILEGROUP, "", "Data", true)
		})},
		"SetRestoreOptions": {restoreUpTo("GatherWriterMetadata"), sync(func(o *sim.BackupComponents) error {
			return o.SetRestoreOptions(classFor(o), vss.VSS_CT_FILEGROUP, "", "Data", "opts")
		})},
		"SetAdditionalRestores": {restoreUpTo("GatherWriterMetadata"), sync(func(o *sim.BackupComponents) error {
			return o.SetAdditionalRestores(classFor(o), vss.VSS_CT_FILEGROUP, "", "Data", true)
		})},
		"AddRestoreSubcomponent": {restoreUpTo("SetSelectedForRestore"), sync(func(o *sim.BackupComponents) error {
			return o.AddRestoreSubcomponent(classFor(o), vss.VSS_CT_FILEGROUP, "", "Data", "Data", "part")
		})},
		"AddNewTarget": {restoreUpTo("GatherWriterMetadata"), sync(func(o *sim.BackupComponents) error {
			return o.AddNewTarget(classFor(o), vss.VSS_CT_FILEGROUP, "", "Data", `C:\Data\Writer 01`, "*", true, `D:\new`)
		})},
		"PreRestore": {restoreUpTo("SetSelectedForRestore"), func(o *sim.BackupComponents) (vss.Async, error) { return o.PreRestore() }},
		"SetFileRestoreStatus": {restoreUpTo("PreRestore"), sync(func(o *sim.BackupComponents) error {
			return o.SetFileRestoreStatus(classFor(o), vss.VSS_CT_FILEGROUP, "", "Data", vss.VSS_RS_ALL)
		})},
		"AddAlternativeLocationMapping": {restoreUpTo("PreRestore"), sync(func(o *sim.BackupComponents) error {
			return o.AddAlternativeLocationMapping(classFor(o), vss.VSS_CT_FILEGROUP, "", "Data", `C:\Data`, "*", true, `D:\alt`)
		})},
		"SetRangesFilePath": {restoreUpTo("PreRestore"), nil},
		"PostRestore":       {restoreUpTo("SetFileRestoreStatus"), func(o *sim.BackupComponents) (vss.Async, error) { return o.PostRestore() }},
		"DeleteSnapshots": {upTo("DoSnapshotSet"), sync(func(o *sim.BackupComponents) error {
			_, _, err := o.DeleteSnapshots(snapshotID(o), vss.VSS_OBJECT_SNAPSHOT, false)
			return err
		})},
	}
}

var bcds = map[*sim.Coordinator]string{}

// savedBCDFor returns a BCD made on o's coordinator (by a backup on another
// object).
func savedBCDFor(o *sim.BackupComponents) string { return bcds[o.Coordinator()] }

func restoreUpTo(step string) func(t testing.TB, o *sim.BackupComponents) {
	return func(t testing.TB, o *sim.BackupComponents) {
		t.Helper()
		restoreTo(t, o, savedBCDFor(o), step)
	}
}

func classFor(o *sim.BackupComponents) vss.ID {
	_, md, err := o.GetWriterMetadata(0)
	if err != nil {
		return vss.ID{}
	}
	return md.Identity.WriterID
}

// Every failure code that REFERENCE §1.3 lists for a backup-path method can
// be produced on demand, as the call's result, and the failed call changes
// nothing: the same call succeeds right after. Async results likewise.
func TestEveryDocumentedCodeCanBeInjected(t *testing.T) {
	cases := faultCases()
	var methods []string
	for m := range sim.ReturnCodes {
		methods = append(methods, m)
	}
	sort.Strings(methods)
	ex := exMethods()
	for _, m := range methods {
		if ex[m] {
			continue // TestExCodesCanBeInjected, in a world with a hardware provider
		}
		fc, ok := cases[m]
		if !ok {
			t.Errorf("no fault case for %s", m)
			continue
		}
		if fc.call == nil {
			continue // SetRangesFilePath: no partial files are modelled, so it never succeeds (TestRestore)
		}
		for _, hr := range sim.ReturnCodes[m] {
			if !hr.Failed() {
				continue
			}
			t.Run(m+"/"+hr.String(), func(t *testing.T) {
				c := sim.NewDefault()
				newWriters(t, c, 1)
				bcds[c] = savedBCD(t, c)
				o := c.NewBackupComponents()
				fc.setup(t, o)
				require.NoError(t, c.InjectFault(sim.Fault{Method: m, HR: hr, Times: 1}))
				_, err := fc.call(o)
				requireHR(t, hr, err)
				a, err := fc.call(o)
				require.NoError(t, err, "the failed call must have changed nothing")
				if a != nil {
					require.NoError(t, a.Wait(-1))
				}
			})
		}
	}
	for m, fc := range cases {
		_, ok := sim.ReturnCodes[m]
		require.True(t, ok, "%s has a case but no documented codes", m)
		_ = fc
	}
}

func TestEveryAsyncResultCanBeInjected(t *testing.T) {
	cases := faultCases()
	for _, m := range []string{"GatherWriterMetadata", "GatherWriterStatus", "PrepareForBackup", "DoSnapshotSet", "BackupComplete"} {
		for _, hr := range []vss.HRESULT{vss.E_OUTOFMEMORY, vss.VSS_E_UNEXPECTED} {
			t.Run(m+"/"+hr.String(), func(t *testing.T) {
				c := sim.NewDefault()
				newWriters(t, c, 1)
				o := c.NewBackupComponents()
				cases[m].setup(t, o)
				require.NoError(t, c.InjectFault(sim.Fault{Method: m, HR: hr, Async: true, Times: 1}))
				require.Equal(t, hr, wait(t, func() (vss.Async, error) { return cases[m].call(o) }))
			})
		}
	}
	for _, hr := range []vss.HRESULT{vss.VSS_E_INSUFFICIENT_STORAGE, vss.VSS_E_FLUSH_WRITES_TIMEOUT, vss.VSS_E_HOLD_WRITES_TIMEOUT,
		vss.VSS_E_NESTED_VOLUME_LIMIT, vss.VSS_E_PROVIDER_VETO, vss.VSS_E_REBOOT_REQUIRED, vss.VSS_E_TRANSACTION_FREEZE_TIMEOUT,
		vss.VSS_E_TRANSACTION_THAW_TIMEOUT, vss.VSS_E_UNEXPECTED_PROVIDER_ERROR} {
		t.Run("DoSnapshotSet/"+hr.String(), func(t *testing.T) {
			c := sim.NewDefault()
			ws := newWriters(t, c, 1)
			o := c.NewBackupComponents()
			backupTo(t, o, "PrepareForBackup")
			require.NoError(t, c.InjectFault(sim.Fault{Method: "DoSnapshotSet", HR: hr, Async: true}))
			require.Equal(t, hr, wait(t, o.DoSnapshotSet))
			require.Equal(t, sim.EventAbort, ws[0].Events()[4], "a provider failure after Freeze aborts the writers")
			require.Empty(t, c.ShadowCopies())
		})
	}
	t.Run("BackupComplete/VSS_E_UNEXPECTED_WRITER_ERROR", func(t *testing.T) {
		c := sim.NewDefault()
		newWriters(t, c, 1)
		o := c.NewBackupComponents()
		backupTo(t, o, "SetBackupSucceeded")
		require.NoError(t, c.InjectFault(sim.Fault{Method: "BackupComplete", HR: vss.VSS_E_UNEXPECTED_WRITER_ERROR, Async: true}))
		require.Equal(t, vss.VSS_E_UNEXPECTED_WRITER_ERROR, wait(t, o.BackupComplete))
	})
}

func TestInjectFaultRejectsUndocumentedCodes(t *testing.T) {
	c := sim.NewDefault()
	for _, f := range []sim.Fault{
		{Method: "GatherWriterMetadata", HR: vss.VSS_E_PROVIDER_VETO},
		{Method: "NoSuchMethod", HR: vss.E_FAIL},
		{Method: "FreeWriterMetadata", HR: vss.VSS_E_BAD_STATE, Async: true},
		{Method: "DoSnapshotSet", HR: vss.S_OK},
		{Method: "DoSnapshotSet", HR: vss.VSS_E_BAD_STATE, Async: true},
	} {
		err := c.InjectFault(f)
		require.Error(t, err, "%+v", f)
		require.Contains(t, err.Error(), f.Method)
	}
}

// Environmental return codes come from the model itself, not only from
// injection.
func TestEnvironmentalCodes(t *testing.T) {
	c := sim.NewDefault()
	newWriters(t, c, 1)
	c.AddVolume(sim.Volume{Name: `E:\`, Unsupported: true})
	c.AddVolume(sim.Volume{Name: `F:\`, Nested: true})
	c.AddVolume(sim.Volume{Name: `G:\`, MaxShadowCopies: 1})
	o := c.NewBackupComponents()
	backupTo(t, o, "StartSnapshotSet")
	add := func(v string, p vss.ID) error { _, err := o.AddToSnapshotSet(v, p); return err }
	requireHR(t, vss.E_INVALIDARG, add("", vss.ID{}))
	requireHR(t, vss.VSS_E_OBJECT_NOT_FOUND, add("C:", vss.ID{}))
	requireHR(t, vss.VSS_E_OBJECT_NOT_FOUND, add(`Z:\`, vss.ID{}))
	requireHR(t, vss.VSS_E_VOLUME_NOT_SUPPORTED, add(`E:\`, vss.ID{}))
	requireHR(t, vss.VSS_E_NESTED_VOLUME_LIMIT, add(`F:\`, vss.ID{}))
	requireHR(t, vss.VSS_E_PROVIDER_NOT_REGISTERED, add(`C:\`, vss.MustParseID("11111111-2222-3333-4444-555555555555")))
	require.NoError(t, add(`C:\`, sim.SystemProviderID))
	requireHR(t, vss.VSS_E_OBJECT_ALREADY_EXISTS, add(`C:\`, vss.ID{}))
	require.NoError(t, add(`G:\`, vss.ID{}))
	ok, err := o.IsVolumeSupported(vss.ID{}, `E:\`)
	require.NoError(t, err)
	require.False(t, ok)
	mustFinish(t, o.PrepareForBackup)
	mustFinish(t, o.DoSnapshotSet)
	// G:\ now holds its one allowed shadow copy.
	o2 := c.NewBackupComponents()
	backupTo(t, o2, "StartSnapshotSet")
	_, err = o2.AddToSnapshotSet(`G:\`, vss.ID{})
	requireHR(t, vss.VSS_E_MAXIMUM_NUMBER_OF_SNAPSHOTS_REACHED, err)
	require.NoError(t, o.AbortBackup())
	requireBadState(t, "§2.3#22", o.SetContext(vss.VSS_CTX_BACKUP))
	require.NoError(t, o.Release())
	_, err = o2.AddToSnapshotSet(`G:\`, vss.ID{})
	require.NoError(t, err, "auto-release shadow copies are gone after Release")
	require.NoError(t, o2.Release())
}

func TestMaximumVolumesPerSet(t *testing.T) {
	opts := sim.DefaultOptions()
	opts.MaxVolumesPerSet = 2
	c := sim.New(opts)
	for _, v := range []string{`D:\`, `E:\`} {
		c.AddVolume(sim.Volume{Name: v})
	}
	o := c.NewBackupComponents()
	require.NoError(t, o.InitializeForBackup(""))
	_, err := o.StartSnapshotSet()
	require.NoError(t, err)
	for _, v := range []string{`C:\`, `D:\`} {
		_, err = o.AddToSnapshotSet(v, vss.ID{})
		require.NoError(t, err)
	}
	_, err = o.AddToSnapshotSet(`E:\`, vss.ID{})
	requireHR(t, vss.VSS_E_MAXIMUM_NUMBER_OF_VOLUMES_REACHED, err)
	require.NoError(t, o.Release())
}

func TestPrivilegeAndContext(t *testing.T) {
	c := sim.NewDefault()
	c.SetBackupPrivilege(false)
	o := c.NewBackupComponents()
	requireHR(t, vss.E_ACCESSDENIED, o.InitializeForBackup(""))
	c.SetBackupPrivilege(true)
	require.NoError(t, o.InitializeForBackup(""))
	requireHR(t, vss.E_INVALIDARG, o.SetContext(vss.SnapshotContext(0x12345)))
	requireHR(t, vss.VSS_E_UNSUPPORTED_CONTEXT, o.SetContext(vss.VSS_CTX_APP_ROLLBACK|vss.SnapshotContext(vss.VSS_VOLSNAP_ATTR_TRANSPORTABLE)))
	require.NoError(t, o.SetContext(vss.VSS_CTX_APP_ROLLBACK|vss.SnapshotContext(vss.VSS_VOLSNAP_ATTR_NO_AUTORECOVERY|vss.VSS_VOLSNAP_ATTR_TXF_RECOVERY)))
	requireBadState(t, "§2.3#5", o.SetContext(vss.VSS_CTX_BACKUP))
	requireHR(t, vss.E_INVALIDARG, o.SetBackupState(true, false, vss.VSS_BT_UNDEFINED, false))
	requireHR(t, vss.E_INVALIDARG, o.SetBackupState(true, false, vss.BackupType(7), false))
}
