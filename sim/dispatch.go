package sim

import (
	"fmt"
	"runtime"
	"sync/atomic"
	"time"

	"github.com/vsssim/vsssim/requestor/vss"
)

// session is one writer as seen by one BackupComponents object: its
// metadata from Identify and its state in this backup (REFERENCE §4.3).
type session struct {
	reg        *writerReg
	md         *vss.WriterMetadata
	state      vss.WriterState
	failure    vss.HRESULT
	appError   vss.HRESULT
	appMessage string

	builder     *vss.CreateWriterMetadata
	participant bool // takes part in the events after PrepareForBackup
	prepared    bool // received PrepareForBackup
	out         bool // failed and dropped out of the current operation
	inCreation  bool // received PrepareForSnapshot and did not drop out
	timerOn     bool // freeze timer running (Freeze delivered, Thaw not answered)
	deadline    time.Duration
	pastPost    bool // handled PostSnapshot: never gets Abort afterwards
	aborted     bool // already got Abort for this backup

	mdComps map[compKey]*vss.ComponentInfo // index of md (session.component)
	// identified is builder sealed when OnIdentify returned.
	identified *vss.WriterMetadata
}

func (s *session) name() string { return s.reg.cfg.Name }

// inflight is a writer's reply that VSS has not yet seen on the virtual
// clock.
type inflight struct {
	s     *session
	ev    Event
	at    time.Duration
	ctx   *WriterContext
	ok    bool
	panic string
	// goexit: the handler ended its goroutine (runtime.Goexit, as
	// t.FailNow and a failing require do) instead of returning.
	goexit bool
	// hung: the writer never answers (Hang, or the wall-clock hang guard).
	hung     bool
	wallHung bool
	// stuckIn is the event whose handler was still running, abandoned by
	// the hang guard, when this event was due: the writer did not get it.
	stuckIn Event
	// limit is when VSS stops waiting for this reply; timeoutHR is the
	// writer failure recorded then.
	limit     time.Duration
	timeoutHR vss.HRESULT
	applied   bool
	v         verdict
}

type handlerResult struct {
	i        int
	ok       bool
	panicked bool
	panicMsg string
	goexit   bool
}

// call runs ev's handlers of ss concurrently and returns their replies in
// the order of ss, stamped with virtual reply times (start plus the latency
// each writer spent with Sleep).
//
// Handlers that misbehave cannot stall or corrupt the coordinator:
//   - a panic is recovered and fails the writer at ev;
//   - a handler that ends its goroutine with runtime.Goexit (t.FailNow, a
//     failing require.* in a fake writer) fails the writer at ev, and the
//     writers behind it still get the event;
//   - a handler that does not return within one to two Options.HangGuard
//     periods of wall time is declared hung; its goroutine is left to
//     finish on its own, its late result is dropped, and the writer gets no
//     further event until it has returned (those events time out as
//     VSS_E_WRITER_NOT_RESPONDING, or the freeze timeout's code in Freeze
//     and Thaw), so that one writer's handlers never overlap;
//   - its WriterContext and Component views stop accepting changes the
//     moment it returns (or is abandoned), so goroutines it leaves behind
//     cannot change what VSS and the requestor see;
//   - a call from it into the Coordinator, a BackupComponents or an Async
//     panics with a *ReentrantCallError at once (see Coordinator.lock).
func (c *Coordinator) call(o *BackupComponents, ev Event, ss []*session, info eventInfo,
	invoke func(w Writer, ctx *WriterContext, s *session, comps []*Component) bool) []*inflight {
	start := c.now
	n := len(ss)
	out := make([]*inflight, n)
	if n == 0 {
		return out
	}
	results := make(chan handlerResult, n)
	ctxs := make([]*WriterContext, n)
	comps := make([][]*Component, n)
	gate := new(viewGate)
	got := 0
	for i, s := range ss {
		if !s.reg.busy.CompareAndSwap(false, true) {
			// Its handler of an earlier event still runs, abandoned by the
			// hang guard: the writer cannot take this event.
			c.trace.add(Entry{T: start, Object: o.num, Kind: KindEvent, Name: string(ev), Writer: s.name(),
				Text: "(not delivered: its On" + string(s.reg.stuckIn) + " handler is still running)"})
			out[i] = &inflight{s: s, ev: ev, ctx: &WriterContext{event: ev, reg: s.reg, closed: true}, hung: true, stuckIn: s.reg.stuckIn}
			got++
			continue
		}
		c.trace.add(Entry{T: start, Object: o.num, Kind: KindEvent, Name: string(ev), Writer: s.name()})
		ctxs[i] = &WriterContext{event: ev, reg: s.reg, info: info}
		// Everything the handler may touch is prepared here, on the
		// coordinator's goroutine, so that a handler that never returns
		// cannot race with what the coordinator does later.
		comps[i] = o.components(s, ev, gate)
	}
	if got == n {
		return out
	}
	// The handlers run concurrently on a few goroutines (from the
	// coordinator's pool, see workerPool) that take the writers in turn
	// (cheaper than one goroutine a writer). started[i]
	// tells the hang guard which handlers were actually entered.
	var next atomic.Int64
	started := make([]atomic.Bool, n)
	var worker func(g uint64)
	worker = func(g uint64) {
		for {
			i := int(next.Add(1) - 1)
			if i >= n {
				return
			}
			if ctxs[i] == nil {
				continue // not delivered (see above)
			}
			started[i].Store(true)
			s, ctx := ss[i], ctxs[i]
			c.handlers.enter(g, ctx)
			func() {
				r := handlerResult{i: i}
				returned := false
				defer func() {
					if p := recover(); p != nil {
						r.panicked, r.panicMsg = true, panicText(p)
					} else if !returned {
						// runtime.Goexit: this goroutine is ending; another
						// takes over the writers behind this one.
						r.goexit = true
						c.workers.run(worker)
					}
					// From here on the handler's context and views refuse
					// changes (from goroutines it left behind).
					ctx.close()
					gate.close(comps[i])
					c.handlers.leave(g)
					s.reg.busy.Store(false)
					results <- r
				}()
				r.ok = invoke(s.reg.w, ctx, s, comps[i])
				returned = true
			}()
		}
	}
	workers := min(n, runtime.GOMAXPROCS(0))
	for range workers {
		c.workers.run(worker)
	}
	take := func(r handlerResult) {
		if out[r.i] != nil {
			return // a late answer from a handler already declared hung
		}
		ctx := ctxs[r.i] // closed by its worker
		f := &inflight{s: ss[r.i], ev: ev, ctx: ctx, ok: r.ok, at: satAdd(start, ctx.latency), hung: ctx.hung, goexit: r.goexit}
		if r.panicked {
			f.panic = r.panicMsg
		}
		out[r.i] = f
		got++
	}
	// Handlers usually answer at once: yield to them on this thread for a
	// while before parking (parking and waking threads costs more than the
	// handlers themselves).
	for spin := 0; got < n && spin < 64*n+256; spin++ {
		select {
		case r := <-results:
			take(r)
		default:
			runtime.Gosched()
		}
	}
	if got == n {
		return out
	}
	// The hang guard: a handler still running at two consecutive ticks is
	// declared hung (so after one to two HangGuard periods of wall time);
	// its worker is replaced so the writers behind it still get the event.
	var tick <-chan time.Time
	if guard := c.opts.hangGuard(); guard > 0 {
		t := time.NewTicker(guard)
		defer t.Stop()
		tick = t.C
	}
	seen := make([]bool, n)
	for got < n {
		select {
		case r := <-results:
			take(r)
		case <-tick:
			for i := range out {
				if out[i] != nil || !started[i].Load() {
					continue
				}
				if !seen[i] {
					seen[i] = true
					continue
				}
				ctxs[i].close()
				gate.close(comps[i])
				ss[i].reg.stuckIn = ev
				out[i] = &inflight{s: ss[i], ev: ev, ctx: &WriterContext{event: ev, reg: ss[i].reg, closed: true}, hung: true, wallHung: true}
				got++
				c.workers.run(worker)
			}
		}
	}
	return out
}

// panicText renders a recovered panic value.
func panicText(p any) string {
	if e, ok := p.(error); ok {
		return e.Error()
	}
	return fmt.Sprint(p)
}

// verdict is what VSS makes of one reply.
type verdict struct {
	failed  bool        // the writer's state becomes VSS_WS_FAILED_AT_*
	veto    bool        // the writer vetoed (aborts Freeze/Thaw)
	hr      vss.HRESULT // the failure code recorded for the writer
	timeout bool
	text    string
}

// judge applies §8 C4 (Options.Veto) to a reply that arrived in time.
func (c *Coordinator) judge(f *inflight) verdict {
	ctx := f.ctx
	switch {
	case f.goexit:
		return verdict{failed: true, veto: true, hr: vss.VSS_E_WRITERERROR_NONRETRYABLE, text: "failed: handler exited without returning (runtime.Goexit)"}
	case f.panic != "":
		return verdict{failed: true, veto: true, hr: vss.VSS_E_WRITERERROR_NONRETRYABLE, text: "panicked: " + f.panic}
	case !f.ok && ctx.failureSet:
		return verdict{failed: true, veto: true, hr: ctx.failure, text: "failed " + ctx.failure.String()}
	case !f.ok:
		// Returning false without SetWriterFailure: [Inf] NONRETRYABLE (REFERENCE §4.2).
		return verdict{failed: true, veto: true, hr: vss.VSS_E_WRITERERROR_NONRETRYABLE, text: "returned false"}
	case ctx.failureSet && c.opts.Veto == VetoSetFailureOrFalse:
		return verdict{failed: true, veto: true, hr: ctx.failure, text: "vetoed " + ctx.failure.String()}
	case ctx.failureSet:
		return verdict{hr: ctx.failure, text: "ok, non-fatal failure " + ctx.failure.String()}
	}
	return verdict{hr: vss.S_OK, text: "ok"}
}

// setState changes a writer's state, tracing the change at time t.
func (o *BackupComponents) setState(s *session, st vss.WriterState, t time.Duration) {
	if s.state == st {
		return
	}
	from := s.state
	o.c.trace.add(Entry{T: t, Object: o.num, Kind: KindState, Writer: s.name(), lazy: func() string { return from.String() + " -> " + st.String() }})
	s.state = st
}

// successState is the state after a successful ev (REFERENCE §4.3).
func successState(ev Event, cur vss.WriterState) vss.WriterState {
	switch ev {
	case EventPrepareForSnapshot:
		return vss.VSS_WS_WAITING_FOR_FREEZE
	case EventFreeze:
		return vss.VSS_WS_WAITING_FOR_THAW
	case EventThaw:
		return vss.VSS_WS_WAITING_FOR_POST_SNAPSHOT
	case EventPostSnapshot:
		return vss.VSS_WS_WAITING_FOR_BACKUP_COMPLETE
	case EventBackupComplete, EventAbort:
		if cur.IsFailed() {
			return cur
		}
		return vss.VSS_WS_STABLE
	}
	return cur
}

// apply records a reply that VSS sees at f.at and updates the writer. It
// returns the verdict.
func (o *BackupComponents) apply(f *inflight) verdict {
	c := o.c
	s := f.s
	for _, m := range f.ctx.misuse {
		c.trace.add(Entry{T: f.at, Object: o.num, Kind: KindNote, Text: fmt.Sprintf("%s misused the API in On%s: %s", s.name(), f.ev, m)})
	}
	v := c.judge(f)
	text := v.text
	if lat := f.ctx.latency; lat > 0 {
		text += fmt.Sprintf(" after %v", lat)
	}
	c.trace.add(Entry{T: f.at, Object: o.num, Kind: KindReply, Name: string(f.ev), Writer: s.name(), Text: text})
	o.record(s, f.ev, v, f.at)
	if f.ctx.failureSet {
		s.appError, s.appMessage = f.ctx.appError, f.ctx.appMessage
	}
	return v
}

// timeout records that a writer did not answer ev by time t.
func (o *BackupComponents) timeout(f *inflight, t time.Duration, hr vss.HRESULT, why string) verdict {
	c := o.c
	text := "no reply: " + why
	switch {
	case f.wallHung:
		text += fmt.Sprintf(" (its handler did not return within %v of wall time; its goroutine is abandoned, and the writer gets no further event until it returns)", c.opts.hangGuard())
	case f.stuckIn != "":
		text += fmt.Sprintf(" (not delivered: its On%s handler, abandoned by the hang guard, is still running)", f.stuckIn)
	}
	c.trace.add(Entry{T: t, Object: o.num, Kind: KindReply, Name: string(f.ev), Writer: f.s.name(), Text: text})
	v := verdict{failed: true, veto: true, timeout: true, hr: hr}
	o.record(f.s, f.ev, v, t)
	return v
}

func (o *BackupComponents) record(s *session, ev Event, v verdict, t time.Duration) {
	if v.hr != vss.S_OK {
		s.failure = v.hr
	}
	if v.failed {
		if ev != EventIdentify && ev != EventAbort {
			o.setState(s, ev.failedState(), t)
		}
		return
	}
	o.setState(s, successState(ev, s.state), t)
}
