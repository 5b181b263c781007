package sim_test

import (
	"errors"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/vsssim/vsssim/fakewriter"
	"github.com/vsssim/vsssim/requestor/vss"
	"github.com/vsssim/vsssim/sim"
)

// Writers that misbehave the way test code does (issue 9): runtime.Goexit
// (t.FailNow, a failing require.*), goroutines left behind, handlers that
// block for real, re-entrant calls.

// within runs f and fails the test if it has not returned after d of wall
// time (the bug it guards against is a hang, which would otherwise take the
// whole test binary down at its timeout).
func within(t *testing.T, d time.Duration, f func()) {
	t.Helper()
	done := make(chan struct{})
	go func() {
		defer close(done)
		f()
	}()
	select {
	case <-done:
	case <-time.After(d):
		t.Fatalf("still running after %v: the coordinator hangs", d)
	}
}

// goexiter calls runtime.Goexit in the handler of one event, as a failing
// require.* in a fake writer does.
type goexiter struct {
	*fakewriter.Writer
	at sim.Event
}

func (g *goexiter) OnIdentify(ctx *sim.WriterContext, md *vss.CreateWriterMetadata) bool {
	if g.at == sim.EventIdentify {
		runtime.Goexit()
	}
	return g.Writer.OnIdentify(ctx, md)
}

func (g *goexiter) OnFreeze(*sim.WriterContext) bool {
	if g.at == sim.EventFreeze {
		runtime.Goexit()
	}
	return true
}

func TestGoexitInHandler(t *testing.T) {
	for _, procs := range []int{1, 2} {
		for _, ev := range []sim.Event{sim.EventIdentify, sim.EventFreeze} {
			t.Run(string(ev)+"/GOMAXPROCS="+string(rune('0'+procs)), func(t *testing.T) {
				defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
				c := sim.NewDefault()
				// The Goexit writer comes first so that, on one worker, the
				// others are behind it.
				_, err := c.Subscribe(&goexiter{Writer: fakewriter.New("Goexit"), at: ev}, fakewriter.New("Goexit").Config)
				require.NoError(t, err)
				ws := newWriters(t, c, 3)
				o := c.NewBackupComponents()
				within(t, 30*time.Second, func() {
					if ev == sim.EventIdentify {
						require.NoError(t, o.InitializeForBackup(""))
						mustFinish(t, o.GatherWriterMetadata)
						n, err := o.GetWriterMetadataCount()
						require.NoError(t, err)
						require.Equal(t, uint32(3), n, "the Goexit writer failed Identify and is left out")
						return
					}
					backupTo(t, o, "PrepareForBackup")
					require.Equal(t, vss.VSS_E_WRITERERROR_NONRETRYABLE, wait(t, o.DoSnapshotSet))
					st, hr := stateOf(t, statuses(t, o), "Goexit")
					require.Equal(t, vss.VSS_WS_FAILED_AT_FREEZE, st)
					require.Equal(t, vss.VSS_E_WRITERERROR_NONRETRYABLE, hr)
					require.NoError(t, o.AbortBackup())
					require.NoError(t, o.Release())
				})
				require.Contains(t, c.Trace().String(), "reply  "+string(ev)+" <- Goexit failed: handler exited without returning (runtime.Goexit)")
				for _, w := range ws {
					require.Contains(t, w.Events(), ev, "%s still gets the event", w.Config.Name)
				}
			})
		}
	}
}

// lingerer starts a goroutine in OnPrepareBackup that keeps using its
// components and its context after the handler has returned.
type lingerer struct {
	sim.BaseWriter
	started chan struct{}
	after   chan struct{} // closed by the test once PrepareForBackup is over
	stop    chan struct{}
	errs    chan error    // the late calls' errors
	done    chan struct{} // closed when the goroutine ends
}

func (l *lingerer) OnPrepareBackup(ctx *sim.WriterContext, comps []*sim.Component) bool {
	if err := comps[0].SetBackupMetadata("in the handler"); err != nil {
		panic(err)
	}
	go func() {
		defer close(l.done)
		close(l.started)
		// While the handler returns and the requestor goes on: the same
		// value (accepted until the handler has returned, refused after).
	during:
		for {
			select {
			case <-l.after:
				break during
			default:
				_ = comps[0].SetBackupMetadata("in the handler")
				_ = comps[0].BackupMetadata()
				runtime.Gosched()
			}
		}
		l.errs <- comps[0].SetBackupMetadata("late")
		l.errs <- ctx.SetWriterFailure(vss.VSS_E_WRITERERROR_RETRYABLE)
		ctx.Sleep(time.Hour)
		ctx.Hang()
		for {
			select {
			case <-l.stop:
				return
			default:
				_ = comps[0].BackupMetadata()
				_ = comps[0].SetBackupMetadata("later")
				runtime.Gosched()
			}
		}
	}()
	<-l.started
	return true
}

func (l *lingerer) OnIdentify(ctx *sim.WriterContext, md *vss.CreateWriterMetadata) bool {
	return fakewriter.New("Lingerer").OnIdentify(ctx, md)
}

// A goroutine a handler leaves behind cannot change the BCD or the reply
// after the handler returned, and never races with the requestor (run with
// -race).
func TestLateGoroutineIsRefused(t *testing.T) {
	c := sim.NewDefault()
	l := &lingerer{started: make(chan struct{}), after: make(chan struct{}), stop: make(chan struct{}), errs: make(chan error, 2), done: make(chan struct{})}
	defer func() { close(l.stop); <-l.done }()
	_, err := c.Subscribe(l, sim.WriterConfig{ClassID: fakewriter.ClassID("Lingerer"), Name: "Lingerer"})
	require.NoError(t, err)
	o := c.NewBackupComponents()
	backupTo(t, o, "PrepareForBackup")
	for i := 0; i < 20; i++ {
		xml, err := o.SaveAsXML()
		require.NoError(t, err)
		require.Contains(t, xml, "in the handler")
	}
	close(l.after)
	for range 2 {
		err := <-l.errs
		requireHR(t, vss.VSS_E_BAD_STATE, err)
		require.Contains(t, err.Error(), "OnPrepareForBackup has returned")
	}
	rows := statuses(t, o)
	st, hr := stateOf(t, rows, "Lingerer")
	require.Equal(t, vss.VSS_WS_STABLE, st, "the late SetWriterFailure changed nothing")
	require.Equal(t, vss.S_OK, hr)
	require.Equal(t, vss.VSS_S_ASYNC_FINISHED, wait(t, o.DoSnapshotSet))
	require.Zero(t, c.Now(), "the late Sleep spent no virtual time")
	xml, err := o.SaveAsXML()
	require.NoError(t, err)
	require.Contains(t, xml, "in the handler")
	require.NotContains(t, xml, "late", "a late change was accepted")
	require.NoError(t, o.Release())
}

// blockingFreezer blocks for real in OnFreeze until released, and records
// whether two of its handlers ever ran at once. After its release, the
// abandoned OnFreeze tries to move the coordinator's clock.
type blockingFreezer struct {
	sim.BaseWriter
	c       *sim.Coordinator
	release chan struct{}
	exited  chan error
	running atomic.Int32
	overlap atomic.Bool
	events  chan sim.Event
}

func (b *blockingFreezer) enter(ev sim.Event) func() {
	if b.running.Add(1) > 1 {
		b.overlap.Store(true)
	}
	b.events <- ev
	return func() { b.running.Add(-1) }
}

func (b *blockingFreezer) OnIdentify(ctx *sim.WriterContext, md *vss.CreateWriterMetadata) bool {
	defer b.enter(sim.EventIdentify)()
	return fakewriter.New("Blocker").OnIdentify(ctx, md)
}

func (b *blockingFreezer) OnFreeze(*sim.WriterContext) bool {
	defer b.enter(sim.EventFreeze)()
	<-b.release
	// Called late, from the goroutine the hang guard abandoned.
	var err error
	func() {
		defer func() { err, _ = recover().(error) }()
		b.c.Advance(time.Hour)
	}()
	b.exited <- err
	return true
}

func (b *blockingFreezer) OnAbort(*sim.WriterContext) bool {
	defer b.enter(sim.EventAbort)()
	return true
}

func (b *blockingFreezer) OnBackupShutdown(*sim.WriterContext, vss.ID) bool {
	defer b.enter(sim.EventBackupShutdown)()
	return true
}

func (b *blockingFreezer) OnPrepareBackup(*sim.WriterContext, []*sim.Component) bool {
	defer b.enter(sim.EventPrepareForBackup)()
	return true
}

func (b *blockingFreezer) OnPrepareSnapshot(*sim.WriterContext) bool {
	defer b.enter(sim.EventPrepareForSnapshot)()
	return true
}

// A writer whose handler the hang guard abandoned gets no further event
// until that handler returns (it is reported as not responding), so its
// handlers never overlap; a call it makes after the guard gave up is
// refused, not run late.
func TestAbandonedWriterGetsNoEventsUntilItReturns(t *testing.T) {
	opts := sim.DefaultOptions()
	opts.HangGuard = 20 * time.Millisecond
	c := sim.New(opts)
	b := &blockingFreezer{c: c, release: make(chan struct{}), exited: make(chan error, 1), events: make(chan sim.Event, 100)}
	_, err := c.Subscribe(b, sim.WriterConfig{ClassID: fakewriter.ClassID("Blocker"), Name: "Blocker"})
	require.NoError(t, err)
	newWriters(t, c, 2)
	o := c.NewBackupComponents()
	backupTo(t, o, "PrepareForBackup")
	// Freeze blocks for real: abandoned, it runs into the freeze timeout;
	// the creation is aborted and Abort cannot be delivered to it.
	require.Equal(t, vss.VSS_E_WRITERERROR_TIMEOUT, wait(t, o.DoSnapshotSet))
	require.NoError(t, o.AbortBackup())
	require.NoError(t, o.Release())
	tr := c.Trace().String()
	require.Contains(t, tr, "its goroutine is abandoned, and the writer gets no further event until it returns")
	require.Contains(t, tr, "event  Abort -> Blocker (not delivered: its OnFreeze handler is still running)")
	require.Contains(t, tr, "reply  Abort <- Blocker no reply: 3m0s passed (not delivered: its OnFreeze handler, abandoned by the hang guard, is still running)")
	require.Contains(t, tr, "event  BackupShutdown -> Blocker (not delivered")
	now := c.Now()

	close(b.release)
	var late error
	within(t, 10*time.Second, func() { late = <-b.exited })
	var re *sim.ReentrantCallError
	require.True(t, errors.As(late, &re), "the late Advance must be refused: %v", late)
	require.Equal(t, "Coordinator.Advance", re.Method)
	require.Equal(t, now, c.Now(), "the refused Advance did not move the clock")

	// Once its handler has returned, the writer gets events again. (The
	// handler's goroutine clears its busy mark just after returning: wait
	// for it on the wall clock.)
	deadline := time.Now().Add(10 * time.Second)
	for {
		o = c.NewBackupComponents()
		require.NoError(t, o.InitializeForBackup(""))
		mustFinish(t, o.GatherWriterMetadata)
		n, err := o.GetWriterMetadataCount()
		require.NoError(t, err)
		require.NoError(t, o.Release())
		if n == 3 || time.Now().After(deadline) {
			require.Equal(t, uint32(3), n)
			break
		}
		time.Sleep(time.Millisecond) // the test waits for a goroutine to exit; the simulator never sleeps
	}
	require.False(t, b.overlap.Load(), "two handlers of one writer ran at once")
	close(b.events)
	var got []string
	for ev := range b.events {
		got = append(got, string(ev))
	}
	require.NotContains(t, got, string(sim.EventAbort), "Abort was not delivered while OnFreeze ran")
}

// reentrant calls back into the requestor from its handlers.
type reentrant struct {
	sim.BaseWriter
	c    *sim.Coordinator
	o    *sim.BackupComponents
	call func(r *reentrant) error
	got  chan error
}

func (r *reentrant) OnPrepareBackup(*sim.WriterContext, []*sim.Component) bool {
	defer func() {
		if p := recover(); p != nil {
			err, _ := p.(error)
			r.got <- err
			panic(p)
		}
	}()
	r.got <- r.call(r)
	return true
}

func (r *reentrant) OnIdentify(ctx *sim.WriterContext, md *vss.CreateWriterMetadata) bool {
	return fakewriter.New("Reentrant").OnIdentify(ctx, md)
}

// A handler calling a Coordinator, BackupComponents or Async method fails
// at once with an error that says why; the call does nothing.
func TestReentrantCallFailsAtOnce(t *testing.T) {
	for name, call := range map[string]func(r *reentrant) error{
		"BackupComponents.AbortBackup": func(r *reentrant) error { return r.o.AbortBackup() },
		"Coordinator.Advance":          func(r *reentrant) error { r.c.Advance(time.Hour); return nil },
		"Coordinator.Now":              func(r *reentrant) error { _ = r.c.Now(); return nil },
		"Coordinator.NewBackupComponents": func(r *reentrant) error {
			return r.c.NewBackupComponents().InitializeForBackup("")
		},
	} {
		t.Run(name, func(t *testing.T) {
			c := sim.NewDefault() // HangGuard 10 s: a stall would show
			r := &reentrant{c: c, call: call, got: make(chan error, 1)}
			_, err := c.Subscribe(r, sim.WriterConfig{ClassID: fakewriter.ClassID("Reentrant"), Name: "Reentrant"})
			require.NoError(t, err)
			newWriters(t, c, 1)
			r.o = c.NewBackupComponents()
			start := time.Now()
			backupTo(t, r.o, "PrepareForBackup")
			require.Less(t, time.Since(start), 5*time.Second, "no stall for the hang guard")
			err = <-r.got
			var re *sim.ReentrantCallError
			require.True(t, errors.As(err, &re), "got %v", err)
			require.Equal(t, name, re.Method)
			require.Equal(t, "Reentrant", re.Writer)
			require.Equal(t, sim.EventPrepareForBackup, re.Event)
			require.Contains(t, err.Error(), "handlers must not call")
			require.Zero(t, c.Now(), "nothing moved the clock")
			st, hr := stateOf(t, statuses(t, r.o), "Reentrant")
			require.Equal(t, vss.VSS_WS_FAILED_AT_PREPARE_BACKUP, st)
			require.Equal(t, vss.VSS_E_WRITERERROR_NONRETRYABLE, hr)
			require.Contains(t, c.Trace().String(), "reply  PrepareForBackup <- Reentrant panicked: sim: re-entrant call refused")
			// The backup was not aborted: it goes on.
			require.Equal(t, vss.VSS_S_ASYNC_FINISHED, wait(t, r.o.DoSnapshotSet))
			require.NoError(t, r.o.Release())
			require.False(t, strings.Contains(c.Trace().String(), "call   AbortBackup"), "AbortBackup never ran")
		})
	}
}

// Another goroutine (not a handler) may call the coordinator while writers
// are handling an event: it waits its turn, it is not refused.
func TestConcurrentCallerIsNotReentrant(t *testing.T) {
	c := sim.NewDefault()
	release := make(chan struct{})
	entered := make(chan struct{})
	w := fakewriter.New("Slow")
	w.OnComponents = func(*sim.WriterContext, []*sim.Component) {}
	_, err := c.Subscribe(&gate{Writer: w, entered: entered, release: release}, w.Config)
	require.NoError(t, err)
	o := c.NewBackupComponents()
	require.NoError(t, o.InitializeForBackup(""))
	done := make(chan error, 1)
	go func() {
		<-entered
		// The coordinator is busy delivering Identify; this call waits.
		go func() { time.Sleep(10 * time.Millisecond); close(release) }() // the test's wall clock; the simulator never sleeps
		_, err := c.NewBackupComponents().StartSnapshotSet()
		done <- err
	}()
	mustFinish(t, o.GatherWriterMetadata)
	requireBadState(t, "§2.3#1", <-done)
}

type gate struct {
	*fakewriter.Writer
	entered, release chan struct{}
}

func (g *gate) OnIdentify(ctx *sim.WriterContext, md *vss.CreateWriterMetadata) bool {
	close(g.entered)
	<-g.release
	return g.Writer.OnIdentify(ctx, md)
}
