package sim_test

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/vsssim/vsssim/fakewriter"
	"github.com/vsssim/vsssim/requestor/vss"
	"github.com/vsssim/vsssim/sim"
)

// Durations near time.Duration's limit must not wrap virtual time into
// the past (issue 9): every sum saturates at the end of virtual time.

// huge is "2562047h47m", the largest whole-minute time.Duration.
const huge = 2562047*time.Hour + 47*time.Minute

const endOfTime = time.Duration(math.MaxInt64)

// noNegativeTime requires that no trace entry is stamped before 0.
func noNegativeTime(t *testing.T, c *sim.Coordinator) {
	t.Helper()
	for _, e := range c.Trace().Entries() {
		require.GreaterOrEqual(t, e.T, time.Duration(0), "entry at a negative time: %v", e)
	}
}

func TestAdvanceSaturates(t *testing.T) {
	c := sim.NewDefault()
	c.Advance(time.Hour)
	c.Advance(huge) // was: wrapped to a negative target, silently nothing
	require.Equal(t, endOfTime, c.Now())
	c.Advance(time.Hour)
	require.Equal(t, endOfTime, c.Now(), "time stays at its end")
}

// EventTimeout=2562047h47m after an hour: a hung writer must not time out
// at once (at a negative time).
func TestHugeEventTimeout(t *testing.T) {
	opts := sim.DefaultOptions()
	opts.EventTimeout = huge
	c := sim.New(opts)
	_, err := fakewriter.New("Hung").On(sim.EventIdentify, fakewriter.Behavior{Hang: true}).Subscribe(c)
	require.NoError(t, err)
	c.Advance(time.Hour)
	o := c.NewBackupComponents()
	require.NoError(t, o.InitializeForBackup(""))
	a, err := o.GatherWriterMetadata()
	require.NoError(t, err)
	require.NoError(t, a.Wait(24*time.Hour))
	// Status, not QueryStatus: a poll would run the simulation to its next
	// event (Options.Poll), the timeout at the end of time.
	st := a.(interface{ Status() vss.HRESULT }).Status()
	require.Equal(t, vss.VSS_S_ASYNC_PENDING, st, "the writer has years left to answer")
	require.Equal(t, 25*time.Hour, c.Now())
	require.NoError(t, a.Wait(-1))
	st, err = a.QueryStatus()
	require.NoError(t, err)
	require.Equal(t, vss.VSS_S_ASYNC_FINISHED, st)
	require.Equal(t, endOfTime, c.Now(), "it times out at the end of virtual time")
	require.Contains(t, c.Trace().String(), "reply  Identify <- Hung no reply")
	noNegativeTime(t, c)
}

// A writer freeze timeout of 2562047h47m (after an hour) must not fail
// DoSnapshotSet at once.
func TestHugeFreezeTimeout(t *testing.T) {
	c := sim.NewDefault()
	w := fakewriter.New("Patient")
	w.Config.FreezeTimeout = huge
	_, err := w.Subscribe(c)
	require.NoError(t, err)
	c.Advance(time.Hour)
	o := c.NewBackupComponents()
	backupTo(t, o, "PrepareForBackup")
	require.Equal(t, vss.VSS_S_ASYNC_FINISHED, wait(t, o.DoSnapshotSet))
	require.Equal(t, time.Hour, c.Now())
	noNegativeTime(t, c)
}

// Wait with a 2562047h47m timeout waits for the operation (it returned
// PENDING at once).
func TestHugeWaitTimeout(t *testing.T) {
	c := sim.NewDefault()
	_, err := fakewriter.New("Slow").On(sim.EventIdentify, fakewriter.Behavior{Latency: 5 * time.Second}).Subscribe(c)
	require.NoError(t, err)
	c.Advance(time.Hour)
	o := c.NewBackupComponents()
	require.NoError(t, o.InitializeForBackup(""))
	a, err := o.GatherWriterMetadata()
	require.NoError(t, err)
	require.NoError(t, a.Wait(huge))
	st, err := a.QueryStatus()
	require.NoError(t, err)
	require.Equal(t, vss.VSS_S_ASYNC_FINISHED, st)
	require.Equal(t, time.Hour+5*time.Second, c.Now())
}

// sleeper spends more virtual time in OnPrepareBackup than a Duration holds.
type sleeper struct{ *fakewriter.Writer }

func (s sleeper) OnPrepareBackup(ctx *sim.WriterContext, _ []*sim.Component) bool {
	ctx.Sleep(huge)
	ctx.Sleep(huge) // the latency saturates instead of wrapping negative
	return true
}

func TestSleepSaturates(t *testing.T) {
	c := sim.NewDefault()
	w := fakewriter.New("Sleeper")
	_, err := c.Subscribe(sleeper{w}, w.Config)
	require.NoError(t, err)
	o := c.NewBackupComponents()
	backupTo(t, o, "PrepareForBackup")
	st, hr := stateOf(t, statuses(t, o), "Sleeper")
	require.Equal(t, vss.VSS_WS_FAILED_AT_PREPARE_BACKUP, st)
	require.Equal(t, vss.VSS_E_WRITER_NOT_RESPONDING, hr, "its reply comes after the 180 s event timeout")
	require.Equal(t, 180*time.Second, c.Now())
	noNegativeTime(t, c)
}

// Provider flush and hold times whose sum passes the limit commit at the
// end of virtual time, not in the past.
func TestHugeProviderTiming(t *testing.T) {
	opts := sim.DefaultOptions()
	opts.FlushWindow, opts.HoldWindow = endOfTime, endOfTime
	c := sim.New(opts)
	w := fakewriter.New("Patient")
	w.Config.FreezeTimeout = huge // its freeze timer outlasts the commit
	_, err := w.Subscribe(c)
	require.NoError(t, err)
	require.NoError(t, c.SetProviderTiming(sim.SystemProviderID, 1<<62, 1<<62))
	c.Advance(time.Hour)
	o := c.NewBackupComponents()
	backupTo(t, o, "PrepareForBackup")
	require.Equal(t, vss.VSS_S_ASYNC_FINISHED, wait(t, o.DoSnapshotSet))
	require.Equal(t, endOfTime, c.Now())
	noNegativeTime(t, c)
	require.True(t, strings.Contains(c.Trace().String(), "provider commit"))
}
