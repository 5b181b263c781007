package requestor

import (
	"errors"
	"fmt"

	"github.com/vsssim/vsssim/requestor/vss"
)

// The COM ABI facts the Windows backend depends on, kept in a file every
// OS compiles so that tests can pin them against the mingw-w64 headers on
// any machine (the vtable slots in vsbackup.h order, REFERENCE §1.2; struct
// layouts, §6.5).

// backupComponentsSlots is the IVssBackupComponents vtable (Ex..Ex4
// follow; only the ones the backend calls are listed after slot 50).
var backupComponentsSlots = []string{
	"QueryInterface", "AddRef", "Release",
	"GetWriterComponentsCount", "GetWriterComponents", "InitializeForBackup", "SetBackupState",
	"InitializeForRestore", "SetRestoreState", "GatherWriterMetadata", "GetWriterMetadataCount",
	"GetWriterMetadata", "FreeWriterMetadata", "AddComponent", "PrepareForBackup", "AbortBackup",
	"GatherWriterStatus", "GetWriterStatusCount", "FreeWriterStatus", "GetWriterStatus",
	"SetBackupSucceeded", "SetBackupOptions", "SetSelectedForRestore", "SetRestoreOptions",
	"SetAdditionalRestores", "SetPreviousBackupStamp", "SaveAsXML", "BackupComplete",
	"AddAlternativeLocationMapping", "AddRestoreSubcomponent", "SetFileRestoreStatus", "AddNewTarget",
	"SetRangesFilePath", "PreRestore", "PostRestore", "SetContext", "StartSnapshotSet",
	"AddToSnapshotSet", "DoSnapshotSet", "DeleteSnapshots", "ImportSnapshots", "BreakSnapshotSet",
	"GetSnapshotProperties", "Query", "IsVolumeSupported", "DisableWriterClasses",
	"EnableWriterClasses", "DisableWriterInstances", "ExposeSnapshot", "RevertToSnapshot",
	"QueryRevertStatus",
	// IVssBackupComponentsEx
	"GetWriterMetadataEx", "SetSelectedForRestoreEx",
	// IVssBackupComponentsEx2
	"UnexposeSnapshot", "SetAuthoritativeRestore", "SetRollForward", "SetRestoreName",
	"BreakSnapshotSetEx", "PreFastRecovery", "FastRecovery",
	// IVssBackupComponentsEx3
	"GetWriterStatusEx", "AddSnapshotToRecoverySet", "RecoverSet", "GetSessionId",
	// IVssBackupComponentsEx4
	"GetRootAndLogicalPrefixPaths",
}

// backupComponentsEx are the interfaces that extend IVssBackupComponents,
// each with the first slot it adds and its IID (vsbackup.h). COM gives a
// caller only the slots of the interface it holds: the backend calls a
// method of slot 51 and beyond through the pointer QueryInterface returns
// for the interface that declares it (each Ex method's page: "call
// QueryInterface on IVssBackupComponents"), so that a Windows without that
// interface answers E_NOINTERFACE instead of a call past the end of the
// vtable.
var backupComponentsEx = [...]struct {
	Name  string
	First string
	IID   vss.ID
}{
	{"IVssBackupComponentsEx", "GetWriterMetadataEx", vss.MustParseID("963f03ad-9e4c-4a34-ac15-e4b6174e5036")},
	{"IVssBackupComponentsEx2", "UnexposeSnapshot", vss.MustParseID("acfe2b3a-22c9-4ef8-bd03-2f9ca230084e")},
	{"IVssBackupComponentsEx3", "GetWriterStatusEx", vss.MustParseID("c191bfbc-b602-4675-8bd1-67d642f529d5")},
	{"IVssBackupComponentsEx4", "GetRootAndLogicalPrefixPaths", vss.MustParseID("f434c2fd-b553-4961-a9f9-a8e90b673e53")},
}

// exIface is the index in backupComponentsEx of the interface that
// declares the IVssBackupComponents slot s, or -1 for
// IVssBackupComponents' own slots.
func exIface(s int) int {
	i := -1
	for j, x := range backupComponentsEx {
		if s >= slot(backupComponentsSlots, x.First) {
			i = j
		}
	}
	return i
}

// asyncSlots is the IVssAsync vtable (REFERENCE §3).
var asyncSlots = []string{"QueryInterface", "AddRef", "Release", "Cancel", "Wait", "QueryStatus"}

// examineSlots is the start of the IVssExamineWriterMetadata vtable.
var examineSlots = []string{"QueryInterface", "AddRef", "Release", "GetIdentity", "GetFileCounts",
	"GetIncludeFile", "GetExcludeFile", "GetComponent", "GetRestoreMethod", "GetAlternateLocationMapping",
	"GetBackupSchema", "GetDocument", "SaveAsXML", "LoadFromXML"}

// slotGetExcludeFromSnapshotFile is IVssExamineWriterMetadataEx2's
// GetExcludeFromSnapshotFile (vsbackup.h), past examineSlots.
const slotGetExcludeFromSnapshotFile = 17

func slot(table []string, name string) int {
	for i, n := range table {
		if n == name {
			return i
		}
	}
	panic("requestor: no vtable slot " + name)
}

// snapshotPropRaw is VSS_SNAPSHOT_PROP as the C ABI lays it out (REFERENCE
// §6.5; 128 bytes on x64: GUIDs at 0 and 16, the count at 32, the six
// strings from 40, ProviderId at 88, attributes at 104, the timestamp at
// 112, the status at 120). Strings are pointers the backend frees with
// VssFreeSnapshotProperties.
type snapshotPropRaw struct {
	SnapshotID           vss.ID
	SnapshotSetID        vss.ID
	SnapshotsCount       int32
	SnapshotDeviceObject *uint16
	OriginalVolumeName   *uint16
	OriginatingMachine   *uint16
	ServiceMachine       *uint16
	ExposedName          *uint16
	ExposedPath          *uint16
	ProviderID           vss.ID
	SnapshotAttributes   int32
	CreationTimestamp    int64
	Status               int32
	// On 386 MSVC aligns the struct to 8 (its LONGLONG) and so rounds
	// 92 bytes up to 96; Go aligns int64 to 4 there (snapshotPropTail).
	_ [snapshotPropTail]byte
}

// providerPropRaw is VSS_PROVIDER_PROP (72 bytes on 64-bit, 60 on 386).
// The caller frees its two strings with CoTaskMemFree.
type providerPropRaw struct {
	ProviderID        vss.ID
	ProviderName      *uint16
	ProviderType      int32
	ProviderVersion   *uint16
	ProviderVersionID vss.ID
	ClassID           vss.ID
}

// objectPropRaw is VSS_OBJECT_PROP: the type, then the VSS_OBJECT_UNION
// at offset 8 on every architecture (the union holds a LONGLONG, so it is
// 8-aligned; 136 bytes on 64-bit, 104 on 386). Obj is read as a
// providerPropRaw when Type is VSS_OBJECT_PROVIDER.
type objectPropRaw struct {
	Type int32
	_    [4]byte
	Obj  snapshotPropRaw
}

// enumObjectSlots is the IVssEnumObject vtable (vss.h).
var enumObjectSlots = []string{"QueryInterface", "AddRef", "Release", "Next", "Skip", "Reset", "Clone"}

// ErrUnavailable is returned (wrapped) when real VSS cannot be used here:
// not Windows, vssapi.dll without the entry points (Wine), E_NOTIMPL from
// CreateVssBackupComponents, or COM set-up failing.
var ErrUnavailable = errors.New("requestor: Windows VSS is not available")

// unavailable wraps ErrUnavailable with the reason.
func unavailable(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrUnavailable, fmt.Sprintf(format, args...))
}
