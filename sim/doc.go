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
//
// # Time
//
// Time is virtual. Writers spend it with WriterContext.Sleep and Hang;
// IVssAsync.Wait and Coordinator.Advance move it forward. Freeze timeouts
// (60 s by default), the provider's 10 s flush and hold windows and the
// writer event timeout all run on this clock, so waiting out a 60 s freeze
// timeout costs microseconds. Nothing in the package sleeps.
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
// (Coordinator.SetProviderTiming), missing backup privilege
// (Coordinator.SetBackupPrivilege), and misbehaving writers.
//
// Writer handlers must not call Coordinator or BackupComponents methods
// (the coordinator is busy delivering the event, as VSS is).
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
