package sim_test

import (
	"runtime"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/vsssim/vsssim/fakewriter"
	"github.com/vsssim/vsssim/internal/testenv"
	"github.com/vsssim/vsssim/requestor/vss"
	"github.com/vsssim/vsssim/sim"
)

// freezeTimeoutScenario: a front-end writer freezes at once; a back-end
// writer spends 70 s in OnFreeze. The front-end writer's 60 s freeze timer
// expires first (REFERENCE §4.5), and so does the back-end writer's.
func freezeTimeoutScenario(t testing.TB) (*sim.Coordinator, *sim.BackupComponents, []*fakewriter.Writer) {
	t.Helper()
	c := sim.NewDefault()
	front := fakewriter.New("Front")
	back := fakewriter.New("Back").On(sim.EventFreeze, fakewriter.Behavior{Latency: 70 * time.Second})
	back.Config.Level = vss.VSS_APP_BACK_END
	for _, w := range []*fakewriter.Writer{front, back} {
		_, err := w.Subscribe(c)
		require.NoError(t, err)
	}
	o := c.NewBackupComponents()
	backupTo(t, o, "PrepareForBackup")
	return c, o, []*fakewriter.Writer{front, back}
}

func TestFreezeTimeout(t *testing.T) {
	c, o, ws := freezeTimeoutScenario(t)
	start := time.Now()
	st := wait(t, o.DoSnapshotSet)
	wall := time.Since(start)
	require.Equal(t, vss.VSS_E_WRITERERROR_TIMEOUT, st, "DoSnapshotSet fails with the timed-out writer's code (§8 C11)")
	require.Equal(t, 60*time.Second, c.Now(), "the abort happens exactly when the 60 s timer expires")
	rows := statuses(t, o)
	st1, f1 := stateOf(t, rows, "Front")
	require.Equal(t, vss.VSS_WS_FAILED_AT_THAW, st1)
	require.Equal(t, vss.VSS_E_WRITERERROR_TIMEOUT, f1)
	st2, f2 := stateOf(t, rows, "Back")
	require.Equal(t, vss.VSS_WS_FAILED_AT_FREEZE, st2)
	require.Equal(t, vss.VSS_E_WRITERERROR_TIMEOUT, f2)
	for _, w := range ws {
		require.Equal(t, []sim.Event{sim.EventIdentify, sim.EventPrepareForBackup, sim.EventPrepareForSnapshot,
			sim.EventFreeze, sim.EventAbort}, w.Events(), w.Config.Name)
	}
	require.Empty(t, c.ShadowCopies())
	require.NoError(t, o.AbortBackup())
	require.NoError(t, o.Release())
	t.Logf("a 60 s freeze timeout took %v of wall time", wall)
	// The budget holds for native builds; under the race detector or Wine
	// (the Windows test build in CI) only the virtual-time result counts.
	if !raceEnabled && !testenv.Wine() && wall > 20*time.Millisecond {
		t.Errorf("waiting out a 60 s freeze timeout took %v of wall time", wall)
	}
}

// A per-writer freeze timeout (dwTimeoutFreeze) and a slow commit.
func TestFreezeTimeoutPerWriterAndCommit(t *testing.T) {
	c := sim.NewDefault()
	w := fakewriter.New("Short")
	w.Config.FreezeTimeout = 5 * time.Second
	_, err := w.Subscribe(c)
	require.NoError(t, err)
	require.NoError(t, c.SetProviderTiming(sim.SystemProviderID, 3*time.Second, 3*time.Second))
	o := c.NewBackupComponents()
	backupTo(t, o, "PrepareForBackup")
	st := wait(t, o.DoSnapshotSet)
	require.Equal(t, vss.VSS_E_WRITERERROR_TIMEOUT, st, "3 s flush + 3 s hold > 5 s freeze timeout")
	require.Equal(t, 5*time.Second, c.Now())
}

func TestFlushAndHoldWindows(t *testing.T) {
	for _, tc := range []struct {
		name        string
		flush, hold time.Duration
		want        vss.HRESULT
		at          time.Duration
	}{
		{"flush too slow", 11 * time.Second, 0, vss.VSS_E_FLUSH_WRITES_TIMEOUT, 10 * time.Second},
		{"hold too long", 2 * time.Second, 11 * time.Second, vss.VSS_E_HOLD_WRITES_TIMEOUT, 12 * time.Second},
		{"within both windows", 4 * time.Second, 9 * time.Second, vss.VSS_S_ASYNC_FINISHED, 13 * time.Second},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := sim.NewDefault()
			ws := newWriters(t, c, 1)
			require.NoError(t, c.SetProviderTiming(sim.SystemProviderID, tc.flush, tc.hold))
			o := c.NewBackupComponents()
			backupTo(t, o, "PrepareForBackup")
			require.Equal(t, tc.want, wait(t, o.DoSnapshotSet))
			require.Equal(t, tc.at, c.Now())
			if tc.want.Failed() {
				require.Equal(t, sim.EventAbort, ws[0].Events()[4], "frozen writers get Abort")
				require.Empty(t, c.ShadowCopies())
			}
		})
	}
}

// Wait that times out returns S_OK and leaves the status pending
// (REFERENCE §3 semantics 1, §8 C10).
func TestWaitTimeoutLeavesPending(t *testing.T) {
	c := sim.NewDefault()
	w := fakewriter.New("Slow").On(sim.EventIdentify, fakewriter.Behavior{Latency: 10 * time.Second})
	_, err := w.Subscribe(c)
	require.NoError(t, err)
	o := c.NewBackupComponents()
	require.NoError(t, o.InitializeForBackup(""))
	a, err := o.GatherWriterMetadata()
	require.NoError(t, err)
	// Status, not QueryStatus: a QueryStatus would be a poll and move the
	// clock (Options.Poll; TestPollingMatchesWait).
	require.Equal(t, vss.VSS_S_ASYNC_PENDING, a.(*sim.Async).Status())
	require.NoError(t, a.Wait(time.Second))
	require.Equal(t, vss.VSS_S_ASYNC_PENDING, a.(*sim.Async).Status())
	require.Equal(t, time.Second, c.Now())
	_, err = o.GetWriterMetadataCount()
	requireBadState(t, "§2.3#7", err)
	require.NoError(t, a.Wait(-1))
	st, err := a.QueryStatus()
	require.NoError(t, err)
	require.Equal(t, vss.VSS_S_ASYNC_FINISHED, st)
	require.Equal(t, 10*time.Second, c.Now())
	require.NoError(t, a.Wait(time.Hour), "Wait on a finished operation returns at once")
	require.Equal(t, 10*time.Second, c.Now())
}

// Option WaitReturnsOperationError: Wait returns the failure.
func TestWaitReturnsOperationError(t *testing.T) {
	opts := sim.DefaultOptions()
	opts.WaitReturnsOperationError = true
	c := sim.New(opts)
	newWriters(t, c, 1)
	o := c.NewBackupComponents()
	backupTo(t, o, "PrepareForBackup")
	require.NoError(t, c.InjectFault(sim.Fault{Method: "DoSnapshotSet", HR: vss.VSS_E_PROVIDER_VETO, Async: true}))
	a, err := o.DoSnapshotSet()
	require.NoError(t, err)
	requireHR(t, vss.VSS_E_PROVIDER_VETO, a.Wait(-1))
}

// IVssAsync::Cancel's four outcomes (REFERENCE §3).
func TestCancel(t *testing.T) {
	c := sim.NewDefault()
	ws := newWriters(t, c, 2)
	ws[1].On(sim.EventFreeze, fakewriter.Behavior{Latency: 5 * time.Second})
	o := c.NewBackupComponents()
	backupTo(t, o, "PrepareForBackup")
	a, err := o.DoSnapshotSet()
	require.NoError(t, err)
	hr, err := a.Cancel()
	require.NoError(t, err)
	require.Equal(t, vss.S_OK, hr, "cancelled a running operation")
	st, err := a.QueryStatus()
	require.NoError(t, err)
	require.Equal(t, vss.VSS_S_ASYNC_CANCELLED, st)
	hr, err = a.Cancel()
	require.NoError(t, err)
	require.Equal(t, vss.VSS_S_ASYNC_CANCELLED, hr, "already cancelled")

	// The writers finish Freeze (VSS cannot interrupt a handler), then get
	// Abort instead of Thaw; no shadow copy survives.
	require.NoError(t, o.AbortBackup())
	for _, w := range ws {
		require.Equal(t, []sim.Event{sim.EventIdentify, sim.EventPrepareForBackup, sim.EventPrepareForSnapshot,
			sim.EventFreeze, sim.EventAbort}, w.Events(), w.Config.Name)
	}
	require.Empty(t, c.ShadowCopies())
	require.NoError(t, o.Release())

	// Already finished.
	o = c.NewBackupComponents()
	require.NoError(t, o.InitializeForBackup(""))
	a, err = o.GatherWriterMetadata()
	require.NoError(t, err)
	require.NoError(t, a.Wait(-1))
	hr, err = a.Cancel()
	require.NoError(t, err)
	require.Equal(t, vss.VSS_S_ASYNC_FINISHED, hr)

	// Already failed: Cancel returns the operation's error.
	require.NoError(t, c.InjectFault(sim.Fault{Method: "GatherWriterStatus", HR: vss.VSS_E_WRITER_INFRASTRUCTURE, Async: true, Times: 1}))
	a, err = o.GatherWriterStatus()
	require.NoError(t, err)
	hr, err = a.Cancel()
	requireHR(t, vss.VSS_E_WRITER_INFRASTRUCTURE, err)
	require.Equal(t, vss.VSS_E_WRITER_INFRASTRUCTURE, hr)
	require.NoError(t, o.Release())
}

// A cancelled operation winds down on the virtual clock; until it has, the
// creation slot is still taken ([Obs] breeze: a failed Cancel is a plausible
// cause of a later VSS_E_SNAPSHOT_SET_IN_PROGRESS).
func TestCancelledCreationHoldsTheSlotUntilWritersAnswer(t *testing.T) {
	c := sim.NewDefault()
	ws := newWriters(t, c, 1)
	ws[0].On(sim.EventFreeze, fakewriter.Behavior{Latency: 5 * time.Second})
	o := c.NewBackupComponents()
	backupTo(t, o, "PrepareForBackup")
	a, err := o.DoSnapshotSet()
	require.NoError(t, err)
	_, err = a.Cancel()
	require.NoError(t, err)
	other := c.NewBackupComponents()
	require.NoError(t, other.InitializeForBackup(""))
	_, err = other.StartSnapshotSet()
	requireHR(t, vss.VSS_E_SNAPSHOT_SET_IN_PROGRESS, err)
	c.Advance(5 * time.Second)
	_, err = other.StartSnapshotSet()
	require.NoError(t, err)
	require.NoError(t, other.Release())
	require.NoError(t, o.Release())
}

// Misbehaving writers never crash or hang the simulator.
func TestMisbehavingWriters(t *testing.T) {
	t.Run("panic becomes a failure at that event", func(t *testing.T) {
		c := sim.NewDefault()
		w := fakewriter.New("Panicky").On(sim.EventPrepareForBackup, fakewriter.Behavior{Panic: "boom"})
		_, err := w.Subscribe(c)
		require.NoError(t, err)
		o := c.NewBackupComponents()
		backupTo(t, o, "PrepareForBackup")
		st, f := stateOf(t, statuses(t, o), "Panicky")
		require.Equal(t, vss.VSS_WS_FAILED_AT_PREPARE_BACKUP, st)
		require.Equal(t, vss.VSS_E_WRITERERROR_NONRETRYABLE, f)
		require.Contains(t, c.Trace().String(), "panicked: boom")
		mustFinish(t, o.DoSnapshotSet) // the failed writer dropped out
		require.NoError(t, o.Release())
		require.Equal(t, []sim.Event{sim.EventIdentify, sim.EventPrepareForBackup, sim.EventBackupShutdown}, w.Events())
	})
	t.Run("hang in Identify times out on the virtual clock", func(t *testing.T) {
		c := sim.NewDefault()
		w := fakewriter.New("Hung").On(sim.EventIdentify, fakewriter.Behavior{Hang: true})
		_, err := w.Subscribe(c)
		require.NoError(t, err)
		newWriters(t, c, 1)
		o := c.NewBackupComponents()
		require.NoError(t, o.InitializeForBackup(""))
		mustFinish(t, o.GatherWriterMetadata)
		require.Equal(t, 180*time.Second, c.Now(), "Options.EventTimeout")
		n, err := o.GetWriterMetadataCount()
		require.NoError(t, err)
		require.Equal(t, uint32(1), n, "the hung writer is left out")
		require.Contains(t, c.Trace().String(), "reply  Identify <- Hung no reply")
	})
	t.Run("hang in PostSnapshot", func(t *testing.T) {
		c := sim.NewDefault()
		w := fakewriter.New("Hung").On(sim.EventPostSnapshot, fakewriter.Behavior{Hang: true})
		_, err := w.Subscribe(c)
		require.NoError(t, err)
		o := c.NewBackupComponents()
		backupTo(t, o, "DoSnapshotSet")
		st, f := stateOf(t, statuses(t, o), "Hung")
		require.Equal(t, vss.VSS_WS_FAILED_AT_POST_SNAPSHOT, st)
		require.Equal(t, vss.VSS_E_WRITER_NOT_RESPONDING, f)
		require.NoError(t, o.Release())
	})
	t.Run("hang in PrepareForSnapshot: timeout failure, no Abort, creation goes on", func(t *testing.T) {
		c := sim.NewDefault()
		slow := fakewriter.New("Slow").On(sim.EventPrepareForSnapshot, fakewriter.Behavior{Hang: true})
		_, err := slow.Subscribe(c)
		require.NoError(t, err)
		newWriters(t, c, 1)
		o := c.NewBackupComponents()
		backupTo(t, o, "DoSnapshotSet")
		require.Equal(t, 180*time.Second, c.Now())
		st, f := stateOf(t, statuses(t, o), "Slow")
		require.Equal(t, vss.VSS_WS_FAILED_AT_PREPARE_SNAPSHOT, st)
		require.Equal(t, vss.VSS_E_WRITERERROR_TIMEOUT, f, "[Inf] REFERENCE §4.5")
		require.Len(t, c.ShadowCopies(), 1)
		require.NoError(t, o.Release())
		require.Equal(t, []sim.Event{sim.EventIdentify, sim.EventPrepareForBackup, sim.EventPrepareForSnapshot, sim.EventBackupShutdown}, slow.Events())
	})
	t.Run("garbage metadata", func(t *testing.T) {
		c := sim.NewDefault()
		w := fakewriter.New("Garbage").On(sim.EventIdentify, fakewriter.Behavior{Garbage: true})
		_, err := w.Subscribe(c)
		require.NoError(t, err)
		o := c.NewBackupComponents()
		require.NoError(t, o.InitializeForBackup(""))
		mustFinish(t, o.GatherWriterMetadata)
		n, err := o.GetWriterMetadataCount()
		require.NoError(t, err)
		require.Zero(t, n)
		require.Contains(t, c.Trace().String(), "invalid writer metadata, left out")
	})
	t.Run("SetWriterFailure misuse in Identify is reported", func(t *testing.T) {
		c := sim.NewDefault()
		w := fakewriter.New("Misuse").On(sim.EventIdentify, fakewriter.Behavior{Fail: vss.VSS_E_WRITERERROR_RETRYABLE})
		_, err := w.Subscribe(c)
		require.NoError(t, err)
		o := c.NewBackupComponents()
		require.NoError(t, o.InitializeForBackup(""))
		mustFinish(t, o.GatherWriterMetadata)
		n, err := o.GetWriterMetadataCount()
		require.NoError(t, err)
		require.Equal(t, uint32(1), n, "the fake writer skips SetWriterFailure in Identify")
	})
	t.Run("a handler that blocks for real is cut off by the hang guard", func(t *testing.T) {
		opts := sim.DefaultOptions()
		opts.HangGuard = 50 * time.Millisecond
		c := sim.New(opts)
		start := time.Now()
		release := make(chan struct{})
		defer close(release)
		_, err := c.Subscribe(&blocker{release: release}, sim.WriterConfig{ClassID: fakewriter.ClassID("Blocker"), Name: "Blocker"})
		require.NoError(t, err)
		o := c.NewBackupComponents()
		require.NoError(t, o.InitializeForBackup(""))
		mustFinish(t, o.GatherWriterMetadata)
		n, err := o.GetWriterMetadataCount()
		require.NoError(t, err)
		require.Zero(t, n)
		require.Contains(t, c.Trace().String(), "did not return within 50ms of wall time")
		require.Less(t, time.Since(start), 5*time.Second)
	})
}

// With a single worker the blocked handler would hold up the writers behind
// it: the guard replaces the worker, and they still get the event.
func TestHangGuardKeepsOtherWritersGoing(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	opts := sim.DefaultOptions()
	opts.HangGuard = 200 * time.Millisecond
	c := sim.New(opts)
	release := make(chan struct{})
	defer close(release)
	_, err := c.Subscribe(&blocker{release: release}, sim.WriterConfig{ClassID: fakewriter.ClassID("Blocker"), Name: "Blocker"})
	require.NoError(t, err)
	ws := newWriters(t, c, 3)
	o := c.NewBackupComponents()
	require.NoError(t, o.InitializeForBackup(""))
	mustFinish(t, o.GatherWriterMetadata)
	n, err := o.GetWriterMetadataCount()
	require.NoError(t, err)
	require.Equal(t, uint32(3), n)
	for _, w := range ws {
		require.Equal(t, []sim.Event{sim.EventIdentify}, w.Events())
	}
}

type blocker struct {
	sim.BaseWriter
	release chan struct{}
}

func (b *blocker) OnIdentify(*sim.WriterContext, *vss.CreateWriterMetadata) bool {
	<-b.release
	return true
}

// No goroutine is left behind after Release.
func TestNoGoroutineLeak(t *testing.T) {
	before := runtime.NumGoroutine()
	c := sim.NewDefault()
	ws := thirtyWriters(t, c)
	ws[3].On(sim.EventThaw, fakewriter.Behavior{Hang: true})
	ws[5].On(sim.EventPrepareForBackup, fakewriter.Behavior{Panic: "x"})
	o := c.NewBackupComponents()
	backupTo(t, o, "PrepareForBackup")
	_ = wait(t, o.DoSnapshotSet)
	require.NoError(t, o.AbortBackup())
	require.NoError(t, o.Release())
	deadline := time.Now().Add(2 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		runtime.Gosched()
		time.Sleep(time.Millisecond) // the test waits for goroutines to exit; the simulator never sleeps
	}
	require.LessOrEqual(t, runtime.NumGoroutine(), before, "goroutines left behind")
}

// §8 C4 and C11 options.
func TestVetoOptions(t *testing.T) {
	run := func(t *testing.T, opts sim.Options, b fakewriter.Behavior) (vss.HRESULT, []vss.WriterStatus) {
		c := sim.New(opts)
		w := fakewriter.New("Vetoer").On(sim.EventFreeze, b)
		_, err := w.Subscribe(c)
		require.NoError(t, err)
		o := c.NewBackupComponents()
		backupTo(t, o, "PrepareForBackup")
		st := wait(t, o.DoSnapshotSet)
		rows := statuses(t, o)
		require.NoError(t, o.Release())
		return st, rows
	}
	failTrue := fakewriter.Behavior{Fail: vss.VSS_E_WRITERERROR_RETRYABLE}
	t.Run("default: SetWriterFailure+true vetoes, result is the writer's code", func(t *testing.T) {
		st, rows := run(t, sim.DefaultOptions(), failTrue)
		require.Equal(t, vss.VSS_E_WRITERERROR_RETRYABLE, st)
		s, f := stateOf(t, rows, "Vetoer")
		require.Equal(t, vss.VSS_WS_FAILED_AT_FREEZE, s)
		require.Equal(t, vss.VSS_E_WRITERERROR_RETRYABLE, f)
	})
	t.Run("VetoResultUnexpectedWriterError", func(t *testing.T) {
		opts := sim.DefaultOptions()
		opts.SnapshotVetoResult = sim.VetoResultUnexpectedWriterError
		st, _ := run(t, opts, failTrue)
		require.Equal(t, vss.VSS_E_UNEXPECTED_WRITER_ERROR, st)
	})
	t.Run("VetoReturnFalse: SetWriterFailure+true is non-fatal", func(t *testing.T) {
		opts := sim.DefaultOptions()
		opts.Veto = sim.VetoReturnFalse
		st, rows := run(t, opts, failTrue)
		require.Equal(t, vss.VSS_S_ASYNC_FINISHED, st)
		s, f := stateOf(t, rows, "Vetoer")
		require.Equal(t, vss.VSS_WS_WAITING_FOR_BACKUP_COMPLETE, s)
		require.Equal(t, vss.VSS_E_WRITERERROR_RETRYABLE, f, "the failure is still reported")
	})
	t.Run("return false without SetWriterFailure", func(t *testing.T) {
		st, _ := run(t, sim.DefaultOptions(), fakewriter.Behavior{ReturnFalse: true})
		require.Equal(t, vss.VSS_E_WRITERERROR_NONRETRYABLE, st)
	})
	t.Run("Retryable(1) succeeds the second time", func(t *testing.T) {
		c := sim.NewDefault()
		w := fakewriter.New("Flaky").On(sim.EventFreeze, fakewriter.Retryable(1))
		_, err := w.Subscribe(c)
		require.NoError(t, err)
		o := c.NewBackupComponents()
		backupTo(t, o, "PrepareForBackup")
		require.Equal(t, vss.VSS_E_WRITERERROR_RETRYABLE, wait(t, o.DoSnapshotSet))
		require.NoError(t, o.AbortBackup())
		require.NoError(t, o.Release())
		o = c.NewBackupComponents()
		backupTo(t, o, "DoSnapshotSet")
		require.NoError(t, o.Release())
	})
	t.Run("PrepareVetoFails", func(t *testing.T) {
		opts := sim.DefaultOptions()
		opts.PrepareVetoFails = true
		c := sim.New(opts)
		w := fakewriter.New("Vetoer").On(sim.EventPrepareForBackup, fakewriter.NonRetryable())
		_, err := w.Subscribe(c)
		require.NoError(t, err)
		o := c.NewBackupComponents()
		backupTo(t, o, "AddToSnapshotSet")
		require.Equal(t, vss.VSS_E_UNEXPECTED_WRITER_ERROR, wait(t, o.PrepareForBackup))
		_, err = o.DoSnapshotSet()
		requireBadState(t, "§2.3#13", err)
	})
}
