package sim_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"

	"github.com/vsssim/vsssim/fakewriter"
	"github.com/vsssim/vsssim/requestor/vss"
	"github.com/vsssim/vsssim/sim"
)

// pollBackupWorld is a coordinator with a writer that takes 2 s of virtual
// time in PrepareForBackup and in Freeze, and one that answers at once.
func pollBackupWorld(t testing.TB, opts sim.Options) *sim.Coordinator {
	t.Helper()
	c := sim.New(opts)
	slow := fakewriter.New("Slow").On(sim.EventPrepareForBackup, fakewriter.Behavior{Latency: 2 * time.Second}).
		On(sim.EventFreeze, fakewriter.Behavior{Latency: 2 * time.Second})
	for _, w := range []*fakewriter.Writer{slow, fakewriter.New("Fast")} {
		_, err := w.Subscribe(c)
		require.NoError(t, err)
	}
	return c
}

// pollUntilDone is breeze's waitForAsync: QueryStatus, then a real sleep,
// until the status is no longer VSS_S_ASYNC_PENDING or its own (wall-clock)
// timeout runs out, then Cancel. It never calls Wait. It returns the final
// status and the number of polls.
func pollUntilDone(ctx context.Context, a vss.Async) (vss.HRESULT, int, error) {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	for polls := 1; ; polls++ {
		st, err := a.QueryStatus()
		if err != nil {
			return 0, polls, err
		}
		if st != vss.VSS_S_ASYNC_PENDING {
			return st, polls, nil
		}
		select {
		case <-ctx.Done():
			_, _ = a.Cancel()
			return st, polls, fmt.Errorf("timed out after %d polls: %w", polls, ctx.Err())
		case <-time.After(time.Millisecond):
		}
	}
}

// breezeBackup runs breeze's backup sequence (InitializeForBackup,
// SetBackupState, GatherWriterMetadata, StartSnapshotSet, AddToSnapshotSet,
// PrepareForBackup, DoSnapshotSet, GatherWriterStatus, BackupComplete),
// finishing every operation with finish.
func breezeBackup(t *testing.T, c *sim.Coordinator, finish func(vss.Async) vss.HRESULT) {
	t.Helper()
	o := c.NewBackupComponents()
	require.NoError(t, o.InitializeForBackup(""))
	require.NoError(t, o.SetBackupState(false, false, vss.VSS_BT_COPY, false))
	run := func(call func() (vss.Async, error)) {
		t.Helper()
		a, err := call()
		require.NoError(t, err)
		require.Equal(t, vss.VSS_S_ASYNC_FINISHED, finish(a))
	}
	run(o.GatherWriterMetadata)
	_, err := o.StartSnapshotSet()
	require.NoError(t, err)
	_, err = o.AddToSnapshotSet(`C:\`, vss.ID{})
	require.NoError(t, err)
	run(o.PrepareForBackup)
	run(o.DoSnapshotSet)
	run(o.GatherWriterStatus)
	require.NoError(t, o.FreeWriterStatus())
	run(o.BackupComplete)
	require.NoError(t, o.FreeWriterMetadata())
	require.NoError(t, o.Release())
}

// A requestor that polls QueryStatus with real sleeps, never calling Wait
// (breeze), sees every operation finish, at the same virtual time and with
// the same trace as one that calls Wait; no test code moves the clock.
func TestPollingMatchesWait(t *testing.T) {
	waited := pollBackupWorld(t, sim.DefaultOptions())
	breezeBackup(t, waited, func(a vss.Async) vss.HRESULT {
		require.NoError(t, a.Wait(-1))
		st, err := a.QueryStatus()
		require.NoError(t, err)
		return st
	})

	polled := pollBackupWorld(t, sim.DefaultOptions())
	total := 0
	breezeBackup(t, polled, func(a vss.Async) vss.HRESULT {
		st, polls, err := pollUntilDone(context.Background(), a)
		require.NoError(t, err)
		total += polls
		return st
	})

	require.Equal(t, 4*time.Second, waited.Now(), "2 s in PrepareForBackup + 2 s in Freeze")
	require.Equal(t, waited.Now(), polled.Now())
	if d := cmp.Diff(waited.Trace().String(), polled.Trace().String()); d != "" {
		t.Fatalf("trace of the polling requestor (-wait +poll):\n%s", d)
	}
	// One poll per event: the first QueryStatus of PrepareForBackup and of
	// DoSnapshotSet runs to their one timed event (the slow writer's
	// reply), which ends them; the other three had ended already.
	require.Equal(t, 5, total, "polls")
}

// With PollQuantumStep a poll moves the clock by PollQuantum: qemu-ga's
// 10 ms polls need 200 of them for a 2 s freeze, and the operation still
// ends at the time Wait gives.
func TestPollQuantum(t *testing.T) {
	opts := sim.DefaultOptions()
	opts.Poll = sim.PollQuantumStep
	c := pollBackupWorld(t, opts)
	polls := 0
	breezeBackup(t, c, func(a vss.Async) vss.HRESULT {
		for {
			polls++
			st, err := a.QueryStatus()
			require.NoError(t, err)
			if st != vss.VSS_S_ASYNC_PENDING {
				return st
			}
		}
	})
	require.Equal(t, 4*time.Second, c.Now())
	require.Equal(t, 3+2*200, polls, "200 polls of 10 ms for each 2 s phase, one for each instant operation")
}

// With PollFrozen a poll never moves the clock: a requestor that only
// polls never sees the end (the behaviour before Options.Poll existed).
func TestPollFrozen(t *testing.T) {
	opts := sim.DefaultOptions()
	opts.Poll = sim.PollFrozen
	c := pollBackupWorld(t, opts)
	o := c.NewBackupComponents()
	require.NoError(t, o.InitializeForBackup(""))
	require.NoError(t, o.SetBackupState(true, false, vss.VSS_BT_FULL, false))
	mustFinish(t, o.GatherWriterMetadata)
	_, err := o.StartSnapshotSet()
	require.NoError(t, err)
	a, err := o.PrepareForBackup()
	require.NoError(t, err)
	for range 100 {
		st, err := a.QueryStatus()
		require.NoError(t, err)
		require.Equal(t, vss.VSS_S_ASYNC_PENDING, st)
	}
	require.Zero(t, c.Now())
}

// A QueryStatus that runs the simulation to its next event is the same
// step on every run: the trace is the same byte for byte.
func TestPollingIsDeterministic(t *testing.T) {
	var first string
	for i := range 5 {
		c := pollBackupWorld(t, sim.DefaultOptions())
		breezeBackup(t, c, func(a vss.Async) vss.HRESULT {
			st, _, err := pollUntilDone(context.Background(), a)
			require.NoError(t, err)
			return st
		})
		if i == 0 {
			first = c.Trace().String()
			continue
		}
		require.Equal(t, first, c.Trace().String(), "run %d", i)
	}
}

// The classic requestor bug: GetWriterMetadataCount right after
// GatherWriterMetadata, without Wait. The writers here answer at once, so
// the operation has ended, but the requestor has not seen it end: under
// Options.StrictAsync (the default) the call is VSS_E_BAD_STATE naming
// the missing Wait.
func TestStrictAsyncNeedsObservation(t *testing.T) {
	c := sim.NewDefault()
	newWriters(t, c, 2)
	o := c.NewBackupComponents()
	require.NoError(t, o.InitializeForBackup(""))
	a, err := o.GatherWriterMetadata()
	require.NoError(t, err)
	require.Equal(t, vss.VSS_S_ASYNC_FINISHED, a.(*sim.Async).Status(), "the writers answered at once")

	_, err = o.GetWriterMetadataCount()
	requireBadState(t, "§3 observe", err)
	var ve *vss.Error
	require.True(t, errors.As(err, &ve))
	require.Equal(t, "IVssAsync.Wait on GatherWriterMetadata", ve.Expected)
	require.Contains(t, ve.Detail, "GatherWriterMetadata has not been seen to finish")
	_, err = o.GatherWriterStatus()
	requireBadState(t, "§3 observe", err)

	st, err := a.QueryStatus() // observes the end
	require.NoError(t, err)
	require.Equal(t, vss.VSS_S_ASYNC_FINISHED, st)
	n, err := o.GetWriterMetadataCount()
	require.NoError(t, err)
	require.EqualValues(t, 2, n)
}

// Every operation that needs an earlier one's end names it; Wait, a final
// QueryStatus and Cancel all count as observing.
func TestStrictAsyncEveryPhase(t *testing.T) {
	c := sim.NewDefault()
	newWriters(t, c, 1)
	o := c.NewBackupComponents()
	require.NoError(t, o.InitializeForBackup(""))
	require.NoError(t, o.SetBackupState(false, false, vss.VSS_BT_COPY, false))
	a, err := o.GatherWriterMetadata()
	require.NoError(t, err)
	_, err = o.StartSnapshotSet()
	require.NoError(t, err, "StartSnapshotSet needs no finished operation")
	_, err = o.PrepareForBackup()
	requireBadState(t, "§3 observe", err)
	require.NoError(t, a.Wait(0), "Wait(0) on an ended operation observes it")
	_, err = o.AddToSnapshotSet(`C:\`, vss.ID{})
	require.NoError(t, err)

	a, err = o.PrepareForBackup()
	require.NoError(t, err)
	_, err = o.DoSnapshotSet()
	requireBadState(t, "§3 observe", err)
	st, err := a.Cancel()
	require.NoError(t, err)
	require.Equal(t, vss.VSS_S_ASYNC_FINISHED, st, "Cancel after the end reports it, and observes it")

	a, err = o.DoSnapshotSet()
	require.NoError(t, err)
	_, err = o.BackupComplete()
	requireBadState(t, "§3 observe", err)
	mustObserve(t, a)
	mustFinish(t, o.BackupComplete)
	require.NoError(t, o.Release())
}

func mustObserve(t testing.TB, a vss.Async) {
	t.Helper()
	require.NoError(t, a.Wait(-1))
}

// Options.StrictAsync off: an operation that ended is complete for the
// requestor whether it saw the end or not.
func TestRelaxedAsync(t *testing.T) {
	opts := sim.DefaultOptions()
	opts.StrictAsync = false
	c := sim.New(opts)
	newWriters(t, c, 2)
	o := c.NewBackupComponents()
	require.NoError(t, o.InitializeForBackup(""))
	_, err := o.GatherWriterMetadata()
	require.NoError(t, err)
	n, err := o.GetWriterMetadataCount()
	require.NoError(t, err)
	require.EqualValues(t, 2, n)
}

// A rule broken while an operation is unobserved is reported as the
// missing Wait only where the operation's end matters: a call that would
// fail anyway keeps its own rule.
func TestStrictAsyncKeepsOtherRules(t *testing.T) {
	c := sim.NewDefault()
	newWriters(t, c, 1)
	o := c.NewBackupComponents()
	require.NoError(t, o.InitializeForBackup(""))
	_, err := o.GatherWriterMetadata()
	require.NoError(t, err)
	_, err = o.GatherWriterMetadata()
	requireBadState(t, "§2.3#6", err)
	_, err = o.DoSnapshotSet()
	requireBadState(t, "§2.3#13", err)
	require.True(t, strings.Contains(c.Trace().String(), "GatherWriterMetadata"), "traced")
}

// A QueryStatus right after a Wait that timed out reads the status the Wait
// left (restic and vshadow: Wait(timeout), then QueryStatus); the next
// QueryStatus polls again. After Wait(0), which gave no time, QueryStatus
// is a poll.
func TestQueryStatusAfterTimedOutWait(t *testing.T) {
	c := pollBackupWorld(t, sim.DefaultOptions())
	o := c.NewBackupComponents()
	require.NoError(t, o.InitializeForBackup(""))
	require.NoError(t, o.SetBackupState(false, false, vss.VSS_BT_COPY, false))
	a, err := o.GatherWriterMetadata()
	require.NoError(t, err)
	require.NoError(t, a.Wait(-1))
	_, err = o.StartSnapshotSet()
	require.NoError(t, err)
	_, err = o.AddToSnapshotSet(`C:\`, vss.ID{})
	require.NoError(t, err)
	a, err = o.PrepareForBackup() // Slow answers after 2 s
	require.NoError(t, err)

	require.NoError(t, a.Wait(500*time.Millisecond))
	st, err := a.QueryStatus()
	require.NoError(t, err)
	require.Equal(t, vss.VSS_S_ASYNC_PENDING, st, "right after the timed-out Wait")
	require.Equal(t, 500*time.Millisecond, c.Now(), "that QueryStatus did not move the clock")

	st, err = a.QueryStatus()
	require.NoError(t, err)
	require.Equal(t, vss.VSS_S_ASYNC_FINISHED, st, "the next one polls to the reply")
	require.Equal(t, 2*time.Second, c.Now())

	a, err = o.DoSnapshotSet() // Slow freezes for 2 s
	require.NoError(t, err)
	require.NoError(t, a.Wait(0))
	st, err = a.QueryStatus()
	require.NoError(t, err)
	require.Equal(t, vss.VSS_S_ASYNC_FINISHED, st, "Wait(0) gave no time: QueryStatus polls")
	require.Equal(t, 4*time.Second, c.Now())
}
