package sim

import (
	"fmt"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// ReentrantCallError is the panic value of a Coordinator, BackupComponents
// or Async method called from a writer handler while that handler runs
// (including a handler the hang guard abandoned). VSS is busy delivering
// the handler's event, so the call could only deadlock or run out of turn;
// the simulator refuses it before it does anything. The panic is recovered
// by the event dispatch, so the writer fails at that event with this
// message in the trace.
type ReentrantCallError struct {
	// Method is the method called ("BackupComponents.AbortBackup").
	Method string
	// Writer and Event name the handler it was called from.
	Writer string
	Event  Event
}

func (e *ReentrantCallError) Error() string {
	return fmt.Sprintf("sim: re-entrant call refused: writer %q called %s from its On%s handler; "+
		"handlers must not call Coordinator, BackupComponents or IVssAsync methods (VSS is busy delivering the event)",
		e.Writer, e.Method, e.Event)
}

// handlerSet records which goroutines are running a writer handler of one
// coordinator, so that a call from one of them is recognised.
type handlerSet struct {
	n  atomic.Int64 // len(by), read without the lock on every call
	mu sync.Mutex
	by map[uint64]*WriterContext
}

func (h *handlerSet) enter(g uint64, ctx *WriterContext) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.by == nil {
		h.by = make(map[uint64]*WriterContext)
	}
	h.by[g] = ctx
	h.n.Store(int64(len(h.by)))
}

func (h *handlerSet) leave(g uint64) {
	h.mu.Lock()
	defer h.mu.Unlock()
	delete(h.by, g)
	h.n.Store(int64(len(h.by)))
}

// current returns the handler the calling goroutine is running, if any.
func (h *handlerSet) current() *WriterContext {
	if h.n.Load() == 0 {
		return nil // no handler runs: the common case costs one load
	}
	g := goroutineID()
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.by[g]
}

// lock takes the coordinator's lock for a public method (kind.method),
// after refusing a call from a writer handler of this coordinator (see
// ReentrantCallError).
func (c *Coordinator) lock(kind, method string) {
	if ctx := c.handlers.current(); ctx != nil {
		panic(&ReentrantCallError{Method: kind + "." + method, Writer: ctx.Name(), Event: ctx.event})
	}
	c.mu.Lock()
}

// goroutineID is the calling goroutine's number, from the header of its
// stack trace ("goroutine 18 [running]:"). It is only an identity for
// handlerSet; nothing else depends on it.
func goroutineID() uint64 {
	var buf [64]byte
	b := buf[:runtime.Stack(buf[:], false)]
	const prefix = "goroutine "
	if len(b) < len(prefix) {
		return 0
	}
	b = b[len(prefix):]
	i := 0
	for i < len(b) && b[i] >= '0' && b[i] <= '9' {
		i++
	}
	id, _ := strconv.ParseUint(string(b[:i]), 10, 64)
	return id
}

// workerPool keeps the goroutines that run writer handlers alive between
// events, so that an event costs neither a goroutine start (with its stack
// growth) nor the runtime.Stack call that learns a new goroutine's identity
// (goroutineID): that fixed cost was most of a small backup's time. An idle
// goroutine waits workerIdle of wall time for the next job and then exits,
// so a coordinator that is no longer used leaves nothing running for long
// (no Close is needed). A job that never returns (a hung handler) or ends
// its goroutine (runtime.Goexit) takes its goroutine with it; the pool
// starts another when it needs one.
type workerPool struct {
	jobs chan func(g uint64) // unbuffered: a send succeeds only if a worker is idle
}

// workerIdle is how long an idle handler goroutine waits for work. It is
// wall time spent only by goroutines with nothing to do; the simulator's
// virtual time does not depend on it.
const workerIdle = 50 * time.Millisecond

// run runs job(g) on an idle pooled goroutine (g its goroutineID), or on a
// new one if none is idle.
func (p *workerPool) run(job func(g uint64)) {
	select {
	case p.jobs <- job:
	default:
		go p.loop(job)
	}
}

func (p *workerPool) loop(job func(g uint64)) {
	g := goroutineID()
	var idle *time.Timer
	for {
		job(g)
		job = nil // an idle goroutine keeps nothing of the last event alive
		if idle == nil {
			idle = time.NewTimer(workerIdle)
		} else {
			idle.Reset(workerIdle)
		}
		select {
		case job = <-p.jobs:
		case <-idle.C:
			return
		}
	}
}
