package vss

// This file holds the enumerations declared in vswriter.h and the constants
// of vsbackup.h.

// VSS_SW_BOOTABLE_STATE is the bit IsVolumeSnapshotted sets in its
// snapshot-capability output when the volume holds bootable system state
// (a #define in vsbackup.h).
const VSS_SW_BOOTABLE_STATE = 1 << 0

// UsageType is VSS_USAGE_TYPE: what kind of data a writer manages.
type UsageType int32

// VSS_USAGE_TYPE values.
const (
	VSS_UT_UNDEFINED           UsageType = 0
	VSS_UT_BOOTABLESYSTEMSTATE UsageType = 1
	VSS_UT_SYSTEMSERVICE       UsageType = 2
	VSS_UT_USERDATA            UsageType = 3
	VSS_UT_OTHER               UsageType = 4
)

var usageTypeNames = []enumName[UsageType]{
	{VSS_UT_UNDEFINED, "VSS_UT_UNDEFINED"},
	{VSS_UT_BOOTABLESYSTEMSTATE, "VSS_UT_BOOTABLESYSTEMSTATE"},
	{VSS_UT_SYSTEMSERVICE, "VSS_UT_SYSTEMSERVICE"},
	{VSS_UT_USERDATA, "VSS_UT_USERDATA"},
	{VSS_UT_OTHER, "VSS_UT_OTHER"},
}

// String returns the SDK name of t, or "UsageType(n)".
func (t UsageType) String() string { return enumString(usageTypeNames, t, "UsageType") }

// AllUsageTypes returns every VSS_USAGE_TYPE value in value order.
func AllUsageTypes() []UsageType { return enumValues(usageTypeNames) }

// SourceType is VSS_SOURCE_TYPE: the kind of data store a writer manages.
type SourceType int32

// VSS_SOURCE_TYPE values.
const (
	VSS_ST_UNDEFINED       SourceType = 0
	VSS_ST_TRANSACTEDDB    SourceType = 1
	VSS_ST_NONTRANSACTEDDB SourceType = 2
	VSS_ST_OTHER           SourceType = 3
)

var sourceTypeNames = []enumName[SourceType]{
	{VSS_ST_UNDEFINED, "VSS_ST_UNDEFINED"},
	{VSS_ST_TRANSACTEDDB, "VSS_ST_TRANSACTEDDB"},
	{VSS_ST_NONTRANSACTEDDB, "VSS_ST_NONTRANSACTEDDB"},
	{VSS_ST_OTHER, "VSS_ST_OTHER"},
}

// String returns the SDK name of t, or "SourceType(n)".
func (t SourceType) String() string { return enumString(sourceTypeNames, t, "SourceType") }

// AllSourceTypes returns every VSS_SOURCE_TYPE value in value order.
func AllSourceTypes() []SourceType { return enumValues(sourceTypeNames) }

// RestoreMethod is VSS_RESTOREMETHOD_ENUM: how a writer wants its files
// restored.
type RestoreMethod int32

// VSS_RESTOREMETHOD_ENUM values.
const (
	VSS_RME_UNDEFINED                           RestoreMethod = 0
	VSS_RME_RESTORE_IF_NOT_THERE                RestoreMethod = 1
	VSS_RME_RESTORE_IF_CAN_REPLACE              RestoreMethod = 2
	VSS_RME_STOP_RESTORE_START                  RestoreMethod = 3
	VSS_RME_RESTORE_TO_ALTERNATE_LOCATION       RestoreMethod = 4
	VSS_RME_RESTORE_AT_REBOOT                   RestoreMethod = 5
	VSS_RME_RESTORE_AT_REBOOT_IF_CANNOT_REPLACE RestoreMethod = 6
	VSS_RME_CUSTOM                              RestoreMethod = 7
	VSS_RME_RESTORE_STOP_START                  RestoreMethod = 8
)

var restoreMethodNames = []enumName[RestoreMethod]{
	{VSS_RME_UNDEFINED, "VSS_RME_UNDEFINED"},
	{VSS_RME_RESTORE_IF_NOT_THERE, "VSS_RME_RESTORE_IF_NOT_THERE"},
	{VSS_RME_RESTORE_IF_CAN_REPLACE, "VSS_RME_RESTORE_IF_CAN_REPLACE"},
	{VSS_RME_STOP_RESTORE_START, "VSS_RME_STOP_RESTORE_START"},
	{VSS_RME_RESTORE_TO_ALTERNATE_LOCATION, "VSS_RME_RESTORE_TO_ALTERNATE_LOCATION"},
	{VSS_RME_RESTORE_AT_REBOOT, "VSS_RME_RESTORE_AT_REBOOT"},
	{VSS_RME_RESTORE_AT_REBOOT_IF_CANNOT_REPLACE, "VSS_RME_RESTORE_AT_REBOOT_IF_CANNOT_REPLACE"},
	{VSS_RME_CUSTOM, "VSS_RME_CUSTOM"},
	{VSS_RME_RESTORE_STOP_START, "VSS_RME_RESTORE_STOP_START"},
}

// String returns the SDK name of m, or "RestoreMethod(n)".
func (m RestoreMethod) String() string { return enumString(restoreMethodNames, m, "RestoreMethod") }

// AllRestoreMethods returns every VSS_RESTOREMETHOD_ENUM value in value
// order.
func AllRestoreMethods() []RestoreMethod { return enumValues(restoreMethodNames) }

// WriterRestore is VSS_WRITERRESTORE_ENUM: whether a writer takes part in
// restore (receives PreRestore and PostRestore).
type WriterRestore int32

// VSS_WRITERRESTORE_ENUM values.
const (
	VSS_WRE_UNDEFINED        WriterRestore = 0
	VSS_WRE_NEVER            WriterRestore = 1
	VSS_WRE_IF_REPLACE_FAILS WriterRestore = 2
	VSS_WRE_ALWAYS           WriterRestore = 3
)

var writerRestoreNames = []enumName[WriterRestore]{
	{VSS_WRE_UNDEFINED, "VSS_WRE_UNDEFINED"},
	{VSS_WRE_NEVER, "VSS_WRE_NEVER"},
	{VSS_WRE_IF_REPLACE_FAILS, "VSS_WRE_IF_REPLACE_FAILS"},
	{VSS_WRE_ALWAYS, "VSS_WRE_ALWAYS"},
}

// String returns the SDK name of w, or "WriterRestore(n)".
func (w WriterRestore) String() string { return enumString(writerRestoreNames, w, "WriterRestore") }

// AllWriterRestores returns every VSS_WRITERRESTORE_ENUM value in value
// order.
func AllWriterRestores() []WriterRestore { return enumValues(writerRestoreNames) }

// ComponentType is VSS_COMPONENT_TYPE: database or file group.
// VSS_CT_UNDEFINED is an error value.
type ComponentType int32

// VSS_COMPONENT_TYPE values.
const (
	VSS_CT_UNDEFINED ComponentType = 0
	VSS_CT_DATABASE  ComponentType = 1
	VSS_CT_FILEGROUP ComponentType = 2
)

var componentTypeNames = []enumName[ComponentType]{
	{VSS_CT_UNDEFINED, "VSS_CT_UNDEFINED"},
	{VSS_CT_DATABASE, "VSS_CT_DATABASE"},
	{VSS_CT_FILEGROUP, "VSS_CT_FILEGROUP"},
}

// String returns the SDK name of t, or "ComponentType(n)".
func (t ComponentType) String() string { return enumString(componentTypeNames, t, "ComponentType") }

// AllComponentTypes returns every VSS_COMPONENT_TYPE value in value order.
func AllComponentTypes() []ComponentType { return enumValues(componentTypeNames) }

// AlternateWriterState is VSS_ALTERNATE_WRITER_STATE: whether a writer has,
// or is, an alternate writer.
type AlternateWriterState int32

// VSS_ALTERNATE_WRITER_STATE values.
const (
	VSS_AWS_UNDEFINED                AlternateWriterState = 0
	VSS_AWS_NO_ALTERNATE_WRITER      AlternateWriterState = 1
	VSS_AWS_ALTERNATE_WRITER_EXISTS  AlternateWriterState = 2
	VSS_AWS_THIS_IS_ALTERNATE_WRITER AlternateWriterState = 3
)

var alternateWriterStateNames = []enumName[AlternateWriterState]{
	{VSS_AWS_UNDEFINED, "VSS_AWS_UNDEFINED"},
	{VSS_AWS_NO_ALTERNATE_WRITER, "VSS_AWS_NO_ALTERNATE_WRITER"},
	{VSS_AWS_ALTERNATE_WRITER_EXISTS, "VSS_AWS_ALTERNATE_WRITER_EXISTS"},
	{VSS_AWS_THIS_IS_ALTERNATE_WRITER, "VSS_AWS_THIS_IS_ALTERNATE_WRITER"},
}

// String returns the SDK name of s, or "AlternateWriterState(n)".
func (s AlternateWriterState) String() string {
	return enumString(alternateWriterStateNames, s, "AlternateWriterState")
}

// AllAlternateWriterStates returns every VSS_ALTERNATE_WRITER_STATE value in
// value order.
func AllAlternateWriterStates() []AlternateWriterState {
	return enumValues(alternateWriterStateNames)
}

// SubscribeMask is VSS_SUBSCRIBE_MASK, the event mask of
// CVssWriter::Subscribe. VSS_SM_ALL_FLAGS is 0xFFFFFFFF, that is -1 as an
// int32.
type SubscribeMask int32

// VSS_SUBSCRIBE_MASK bits.
const (
	VSS_SM_ALL_FLAGS           SubscribeMask = -1
	VSS_SM_POST_SNAPSHOT_FLAG  SubscribeMask = 0x1
	VSS_SM_BACKUP_EVENTS_FLAG  SubscribeMask = 0x2
	VSS_SM_RESTORE_EVENTS_FLAG SubscribeMask = 0x4
	VSS_SM_IO_THROTTLING_FLAG  SubscribeMask = 0x8
)

var subscribeMaskNames = []enumName[SubscribeMask]{
	{VSS_SM_ALL_FLAGS, "VSS_SM_ALL_FLAGS"},
	{VSS_SM_POST_SNAPSHOT_FLAG, "VSS_SM_POST_SNAPSHOT_FLAG"},
	{VSS_SM_BACKUP_EVENTS_FLAG, "VSS_SM_BACKUP_EVENTS_FLAG"},
	{VSS_SM_RESTORE_EVENTS_FLAG, "VSS_SM_RESTORE_EVENTS_FLAG"},
	{VSS_SM_IO_THROTTLING_FLAG, "VSS_SM_IO_THROTTLING_FLAG"},
}

// String returns the names of the bits set in m joined by "|" (unknown bits
// as hex), or "0" for no bits.
func (m SubscribeMask) String() string { return maskString(subscribeMaskNames, m) }

// AllSubscribeMasks returns every VSS_SUBSCRIBE_MASK value in value order
// (VSS_SM_ALL_FLAGS, being -1, comes first).
func AllSubscribeMasks() []SubscribeMask { return enumValues(subscribeMaskNames) }

// RestoreTarget is VSS_RESTORE_TARGET: where a writer wants a component
// restored (set during PreRestore).
type RestoreTarget int32

// VSS_RESTORE_TARGET values.
const (
	VSS_RT_UNDEFINED         RestoreTarget = 0
	VSS_RT_ORIGINAL          RestoreTarget = 1
	VSS_RT_ALTERNATE         RestoreTarget = 2
	VSS_RT_DIRECTED          RestoreTarget = 3
	VSS_RT_ORIGINAL_LOCATION RestoreTarget = 4
)

var restoreTargetNames = []enumName[RestoreTarget]{
	{VSS_RT_UNDEFINED, "VSS_RT_UNDEFINED"},
	{VSS_RT_ORIGINAL, "VSS_RT_ORIGINAL"},
	{VSS_RT_ALTERNATE, "VSS_RT_ALTERNATE"},
	{VSS_RT_DIRECTED, "VSS_RT_DIRECTED"},
	{VSS_RT_ORIGINAL_LOCATION, "VSS_RT_ORIGINAL_LOCATION"},
}

// String returns the SDK name of t, or "RestoreTarget(n)".
func (t RestoreTarget) String() string { return enumString(restoreTargetNames, t, "RestoreTarget") }

// AllRestoreTargets returns every VSS_RESTORE_TARGET value in value order.
func AllRestoreTargets() []RestoreTarget { return enumValues(restoreTargetNames) }

// FileRestoreStatus is VSS_FILE_RESTORE_STATUS: the outcome of restoring a
// component's files (SetFileRestoreStatus).
type FileRestoreStatus int32

// VSS_FILE_RESTORE_STATUS values.
const (
	VSS_RS_UNDEFINED FileRestoreStatus = 0
	VSS_RS_NONE      FileRestoreStatus = 1
	VSS_RS_ALL       FileRestoreStatus = 2
	VSS_RS_FAILED    FileRestoreStatus = 3
)

var fileRestoreStatusNames = []enumName[FileRestoreStatus]{
	{VSS_RS_UNDEFINED, "VSS_RS_UNDEFINED"},
	{VSS_RS_NONE, "VSS_RS_NONE"},
	{VSS_RS_ALL, "VSS_RS_ALL"},
	{VSS_RS_FAILED, "VSS_RS_FAILED"},
}

// String returns the SDK name of s, or "FileRestoreStatus(n)".
func (s FileRestoreStatus) String() string {
	return enumString(fileRestoreStatusNames, s, "FileRestoreStatus")
}

// AllFileRestoreStatuses returns every VSS_FILE_RESTORE_STATUS value in
// value order.
func AllFileRestoreStatuses() []FileRestoreStatus { return enumValues(fileRestoreStatusNames) }

// ComponentFlags is VSS_COMPONENT_FLAGS, a bit mask of component features.
type ComponentFlags int32

// VSS_COMPONENT_FLAGS bits.
const (
	VSS_CF_BACKUP_RECOVERY       ComponentFlags = 0x1
	VSS_CF_APP_ROLLBACK_RECOVERY ComponentFlags = 0x2
	VSS_CF_NOT_SYSTEM_STATE      ComponentFlags = 0x4
)

var componentFlagsNames = []enumName[ComponentFlags]{
	{VSS_CF_BACKUP_RECOVERY, "VSS_CF_BACKUP_RECOVERY"},
	{VSS_CF_APP_ROLLBACK_RECOVERY, "VSS_CF_APP_ROLLBACK_RECOVERY"},
	{VSS_CF_NOT_SYSTEM_STATE, "VSS_CF_NOT_SYSTEM_STATE"},
}

// String returns the names of the bits set in f joined by "|" (unknown bits
// as hex), or "0" for no bits.
func (f ComponentFlags) String() string { return maskString(componentFlagsNames, f) }

// AllComponentFlags returns every VSS_COMPONENT_FLAGS bit in value order.
func AllComponentFlags() []ComponentFlags { return enumValues(componentFlagsNames) }
