package sim

import (
	"fmt"
	"time"

	"github.com/vsssim/vsssim/requestor/vss"
)

// await schedules the end of an event phase: when every reply is in, or
// VSS stopped waiting for it (f.limit), then runs.
func (o *BackupComponents) await(op *asyncOp, flights []*inflight, then func()) {
	c := o.c
	end := c.now
	for _, f := range flights {
		t := f.at
		if f.hung || t > f.limit {
			t = f.limit
		}
		if t > end {
			end = t
		}
	}
	op.flights = flights
	o.schedule(op, end, func() {
		o.applyFlights(op, c.now)
		then()
	})
}

// limits sets how long VSS waits for each reply.
func (o *BackupComponents) limits(flights []*inflight, hr vss.HRESULT, limit func(*inflight) time.Duration) []*inflight {
	for _, f := range flights {
		f.limit, f.timeoutHR = limit(f), hr
	}
	return flights
}

func (o *BackupComponents) eventLimit(flights []*inflight) []*inflight {
	t := satAdd(o.c.now, o.c.opts.EventTimeout)
	return o.limits(flights, vss.VSS_E_WRITER_NOT_RESPONDING, func(*inflight) time.Duration { return t })
}

// applyFlights records the replies of op that VSS has seen by time upTo.
func (o *BackupComponents) applyFlights(op *asyncOp, upTo time.Duration) {
	for _, f := range op.flights {
		if f.applied {
			continue
		}
		switch {
		case (f.hung || f.at > f.limit) && f.limit <= upTo:
			why := fmt.Sprintf("%v passed", o.c.opts.EventTimeout)
			if f.timeoutHR == vss.VSS_E_WRITERERROR_TIMEOUT && (f.ev == EventFreeze || f.ev == EventThaw) {
				why = fmt.Sprintf("freeze timeout of %v passed", f.s.reg.cfg.FreezeTimeout)
			}
			f.v = o.timeout(f, f.limit, f.timeoutHR, why)
		case !f.hung && f.at <= f.limit && f.at <= upTo:
			f.v = o.apply(f)
		default:
			continue
		}
		f.applied = true
		if f.ev == EventThaw || f.v.failed && (f.ev == EventFreeze) {
			f.s.timerOn = false
		}
		if f.ev == EventPostSnapshot {
			f.s.pastPost = true
		}
	}
}

// discardFlights drops the replies VSS no longer waits for (the operation
// was aborted while writers were still in their handlers).
func (o *BackupComponents) discardFlights(op *asyncOp) {
	for _, f := range op.flights {
		if !f.applied {
			f.applied = true
			o.c.trace.add(Entry{T: o.c.now, Object: o.num, Kind: KindNote,
				Text: fmt.Sprintf("%s is still in On%s; VSS no longer waits for its reply", f.s.name(), f.ev)})
		}
	}
	op.flights = nil
}

// minDeadline is the earliest running freeze timer.
func (o *BackupComponents) minDeadline() (time.Duration, bool) {
	var d time.Duration
	ok := false
	for _, s := range o.sessions {
		if s.timerOn && (!ok || s.deadline < d) {
			d, ok = s.deadline, true
		}
	}
	return d, ok
}

// schedule runs fn at time t, unless a writer's freeze timer (Freeze to
// Thaw ≤ dwTimeoutFreeze, REFERENCE §4.5) expires first: then the creation
// is aborted at that moment.
func (o *BackupComponents) schedule(op *asyncOp, t time.Duration, fn func()) {
	if d, ok := o.minDeadline(); ok && d < t {
		op.at = d
		op.step = func() { o.onFreezeDeadline(op, t, fn) }
		return
	}
	op.at, op.step = t, fn
}

func (o *BackupComponents) onFreezeDeadline(op *asyncOp, t time.Duration, fn func()) {
	o.applyFlights(op, o.c.now)
	var culprit *verdict
	for _, f := range op.flights {
		if f.applied && f.v.timeout && culprit == nil {
			v := f.v
			culprit = &v
		}
	}
	if v := o.expireTimers(); culprit == nil {
		culprit = v
	}
	if culprit == nil {
		o.schedule(op, t, fn)
		return
	}
	o.abortCreation(op, o.vetoResult(*culprit), "freeze timeout")
}

// expireTimers fails the writers whose freeze timer has run out by now
// without a Thaw answered (REFERENCE §4.3: FAILED_AT_THAW, or
// FAILED_AT_FREEZE if still freezing, with VSS_E_WRITERERROR_TIMEOUT) and
// returns the first such verdict.
func (o *BackupComponents) expireTimers() *verdict {
	c := o.c
	var first *verdict
	for _, s := range o.sessions {
		if !s.timerOn || s.deadline > c.now {
			continue
		}
		s.timerOn = false
		c.trace.add(Entry{T: c.now, Object: o.num, Kind: KindNote,
			Text: fmt.Sprintf("%s: freeze timeout (%v) expired before Thaw", s.name(), s.reg.cfg.FreezeTimeout)})
		v := verdict{failed: true, veto: true, timeout: true, hr: vss.VSS_E_WRITERERROR_TIMEOUT}
		st := vss.VSS_WS_FAILED_AT_THAW
		if s.state == vss.VSS_WS_WAITING_FOR_FREEZE {
			st = vss.VSS_WS_FAILED_AT_FREEZE
		}
		s.failure = v.hr
		o.setState(s, st, c.now)
		s.out = true
		if first == nil {
			first = &v
		}
	}
	return first
}

func (o *BackupComponents) vetoResult(v verdict) vss.HRESULT {
	if o.c.opts.SnapshotVetoResult == VetoResultUnexpectedWriterError {
		return vss.VSS_E_UNEXPECTED_WRITER_ERROR
	}
	return v.hr
}

// firstVeto returns the first veto among the replies, in writer order.
func firstVeto(flights []*inflight) *verdict {
	for _, f := range flights {
		if f.applied && f.v.veto {
			v := f.v
			return &v
		}
	}
	return nil
}

// startIdentify runs GatherWriterMetadata: Identify to every enabled writer.
// Writers that fail Identify are left out of the metadata and status lists
// (REFERENCE §4.2).
func (o *BackupComponents) startIdentify(op *asyncOp) {
	c := o.c
	op.step = func() {
		if hr, ok := c.fault(o, op.method, true); ok {
			o.gather = failed
			c.finish(op, hr, "injected fault")
			return
		}
		var targets []*session
		filters := o.filters()
		for _, r := range c.writers {
			if filters.enabledWriter(r) {
				id := vss.WriterIdentity{InstanceID: r.instanceID, WriterID: r.cfg.ClassID, Name: r.cfg.Name,
					InstanceName: r.cfg.InstanceName, Usage: r.cfg.Usage, Source: r.cfg.Source}
				targets = append(targets, &session{reg: r, state: vss.VSS_WS_STABLE, builder: vss.NewCreateWriterMetadata(id)})
			}
		}
		flights := o.eventLimit(c.call(o, EventIdentify, targets, eventInfo{context: o.context}, func(w Writer, ctx *WriterContext, s *session, _ []*Component) bool {
			// The WMD is read-only once OnIdentify has returned (REFERENCE
			// §5.1), whatever goroutines the handler left behind: it is
			// sealed here, on the handler's goroutine, and the coordinator
			// only reads the sealed document (never the builder again).
			b := s.builder
			defer func() { s.identified = b.Seal() }()
			return w.OnIdentify(ctx, b)
		}))
		o.await(op, flights, func() {
			for _, f := range flights {
				s := f.s
				if f.wallHung {
					continue // its goroutine may still use the builder: leave it alone
				}
				md := s.identified
				s.builder, s.identified = nil, nil
				if f.v.failed {
					continue
				}
				if err := md.Validate(); err != nil {
					c.trace.add(Entry{T: c.now, Object: o.num, Kind: KindNote, Text: fmt.Sprintf("%s: invalid writer metadata, left out: %v", s.name(), err)})
					continue
				}
				s.md = md
				o.sessions = append(o.sessions, s)
			}
			if op.cancel {
				o.gather = cancelled
				c.finish(op, vss.VSS_S_ASYNC_CANCELLED, "")
				return
			}
			o.gather = done
			c.finish(op, vss.VSS_S_ASYNC_FINISHED, fmt.Sprintf("%d of %d writers identified", len(o.sessions), len(flights)))
		})
	}
}

// writerFilters are the Enable/Disable lists of an object as sets.
type writerFilters struct {
	enableCalled                    bool
	enabled, disabled, disabledInst idSet
}

func (o *BackupComponents) filters() writerFilters {
	return writerFilters{enableCalled: o.enableCalled, enabled: newIDSet(o.enabledClasses),
		disabled: newIDSet(o.disabledClasses), disabledInst: newIDSet(o.disabledInstances)}
}

func (f writerFilters) enabledWriter(r *writerReg) bool {
	if f.enableCalled && !f.enabled.has(r.cfg.ClassID) {
		return false
	}
	return !f.disabled.has(r.cfg.ClassID) && !f.disabledInst.has(r.instanceID)
}

// startPrepare runs PrepareForBackup: every identified writer gets the
// event; in component mode only writers with a component in the BCD take
// part in the events after it (REFERENCE §4.2).
func (o *BackupComponents) startPrepare(op *asyncOp) {
	c := o.c
	op.step = func() {
		if hr, ok := c.fault(o, op.method, true); ok {
			o.prepare = failed
			c.finish(op, hr, "injected fault")
			return
		}
		for _, s := range o.sessions {
			s.prepared = true
			s.participant = !o.selectComponents || o.bcdWriter(s.reg.cfg.ClassID) != nil
		}
		info := o.info()
		flights := o.eventLimit(c.call(o, EventPrepareForBackup, o.sessions, info, func(w Writer, ctx *WriterContext, s *session, comps []*Component) bool {
			return w.OnPrepareBackup(ctx, comps)
		}))
		o.await(op, flights, func() {
			vetoed := 0
			for _, f := range flights {
				if f.v.failed {
					f.s.out = true
					vetoed++
				}
			}
			if op.cancel {
				o.prepare = cancelled
				o.asyncAbort(op, vss.VSS_S_ASYNC_CANCELLED, func() {})
				return
			}
			if vetoed > 0 && c.opts.PrepareVetoFails {
				o.prepare = failed
				c.finish(op, vss.VSS_E_UNEXPECTED_WRITER_ERROR, fmt.Sprintf("%d writers failed (Options.PrepareVetoFails)", vetoed))
				return
			}
			o.prepare = done
			text := ""
			if vetoed > 0 {
				text = fmt.Sprintf("%d writers failed; see GatherWriterStatus", vetoed)
			}
			c.finish(op, vss.VSS_S_ASYNC_FINISHED, text)
		})
	}
}

// abortTargets are the writers an Abort goes to: those taking part that
// have not handled PostSnapshot (REFERENCE §4.2).
func (o *BackupComponents) abortTargets() []*session {
	var out []*session
	for _, s := range o.sessions {
		if s.prepared && s.participant && !s.pastPost && !s.aborted {
			s.aborted = true
			out = append(out, s)
		}
	}
	return out
}

// asyncAbort sends Abort as part of op, then finishes it with status.
func (o *BackupComponents) asyncAbort(op *asyncOp, status vss.HRESULT, after func()) {
	c := o.c
	o.discardFlights(op)
	for _, s := range o.sessions {
		s.timerOn = false
	}
	flights := o.eventLimit(c.call(o, EventAbort, o.abortTargets(), o.info(), func(w Writer, ctx *WriterContext, s *session, _ []*Component) bool {
		return w.OnAbort(ctx)
	}))
	o.await(op, flights, func() {
		after()
		c.finish(op, status, "")
	})
}

// sendAbort sends Abort synchronously (AbortBackup, Release).
func (o *BackupComponents) sendAbort() {
	o.syncEvent(EventAbort, o.abortTargets(), func(w Writer, ctx *WriterContext, s *session, _ []*Component) bool {
		return w.OnAbort(ctx)
	})
}

// syncEvent delivers an event inside a synchronous call: the call lasts
// until every writer answered or timed out on the virtual clock.
func (o *BackupComponents) syncEvent(ev Event, ss []*session, invoke func(Writer, *WriterContext, *session, []*Component) bool) {
	c := o.c
	if len(ss) == 0 {
		return
	}
	flights := o.eventLimit(c.call(o, ev, ss, o.info(), invoke))
	end := c.now
	for _, f := range flights {
		t := f.at
		if f.hung || t > f.limit {
			t = f.limit
		}
		if t > end {
			end = t
		}
	}
	c.advanceTo(end)
	op := &asyncOp{flights: flights}
	o.applyFlights(op, end)
}

// onCancel reacts to IVssAsync::Cancel or AbortBackup on a running
// operation. The operation notices op.cancel at its next step.
func (o *BackupComponents) onCancel(op *asyncOp) {
	if op.method == "GatherWriterStatus" {
		o.status = cancelled
	}
}

// abortCreation aborts a DoSnapshotSet: Abort to the writers not past
// PostSnapshot, the set's shadow copies deleted, the creation slot freed.
func (o *BackupComponents) abortCreation(op *asyncOp, hr vss.HRESULT, why string) {
	c := o.c
	op.release = nil // a provider call holding until Wait is over
	c.trace.add(Entry{T: c.now, Object: o.num, Kind: KindNote, Text: fmt.Sprintf("shadow copy creation aborted (%s): %s", why, hr.String())})
	o.applyFlights(op, c.now)
	o.expireTimers()
	o.asyncAbort(op, hr, func() {
		for _, s := range o.set.snaps {
			if s.created && !s.deleted {
				s.deleted = true
				s.prop.Status = vss.VSS_SS_DELETED
			} else if !s.created {
				s.prop.Status = vss.VSS_SS_ABORTED
			}
		}
		if op.cancel {
			o.snap = cancelled
		} else {
			o.snap = failed
		}
		o.endCreation()
	})
}

// startSnapshot runs DoSnapshotSet (REFERENCE §4.2 delivery rules,
// Appendix B rule 4).
func (o *BackupComponents) startSnapshot(op *asyncOp) {
	c := o.c
	op.step = func() {
		if op.cancel {
			o.abortCreation(op, vss.VSS_S_ASYNC_CANCELLED, "cancelled")
			return
		}
		if !o.writerContext() {
			o.commit(op)
			return
		}
		// A writer that does not answer PrepareForSnapshot in time fails with
		// VSS_E_WRITERERROR_TIMEOUT ([Inf] REFERENCE §4.5).
		limit := satAdd(c.now, c.opts.EventTimeout)
		flights := o.limits(c.call(o, EventPrepareForSnapshot, o.participants(), o.info(), func(w Writer, ctx *WriterContext, s *session, _ []*Component) bool {
			return w.OnPrepareSnapshot(ctx)
		}), vss.VSS_E_WRITERERROR_TIMEOUT, func(*inflight) time.Duration { return limit })
		o.await(op, flights, func() {
			for _, f := range flights {
				if f.v.failed {
					// No Abort for a PrepareForSnapshot failure (REFERENCE §4.2);
					// the writer drops out of this creation.
					f.s.out = true
				} else {
					f.s.inCreation = true
				}
			}
			if op.cancel {
				o.abortCreation(op, vss.VSS_S_ASYNC_CANCELLED, "cancelled")
				return
			}
			o.freezeLevel(op, 0)
		})
	}
}

// freezeOrder is the Freeze order of application levels (REFERENCE §4.2:
// FRONT_END, BACK_END, SYSTEM; [Inf] SYSTEM_RM last).
var freezeOrder = []vss.ApplicationLevel{vss.VSS_APP_FRONT_END, vss.VSS_APP_BACK_END, vss.VSS_APP_SYSTEM, vss.VSS_APP_SYSTEM_RM}

func (o *BackupComponents) atLevel(level vss.ApplicationLevel, pred func(*session) bool) []*session {
	var out []*session
	for _, s := range o.sessions {
		if s.reg.cfg.Level == level && pred(s) {
			out = append(out, s)
		}
	}
	return out
}

// freezeLevel sends Freeze to the k-th application level (REFERENCE §4.2),
// starting each writer's freeze timer (§4.5), then goes on to the next
// level and finally the commit.
func (o *BackupComponents) freezeLevel(op *asyncOp, k int) {
	if k == len(freezeOrder) {
		o.commit(op)
		return
	}
	ss := o.atLevel(freezeOrder[k], func(s *session) bool { return s.inCreation && !s.out })
	for _, s := range ss {
		s.timerOn, s.deadline = true, satAdd(o.c.now, s.reg.cfg.FreezeTimeout)
	}
	o.levelPhase(op, EventFreeze, ss, func(w Writer, ctx *WriterContext) bool { return w.OnFreeze(ctx) },
		func() { o.freezeLevel(op, k+1) })
}

// commit is the provider's flush, hold and commit (REFERENCE §4.5).
func (o *BackupComponents) commit(op *asyncOp) {
	c := o.c
	if hr, ok := c.fault(o, op.method, true); ok {
		o.abortCreation(op, hr, "injected provider fault")
		return
	}
	if len(o.hookedProviders()) > 0 {
		o.commitWithHooks(op)
		return
	}
	flush, hold := o.flushHold()
	t := c.now
	switch {
	case flush > c.opts.FlushWindow:
		o.schedule(op, satAdd(t, c.opts.FlushWindow), func() {
			o.abortCreation(op, vss.VSS_E_FLUSH_WRITES_TIMEOUT, fmt.Sprintf("the flush did not finish within %v", c.opts.FlushWindow))
		})
	case hold > c.opts.HoldWindow:
		o.schedule(op, satAdd(satAdd(t, flush), c.opts.HoldWindow), func() {
			o.abortCreation(op, vss.VSS_E_HOLD_WRITES_TIMEOUT, fmt.Sprintf("writes could not be held past %v", c.opts.HoldWindow))
		})
	default:
		o.schedule(op, satAdd(satAdd(t, flush), hold), func() {
			o.createShadows()
			o.afterCommit(op)
		})
	}
}

// createShadows makes the set's shadow copies exist (the provider commit).
func (o *BackupComponents) createShadows() {
	c := o.c
	for _, s := range o.set.snaps {
		c.shadows++
		s.created = true
		s.prop.Status = vss.VSS_SS_CREATED
		s.prop.SnapshotDeviceObject = fmt.Sprintf(`\\?\GLOBALROOT\Device\HarddiskVolumeShadowCopy%d`, c.shadows)
		s.prop.CreationTimestamp = filetime(c.now)
		s.prop.SnapshotsCount = int32(len(o.set.snaps))
		c.committed(s)
	}
	c.trace.add(Entry{T: c.now, Object: o.num, Kind: KindNote, Text: fmt.Sprintf("provider commit: %d shadow copies created in set %v", len(o.set.snaps), o.set.id)})
}

// afterCommit goes on after the commit: Thaw, or the end in a context
// without writers.
func (o *BackupComponents) afterCommit(op *asyncOp) {
	if op.cancel {
		o.abortCreation(op, vss.VSS_S_ASYNC_CANCELLED, "cancelled")
		return
	}
	if !o.writerContext() {
		o.finishSnapshot(op)
		return
	}
	o.thawLevel(op, 0)
}

// thawLevel sends Thaw to the k-th level in Options.ThawOrder, then goes on
// to the next level and finally PostSnapshot.
func (o *BackupComponents) thawLevel(op *asyncOp, k int) {
	if k == len(freezeOrder) {
		o.postSnapshot(op)
		return
	}
	level := freezeOrder[k]
	if o.c.opts.ThawOrder == ThawReverse {
		level = freezeOrder[len(freezeOrder)-1-k]
	}
	ss := o.atLevel(level, func(s *session) bool { return s.timerOn && !s.out })
	o.levelPhase(op, EventThaw, ss, func(w Writer, ctx *WriterContext) bool { return w.OnThaw(ctx) },
		func() { o.thawLevel(op, k+1) })
}

// levelPhase delivers Freeze or Thaw to one level's writers, each bounded
// by its freeze timer; a veto aborts the creation (REFERENCE §4.2).
func (o *BackupComponents) levelPhase(op *asyncOp, ev Event, ss []*session, handler func(Writer, *WriterContext) bool, next func()) {
	if len(ss) == 0 {
		next()
		return
	}
	flights := o.limits(o.c.call(o, ev, ss, o.info(), func(w Writer, ctx *WriterContext, _ *session, _ []*Component) bool {
		return handler(w, ctx)
	}), vss.VSS_E_WRITERERROR_TIMEOUT, func(f *inflight) time.Duration { return f.s.deadline })
	o.await(op, flights, func() {
		for _, f := range flights {
			if f.v.failed {
				f.s.out = true
			}
		}
		if op.cancel {
			o.abortCreation(op, vss.VSS_S_ASYNC_CANCELLED, "cancelled")
			return
		}
		if v := firstVeto(flights); v != nil {
			o.abortCreation(op, o.vetoResult(*v), "writer veto in "+string(ev))
			return
		}
		next()
	})
}

func (o *BackupComponents) postSnapshot(op *asyncOp) {
	c := o.c
	ss := o.inCreation()
	flights := o.eventLimit(c.call(o, EventPostSnapshot, ss, o.info(), func(w Writer, ctx *WriterContext, s *session, comps []*Component) bool {
		return w.OnPostSnapshot(ctx, comps)
	}))
	o.await(op, flights, func() {
		// A PostSnapshot failure does not abort (REFERENCE §4.2).
		if op.cancel {
			o.abortCreation(op, vss.VSS_S_ASYNC_CANCELLED, "cancelled")
			return
		}
		o.finishSnapshot(op)
	})
}

func (o *BackupComponents) finishSnapshot(op *asyncOp) {
	o.snap = done
	o.endCreation()
	o.c.finish(op, vss.VSS_S_ASYNC_FINISHED, "")
}

// startComplete runs BackupComplete.
func (o *BackupComponents) startComplete(op *asyncOp) {
	c := o.c
	op.step = func() {
		if hr, ok := c.fault(o, op.method, true); ok {
			o.complete = failed
			c.finish(op, hr, "injected fault")
			return
		}
		flights := o.eventLimit(c.call(o, EventBackupComplete, o.participants(), o.info(), func(w Writer, ctx *WriterContext, s *session, comps []*Component) bool {
			return w.OnBackupComplete(ctx, comps)
		}))
		o.await(op, flights, func() {
			if op.cancel {
				o.complete = cancelled
				c.finish(op, vss.VSS_S_ASYNC_CANCELLED, "")
				return
			}
			o.complete = done
			c.finish(op, vss.VSS_S_ASYNC_FINISHED, "")
		})
	}
}
