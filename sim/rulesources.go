package sim

import "strings"

// learn is the Microsoft Learn reference of IVssBackupComponents.
const learn = "https://learn.microsoft.com/windows/win32/api/vsbackup/nf-vsbackup-ivssbackupcomponents-"

// ruleSources says, for every rule of Rules, where it comes from, in terms
// a user can follow (Microsoft Learn pages and public observations); see
// REFERENCE §2.3 and §1.4 for the full provenance.
var ruleSources = map[string]string{
	"§1.2 AddComponent":                 "AddComponent and SetBackupState pages (component mode): " + learn + "addcomponent",
	"§1.4 AddComponent":                 "AddComponent page (after GatherWriterMetadata): " + learn + "addcomponent",
	"§1.4 GatherWriterMetadata":         "GatherWriterMetadata page (required before any backup or restore): " + learn + "gatherwritermetadata",
	"§1.4 SetBackupState":               "SetBackupState page (requesters must call it before PrepareForBackup; which call fails is vsssim's choice): " + learn + "setbackupstate",
	"§1.4 Query":                        "Query page (only during a backup, after InitializeForBackup and SetContext): " + learn + "query; sim.Options.QueryNeedsSetContext",
	"§1.3 SetBackupState restore":       "SetBackupState page (VSS_E_BAD_STATE \"called during a restore operation\") against Microsoft's VShadow sample, which calls it after InitializeForRestore (Windows-classic-samples issue 310); vsssim's choice: sim.Options.SetBackupStateInRestoreIsBadState",
	"§3 observe":                        "IVssAsync page (the result of an asynchronous operation is known only once Wait or QueryStatus reports it): https://learn.microsoft.com/windows/win32/api/vss/nn-vss-ivssasync; vsssim's choice: sim.Options.StrictAsync",
	"§1.2 ImportSnapshots":              "ImportSnapshots page (the object is initialised with the BCD of a transportable shadow copy set): " + learn + "importsnapshots",
	"§1.4 ImportSnapshots":              "ImportSnapshots page (one import at a time; VSS_E_SNAPSHOT_SET_IN_PROGRESS is vsssim's reading): " + learn + "importsnapshots",
	"§1.2 ExposeSnapshot":               "Exposing and Surfacing Shadow Copied Volumes (only persistent shadow copies are exposed locally): https://learn.microsoft.com/windows/win32/vss/exposing-and-surfacing-shadow-copied-volumes; sim.Options.Ex.ExposeNonPersistentIsBadState",
	"§1.2 RecoverSet":                   "AddSnapshotToRecoverySet and RecoverSet pages (LUN resynchronisation after InitializeForRestore, hardware providers): https://learn.microsoft.com/windows/win32/api/vsbackup/nf-vsbackup-ivssbackupcomponentsex3-recoverset",
	"§8 C14 management":                 "BreakSnapshotSet, RevertToSnapshot and QueryRevertStatus pages list no VSS_E_BAD_STATE; requiring an initialised object is vsssim's choice: sim.Options.Ex.ManagementNeedsInitialize",
	"§1.4 SetBackupSucceeded":           "SetBackupSucceeded page (before BackupComplete): " + learn + "setbackupsucceeded",
	"§2.3#1":                            "every method page's VSS_E_BAD_STATE (object not initialized); observed on Windows Server 2022 (LanternOps/breeze pull request 3005)",
	"§2.3#2":                            "Overview of Backup Initialization (one object per backup or restore, never reused): https://learn.microsoft.com/windows/win32/vss/overview-of-backup-initialization",
	"§2.3#3":                            "the backup methods' pages (VSS_E_BAD_STATE: wrong operation type; Query and SetPreviousBackupStamp: only during a backup)",
	"§1.4 AddRestoreSubcomponent":       "AddRestoreSubcomponent page (the parent must be selected for restore): " + learn + "addrestoresubcomponent",
	"§2.2 GatherWriterMetadata":         "Overview of Preparing for Restore (GatherWriterMetadata first): https://learn.microsoft.com/windows/win32/vss/overview-of-preparing-for-restore",
	"§1.3 GatherWriterMetadata restore": "GatherWriterMetadata page, read literally (BAD_STATE in a restore); off by default: sim.Options.GatherMetadataInRestoreIsBadState",
	"§2.3#4":                            "SetRestoreState, AddRestoreSubcomponent and SetRangesFilePath pages (restore only); the other restore methods by analogy",
	"§2.3#5":                            "SetContext page (call it at most once, before most other functions): " + learn + "setcontext",
	"§2.3#5/§8 C6":                      "SetContext page; where the deadline lies is vsssim's choice: sim.Options.SetContextDeadline",
	"§2.3#6":                            "GatherWriterMetadata page (only once in an object's lifetime): " + learn + "gatherwritermetadata",
	"§2.3#7":                            "GetWriterMetadata and FreeWriterMetadata pages (after GatherWriterMetadata completed; freed metadata cannot be recovered): " + learn + "getwritermetadata",
	"§2.3#8":                            "GetWriterStatus and FreeWriterStatus pages, Determining Writer Status: https://learn.microsoft.com/windows/win32/vss/determining-writer-status",
	"§2.3#9":                            "AddToSnapshotSet page; VSS_E_BAD_STATE before StartSnapshotSet observed in public requestors: " + learn + "addtosnapshotset",
	"§2.3#10":                           "StartSnapshotSet page (VSS_E_SNAPSHOT_SET_IN_PROGRESS for another object's creation): " + learn + "startsnapshotset",
	"§2.3#11":                           "PrepareForBackup, SetBackupState and StartSnapshotSet pages: " + learn + "prepareforbackup",
	"§2.3#12/§8 C3":                     "AddComponent page (before DoSnapshotSet) against Overview of Pre-Backup Tasks (before PrepareForBackup); vsssim's choice: sim.Options.AddComponentDeadline",
	"§2.3#13":                           "DoSnapshotSet page (VSS_E_BAD_STATE when the prerequisite calls were not made): " + learn + "dosnapshotset",
	"§2.3#14":                           "Shadow Copy Creation Details (no writers in VSS_CTX_FILE_SHARE_BACKUP and VSS_CTX_NAS_ROLLBACK); VSS_E_BAD_STATE observed (AlphaVSS issue 51): https://learn.microsoft.com/windows/win32/vss/shadow-copy-creation-details",
	"§2.3#15":                           "SetBackupSucceeded page (after the shadow copy was made): " + learn + "setbackupsucceeded",
	"§2.3#16":                           "BackupComplete page (not after a failed DoSnapshotSet); VSS_E_BAD_STATE observed in the Bareos and Cyphertite requestors: " + learn + "backupcomplete",
	"§2.3#17":                           "SaveAsXML page (never before PrepareForBackup in a backup): " + learn + "saveasxml",
	"§2.3#18":                           "the restore selection methods' pages (before PreRestore): " + learn + "prerestore",
	"§2.3#19":                           "SetFileRestoreStatus page (between PreRestore and PostRestore): " + learn + "setfilerestorestatus",
	"§2.3#20":                           "PreRestore and PostRestore pages, Overview of Processing a Restore: https://learn.microsoft.com/windows/win32/vss/overview-of-processing-a-restore-under-vss",
	"§2.3#21":                           "IVssAsync semantics: one asynchronous operation at a time per object (vsssim's reading): https://learn.microsoft.com/windows/win32/api/vss/nn-vss-ivssasync",
	"§2.3#22":                           "Overview of Backup Initialization and Aborting VSS Operations (an object is not reused after completion or abort): https://learn.microsoft.com/windows/win32/vss/aborting-vss-operations",
	"§6.3 VSS_CTX_ALL":                  "VSS_SNAPSHOT_CONTEXT page (VSS_CTX_ALL is for queries): https://learn.microsoft.com/windows/win32/api/vss/ne-vss-vss_snapshot_context",
	"§8 C14":                            "DeleteSnapshots page (silent on initialization); vsssim's choice: sim.Options.DeleteNeedsInitialize",
	"object released":                   "IVssBackupComponents lifetime: a released object cannot be reused or resumed: https://learn.microsoft.com/windows/win32/vss/overview-of-backup-initialization",
}

// Source says where the rule comes from: the Microsoft documentation page
// or the public observation behind it, or the sim.Options field that makes
// an inferred rule configurable ("" for a rule without one, which
// TestEveryRuleHasASource forbids).
func (r Rule) Source() string { return ruleSources[r.ID] }

// BasisText spells out Basis: D documented by Microsoft, O observed on real
// Windows, I inferred where the documentation is silent (a model choice).
func (r Rule) BasisText() string {
	var parts []string
	for _, p := range strings.Split(r.Basis, "+") {
		switch p {
		case "D":
			parts = append(parts, "documented by Microsoft")
		case "O":
			parts = append(parts, "observed on real Windows")
		case "I":
			parts = append(parts, "inferred where the documentation is silent (a model choice)")
		default:
			parts = append(parts, p)
		}
	}
	return r.Basis + ": " + strings.Join(parts, ", ")
}
