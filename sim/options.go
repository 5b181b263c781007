package sim

import (
	"time"

	"github.com/vsssim/vsssim/requestor/vss"
)

// Options are the model's choices where the sources are silent ([Inf] rules)
// or disagree (REFERENCE §8). Every field has a documented default, chosen by
// DefaultOptions; change a field to match the Windows build a test targets.
type Options struct {
	// AddComponentDeadline is the last point at which AddComponent,
	// SetBackupOptions and SetPreviousBackupStamp are accepted (§8 C3,
	// §2.3 row 12). Default: DeadlinePrepareForBackup.
	AddComponentDeadline Deadline

	// SetContextDeadline is the last point at which SetContext is accepted
	// (§8 C6, §2.3 row 5). Default: DeadlineStartSnapshotSet (qemu calls it
	// after SetBackupState and that works). DeadlineGatherWriterMetadata
	// is the strict reading of "call before most other functions".
	SetContextDeadline Deadline

	// Veto says which writer signals count as a veto (§8 C4). A writer that
	// vetoes is failed; a veto in Freeze or Thaw aborts the creation.
	// Default: VetoSetFailureOrFalse.
	Veto VetoRule

	// SnapshotVetoResult is the async result of a DoSnapshotSet aborted by a
	// writer's Freeze/Thaw veto or freeze timeout (§8 C11). Default:
	// VetoResultWriterFailure (the vetoing writer's failure code).
	SnapshotVetoResult VetoResult

	// PrepareVetoFails makes a PrepareForBackup in which a writer failed
	// complete with VSS_E_UNEXPECTED_WRITER_ERROR instead of
	// VSS_S_ASYNC_FINISHED (§8 C11; [Inf] default false: the writer shows
	// VSS_WS_FAILED_AT_PREPARE_BACKUP and the requestor decides).
	PrepareVetoFails bool

	// WaitReturnsOperationError makes IVssAsync::Wait return the
	// operation's failure HRESULT when it fails during the wait (the Wait
	// page's "if an operation fails while being waited on"). Default false:
	// Wait returns S_OK and QueryStatus is the authority (§3 semantics 2).
	WaitReturnsOperationError bool

	// LegacyUnexpected returns E_UNEXPECTED where Windows 7 / 2008 R2 and
	// later return VSS_E_UNEXPECTED (REFERENCE §0). Default false.
	LegacyUnexpected bool

	// QueryNeedsSetContext makes Query before SetContext return
	// VSS_E_BAD_STATE (the strict reading of REFERENCE §1.4: "needs
	// InitializeForBackup and SetContext first", [Inf]). Default false:
	// Query runs in the default context (VSS_CTX_BACKUP), as VShadow's
	// default path and Bareos call it without ever calling SetContext.
	QueryNeedsSetContext bool

	// SetBackupStateInRestoreIsBadState is the strict reading of the
	// SetBackupState page for a restore object ("called during a restore
	// operation", REFERENCE §1.3 [Inf]). Default false: on a restore object
	// SetBackupState is accepted before PreRestore (VShadow -r calls it
	// right after InitializeForRestore) and does nothing; after PreRestore
	// it is VSS_E_BAD_STATE.
	SetBackupStateInRestoreIsBadState bool

	// StrictAsync makes an asynchronous operation complete, for the
	// requestor, only once the requestor has observed its end: IVssAsync
	// Wait returned with the operation over, or QueryStatus (or Cancel)
	// reported the end. Until then a call that needs the operation
	// finished (GetWriterMetadataCount after GatherWriterMetadata, another
	// async operation, ...) returns VSS_E_BAD_STATE naming the missing
	// Wait (rule "§3 observe"), even when the simulated writers answered
	// at once: on real VSS the same code fails on machines where the
	// writers are slow ([Inf] from REFERENCE §3 and §2.3 rows 7, 8, 13, 21).
	// Default true; false lets a call see an operation that ended unseen.
	StrictAsync bool

	// Poll says what IVssAsync::QueryStatus does on a pending operation.
	// Real VSS runs on its own while the requestor sleeps between polls;
	// here nothing moves the virtual clock but the requestor, so a poll
	// lets the simulation run. Default PollNextEvent.
	Poll PollRule

	// PollQuantum is how far one QueryStatus moves the clock under
	// PollQuantumStep, and under PollNextEvent while a provider holds
	// until the requestor's Wait (default 10 ms, qemu-ga's poll interval).
	PollQuantum time.Duration

	// GatherMetadataInRestoreIsBadState is the literal reading of the
	// GatherWriterMetadata page ("VSS_E_BAD_STATE ... called during a
	// restore operation"). Default false: on a restore object it is
	// allowed once, before PreRestore, as the restore sequence requires
	// (REFERENCE §2.2 step 4); it is BAD_STATE once PreRestore was issued
	// anyway, since it may be called only once and PreRestore needs it.
	GatherMetadataInRestoreIsBadState bool

	// DeleteNeedsInitialize makes DeleteSnapshots on an uninitialised
	// object return VSS_E_BAD_STATE (§8 C14). Default true.
	DeleteNeedsInitialize bool

	// UnsupportedContextBits are VSS_VOLSNAP_ATTR_* bits that SetContext
	// rejects with VSS_E_UNSUPPORTED_CONTEXT ([Obs] restic #4512, qemu's
	// retry without TRANSPORTABLE). Default VSS_VOLSNAP_ATTR_TRANSPORTABLE,
	// as on client SKUs; set 0 to model a Windows Server with a hardware
	// provider.
	UnsupportedContextBits vss.VolumeSnapshotAttributes

	// EventTimeout bounds a writer's reply to Identify, PrepareForBackup,
	// PrepareForSnapshot, PostSnapshot, Abort, BackupComplete and
	// BackupShutdown ([Inf]: not published; [Obs] GatherWriterMetadata
	// returning after about 180 s with stalled writers,
	// tizbac/proxmoxbackupclient_go#67). A writer past it is failed with
	// VSS_E_WRITER_NOT_RESPONDING. Default 180 s of virtual time.
	EventTimeout time.Duration

	// FlushWindow and HoldWindow bound the provider's flush and its
	// write hold during commit (REFERENCE §4.5, 10 s each). Past them
	// DoSnapshotSet fails with VSS_E_FLUSH_WRITES_TIMEOUT /
	// VSS_E_HOLD_WRITES_TIMEOUT.
	FlushWindow, HoldWindow time.Duration

	// ThawOrder says in which order application levels are thawed
	// (undocumented, [Inf]). Default ThawReverse (SYSTEM first).
	ThawOrder ThawOrder

	// MaxVolumesPerSet is the AddToSnapshotSet limit (64, REFERENCE §6.6).
	MaxVolumesPerSet int

	// HangGuard bounds the wall-clock time a writer handler may block for
	// real: a handler still running after one to two HangGuard periods is
	// declared hung and treated like WriterContext.Hang (a timeout on the
	// virtual clock). Its goroutine cannot be stopped; the trace says so.
	// It exists only to survive writers that block for real; fake writers
	// model hangs with WriterContext.Hang. Default 10 s; zero also means
	// 10 s, so that a zero Options never waits for ever on a blocked
	// handler; a negative value disables the guard (a handler that blocks
	// then blocks its caller for as long as it does).
	HangGuard time.Duration

	// Seed makes the generated GUIDs (instance, snapshot and set ids) of
	// one coordinator differ from another's; same seed, same ids.
	Seed uint64

	// Trace turns the trace off when false in a coordinator made with
	// explicit Options; DefaultOptions sets it. Without it a released
	// object is also forgotten by the conformance checks (Coordinator.Check).
	Trace bool

	// Ex are the choices for the management and Ex–Ex4 methods
	// (ExposeSnapshot, RevertToSnapshot, ...; see ExOptions).
	Ex ExOptions
}

// Deadline names a point in the backup sequence.
type Deadline int

// Deadlines, in sequence order.
const (
	DeadlineGatherWriterMetadata Deadline = iota + 1 // before GatherWriterMetadata is called
	DeadlineStartSnapshotSet                         // before StartSnapshotSet
	DeadlinePrepareForBackup                         // before PrepareForBackup
	DeadlineDoSnapshotSet                            // before DoSnapshotSet
)

func (d Deadline) String() string {
	switch d {
	case DeadlineGatherWriterMetadata:
		return "GatherWriterMetadata"
	case DeadlineStartSnapshotSet:
		return "StartSnapshotSet"
	case DeadlinePrepareForBackup:
		return "PrepareForBackup"
	case DeadlineDoSnapshotSet:
		return "DoSnapshotSet"
	}
	return "Deadline(?)"
}

// VetoRule is the §8 C4 choice.
type VetoRule int

const (
	// VetoSetFailureOrFalse: a writer vetoes if it called SetWriterFailure
	// or its handler returned false (REFERENCE §8 C4 recommendation).
	VetoSetFailureOrFalse VetoRule = iota
	// VetoReturnFalse: only returning false vetoes (per-handler pages:
	// SetWriterFailure + true is a non-fatal failure: the writer shows the
	// failure but the operation goes on).
	VetoReturnFalse
)

// VetoResult is the §8 C11 choice for DoSnapshotSet.
type VetoResult int

const (
	// VetoResultWriterFailure: the async result is the vetoing writer's
	// failure code (e.g. VSS_E_WRITERERROR_RETRYABLE).
	VetoResultWriterFailure VetoResult = iota
	// VetoResultUnexpectedWriterError: VSS_E_UNEXPECTED_WRITER_ERROR.
	VetoResultUnexpectedWriterError
)

// ThawOrder is the order of Thaw among application levels.
type ThawOrder int

const (
	// ThawReverse thaws SYSTEM, then BACK_END, then FRONT_END writers.
	ThawReverse ThawOrder = iota
	// ThawSameAsFreeze thaws FRONT_END, BACK_END, SYSTEM.
	ThawSameAsFreeze
)

// PollRule is what a QueryStatus on a pending operation does to the
// virtual clock (Options.Poll).
type PollRule int

const (
	// PollNextEvent: each QueryStatus on a pending operation runs the
	// simulation to its next scheduled event (a writer reply, a timeout, a
	// provider commit, on any object of the coordinator) and moves the
	// clock there, exactly as one step of IVssAsync::Wait would. A
	// requestor that polls until the end therefore sees it at the same
	// virtual time, with the same trace, as one that calls Wait; the
	// number of polls it needs is the number of events, not a function
	// of its sleep interval. The one exception is a provider call that
	// holds until the requestor's Wait (ProviderCall.HoldUntilWait): a
	// poll does not end it but moves the clock by PollQuantum. Under every
	// rule, the QueryStatus right after a Wait that timed out (with a
	// positive timeout) is not a poll: it reads the status that Wait left.
	PollNextEvent PollRule = iota
	// PollQuantumStep: each QueryStatus moves the clock by
	// Options.PollQuantum (or to the end of the operation, if sooner), for
	// requestors whose poll count matters (qemu-ga gives DoSnapshotSet
	// 1000 polls of 10 ms).
	PollQuantumStep
	// PollFrozen: QueryStatus never moves the clock (only Wait and
	// Coordinator.Advance do); a requestor that only polls waits for ever.
	PollFrozen
)

func (p PollRule) String() string {
	switch p {
	case PollNextEvent:
		return "NextEvent"
	case PollQuantumStep:
		return "Quantum"
	case PollFrozen:
		return "Frozen"
	}
	return "PollRule(?)"
}

// defaultHangGuard is DefaultOptions' HangGuard, also used for zero.
const defaultHangGuard = 10 * time.Second

// hangGuard is the effective HangGuard: zero means the default, negative
// means off (0 returned).
func (o Options) hangGuard() time.Duration {
	switch {
	case o.HangGuard == 0:
		return defaultHangGuard
	case o.HangGuard < 0:
		return 0
	}
	return o.HangGuard
}

// DefaultOptions returns the documented defaults.
func DefaultOptions() Options {
	return Options{
		AddComponentDeadline:   DeadlinePrepareForBackup,
		SetContextDeadline:     DeadlineStartSnapshotSet,
		Veto:                   VetoSetFailureOrFalse,
		SnapshotVetoResult:     VetoResultWriterFailure,
		DeleteNeedsInitialize:  true,
		StrictAsync:            true,
		PollQuantum:            10 * time.Millisecond,
		UnsupportedContextBits: vss.VSS_VOLSNAP_ATTR_TRANSPORTABLE,
		EventTimeout:           180 * time.Second,
		FlushWindow:            10 * time.Second,
		HoldWindow:             10 * time.Second,
		ThawOrder:              ThawReverse,
		MaxVolumesPerSet:       64,
		HangGuard:              defaultHangGuard,
		Trace:                  true,
		Ex:                     DefaultExOptions(),
	}
}
