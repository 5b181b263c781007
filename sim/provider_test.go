package sim_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"

	"github.com/vsssim/vsssim/fakewriter"
	"github.com/vsssim/vsssim/requestor/vss"
	"github.com/vsssim/vsssim/sim"
)

// qgaProviderID is the id qemu-ga registers its provider under
// (qga/vss-win32: g_gProviderId).
var qgaProviderID = vss.MustParseID("3629d4ed-ee09-4e0e-9a5c-6d8ba2872aef")

// providerWorld is a coordinator with two writers and a software provider
// whose hook is hook.
func providerWorld(t testing.TB, hook sim.ProviderHook) (*sim.Coordinator, []*fakewriter.Writer) {
	t.Helper()
	c := sim.NewDefault()
	ws := newWriters(t, c, 2)
	c.AddProvider(sim.Provider{ID: qgaProviderID, Name: "QEMU Guest Agent VSS Provider", Type: vss.VSS_PROV_SOFTWARE,
		Version: "1.0", Hook: hook})
	return c, ws
}

// createWith runs a backup up to DoSnapshotSet on the hooked provider and
// returns the DoSnapshotSet async.
func createWith(t testing.TB, c *sim.Coordinator) (*sim.BackupComponents, vss.Async) {
	t.Helper()
	o := c.NewBackupComponents()
	require.NoError(t, o.InitializeForBackup(""))
	require.NoError(t, o.SetBackupState(false, false, vss.VSS_BT_FULL, false))
	mustFinish(t, o.GatherWriterMetadata)
	_, err := o.StartSnapshotSet()
	require.NoError(t, err)
	_, err = o.AddToSnapshotSet(`C:\`, qgaProviderID)
	require.NoError(t, err)
	mustFinish(t, o.PrepareForBackup)
	a, err := o.DoSnapshotSet()
	require.NoError(t, err)
	return o, a
}

// qemu-ga's case: its provider learns the commit instant in
// CommitSnapshots, with every writer frozen, and holds there while the
// guest agent freezes the file systems; the requestor polls QueryStatus
// meanwhile (10 ms in qga/vss-win32/requester.cpp).
func TestProviderHooksSeeFrozenWriters(t *testing.T) {
	var calls []sim.ProviderCall
	c, _ := providerWorld(t, func(call *sim.ProviderCall) vss.HRESULT {
		if call.Point == sim.CommitSnapshots {
			call.Duration = 2 * time.Second // the guest file systems are frozen meanwhile
		}
		calls = append(calls, *call)
		return vss.S_OK
	})
	o, a := createWith(t, c)
	polls := 0
	for {
		polls++
		st, err := a.QueryStatus()
		require.NoError(t, err)
		if st != vss.VSS_S_ASYNC_PENDING {
			require.Equal(t, vss.VSS_S_ASYNC_FINISHED, st)
			break
		}
	}
	require.Equal(t, 2*time.Second, c.Now())
	require.Equal(t, 1, polls, "the commit is the one timed event")
	frozen := []string{"Writer 01", "Writer 02"}
	var got []string
	for _, call := range calls {
		require.Equal(t, frozen, call.Frozen, "%s: writers frozen", call.Point)
		require.Equal(t, []string{`C:\`}, call.Volumes)
		got = append(got, string(call.Point)+"@"+call.Now.String())
	}
	want := []string{"PreCommitSnapshots@0s", "CommitSnapshots@0s", "PostCommitSnapshots@2s"}
	if d := cmp.Diff(want, got); d != "" {
		t.Fatalf("provider calls (-want +got):\n%s", d)
	}
	require.Len(t, c.ShadowCopies(), 1)
	trace := c.Trace().String()
	require.Contains(t, trace, "event  CommitSnapshots -> provider QEMU Guest Agent VSS Provider (frozen: Writer 01, Writer 02)")
	require.Contains(t, trace, "reply  CommitSnapshots <- provider QEMU Guest Agent VSS Provider ok after 2s")
	require.NoError(t, o.Release())
}

// A provider failure aborts the creation: the frozen writers get Abort, no
// shadow copy is left, and DoSnapshotSet's async result is the provider
// code (or VSS_E_UNEXPECTED_PROVIDER_ERROR for a code the provider pages
// do not pass on).
func TestProviderHookFailures(t *testing.T) {
	for _, tc := range []struct {
		point sim.CommitPoint
		hr    vss.HRESULT
		want  vss.HRESULT
	}{
		{sim.PreCommitSnapshots, vss.VSS_E_PROVIDER_VETO, vss.VSS_E_PROVIDER_VETO},
		{sim.CommitSnapshots, vss.VSS_E_UNEXPECTED_PROVIDER_ERROR, vss.VSS_E_UNEXPECTED_PROVIDER_ERROR},
		{sim.CommitSnapshots, vss.VSS_E_OBJECT_NOT_FOUND, vss.VSS_E_UNEXPECTED_PROVIDER_ERROR},
		{sim.PostCommitSnapshots, vss.E_FAIL, vss.VSS_E_UNEXPECTED_PROVIDER_ERROR},
		{sim.PostCommitSnapshots, vss.E_OUTOFMEMORY, vss.E_OUTOFMEMORY},
	} {
		t.Run(string(tc.point)+"/"+tc.hr.String(), func(t *testing.T) {
			c, ws := providerWorld(t, func(call *sim.ProviderCall) vss.HRESULT {
				if call.Point == tc.point {
					return tc.hr
				}
				return vss.S_OK
			})
			o, a := createWith(t, c)
			require.NoError(t, a.Wait(-1))
			st, err := a.QueryStatus()
			require.NoError(t, err)
			require.Equal(t, tc.want, st)
			require.True(t, sim.IsDocumentedAsync("DoSnapshotSet", st), "%v is a documented async result", st)
			require.Empty(t, c.ShadowCopies())
			require.Contains(t, ws[0].Events(), sim.EventAbort)
			require.NotContains(t, ws[0].Events(), sim.EventThaw)
			_, err = o.BackupComplete()
			requireBadState(t, "§2.3#16", err)
			require.NoError(t, o.AbortBackup())
			require.NoError(t, o.Release())
		})
	}
}

// CommitSnapshots runs inside the hold window: past Options.HoldWindow the
// creation fails with VSS_E_HOLD_WRITES_TIMEOUT when the window closes.
// A PreCommitSnapshots that outlasts a writer's freeze timeout fails the
// creation with the writer's timeout.
func TestProviderHookTiming(t *testing.T) {
	c, _ := providerWorld(t, func(call *sim.ProviderCall) vss.HRESULT {
		if call.Point == sim.CommitSnapshots {
			call.Duration = 11 * time.Second
		}
		return vss.S_OK
	})
	_, a := createWith(t, c)
	require.NoError(t, a.Wait(-1))
	st, _ := a.QueryStatus()
	require.Equal(t, vss.VSS_E_HOLD_WRITES_TIMEOUT, st)
	require.Equal(t, 10*time.Second, c.Now())

	c, _ = providerWorld(t, func(call *sim.ProviderCall) vss.HRESULT {
		if call.Point == sim.PreCommitSnapshots {
			call.Duration = 2 * time.Minute
		}
		return vss.S_OK
	})
	_, a = createWith(t, c)
	require.NoError(t, a.Wait(-1))
	st, _ = a.QueryStatus()
	require.Equal(t, vss.VSS_E_WRITERERROR_TIMEOUT, st, "the freeze timeout (60 s) ran out during PreCommitSnapshots")
	require.Equal(t, time.Minute, c.Now())
}

// A hook that panics is a provider error, not a crash.
func TestProviderHookPanics(t *testing.T) {
	c, _ := providerWorld(t, func(call *sim.ProviderCall) vss.HRESULT { panic("provider bug") })
	_, a := createWith(t, c)
	require.NoError(t, a.Wait(-1))
	st, _ := a.QueryStatus()
	require.Equal(t, vss.VSS_E_UNEXPECTED_PROVIDER_ERROR, st)
	require.Contains(t, c.Trace().String(), "panicked: provider bug")
}

// qemu-ga's provider holds in CommitSnapshots until the guest agent's thaw,
// and the agent then waits for DoSnapshotSet: with HoldUntilWait the
// requestor's polls see VSS_S_ASYNC_PENDING (moving the clock by the poll
// quantum, 10 ms), time passes while the guest is frozen, and the Wait
// ends the hold.
func TestProviderHoldUntilWait(t *testing.T) {
	hold := func(call *sim.ProviderCall) vss.HRESULT {
		call.HoldUntilWait = call.Point == sim.CommitSnapshots
		return vss.S_OK
	}
	c, _ := providerWorld(t, hold)
	o, a := createWith(t, c)
	for range 3 {
		st, err := a.QueryStatus()
		require.NoError(t, err)
		require.Equal(t, vss.VSS_S_ASYNC_PENDING, st, "frozen until the thaw")
	}
	require.Equal(t, 30*time.Millisecond, c.Now())
	c.Advance(2 * time.Second) // the guest file systems stay frozen
	st, err := a.QueryStatus()
	require.NoError(t, err)
	require.Equal(t, vss.VSS_S_ASYNC_PENDING, st)
	require.NoError(t, a.Wait(-1))
	st, _ = a.QueryStatus()
	require.Equal(t, vss.VSS_S_ASYNC_FINISHED, st)
	require.Equal(t, 2*time.Second+40*time.Millisecond, c.Now())
	require.Contains(t, c.Trace().String(), "released by the requestor's Wait")
	require.Len(t, c.ShadowCopies(), 1)
	require.NoError(t, o.Release())

	// Without the thaw the hold window closes first.
	c, _ = providerWorld(t, hold)
	_, a = createWith(t, c)
	c.Advance(time.Minute)
	st, _ = a.QueryStatus()
	require.Equal(t, vss.VSS_E_HOLD_WRITES_TIMEOUT, st)

	// Release while held ends the hold (and the backup).
	c, _ = providerWorld(t, hold)
	o, _ = createWith(t, c)
	require.NoError(t, o.AbortBackup())
	require.NoError(t, o.Release())
	require.Zero(t, c.Now())
}
