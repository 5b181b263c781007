package sim

import (
	"fmt"
	"slices"
	"strings"
	"sync/atomic"

	"github.com/vsssim/vsssim/requestor/vss"
)

// checkRec is what one object records for the requestor conformance checks
// (check.go): the facts the end state of the object no longer shows. It is
// kept whether or not the trace is on, and costs O(1) a call but for the
// per-component and per-writer sets.
type checkRec struct {
	// snapCallFailed: a DoSnapshotSet call returned a failure while no
	// DoSnapshotSet had been accepted (the call failed, not its async).
	snapCallFailed bool
	// needStatus is the event operation that ended since the last
	// GatherWriterStatus ("" if none); missedStatus are the earlier ones
	// that another event operation followed with no GatherWriterStatus
	// between them.
	needStatus   string
	missedStatus []string
	// statusUnfreed counts completed GatherWriterStatus calls whose
	// status was not freed before the next GatherWriterStatus;
	// unfreedNow says whether the status is unfreed as a call starts.
	statusUnfreed int
	unfreedNow    bool
	// seenFailed are the writers (by class id) that a completed
	// GatherWriterStatus showed failed.
	seenFailed map[vss.ID]bool
	// reported are the BCD components given SetBackupSucceeded.
	reported map[*vss.BCDComponent]bool
	// releasedWhile is the operation that was running when Release came.
	releasedWhile string
	// timedOut are the operations whose last Wait timed out with nothing
	// done about them since.
	timedOut []*asyncOp
	// unread are the operations that ended (but for a cancel or an abort)
	// and whose result no QueryStatus or Cancel has read since.
	unread []*asyncOp
	// reads are the exclude-list reads seen per writer instance (set from
	// the requestor's goroutine, hence atomics).
	reads map[vss.ID]*excludeReads
	// found are the findings decided during the run, in order.
	found []Finding
}

type excludeReads struct {
	fetched             bool // GetWriterMetadata returned this writer
	files, fromSnapshot atomic.Bool
}

// finding records a finding decided now.
func (o *BackupComponents) finding(check, format string, args ...any) {
	o.chk.found = append(o.chk.found, newFinding(check, o.num, fmt.Sprintf(format, args...)))
}

// checkBefore runs as a call starts (the coordinator's lock held).
func (o *BackupComponents) checkBefore(method string) {
	switch method {
	case "Release":
		if o.pending != nil && !o.released {
			o.chk.releasedWhile = o.pending.method
		}
	case "GatherWriterStatus":
		o.chk.unfreedNow = o.status == done && !o.statusFreed
	case "BackupComplete":
		if o.snapFailed() {
			o.finding("backup-complete-after-failed-snapshot", "BackupComplete was called after DoSnapshotSet failed (%s)", o.snapOutcome())
		}
	}
}

// checkAfter runs as a call returns, err being its result.
func (o *BackupComponents) checkAfter(method string, err error) {
	r := &o.chk
	switch method {
	case "DoSnapshotSet":
		if err != nil && o.snap == notYet {
			r.snapCallFailed = true
		}
	case "GatherWriterStatus":
		if err == nil && r.unfreedNow {
			r.statusUnfreed++ // the previous result is dropped unfreed
		}
	case "AbortBackup":
		if err == nil {
			r.timedOut, r.unread = nil, nil // the backup is over: nothing is left to wait for
		}
	case "BackupComplete":
		if err == nil {
			o.checkBackupComplete()
		}
	}
}

// snapFailed reports whether DoSnapshotSet failed on this object (its call
// or its async) and did not succeed afterwards.
func (o *BackupComponents) snapFailed() bool {
	return o.snap == failed || o.snap == cancelled || (o.snap == notYet && o.chk.snapCallFailed)
}

func (o *BackupComponents) snapOutcome() string {
	switch o.snap {
	case notYet:
		return "the call failed"
	case cancelled:
		return "it was cancelled"
	}
	return "its async failed"
}

// writerName names the writer of class id for a finding: its name if it
// was identified or is subscribed, else the id.
func (o *BackupComponents) writerName(id vss.ID) string {
	if s := o.sessionByClassID(id); s != nil {
		return quote(s.name())
	}
	for _, r := range o.c.writers {
		if r.cfg.ClassID == id {
			return quote(r.cfg.Name)
		}
	}
	return id.String()
}

// checkOpEnded runs when an async operation reaches its final status.
func (o *BackupComponents) checkOpEnded(op *asyncOp) {
	r := &o.chk
	if op.status != vss.VSS_S_ASYNC_CANCELLED && o.method != "Release" {
		r.unread = append(r.unread, op)
	}
	switch op.method {
	case "PrepareForBackup", "DoSnapshotSet", "BackupComplete", "PreRestore", "PostRestore":
		if op.status != vss.VSS_S_ASYNC_CANCELLED && o.writerContext() {
			if r.needStatus != "" {
				r.missedStatus = append(r.missedStatus, r.needStatus)
			}
			r.needStatus = op.method
		}
	case "GatherWriterStatus":
		if op.status == vss.VSS_S_ASYNC_FINISHED {
			r.needStatus = ""
			for _, row := range o.statusRows {
				if row.Failure.Failed() || row.State.IsFailed() {
					if r.seenFailed == nil {
						r.seenFailed = map[vss.ID]bool{}
					}
					r.seenFailed[row.WriterID] = true
				}
			}
		}
	}
}

// asyncSeen is how the requestor looked at an async operation.
type asyncSeen int

const (
	seenWaitTimedOut asyncSeen = iota + 1 // Wait returned, the operation pending
	seenWaitEnded                         // Wait returned, the operation over
	seenResult                            // QueryStatus of the final status, or Cancel
)

// checkAsyncSeen runs after IVssAsync::Wait, Cancel and QueryStatus.
func (o *BackupComponents) checkAsyncSeen(op *asyncOp, how asyncSeen) {
	r := &o.chk
	r.timedOut = removeOp(r.timedOut, op)
	switch how {
	case seenWaitTimedOut:
		r.timedOut = append(r.timedOut, op)
	case seenResult:
		r.unread = removeOp(r.unread, op)
	}
}

func removeOp(ops []*asyncOp, op *asyncOp) []*asyncOp {
	for i, x := range ops {
		if x == op {
			return append(ops[:i:i], ops[i+1:]...)
		}
	}
	return ops
}

// checkAddComponent records what an AddComponent call shows about the
// selection.
func (o *BackupComponents) checkAddComponent(instanceID, writerID vss.ID, logicalPath, name string, err error) {
	key := componentKey(logicalPath, name)
	if vss.Code(err) == vss.VSS_E_OBJECT_ALREADY_EXISTS {
		o.finding("component-added-twice", "component %s of writer %s was added again (VSS_E_OBJECT_ALREADY_EXISTS)", quote(key), o.writerName(writerID))
		return
	}
	if err != nil {
		return
	}
	if why := o.disabledWhy(instanceID, writerID); why != "" {
		o.finding("component-of-disabled-writer", "component %s belongs to writer %s, which %s", quote(key), o.writerName(writerID), why)
		return
	}
	s := o.sessionByInstance(instanceID)
	if s == nil || s.reg.cfg.ClassID != writerID {
		o.finding("component-not-in-metadata", "component %s names writer instance %v / class %v, which is not in the writer metadata", quote(key), instanceID, writerID)
		return
	}
	ci := s.md.Component(logicalPath, name)
	if ci == nil {
		o.finding("component-not-in-metadata", "writer %s declares no component %s", quote(s.name()), quote(key))
		return
	}
	if !ci.Selectable {
		if anc := selectableAncestor(s.md, ci); anc != "" {
			o.finding("component-not-selectable", "component %s of writer %s is not selectable and has the selectable ancestor %s: it is backed up by selecting that one", quote(key), quote(s.name()), quote(anc))
		}
	}
}

// disabledWhy says why the writer was not enabled for this object, or "".
func (o *BackupComponents) disabledWhy(instanceID, writerID vss.ID) string {
	switch {
	case slices.Contains(o.disabledInstances, instanceID):
		return "was disabled with DisableWriterInstances"
	case slices.Contains(o.disabledClasses, writerID):
		return "was disabled with DisableWriterClasses"
	case o.enableCalled && !slices.Contains(o.enabledClasses, writerID):
		return "is not among the classes given to EnableWriterClasses"
	}
	return ""
}

// selectableAncestor returns the full path of a selectable component of md
// whose full path is an ancestor of ci's logical path, or "".
func selectableAncestor(md *vss.WriterMetadata, ci *vss.ComponentInfo) string {
	path := strings.ToLower(ci.LogicalPath)
	for i := range md.Components {
		a := &md.Components[i]
		if !a.Selectable || a == ci {
			continue
		}
		full := strings.ToLower(componentKey(a.LogicalPath, a.Name))
		if path == full || strings.HasPrefix(path, full+`\`) {
			return componentKey(a.LogicalPath, a.Name)
		}
	}
	return ""
}

// checkSucceeded records a SetBackupSucceeded call.
func (o *BackupComponents) checkSucceeded(writerID vss.ID, logicalPath, name string, succeeded bool, err error) {
	if succeeded && o.snapFailed() {
		o.finding("succeeded-after-failed-snapshot", "SetBackupSucceeded(true) for component %s of writer %s after DoSnapshotSet failed (%s)", quote(componentKey(logicalPath, name)), o.writerName(writerID), o.snapOutcome())
	}
	if err != nil {
		return
	}
	if bc := o.bcdFind(writerID, logicalPath, name); bc != nil {
		if o.chk.reported == nil {
			o.chk.reported = map[*vss.BCDComponent]bool{}
		}
		o.chk.reported[bc] = true
	}
}

// checkBackupComplete decides, as BackupComplete is accepted, what the BCD
// says about the components.
func (o *BackupComponents) checkBackupComplete() {
	var missing []string
	for _, w := range o.doc.Writers {
		s := o.sessionByClassID(w.WriterID)
		for _, bc := range w.Components {
			key := componentKey(bc.LogicalPath, bc.Name)
			if !o.chk.reported[bc] {
				if o.selectComponents {
					missing = append(missing, fmt.Sprintf("%s of writer %s", quote(key), o.writerName(w.WriterID)))
				}
				continue
			}
			if !bc.BackupSucceeded || s == nil || !(s.failure.Failed() || s.state.IsFailed()) {
				continue
			}
			if o.chk.seenFailed[w.WriterID] {
				o.finding("writer-failure-ignored", "writer status showed %s failed (%v, %s), yet its component %s was reported as succeeded and the backup went on to BackupComplete",
					quote(s.name()), s.state, s.failure.String(), quote(key))
			} else {
				o.finding("succeeded-for-failed-writer", "component %s was reported as succeeded at BackupComplete, but its writer %s had failed (%v, %s) and no writer status gathered showed it", quote(key), quote(s.name()), s.state, s.failure.String())
			}
		}
	}
	if len(missing) > 0 {
		o.finding("set-backup-succeeded-missing", "BackupComplete came with no SetBackupSucceeded for %s", strings.Join(missing, ", "))
	}
}

// watchExcludes records that the requestor fetched s's metadata and makes
// md report reads of its exclude lists (only for writers that have some:
// the others cost nothing).
func (o *BackupComponents) watchExcludes(s *session, md *vss.WriterMetadata) *vss.WriterMetadata {
	if len(md.ExcludeFiles) == 0 && len(md.ExcludeFromSnapshot) == 0 {
		return md
	}
	if o.chk.reads == nil {
		o.chk.reads = map[vss.ID]*excludeReads{}
	}
	rd := o.chk.reads[s.reg.instanceID]
	if rd == nil {
		rd = &excludeReads{}
		o.chk.reads[s.reg.instanceID] = rd
	}
	rd.fetched = true
	vss.WatchExcludeReads(md, func(l vss.ExcludeList) {
		switch l {
		case vss.ExcludeFilesList:
			rd.files.Store(true)
		case vss.ExcludeFromSnapshotList:
			rd.fromSnapshot.Store(true)
		}
	})
	return md
}
