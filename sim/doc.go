// Package sim is a deterministic, in-process model of the Windows Volume
// Shadow Copy Service as a requestor and its writers see it.
//
// A Coordinator plays the VSS service of one machine: writers Subscribe to
// it, volumes and providers are registered with it, and any number of
// BackupComponents objects (IVssBackupComponents) are created from it. Each
// BackupComponents enforces the call order of REFERENCE §2 (every
// VSS_E_BAD_STATE is a *vss.Error that names the broken rule, a row of
// REFERENCE §2.3, and the call the sequence expected), dispatches writer
// events (Identify, PrepareForBackup, PrepareForSnapshot, Freeze by
// application level, Thaw, PostSnapshot, Abort, BackupComplete,
// BackupShutdown) to the writers concurrently, and tracks writer states
// (VSS_WS_*) and failures (VSS_E_WRITERERROR_*) for GatherWriterStatus.
// A restore (InitializeForRestore with a saved BCD, the selection calls,
// PreRestore, SetFileRestoreStatus, PostRestore; REFERENCE §2.2) sends
// PreRestore and PostRestore by each writer's VSS_WRITERRESTORE_ENUM.
// The management and Ex–Ex4 calls (ExposeSnapshot, RevertToSnapshot,
// BreakSnapshotSet(Ex), ImportSnapshots, AddSnapshotToRecoverySet and
// RecoverSet, ...) act on the coordinator's shadow copies and providers;
// their open choices are Options.Ex.
//
// # Time
//
// Time is virtual. Writers spend it with WriterContext.Sleep and Hang, and
// providers in their hooks (ProviderHook); IVssAsync.Wait,
// IVssAsync.QueryStatus on a pending operation and Coordinator.Advance
// move it forward. Freeze timeouts
// (60 s by default), the provider's 10 s flush and hold windows and the
// writer event timeout all run on this clock, so waiting out a 60 s freeze
// timeout costs microseconds. Nothing in the package sleeps. Virtual time
// saturates at the largest time.Duration (about 292 years) instead of
// wrapping, so huge timeouts and advances never put a deadline in the past.
//
// # Polling
//
// Real VSS runs on its own while a requestor sleeps between polls; here
// nothing moves the clock but the requestor. So a QueryStatus on a pending
// operation is a poll step (Options.Poll): by default it runs the
// simulation to its next scheduled event (a writer's reply, a timeout, a
// provider's commit; on any object) and moves the clock there, exactly as
// one step of Wait does. A requestor that polls until the end (breeze,
// qemu-ga's DoSnapshotSet loop) therefore sees the operation end at the
// same virtual time, with the same trace, as one that calls Wait, however
// long it sleeps between polls and without any Advance: the number of
// polls is the number of events, not a function of wall-clock time. (A
// provider call that holds until the requestor's Wait, as qemu-ga's does,
// is not ended by a poll: each poll moves the clock by PollQuantum.)
// PollQuantumStep moves the clock by Options.PollQuantum per poll instead;
// PollFrozen never moves it. Async.Status reads the status without a poll.
//
// # Strict async
//
// An asynchronous operation is complete for the requestor only once it
// has observed the end: Wait returned with the operation over, or
// QueryStatus or Cancel reported it (Options.StrictAsync, on by default).
// Until then a call that needs the operation finished, or another async
// operation on the object, is VSS_E_BAD_STATE with rule "§3 observe",
// naming the missing Wait, even when the fake writers answered at once:
// the classic requestor bug (GetWriterMetadataCount right after
// GatherWriterMetadata) fails here on every run, not only on slow
// machines.
//
// # Providers
//
// A Provider with a Hook is called at the commit points of DoSnapshotSet
// (PreCommitSnapshots, CommitSnapshots within the hold window,
// PostCommitSnapshots), sees which writers are frozen, may take virtual
// time (or hold until the requestor's Wait) and may fail the creation with
// the provider codes
// (VSS_E_PROVIDER_VETO, VSS_E_UNEXPECTED_PROVIDER_ERROR, ...).
//
// # Determinism
//
// Writer handlers run concurrently, like real writers answering COM
// callbacks (on a few worker goroutines, as many as GOMAXPROCS), but replies
// are recorded in writer order at their virtual reply times, and generated GUIDs come from a counter (Options.Seed), so
// the same calls give the same Trace byte for byte.
//
// # Choices
//
// Where the sources are silent or disagree (REFERENCE §8), the model's
// choice is a field of Options with a documented default.
//
// # Faults
//
// Coordinator.InjectFault makes a legal call fail with any failure its
// method page documents (REFERENCE §1.3), either as the call's result or as
// the IVssAsync result. Environmental failures come from the model itself:
// unknown or unsupported volumes, full snapshot sets, the system-wide
// creation slot (VSS_E_SNAPSHOT_SET_IN_PROGRESS), slow providers
// (Coordinator.SetProviderTiming) and provider hooks, missing backup
// privilege (Coordinator.SetBackupPrivilege: E_ACCESSDENIED from every
// method whose page lists it), and misbehaving writers.
//
// Writer handlers must not call Coordinator, BackupComponents or Async
// methods (the coordinator is busy delivering the event, as VSS is): such a
// call panics with a *ReentrantCallError before doing anything, and the
// writer fails at that event. See Writer for what happens to handlers that
// panic, call runtime.Goexit, block for real or leave goroutines behind.
//
// # Conformance checks
//
// Coordinator.Check lists the requestor's mistakes after a run, each named
// by a check of the catalog Checks with its severity, rule and source
// (AbortBackup missing, BackupComplete after a failed DoSnapshotSet,
// writer status never gathered, Release missing, ...); CheckObject and
// BackupComponents.Check give one object's findings, and AssertConformance
// reports them on a testing.TB. The checks decide only from what the model
// observed: calls, results, async operations and its own state. Exclude
// lists count as read when the requestor called GetExcludeFile or
// GetExcludeFromSnapshotFile on the metadata GetWriterMetadata returned
// (vss.WatchExcludeReads); reading the fields directly is not seen.
package sim
