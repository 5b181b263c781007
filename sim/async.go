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
	// observed: the requestor has seen the end (Options.StrictAsync).
	observed bool
	// waited: the last call on the operation was a Wait that timed out
	// after a positive timeout; the next QueryStatus is not a poll.
	waited bool
	// release, when set, is the step a provider holding until the
	// requestor's Wait (ProviderCall.HoldUntilWait) goes on with; step
	// meanwhile is its timeout.
	release func()
	// noCancel marks an operation VSS does not cancel (a revert's
	// QueryRevertStatus): Cancel is accepted and changes nothing.
	noCancel bool
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
	if !op.observed {
		op.o.unseen = append(op.o.unseen, op)
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
		if op.step != nil && (!ok || op.at < best) { // (an op may be due at the end of time)
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
// need (used by Release: VSS waits for the writers before tearing down). A
// provider call holding until the requestor waits ends now.
func (c *Coordinator) drain(o *BackupComponents) { c.drainIf(o, func(*asyncOp) bool { return true }) }

// drainIf is drain for the operations of o that which selects.
func (c *Coordinator) drainIf(o *BackupComponents, which func(*asyncOp) bool) {
	for _, op := range c.ops {
		if op.o == o && which(op) && op.release != nil && op.step != nil {
			op.at, op.step, op.release = c.now, op.release, nil
		}
	}
	for {
		var t time.Duration = -1
		for _, op := range c.ops {
			if op.o == o && op.step != nil && which(op) && (t < 0 || op.at < t) {
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
	c.lock("Async", "Wait")
	defer c.mu.Unlock()
	op := a.op
	deadline := time.Duration(math.MaxInt64)
	if timeout >= 0 {
		deadline = satAdd(c.now, timeout)
	}
	if op.release != nil && op.step != nil {
		// A provider holding until the requestor waits (qemu-ga's thaw).
		op.at, op.step, op.release = c.now, op.release, nil
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
		// The requestor just gave the simulation timeout of virtual time:
		// its QueryStatus that follows reads the status (see QueryStatus).
		op.waited = timeout > 0
		return nil
	}
	op.o.checkAsyncSeen(op, seenWaitEnded)
	op.observe()
	if c.opts.WaitReturnsOperationError && op.status.Failed() {
		return vss.Errorf(op.status, "IVssAsync::Wait", "%s failed while being waited on", op.method)
	}
	return nil
}

// QueryStatus mirrors IVssAsync::QueryStatus. On a pending operation it is
// also a poll: it lets the simulation run by Options.Poll (by default to
// its next event, as one step of Wait would), so that a requestor that
// polls instead of calling Wait sees the operation end at the same virtual
// time. The QueryStatus right after a Wait that timed out after a positive
// timeout is not a poll: that Wait already gave the simulation its time,
// and the requestor reads what it left (restic's and vshadow's
// Wait(timeout) then QueryStatus see VSS_S_ASYNC_PENDING, as on Windows).
// A status other than VSS_S_ASYNC_PENDING is the requestor observing the
// end (Options.StrictAsync).
func (a *Async) QueryStatus() (vss.HRESULT, error) {
	c := a.op.o.c
	c.lock("Async", "QueryStatus")
	defer c.mu.Unlock()
	op := a.op
	if op.status == vss.VSS_S_ASYNC_PENDING && !op.waited {
		c.poll(op)
	}
	op.waited = false
	if op.status != vss.VSS_S_ASYNC_PENDING {
		op.o.checkAsyncSeen(op, seenResult)
		op.observe()
	}
	return op.status, nil
}

// Status returns the operation's status without the side effects of
// QueryStatus: it neither moves the clock nor counts as the requestor
// observing the end. A simulator-only view (no COM equivalent) for tests
// and reports.
func (a *Async) Status() vss.HRESULT {
	c := a.op.o.c
	c.mu.Lock()
	defer c.mu.Unlock()
	return a.op.status
}

// poll is what one QueryStatus on the pending op does to the clock
// (Options.Poll): under PollNextEvent the steps due at the earliest
// scheduled time run, and the clock moves there; under PollQuantumStep the
// clock moves by PollQuantum. Either way only scheduled steps run, in the
// order Wait runs them, so the trace is the same as with Wait.
func (c *Coordinator) poll(op *asyncOp) {
	switch c.opts.Poll {
	case PollNextEvent:
		t, ok := c.nextDue()
		for _, x := range c.ops {
			if ok && x.step != nil && x.at == t && x.release != nil {
				// The next event ends a provider call that waits for the
				// requestor's Wait (ProviderCall.HoldUntilWait): a poll does
				// not end it; the clock moves by a quantum towards its
				// timeout instead.
				t = min(t, c.now+max(c.opts.PollQuantum, time.Millisecond))
			}
		}
		if ok {
			c.advanceTo(t)
		}
	case PollQuantumStep:
		if c.opts.PollQuantum > 0 {
			c.advanceTo(c.now + c.opts.PollQuantum)
		}
	}
}

// observe records that the requestor has seen op end.
func (op *asyncOp) observe() {
	if op.observed {
		return
	}
	op.observed = true
	o := op.o
	for i, x := range o.unseen {
		if x == op {
			o.unseen = append(o.unseen[:i:i], o.unseen[i+1:]...)
			break
		}
	}
}

// unobserved returns the first operation of o that ended without the
// requestor observing it, among methods (any if none given), under
// Options.StrictAsync.
func (o *BackupComponents) unobserved(methods ...string) *asyncOp {
	if !o.c.opts.StrictAsync {
		return nil
	}
	for _, op := range o.unseen {
		if len(methods) == 0 {
			return op
		}
		for _, m := range methods {
			if op.method == m {
				return op
			}
		}
	}
	return nil
}

// awaitObserved is the "§3 observe" rule: the call m needs the end of an
// operation (of methods, or any) that the requestor has not observed.
func (o *BackupComponents) awaitObserved(m string, methods ...string) error {
	op := o.unobserved(methods...)
	if op == nil {
		return nil
	}
	return o.badState(m, "§3 observe", "%s has not been seen to finish: call IVssAsync::Wait, or QueryStatus until it is no longer VSS_S_ASYNC_PENDING, before %s (on real VSS the operation may still be running; Options.StrictAsync)", op.method, m)
}

// Cancel mirrors IVssAsync::Cancel (REFERENCE §3): S_OK when it cancels a
// running operation, VSS_S_ASYNC_CANCELLED or VSS_S_ASYNC_FINISHED when the
// operation already ended that way, the operation's error when it failed.
// A cancelled writer-event operation sends Abort to the writers not yet past
// PostSnapshot once their current handler has answered ([Inf] §3
// semantics 4).
func (a *Async) Cancel() (vss.HRESULT, error) {
	c := a.op.o.c
	c.lock("Async", "Cancel")
	defer c.mu.Unlock()
	op := a.op
	op.o.checkAsyncSeen(op, seenResult)
	switch {
	case op.status == vss.VSS_S_ASYNC_CANCELLED:
		op.observe()
		return vss.VSS_S_ASYNC_CANCELLED, nil
	case op.status == vss.VSS_S_ASYNC_FINISHED:
		op.observe()
		return vss.VSS_S_ASYNC_FINISHED, nil
	case op.status.Failed():
		op.observe()
		return op.status, vss.Errorf(op.status, "IVssAsync::Cancel", "%s had already failed", op.method)
	case op.noCancel:
		c.trace.add(Entry{T: c.now, Object: op.o.num, Kind: KindNote, Text: op.method + ": Cancel ignored, the operation cannot be cancelled"})
		return vss.S_OK, nil
	}
	op.status = vss.VSS_S_ASYNC_CANCELLED
	op.cancel = true
	op.observe() // the requestor knows it is over; it winds down on its own
	if op.o.pending == op {
		op.o.pending = nil
	}
	c.trace.add(Entry{T: c.now, Object: op.o.num, Kind: KindAsync, Name: op.method, HR: vss.VSS_S_ASYNC_CANCELLED, Text: "Cancel"})
	op.o.onCancel(op)
	c.settle()
	return vss.S_OK, nil
}
