package sim

// Rule is one sequencing rule of the model: every VSS_E_BAD_STATE the
// simulator returns names one of these in vss.Error.Rule.
type Rule struct {
	// ID is what vss.Error.Rule holds: a REFERENCE.md section and row.
	ID string
	// Basis is D (documented), O (observed on real Windows) or I (inferred;
	// see Options for the configurable ones), as in REFERENCE §2.3.
	Basis string
	// Text states the rule.
	Text string
}

// Rules lists every rule the model enforces with VSS_E_BAD_STATE, in
// REFERENCE order. TestRulesTableIsComplete checks that the code uses no
// other rule id.
var Rules = []Rule{
	{"§1.2 AddComponent", "D", "AddComponent is for component mode only: not after SetBackupState(bSelectComponents=false)"},
	{"§1.4 AddComponent", "D", "AddComponent comes after GatherWriterMetadata has completed"},
	{"§1.4 GatherWriterMetadata", "D", "GatherWriterMetadata is required before a backup: PrepareForBackup needs it completed"},
	{"§1.4 SetBackupState", "I", "SetBackupState must precede PrepareForBackup"},
	{"§1.4 Query", "I", "Query needs SetContext first (Options.QueryNeedsSetContext)"},
	{"§1.4 SetBackupSucceeded", "I", "SetBackupSucceeded comes before BackupComplete"},
	{"§2.3#1", "D+O", "nothing but InitializeForBackup/InitializeForRestore works on an uninitialised object"},
	{"§2.3#2", "I", "InitializeForBackup/InitializeForRestore only once: one object serves one operation"},
	{"§2.3#3", "D", "backup-only methods fail on a restore object"},
	{"§1.3 SetBackupState restore", "I", "SetBackupState on a restore object: accepted before PreRestore, not after (Options.SetBackupStateInRestoreIsBadState rejects it always, by §2.3#3)"},
	{"§1.4 AddRestoreSubcomponent", "D", "AddRestoreSubcomponent only after its parent was selected with SetSelectedForRestore"},
	{"§2.2 GatherWriterMetadata", "D", "a restore needs GatherWriterMetadata completed before the selection calls and PreRestore"},
	{"§1.3 GatherWriterMetadata restore", "I", "GatherWriterMetadata on a restore object (literal reading of the method page; Options.GatherMetadataInRestoreIsBadState)"},
	{"§2.3#4", "D", "restore-only methods fail on a backup object"},
	{"§2.3#5", "I", "SetContext at most once, and not after StartSnapshotSet"},
	{"§2.3#5/§8 C6", "I", "SetContext before Options.SetContextDeadline (default StartSnapshotSet)"},
	{"§2.3#6", "I", "GatherWriterMetadata only once per object"},
	{"§2.3#7", "I", "writer metadata getters only after GatherWriterMetadata completed and before FreeWriterMetadata"},
	{"§2.3#8", "I", "writer status getters only after GatherWriterStatus completed and before FreeWriterStatus; GatherWriterStatus needs GatherWriterMetadata"},
	{"§2.3#9", "O+I", "AddToSnapshotSet only after StartSnapshotSet and before DoSnapshotSet"},
	{"§2.3#10", "I", "one snapshot set per object (another object's creation gives VSS_E_SNAPSHOT_SET_IN_PROGRESS)"},
	{"§2.3#11", "I", "PrepareForBackup needs SetBackupState and StartSnapshotSet, and only once"},
	{"§2.3#12/§8 C3", "I", "AddComponent, SetBackupOptions, SetPreviousBackupStamp before Options.AddComponentDeadline (default PrepareForBackup)"},
	{"§2.3#13", "D", "DoSnapshotSet needs StartSnapshotSet and, with writers, a completed GatherWriterMetadata and PrepareForBackup; only once"},
	{"§2.3#14", "D+O", "AddComponent, PrepareForBackup and BackupComplete fail in contexts without writers"},
	{"§2.3#15", "I", "SetBackupSucceeded only after DoSnapshotSet succeeded"},
	{"§2.3#16", "O", "BackupComplete only after DoSnapshotSet succeeded, and only once"},
	{"§2.3#17", "I", "SaveAsXML not before PrepareForBackup in a backup"},
	{"§2.3#18", "I", "the selection calls (SetRestoreState, SetSelectedForRestore, AddRestoreSubcomponent, SetRestoreOptions, SetAdditionalRestores, AddNewTarget) come before PreRestore"},
	{"§2.3#19", "I", "SetFileRestoreStatus, AddAlternativeLocationMapping and SetRangesFilePath come between PreRestore (completed) and PostRestore"},
	{"§2.3#20", "I", "PostRestore after PreRestore has completed; PreRestore and PostRestore once each"},
	{"§2.3#21", "I", "no second async operation on an object while one is pending"},
	{"§2.3#22", "I", "after BackupComplete finished or AbortBackup, only status, SaveAsXML, GetSnapshotProperties, FreeWriter* and Release"},
	{"§3 observe", "I", "an async operation is complete to the requestor only once it observed the end (Wait returned, or QueryStatus reported it): calls that need it, and other async operations, wait for that (Options.StrictAsync)"},
	{"§6.3 VSS_CTX_ALL", "D", "VSS_CTX_ALL is for queries and management, not for creating shadow copies"},
	{"§8 C14", "I", "DeleteSnapshots needs an initialised object (Options.DeleteNeedsInitialize)"},
	{"object released", "D", "a released object cannot be used (REFERENCE §1.1: it cannot be reused or resumed)"},
}

// RuleByID returns the rule with this id.
func RuleByID(id string) (Rule, bool) {
	for _, r := range Rules {
		if r.ID == id {
			return r, true
		}
	}
	return Rule{}, false
}
