package sim

import (
	"math"
	"time"

	"github.com/vsssim/vsssim/requestor/vss"
)

// asyncOp is one IVssAsync operation. It advances in steps on the virtual
// clock: each step runs at op.at and schedules the next. status is what
// QueryStatus reports; after Cancel it is VSS_S_ASYNC_CANCELLED while the
// operation winds down (writers answering their current event, then Abort).
type asyncOp struct {
	id      int
	o       *BackupComponents
	method  string
	status  vss.HRESULT
	at      time.Duration
	step    func()
	flights []*inflight
	cancel  bool
}

// Async is the simulator's IVssAsync.
type Async struct {
	op *asyncOp
}

var _ vss.Async = (*Async)(nil)

func (c *Coordinator) newOp(o *BackupComponents, method string) *asyncOp {
	c.opSeq++
	op := &asyncOp{id: c.opSeq, o: o, method: method, status: vss.VSS_S_ASYNC_PENDING, at: c.now}
	c.ops = append(c.ops, op)
	o.pending = op
	return op
}

// finish ends op with status (unless it was cancelled) and traces it.
func (c *Coordinator) finish(op *asyncOp, status vss.HRESULT, text string) {
	op.step = nil
	if op.o.pending == op {
		op.o.pending = nil
	}
	if op.status == vss.VSS_S_ASYNC_PENDING {
		op.status = status
	}
	c.trace.add(Entry{T: c.now, Object: op.o.num, Kind: KindAsync, Name: op.method, HR: op.status, Text: text})
	op.o.checkOpEnded(op)
	for i, x := range c.ops {
		if x == op {
			c.ops = append(c.ops[:i:i], c.ops[i+1:]...)
			break
		}
	}
}

// nextDue returns the earliest step time of any running operation.
func (c *Coordinator) nextDue() (time.Duration, bool) {
	best, ok := time.Duration(math.MaxInt64), false
	for _, op := range c.ops {
		if op.step != nil && op.at < best {
			best, ok = op.at, true
		}
	}
	return best, ok
}

// advanceTo runs every step due at or before t, in time order (ties in
// operation order), and leaves the clock at t.
func (c *Coordinator) advanceTo(t time.Duration) {
	for {
		var next *asyncOp
		for _, op := range c.ops {
			if op.step != nil && op.at <= t && (next == nil || op.at < next.at) {
				next = op
			}
		}
		if next == nil {
			break
		}
		if next.at > c.now {
			c.now = next.at
		}
		step := next.step
		next.step = nil
		step()
	}
	if t > c.now {
		c.now = t
	}
}

// settle runs the steps due now.
func (c *Coordinator) settle() { c.advanceTo(c.now) }

// drain runs o's operations to their end, moving the clock as far as they
// need (used by Release: VSS waits for the writers before tearing down).
func (c *Coordinator) drain(o *BackupComponents) {
	for {
		var t time.Duration = -1
		for _, op := range c.ops {
			if op.o == o && op.step != nil && (t < 0 || op.at < t) {
				t = op.at
			}
		}
		if t < 0 {
			return
		}
		c.advanceTo(t)
	}
}

// Wait mirrors IVssAsync::Wait on the virtual clock: it advances time until
// the operation ends or timeout passes. On timeout it returns nil and the
// status stays VSS_S_ASYNC_PENDING (REFERENCE §3, §8 C10).
func (a *Async) Wait(timeout time.Duration) error {
	c := a.op.o.c
	c.mu.Lock()
	defer c.mu.Unlock()
	op := a.op
	deadline := time.Duration(math.MaxInt64)
	if timeout >= 0 {
		deadline = c.now + timeout
	}
	for op.status == vss.VSS_S_ASYNC_PENDING {
		t, ok := c.nextDue()
		if !ok {
			return vss.Errorf(c.unexpected(), "IVssAsync::Wait", "internal: %s is pending with nothing scheduled", op.method)
		}
		if t > deadline {
			break
		}
		c.advanceTo(t)
	}
	if op.status == vss.VSS_S_ASYNC_PENDING {
		op.o.checkAsyncSeen(op, seenWaitTimedOut)
		c.advanceTo(deadline)
		return nil
	}
	op.o.checkAsyncSeen(op, seenWaitEnded)
	if c.opts.WaitReturnsOperationError && op.status.Failed() {
		return vss.Errorf(op.status, "IVssAsync::Wait", "%s failed while being waited on", op.method)
	}
	return nil
}

// QueryStatus mirrors IVssAsync::QueryStatus.
func (a *Async) QueryStatus() (vss.HRESULT, error) {
	c := a.op.o.c
	c.mu.Lock()
	defer c.mu.Unlock()
	if a.op.status != vss.VSS_S_ASYNC_PENDING {
		a.op.o.checkAsyncSeen(a.op, seenResult)
	}
	return a.op.status, nil
}

// Cancel mirrors IVssAsync::Cancel (REFERENCE §3): S_OK when it cancels a
// running operation, VSS_S_ASYNC_CANCELLED or VSS_S_ASYNC_FINISHED when the
// operation already ended that way, the operation's error when it failed.
// A cancelled writer-event operation sends Abort to the writers not yet past
// PostSnapshot once their current handler has answered ([Inf] §3
// semantics 4).
func (a *Async) Cancel() (vss.HRESULT, error) {
	c := a.op.o.c
	c.mu.Lock()
	defer c.mu.Unlock()
	op := a.op
	op.o.checkAsyncSeen(op, seenResult)
	switch {
	case op.status == vss.VSS_S_ASYNC_CANCELLED:
		return vss.VSS_S_ASYNC_CANCELLED, nil
	case op.status == vss.VSS_S_ASYNC_FINISHED:
		return vss.VSS_S_ASYNC_FINISHED, nil
	case op.status.Failed():
		return op.status, vss.Errorf(op.status, "IVssAsync::Cancel", "%s had already failed", op.method)
	}
	op.status = vss.VSS_S_ASYNC_CANCELLED
	op.cancel = true
	if op.o.pending == op {
		op.o.pending = nil
	}
	c.trace.add(Entry{T: c.now, Object: op.o.num, Kind: KindAsync, Name: op.method, HR: vss.VSS_S_ASYNC_CANCELLED, Text: "Cancel"})
	op.o.onCancel(op)
	c.settle()
	return vss.S_OK, nil
}
