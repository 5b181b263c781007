package sim_test

import (
	"sort"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/vsssim/vsssim/requestor/vss"
	"github.com/vsssim/vsssim/sim"
)

// hwProviderID is the hardware provider of these tests.
var hwProviderID = vss.MustParseID("4a484152-4457-4152-4500-000000000001")

// exWorld is a Windows Server with a hardware provider for D:\ (which also
// makes transportable shadow copies: UnsupportedContextBits 0).
func exWorld(t testing.TB, opts sim.Options) *sim.Coordinator {
	t.Helper()
	opts.UnsupportedContextBits = 0
	c := sim.New(opts)
	c.AddVolume(sim.Volume{Name: `D:\`})
	c.AddProvider(sim.Provider{ID: hwProviderID, Name: "Contoso hardware provider", Type: vss.VSS_PROV_HARDWARE, Version: "1.0", Volumes: []string{`D:\`}})
	return c
}

// makeSet creates, on a new object it then releases (or keeps, for a
// saved BCD), a shadow copy set of volume in context ctx without writers,
// and returns the set id, the snapshot id and the object's BCD.
func makeSet(t testing.TB, c *sim.Coordinator, ctx vss.SnapshotContext, volume string) (setID, snapID vss.ID, bcd string) {
	t.Helper()
	o := c.NewBackupComponents()
	require.NoError(t, o.InitializeForBackup(""))
	require.NoError(t, o.SetContext(ctx))
	setID, err := o.StartSnapshotSet()
	require.NoError(t, err)
	snapID, err = o.AddToSnapshotSet(volume, vss.ID{})
	require.NoError(t, err)
	mustFinish(t, o.DoSnapshotSet)
	bcd, err = o.SaveAsXML()
	require.NoError(t, err)
	require.NoError(t, o.Release())
	return setID, snapID, bcd
}

// managed is an object as VShadow's management commands make it:
// InitializeForBackup(bcd), SetContext(VSS_CTX_ALL), SetBackupState.
func managed(t testing.TB, c *sim.Coordinator, bcd string) *sim.BackupComponents {
	t.Helper()
	o := c.NewBackupComponents()
	require.NoError(t, o.InitializeForBackup(bcd))
	require.NoError(t, o.SetContext(vss.VSS_CTX_ALL))
	require.NoError(t, o.SetBackupState(true, true, vss.VSS_BT_FULL, false))
	return o
}

const nasRollbackNoWriters = vss.VSS_CTX_NAS_ROLLBACK

// exCase reaches a state in which method is legal (on a fresh exWorld) and
// calls it.
type exCase struct {
	setup func(t testing.TB, c *sim.Coordinator) *sim.BackupComponents
	call  func(o *sim.BackupComponents) (vss.Async, error)
}

func exCases(t testing.TB) map[string]exCase {
	var hwSet, hwSnap, sysSnap vss.ID
	var bcd string
	persistent := func(t testing.TB, c *sim.Coordinator) *sim.BackupComponents {
		hwSet, hwSnap, _ = makeSet(t, c, nasRollbackNoWriters, `D:\`)
		_, sysSnap, _ = makeSet(t, c, vss.VSS_CTX_APP_ROLLBACK|vss.SnapshotContext(vss.VSS_VOLSNAP_ATTR_NO_WRITERS), `C:\`)
		return managed(t, c, "")
	}
	transportable := func(t testing.TB, c *sim.Coordinator) *sim.BackupComponents {
		_, _, bcd = makeSet(t, c, vss.VSS_CTX_BACKUP|vss.SnapshotContext(vss.VSS_VOLSNAP_ATTR_NO_WRITERS|vss.VSS_VOLSNAP_ATTR_TRANSPORTABLE), `D:\`)
		return managed(t, c, bcd)
	}
	exposed := func(t testing.TB, c *sim.Coordinator) *sim.BackupComponents {
		o := persistent(t, c)
		_, err := o.ExposeSnapshot(sysSnap, "", vss.VSS_VOLSNAP_ATTR_EXPOSED_LOCALLY, "X:")
		require.NoError(t, err)
		return o
	}
	reverting := func(t testing.TB, c *sim.Coordinator) *sim.BackupComponents {
		o := persistent(t, c)
		require.NoError(t, o.RevertToSnapshot(sysSnap, true))
		return o
	}
	recovery := func(t testing.TB, c *sim.Coordinator) *sim.BackupComponents {
		_, snap, saved := makeSet(t, c, nasRollbackNoWriters, `D:\`)
		hwSnap = snap
		o := c.NewBackupComponents()
		require.NoError(t, o.InitializeForRestore(saved))
		return o
	}
	withGather := func(t testing.TB, c *sim.Coordinator) *sim.BackupComponents {
		newWriters(t, c, 1)
		o := c.NewBackupComponents()
		backupTo(t, o, "GatherWriterMetadata")
		return o
	}
	return map[string]exCase{
		"ImportSnapshots": {transportable, func(o *sim.BackupComponents) (vss.Async, error) { return o.ImportSnapshots() }},
		"BreakSnapshotSet": {persistent, sync(func(o *sim.BackupComponents) error {
			return o.BreakSnapshotSet(hwSet)
		})},
		"BreakSnapshotSetEx": {persistent, func(o *sim.BackupComponents) (vss.Async, error) {
			return o.BreakSnapshotSetEx(hwSet, vss.VSS_BREAKEX_FLAG_MAKE_READ_WRITE)
		}},
		"ExposeSnapshot": {persistent, sync(func(o *sim.BackupComponents) error {
			_, err := o.ExposeSnapshot(hwSnap, `\data`, vss.VSS_VOLSNAP_ATTR_EXPOSED_REMOTELY, "DataShare")
			return err
		})},
		"UnexposeSnapshot":  {exposed, sync(func(o *sim.BackupComponents) error { return o.UnexposeSnapshot(sysSnap) })},
		"RevertToSnapshot":  {persistent, sync(func(o *sim.BackupComponents) error { return o.RevertToSnapshot(sysSnap, true) })},
		"QueryRevertStatus": {reverting, func(o *sim.BackupComponents) (vss.Async, error) { return o.QueryRevertStatus(`C:\`) }},
		"GetWriterMetadataEx": {withGather, sync(func(o *sim.BackupComponents) error {
			_, _, err := o.GetWriterMetadataEx(0)
			return err
		})},
		"AddSnapshotToRecoverySet": {recovery, sync(func(o *sim.BackupComponents) error {
			return o.AddSnapshotToRecoverySet(hwSnap, 0, "")
		})},
		"RecoverSet": {func(t testing.TB, c *sim.Coordinator) *sim.BackupComponents {
			o := recovery(t, c)
			require.NoError(t, o.AddSnapshotToRecoverySet(hwSnap, 0, ""))
			return o
		}, func(o *sim.BackupComponents) (vss.Async, error) {
			return o.RecoverSet(vss.VSS_RECOVERY_NO_VOLUME_CHECK)
		}},
		"GetSessionId": {persistent, sync(func(o *sim.BackupComponents) error { _, err := o.GetSessionId(); return err })},
		"GetRootAndLogicalPrefixPaths": {persistent, sync(func(o *sim.BackupComponents) error {
			_, _, err := o.GetRootAndLogicalPrefixPaths(`C:\Users\x.txt`, false)
			return err
		})},
		"PreFastRecovery": {persistent, nil}, // reserved: never succeeds
		"FastRecovery":    {persistent, nil},
	}
}

// exMethods are the methods TestExCodesCanBeInjected covers (in place of
// TestEveryDocumentedCodeCanBeInjected, whose world has no hardware
// provider).
func exMethods() map[string]bool {
	out := map[string]bool{}
	for m := range exCases(nil) {
		out[m] = true
	}
	return out
}

// Every documented failure code of the management and Ex–Ex4 methods can be
// injected on a legal call, which then changes nothing: the same call
// succeeds right after; their async results likewise.
func TestExCodesCanBeInjected(t *testing.T) {
	cases := exCases(t)
	var methods []string
	for m := range cases {
		methods = append(methods, m)
	}
	sort.Strings(methods)
	for _, m := range methods {
		fc := cases[m]
		_, documented := sim.ReturnCodes[m]
		require.True(t, documented, m)
		if fc.call == nil {
			continue
		}
		for _, hr := range sim.ReturnCodes[m] {
			if !hr.Failed() {
				continue
			}
			t.Run(m+"/"+hr.String(), func(t *testing.T) {
				c := exWorld(t, sim.DefaultOptions())
				o := fc.setup(t, c)
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
		for _, hr := range sim.AsyncResults[m] {
			t.Run(m+"/async/"+hr.String(), func(t *testing.T) {
				c := exWorld(t, sim.DefaultOptions())
				o := fc.setup(t, c)
				require.NoError(t, c.InjectFault(sim.Fault{Method: m, HR: hr, Async: true, Times: 1}))
				require.Equal(t, hr, wait(t, func() (vss.Async, error) { return fc.call(o) }))
			})
		}
	}
	for _, m := range []string{"PreFastRecovery", "FastRecovery"} {
		c := exWorld(t, sim.DefaultOptions())
		o := c.NewBackupComponents()
		_, err := o.PreFastRecovery(vss.ID{}, 0)
		requireHR(t, vss.E_NOTIMPL, err)
		_, err = o.FastRecovery(vss.ID{}, 0)
		requireHR(t, vss.E_NOTIMPL, err)
		_ = m
	}
}

// VShadow -el and -er (expose.cpp, shadow.cpp): a persistent shadow copy
// exposed locally and a share, then unexposed; GetSnapshotProperties and
// Query show the exposed names and attributes.
func TestExposeAsVShadowDoes(t *testing.T) {
	c := exWorld(t, sim.DefaultOptions())
	_, snap, _ := makeSet(t, c, vss.VSS_CTX_APP_ROLLBACK|vss.SnapshotContext(vss.VSS_VOLSNAP_ATTR_NO_WRITERS), `C:\`)
	_, backupSnap, _ := func() (vss.ID, vss.ID, string) {
		o := c.NewBackupComponents()
		require.NoError(t, o.InitializeForBackup(""))
		require.NoError(t, o.SetContext(vss.VSS_CTX_FILE_SHARE_BACKUP))
		set, err := o.StartSnapshotSet()
		require.NoError(t, err)
		id, err := o.AddToSnapshotSet(`D:\`, vss.ID{})
		require.NoError(t, err)
		mustFinish(t, o.DoSnapshotSet)
		t.Cleanup(func() { _ = o.Release() })
		return set, id, ""
	}()
	o := managed(t, c, "")
	p, err := o.GetSnapshotProperties(snap)
	require.NoError(t, err)
	require.Empty(t, p.ExposedName)
	_, err = o.ExposeSnapshot(snap, "", vss.VSS_VOLSNAP_ATTR_EXPOSED_LOCALLY, `E:\mnt\snap`)
	requireHR(t, vss.E_INVALIDARG, err) // E: is no volume here
	_, err = o.ExposeSnapshot(snap, "", vss.VSS_VOLSNAP_ATTR_EXPOSED_LOCALLY, `C:`)
	requireHR(t, vss.E_INVALIDARG, err) // C: is in use
	_, err = o.ExposeSnapshot(snap, "", vss.VSS_VOLSNAP_ATTR_EXPOSED_LOCALLY, `N:\`)
	requireHR(t, vss.E_INVALIDARG, err) // hobocopy#15
	got, err := o.ExposeSnapshot(snap, "", vss.VSS_VOLSNAP_ATTR_EXPOSED_LOCALLY, `C:\mnt\snap`)
	require.NoError(t, err)
	require.Equal(t, `C:\mnt\snap\`, got)
	p, err = o.GetSnapshotProperties(snap)
	require.NoError(t, err)
	require.Equal(t, `C:\mnt\snap\`, p.ExposedName)
	require.NotZero(t, p.SnapshotAttributes&vss.VSS_VOLSNAP_ATTR_EXPOSED_LOCALLY)
	_, err = o.ExposeSnapshot(snap, "", vss.VSS_VOLSNAP_ATTR_EXPOSED_LOCALLY, "X:")
	requireHR(t, vss.E_INVALIDARG, err) // already exposed
	require.NoError(t, o.UnexposeSnapshot(snap))
	requireHR(t, vss.VSS_E_OBJECT_NOT_FOUND, o.UnexposeSnapshot(snap))
	// -er: a non-persistent shadow copy can be shared, not mounted.
	_, err = o.ExposeSnapshot(backupSnap, "", vss.VSS_VOLSNAP_ATTR_EXPOSED_LOCALLY, "X:")
	requireHR(t, vss.E_INVALIDARG, err)
	got, err = o.ExposeSnapshot(backupSnap, `\dirTwo`, vss.VSS_VOLSNAP_ATTR_EXPOSED_REMOTELY, "")
	require.NoError(t, err)
	require.NotEmpty(t, got, "VSS chooses the share name")
	props, err := o.Query(vss.ID{}, vss.VSS_OBJECT_NONE, vss.VSS_OBJECT_SNAPSHOT)
	require.NoError(t, err)
	var shared []string
	for _, p := range props {
		if p.Snap.ExposedName != "" {
			shared = append(shared, p.Snap.ExposedName+" "+p.Snap.ExposedPath)
			require.NotZero(t, p.Snap.SnapshotAttributes&vss.VSS_VOLSNAP_ATTR_EXPOSED_REMOTELY)
		}
	}
	require.Equal(t, []string{got + ` \dirTwo`}, shared)

	opts := sim.DefaultOptions()
	opts.Ex.ExposeNonPersistentIsBadState = true
	c2 := exWorld(t, opts)
	o2 := c2.NewBackupComponents()
	require.NoError(t, o2.InitializeForBackup(""))
	require.NoError(t, o2.SetContext(vss.VSS_CTX_FILE_SHARE_BACKUP))
	_, err = o2.StartSnapshotSet()
	require.NoError(t, err)
	id, err := o2.AddToSnapshotSet(`C:\`, vss.ID{})
	require.NoError(t, err)
	mustFinish(t, o2.DoSnapshotSet)
	_, err = o2.ExposeSnapshot(id, "", vss.VSS_VOLSNAP_ATTR_EXPOSED_LOCALLY, "X:")
	requireBadState(t, "§1.2 ExposeSnapshot", err)
	require.NoError(t, o2.Release())
}

// VShadow -revert (revert.cpp): GetSnapshotProperties, RevertToSnapshot,
// QueryRevertStatus(original volume), Wait. The revert takes
// ExOptions.RevertDuration of virtual time and cannot be cancelled.
func TestRevertAsVShadowDoes(t *testing.T) {
	c := exWorld(t, sim.DefaultOptions())
	_, snap, _ := makeSet(t, c, vss.VSS_CTX_APP_ROLLBACK|vss.SnapshotContext(vss.VSS_VOLSNAP_ATTR_NO_WRITERS), `C:\`)
	_, backupSnap, _ := makeSet(t, c, vss.VSS_CTX_NAS_ROLLBACK, `D:\`)
	o := managed(t, c, "")
	p, err := o.GetSnapshotProperties(snap)
	require.NoError(t, err)
	start := c.Now()
	require.NoError(t, o.RevertToSnapshot(snap, true))
	requireHR(t, vss.VSS_E_REVERT_IN_PROGRESS, o.RevertToSnapshot(snap, true))
	a, err := o.QueryRevertStatus(p.OriginalVolumeName)
	require.NoError(t, err)
	st, err := a.Cancel()
	require.NoError(t, err)
	require.Equal(t, vss.S_OK, st)
	require.NoError(t, a.Wait(-1))
	st, err = a.QueryStatus()
	require.NoError(t, err)
	require.Equal(t, vss.VSS_S_ASYNC_FINISHED, st, "a revert cannot be cancelled")
	require.Equal(t, 10*time.Second, c.Now()-start)
	_, err = o.QueryRevertStatus(p.OriginalVolumeName)
	requireHR(t, vss.VSS_E_OBJECT_NOT_FOUND, err) // nothing left to track
	_, err = o.GetSnapshotProperties(snap)
	requireHR(t, vss.VSS_E_OBJECT_NOT_FOUND, err) // reverted to, then deleted (RevertKeepsSnapshot false)
	require.NoError(t, c.SetVolumeInUse(`D:\`, true))
	requireHR(t, vss.VSS_E_VOLUME_IN_USE, o.RevertToSnapshot(backupSnap, false))
	require.NoError(t, o.RevertToSnapshot(backupSnap, true))
	require.NoError(t, o.Release())

	u := c.NewBackupComponents()
	requireBadState(t, "§8 C14 management", u.RevertToSnapshot(snap, true))
}

// VShadow -b, -bw, -bex: hardware sets break, others are vetoed; breaking
// to read-write volumes makes them volumes; reverting disk identities of a
// set whose original LUNs are here fails.
func TestBreakAsVShadowDoes(t *testing.T) {
	c := exWorld(t, sim.DefaultOptions())
	hwSet, hwSnap, _ := makeSet(t, c, nasRollbackNoWriters, `D:\`)
	sysSet, _, _ := makeSet(t, c, nasRollbackNoWriters, `C:\`)
	o := managed(t, c, "")
	requireHR(t, vss.VSS_E_PROVIDER_VETO, o.BreakSnapshotSet(sysSet))
	require.Equal(t, vss.VSS_E_BREAK_REVERT_ID_FAILED, wait(t, func() (vss.Async, error) {
		return o.BreakSnapshotSetEx(hwSet, vss.VSS_BREAKEX_FLAG_REVERT_IDENTITY_ALL)
	}))
	p, err := o.GetSnapshotProperties(hwSnap)
	require.NoError(t, err)
	mustFinish(t, func() (vss.Async, error) { return o.BreakSnapshotSetEx(hwSet, vss.VSS_BREAKEX_FLAG_MAKE_READ_WRITE) })
	_, err = o.GetSnapshotProperties(hwSnap)
	requireHR(t, vss.VSS_E_OBJECT_NOT_FOUND, err)
	ok, err := o.IsVolumeSupported(vss.ID{}, p.SnapshotDeviceObject+`\`)
	require.NoError(t, err)
	require.True(t, ok, "the broken shadow copy is a plain volume now")
	requireHR(t, vss.VSS_E_OBJECT_NOT_FOUND, o.BreakSnapshotSet(hwSet))
	_, err = o.BreakSnapshotSetEx(hwSet, vss.VSS_BREAKEX_FLAG_REVERT_IDENTITY_ALL|vss.VSS_BREAKEX_FLAG_REVERT_IDENTITY_NONE)
	requireHR(t, vss.E_INVALIDARG, err)
	require.NoError(t, o.Release())
}

// VShadow -t then -i (create.cpp ImportSnapshotSet): a transportable set
// survives its creator's Release and is imported with the saved BCD.
func TestImportAsVShadowDoes(t *testing.T) {
	c := exWorld(t, sim.DefaultOptions())
	set, snap, bcd := makeSet(t, c, vss.VSS_CTX_BACKUP|vss.SnapshotContext(vss.VSS_VOLSNAP_ATTR_NO_WRITERS|vss.VSS_VOLSNAP_ATTR_TRANSPORTABLE), `D:\`)
	o := managed(t, c, bcd)
	a, err := o.ImportSnapshots()
	require.NoError(t, err)
	other := managed(t, c, bcd)
	_, err = other.ImportSnapshots()
	require.NoError(t, err, "the first import finished at once")
	require.NoError(t, a.Wait(-1))
	p, err := o.GetSnapshotProperties(snap)
	require.NoError(t, err)
	require.NotZero(t, p.SnapshotAttributes&vss.VSS_VOLSNAP_ATTR_IMPORTED)
	_, err = o.ImportSnapshots()
	requireBadState(t, "§1.2 ImportSnapshots", err)
	mustFinish(t, func() (vss.Async, error) { return o.BreakSnapshotSetEx(set, vss.VSS_BREAKEX_FLAG_REVERT_IDENTITY_ALL) })
	plain := managed(t, c, "")
	_, err = plain.ImportSnapshots()
	requireBadState(t, "§1.2 ImportSnapshots", err)
	for _, x := range []*sim.BackupComponents{o, other, plain} {
		require.NoError(t, x.Release())
	}
}

// VShadow -resync (break.cpp DoResync): InitializeForRestore(BCD),
// AddSnapshotToRecoverySet per shadow copy, RecoverSet, Wait.
func TestResyncAsVShadowDoes(t *testing.T) {
	c := exWorld(t, sim.DefaultOptions())
	_, snap, bcd := makeSet(t, c, nasRollbackNoWriters, `D:\`)
	_, other, _ := makeSet(t, c, nasRollbackNoWriters, `D:\`)
	b := managed(t, c, "")
	requireBadState(t, "§1.2 RecoverSet", b.AddSnapshotToRecoverySet(snap, 0, ""))
	o := c.NewBackupComponents()
	require.NoError(t, o.InitializeForRestore(bcd))
	_, err := o.RecoverSet(0)
	requireBadState(t, "§1.2 RecoverSet", err)
	requireHR(t, vss.VSS_E_SNAPSHOT_NOT_IN_SET, o.AddSnapshotToRecoverySet(other, 0, ""))
	requireHR(t, vss.E_INVALIDARG, o.AddSnapshotToRecoverySet(snap, 1, ""))
	require.NoError(t, o.AddSnapshotToRecoverySet(snap, 0, ""))
	mustFinish(t, func() (vss.Async, error) { return o.RecoverSet(vss.VSS_RECOVERY_REVERT_IDENTITY_ALL) })
	_, err = o.RecoverSet(0)
	requireBadState(t, "§1.2 RecoverSet", err)
	id, err := o.GetSessionId()
	require.NoError(t, err)
	id2, err := o.GetSessionId()
	require.NoError(t, err)
	require.Equal(t, id, id2)
	id3, err := b.GetSessionId()
	require.NoError(t, err)
	require.NotEqual(t, id, id3)
	for _, x := range []*sim.BackupComponents{o, b} {
		require.NoError(t, x.Release())
	}
}

func TestGetRootAndLogicalPrefixPaths(t *testing.T) {
	c := exWorld(t, sim.DefaultOptions())
	c.AddVolume(sim.Volume{Name: `C:\mnt\data\`, GUIDName: `\\?\Volume{00000000-0000-0000-0000-00000000da7a}\`})
	o := managed(t, c, "")
	for _, tc := range []struct {
		path, root, prefix string
		fqdn               bool
		hr                 vss.HRESULT
	}{
		{path: `C:\mnt\data\x\y.txt`, root: `C:\mnt\data\`, prefix: `\\?\Volume{00000000-0000-0000-0000-00000000da7a}\`},
		{path: `\\fs1\share\dir`, root: `\\fs1\share\`, prefix: `\\fs1\share\`},
		{path: `\\fs1\share\dir`, fqdn: true, root: `\\fs1.vsssim.test\share\`, prefix: `\\fs1\share\`},
		{path: `Q:\x`, hr: vss.VSS_E_OBJECT_NOT_FOUND},
		{path: `relative\x`, hr: vss.E_INVALIDARG},
		{path: `\\server`, hr: vss.E_INVALIDARG},
	} {
		root, prefix, err := o.GetRootAndLogicalPrefixPaths(tc.path, tc.fqdn)
		if tc.hr != 0 {
			requireHR(t, tc.hr, err)
			continue
		}
		require.NoError(t, err, tc.path)
		require.Equal(t, [2]string{tc.root, tc.prefix}, [2]string{root, prefix}, tc.path)
	}
	root, prefix, err := o.GetRootAndLogicalPrefixPaths(`C:\Windows`, false)
	require.NoError(t, err)
	require.Equal(t, `C:\`, root)
	require.Contains(t, prefix, `\\?\Volume{`)
	require.NoError(t, o.Release())
}
