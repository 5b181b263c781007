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
	// hung: the writer never answers (Hang, or the wall-clock hang guard).
	hung     bool
	wallHung bool
	// limit is when VSS stops waiting for this reply; timeoutHR is the
	// writer failure recorded then.
	limit     time.Duration
	timeoutHR vss.HRESULT
	applied   bool
	v         verdict
	// live is cleared when VSS has the reply (or gave up on it): the
	// handler's Component views stop accepting changes.
	live *atomic.Bool
}

type handlerResult struct {
	i        int
	ctx      *WriterContext
	ok       bool
	panicked bool
	panicMsg string
}

// call runs ev's handlers of ss concurrently and returns their replies in
// the order of ss, stamped with virtual reply times (start plus the latency
// each writer spent with Sleep). Panics are recovered. A handler that does
// not return within one to two Options.HangGuard periods of wall time is
// declared hung; its goroutine is left to finish on its own and its late
// result is dropped.
func (c *Coordinator) call(o *BackupComponents, ev Event, ss []*session, info eventInfo,
	invoke func(w Writer, ctx *WriterContext, s *session, comps []*Component) bool) []*inflight {
	start := c.now
	n := len(ss)
	out := make([]*inflight, n)
	if n == 0 {
		return out
	}
	results := make(chan handlerResult, n)
	lives := make([]*atomic.Bool, n)
	ctxs := make([]*WriterContext, n)
	comps := make([][]*Component, n)
	for i, s := range ss {
		c.trace.add(Entry{T: start, Object: o.num, Kind: KindEvent, Name: string(ev), Writer: s.name()})
		ctxs[i] = &WriterContext{event: ev, reg: s.reg, info: info}
		// Everything the handler may touch is prepared here, on the
		// coordinator's goroutine, so that a handler that never returns
		// cannot race with what the coordinator does later.
		lives[i] = new(atomic.Bool)
		lives[i].Store(true)
		comps[i] = o.components(s, ev, lives[i])
	}
	// The handlers run concurrently on a few goroutines that take the
	// writers in turn (cheaper than one goroutine a writer). started[i]
	// tells the hang guard which handlers were actually entered.
	var next atomic.Int64
	started := make([]atomic.Bool, n)
	worker := func() {
		for {
			i := int(next.Add(1) - 1)
			if i >= n {
				return
			}
			started[i].Store(true)
			s, ctx := ss[i], ctxs[i]
			func() {
				r := handlerResult{i: i, ctx: ctx}
				defer func() {
					if p := recover(); p != nil {
						r.panicked, r.panicMsg = true, fmt.Sprint(p)
					}
					results <- r
				}()
				r.ok = invoke(s.reg.w, ctx, s, comps[i])
			}()
		}
	}
	workers := min(n, runtime.GOMAXPROCS(0))
	for range workers {
		go worker()
	}
	got := 0
	take := func(r handlerResult) {
		if out[r.i] != nil {
			return // a late answer from a handler already declared hung
		}
		f := &inflight{s: ss[r.i], ev: ev, ctx: r.ctx, ok: r.ok, at: start + r.ctx.latency, hung: r.ctx.hung, live: lives[r.i]}
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
	if c.opts.HangGuard > 0 {
		t := time.NewTicker(c.opts.HangGuard)
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
				out[i] = &inflight{s: ss[i], ev: ev, ctx: &WriterContext{event: ev, reg: ss[i].reg}, hung: true, wallHung: true, live: lives[i]}
				got++
				go worker()
			}
		}
	}
	return out
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
	if f.wallHung {
		text += fmt.Sprintf(" (its handler did not return within %v of wall time; its goroutine is abandoned)", c.opts.HangGuard)
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
