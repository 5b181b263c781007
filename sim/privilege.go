package sim

import (
	"github.com/vsssim/vsssim/requestor/vss"
)

// privileged is E_ACCESSDENIED for a caller without the backup privilege
// (Coordinator.SetBackupPrivilege) in the methods whose page lists it
// (REFERENCE §1.3: GatherWriterMetadata, GatherWriterStatus, AddToSnapshotSet,
// DoSnapshotSet, DeleteSnapshots, GetSnapshotProperties, Query,
// IsVolumeSupported, Disable/EnableWriterClasses, DisableWriterInstances,
// PostRestore; the Initialize calls check it in initializeChecks). It comes
// after the argument and state checks, as in the Initialize calls, and
// before injected faults.
func (o *BackupComponents) privileged() error {
	if o.c.noAccess {
		return hrErr(vss.E_ACCESSDENIED, o.method, "the caller lacks the backup privilege or is not an administrator")
	}
	return nil
}

// restoreBackupState is SetBackupState on a restore object: by default it
// is accepted before PreRestore and does nothing (the restore keeps the
// backup state of its BCD); with Options.SetBackupStateInRestoreIsBadState
// it is VSS_E_BAD_STATE as a backup-only method (§2.3 row 3). The second
// result says whether the object is a restore object (and the first is
// the call's result).
func (o *BackupComponents) restoreBackupState(m string) (error, bool) {
	if o.released || o.mode != modeRestore || o.c.opts.SetBackupStateInRestoreIsBadState {
		return nil, false
	}
	if e := o.restoreCommonBoth(m); e != nil {
		return e, true
	}
	if o.preRestore != notYet {
		return o.badState(m, "§1.3 SetBackupState restore", "SetBackupState on a restore object is accepted only before PreRestore (Options.SetBackupStateInRestoreIsBadState)"), true
	}
	if e := o.injected(); e != nil {
		return e, true
	}
	o.c.trace.add(Entry{T: o.c.now, Object: o.num, Kind: KindNote, Text: "SetBackupState on a restore object: accepted, no effect (the restore keeps the backup state of its BCD)"})
	return nil, true
}

// restoreCommonBoth is the end-of-operation check of common() for a
// restore object (§2.3 row 22).
func (o *BackupComponents) restoreCommonBoth(m string) error {
	if o.ended() {
		return o.badState(m, "§2.3#22", "the restore is over (PostRestore finished); only writer status, SaveAsXML and Release remain")
	}
	return nil
}
