package sim

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/vsssim/vsssim/requestor/vss"
)

// progress is the state of one step of the sequence.
type progress int

const (
	notYet progress = iota
	running
	done
	failed
	cancelled
)

func (p progress) String() string {
	return [...]string{"not called", "running", "done", "failed", "cancelled"}[p]
}

type objMode int

const (
	modeNone objMode = iota
	modeBackup
	modeRestore
)

// BackupComponents is the simulator's IVssBackupComponents: one object
// serves one backup (REFERENCE §1.1). Its methods enforce the argument
// checks first, then the sequencing rules of REFERENCE §2.3 (each
// VSS_E_BAD_STATE is a *vss.Error naming the rule and the expected call),
// then the coordinator's faults. A call that fails changes nothing.
// It is safe for concurrent use (calls are serialised by the coordinator).
type BackupComponents struct {
	c        *Coordinator
	num      int
	mode     objMode
	released bool

	ctxSet  bool
	context vss.SnapshotContext

	backupStateSet   bool
	selectComponents bool
	bootable         bool
	partial          bool
	backupType       vss.BackupType

	enabledClasses    []vss.ID
	enableCalled      bool
	disabledClasses   []vss.ID
	disabledInstances []vss.ID

	gather   progress
	mdFreed  bool
	sessions []*session

	status      progress
	statusFreed bool
	statusRows  []vss.WriterStatus

	set      *snapshotSet
	prepare  progress
	snap     progress
	complete progress
	aborted  bool

	doc vss.BackupComponentsDocument
	// bcdIdx and sessIdx index doc and sessions (index.go).
	bcdIdx  bcdIndex
	sessIdx sessionIndex

	restoreType             vss.RestoreType
	preRestore, postRestore progress
	pending                 *asyncOp
	// unseen are the operations that ended without the requestor
	// observing it (Options.StrictAsync).
	unseen []*asyncOp
	// ret / retFn describe what the current call returns besides its
	// HRESULT, for the trace (retFn is rendered only when the trace is).
	ret   string
	retFn func() string
	// method is the call in progress.
	method string
	// chk is what the conformance checks record (checkrec.go).
	chk checkRec
	// ex is the state of the management and Ex–Ex4 calls (ex.go).
	ex objectEx
}

// NewBackupComponents mirrors CreateVssBackupComponents: a new object,
// numbered in creation order (#1, #2, ... in the trace).
func (c *Coordinator) NewBackupComponents() *BackupComponents {
	c.lock("Coordinator", "NewBackupComponents")
	defer c.mu.Unlock()
	c.objects++
	o := &BackupComponents{c: c, num: c.objects, context: vss.VSS_CTX_BACKUP, backupType: vss.VSS_BT_UNDEFINED,
		doc: vss.BackupComponentsDocument{DocVersion: "1.2"}}
	if c.all == nil {
		c.all = map[int]*BackupComponents{}
	}
	c.all[o.num] = o
	c.trace.add(Entry{T: c.now, Object: o.num, Kind: KindNote, Text: "CreateVssBackupComponents"})
	return o
}

// Number is the object's number in the trace.
func (o *BackupComponents) Number() int { return o.num }

// Coordinator returns the coordinator the object belongs to.
func (o *BackupComponents) Coordinator() *Coordinator { return o.c }

// writerContext reports whether writers take part in this object's context
// ((ctx & VSS_VOLSNAP_ATTR_NO_WRITERS) == 0, REFERENCE §6.3).
func (o *BackupComponents) writerContext() bool {
	return o.context != vss.VSS_CTX_ALL && vss.VolumeSnapshotAttributes(o.context)&vss.VSS_VOLSNAP_ATTR_NO_WRITERS == 0
}

// ended reports whether the operation is over (§2.3 row 22).
func (o *BackupComponents) ended() bool {
	return o.aborted || o.complete == done || o.postRestore == done
}

// begin traces a call and returns the function that traces its result.
// enter starts a call: it takes the coordinator's lock and traces the
// call; the function it returns traces the result and unlocks.
func (o *BackupComponents) enter(method string, args func() string, err *error) func() {
	o.c.lock("BackupComponents", method)
	o.method = method
	end := o.begin(method, args, err)
	return func() {
		end()
		o.method = ""
		o.c.mu.Unlock()
	}
}

// injected returns the armed fault for the current call, if any.
func (o *BackupComponents) injected() error {
	if hr, ok := o.c.fault(o, o.method, false); ok {
		return hrErr(hr, o.method, "injected fault")
	}
	return nil
}

// args, when not nil, formats the call's arguments; it is run only if the
// trace is rendered, so it must capture values, not state that changes.
func (o *BackupComponents) begin(method string, args func() string, err *error) func() {
	c := o.c
	o.checkBefore(method)
	c.trace.add(Entry{T: c.now, Object: o.num, Kind: KindCall, Name: method, lazy: args})
	return func() {
		o.checkAfter(method, *err)
		e := Entry{T: c.now, Object: o.num, Kind: KindReturn, Name: method, HR: vss.Code(*err)}
		if *err == nil {
			e.Text, e.lazy = o.ret, o.retFn
		}
		o.ret, o.retFn = "", nil
		var ve *vss.Error
		if asVSSError(*err, &ve) {
			e.Text = ve.Detail
			if ve.Rule != "" {
				e.Text += " [" + ve.Rule + "]"
			}
		}
		c.trace.add(e)
	}
}

func asVSSError(err error, target **vss.Error) bool {
	e, ok := err.(*vss.Error)
	if ok {
		*target = e
	}
	return ok
}

// badState builds a VSS_E_BAD_STATE that says which rule was broken and
// what the sequence expected instead.
func (o *BackupComponents) badState(method, rule, format string, args ...any) error {
	return &vss.Error{HR: vss.VSS_E_BAD_STATE, Method: method, Rule: rule, Detail: fmt.Sprintf(format, args...), Expected: o.expectedNext()}
}

// invalidArg builds an E_INVALIDARG.
func invalidArg(method, format string, args ...any) error {
	return &vss.Error{HR: vss.E_INVALIDARG, Method: method, Detail: fmt.Sprintf(format, args...)}
}

func hrErr(hr vss.HRESULT, method, format string, args ...any) error {
	return &vss.Error{HR: hr, Method: method, Detail: fmt.Sprintf(format, args...)}
}

// expectedNext names the call the documented backup sequence (REFERENCE
// §2.1) expects next.
func (o *BackupComponents) expectedNext() string {
	switch {
	case o.released:
		return "nothing: the object was released"
	case o.mode == modeNone:
		return "InitializeForBackup"
	case o.mode == modeRestore:
		return o.expectedRestore()
	case o.pending != nil:
		return "IVssAsync.Wait on " + o.pending.method
	case o.unobserved() != nil:
		return "IVssAsync.Wait on " + o.unobserved().method
	case o.ended():
		return "Release"
	case o.gather == notYet:
		return "GatherWriterMetadata"
	case !o.backupStateSet && o.writerContext():
		return "SetBackupState"
	case o.set == nil:
		return "StartSnapshotSet"
	case o.prepare == notYet && o.writerContext():
		return "AddToSnapshotSet or PrepareForBackup"
	case o.snap == notYet && o.prepare != failed:
		return "AddToSnapshotSet or DoSnapshotSet"
	case o.snap == failed || o.prepare == failed || o.snap == cancelled:
		return "AbortBackup, then Release"
	case o.complete == notYet && o.writerContext():
		return "SetBackupSucceeded, then BackupComplete"
	}
	return "Release"
}

// common applies the rules every backup-path method shares: the object is
// alive (not released), initialised (§2.3 row 1), of the right kind (rows 3
// and 4) and the backup is not over (row 22) unless allowed afterwards.
func (o *BackupComponents) common(method string, afterEnd bool) error {
	switch {
	case o.released:
		return o.badState(method, "object released", "the object was released; one IVssBackupComponents serves one backup (REFERENCE §1.1)")
	case o.mode == modeNone:
		return o.badState(method, "§2.3#1", "the object is not initialised: InitializeForBackup must be the first call")
	case o.mode == modeRestore && !bothModes[method]:
		return o.badState(method, "§2.3#3", "%s is a backup method and this object was initialised for restore", method)
	case !afterEnd && o.ended():
		how := "BackupComplete finished"
		switch {
		case o.aborted:
			how = "AbortBackup was called"
		case o.mode == modeRestore:
			how = "PostRestore finished"
		}
		return o.badState(method, "§2.3#22", "the operation is over (%s); only writer status, SaveAsXML, GetSnapshotProperties and Release remain", how)
	}
	return nil
}

// bothModes are the methods a restore object takes too (REFERENCE §1.2,
// mode B/R).
var bothModes = map[string]bool{
	"GatherWriterMetadata": true, "GetWriterMetadataCount": true, "GetWriterMetadata": true, "FreeWriterMetadata": true,
	"GatherWriterStatus": true, "GetWriterStatusCount": true, "GetWriterStatus": true, "GetWriterStatusEx": true,
	"FreeWriterStatus": true, "DisableWriterClasses": true, "EnableWriterClasses": true, "DisableWriterInstances": true,
	"SaveAsXML": true, "GetWriterComponentsCount": true, "GetWriterComponents": true,
}

// deadlinePassed reports whether the sequence is past d for this object.
func (o *BackupComponents) deadlinePassed(d Deadline) (bool, string) {
	switch d {
	case DeadlineGatherWriterMetadata:
		return o.gather != notYet, "GatherWriterMetadata was called"
	case DeadlineStartSnapshotSet:
		return o.set != nil, "StartSnapshotSet was called"
	case DeadlinePrepareForBackup:
		return o.prepare != notYet, "PrepareForBackup was called"
	case DeadlineDoSnapshotSet:
		return o.snap != notYet, "DoSnapshotSet was called"
	}
	return false, ""
}

func idList(ids []vss.ID) string {
	s := make([]string, len(ids))
	for i, id := range ids {
		s[i] = id.String()
	}
	return "[" + strings.Join(s, " ") + "]"
}

// quote puts s in double quotes without escaping backslashes, so Windows
// paths read as they are written ("C:\").
func quote(s string) string { return strings.ReplaceAll(strconv.Quote(s), `\\`, `\`) }

// info is the backup's view for the writer helpers.
func (o *BackupComponents) info() eventInfo {
	in := eventInfo{context: o.context, backupType: o.backupType, selectComponents: o.selectComponents,
		bootable: o.bootable, partial: o.partial}
	if o.set != nil {
		in.setID = o.set.id
		for _, s := range o.set.snaps {
			in.volumes = append(in.volumes, s.volume.Name)
			dev := ""
			if s.created && !s.deleted {
				dev = s.prop.SnapshotDeviceObject
			}
			in.devices = append(in.devices, dev)
		}
	}
	return in
}

// components returns the writer-side component views of s for ev, or nil
// outside component mode (IVssWriterComponents is NULL there, REFERENCE §4.2).
func (o *BackupComponents) components(s *session, ev Event, gate *viewGate) []*Component {
	switch ev {
	case EventPrepareForBackup, EventPostSnapshot, EventBackupComplete, EventPreRestore, EventPostRestore:
	default:
		return nil
	}
	if !o.selectComponents && o.mode != modeRestore {
		return nil
	}
	w := o.bcdWriter(s.reg.cfg.ClassID)
	if w == nil {
		return []*Component{}
	}
	out := make([]*Component, len(w.Components))
	for i, bc := range w.Components {
		out[i] = &Component{c: bc, event: ev, gate: gate, open: true}
	}
	return out
}

// participants are the writers that take part in the events after
// PrepareForBackup: in component mode only those with a component in the
// BCD (REFERENCE §4.2 delivery rules), otherwise all; none in non-writer
// contexts; never those that failed and dropped out.
func (o *BackupComponents) participants() []*session {
	var out []*session
	for _, s := range o.sessions {
		if s.participant && !s.out {
			out = append(out, s)
		}
	}
	return out
}

// snapshotting is DoSnapshotSet's writers: participants that answered
// PrepareForSnapshot.
func (o *BackupComponents) inCreation() []*session {
	var out []*session
	for _, s := range o.sessions {
		if s.inCreation && !s.out {
			out = append(out, s)
		}
	}
	return out
}

// PeekWriterStatus returns the writers' current state as this object sees
// it, without a GatherWriterStatus: a simulator-only view (no COM
// equivalent) for reports. It works on released objects too.
func (o *BackupComponents) PeekWriterStatus() []vss.WriterStatus {
	o.c.lock("BackupComponents", "PeekWriterStatus")
	defer o.c.mu.Unlock()
	out := make([]vss.WriterStatus, 0, len(o.sessions))
	for _, s := range o.sessions {
		out = append(out, vss.WriterStatus{InstanceID: s.reg.instanceID, WriterID: s.reg.cfg.ClassID, Name: s.name(),
			State: s.state, Failure: s.failure, ApplicationError: s.appError, ApplicationMessage: s.appMessage})
	}
	return out
}
