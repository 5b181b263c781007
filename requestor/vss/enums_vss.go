package vss

// This file holds the enumerations declared in vss.h.

import "math/bits"

// ObjectType is VSS_OBJECT_TYPE: the kind of object a query or property
// refers to.
type ObjectType int32

// VSS_OBJECT_TYPE values.
const (
	VSS_OBJECT_UNKNOWN      ObjectType = 0
	VSS_OBJECT_NONE         ObjectType = 1
	VSS_OBJECT_SNAPSHOT_SET ObjectType = 2
	VSS_OBJECT_SNAPSHOT     ObjectType = 3
	VSS_OBJECT_PROVIDER     ObjectType = 4
	VSS_OBJECT_TYPE_COUNT   ObjectType = 5
)

var objectTypeNames = []enumName[ObjectType]{
	{VSS_OBJECT_UNKNOWN, "VSS_OBJECT_UNKNOWN"},
	{VSS_OBJECT_NONE, "VSS_OBJECT_NONE"},
	{VSS_OBJECT_SNAPSHOT_SET, "VSS_OBJECT_SNAPSHOT_SET"},
	{VSS_OBJECT_SNAPSHOT, "VSS_OBJECT_SNAPSHOT"},
	{VSS_OBJECT_PROVIDER, "VSS_OBJECT_PROVIDER"},
	{VSS_OBJECT_TYPE_COUNT, "VSS_OBJECT_TYPE_COUNT"},
}

// String returns the SDK name of t, or "ObjectType(n)".
func (t ObjectType) String() string { return enumString(objectTypeNames, t, "ObjectType") }

// AllObjectTypes returns every VSS_OBJECT_TYPE value in value order.
func AllObjectTypes() []ObjectType { return enumValues(objectTypeNames) }

// SnapshotState is VSS_SNAPSHOT_STATE: the life-cycle state of a shadow
// copy. A finished shadow copy is VSS_SS_CREATED.
type SnapshotState int32

// VSS_SNAPSHOT_STATE values.
const (
	VSS_SS_UNKNOWN                    SnapshotState = 0
	VSS_SS_PREPARING                  SnapshotState = 1
	VSS_SS_PROCESSING_PREPARE         SnapshotState = 2
	VSS_SS_PREPARED                   SnapshotState = 3
	VSS_SS_PROCESSING_PRECOMMIT       SnapshotState = 4
	VSS_SS_PRECOMMITTED               SnapshotState = 5
	VSS_SS_PROCESSING_COMMIT          SnapshotState = 6
	VSS_SS_COMMITTED                  SnapshotState = 7
	VSS_SS_PROCESSING_POSTCOMMIT      SnapshotState = 8
	VSS_SS_PROCESSING_PREFINALCOMMIT  SnapshotState = 9
	VSS_SS_PREFINALCOMMITTED          SnapshotState = 10
	VSS_SS_PROCESSING_POSTFINALCOMMIT SnapshotState = 11
	VSS_SS_CREATED                    SnapshotState = 12
	VSS_SS_ABORTED                    SnapshotState = 13
	VSS_SS_DELETED                    SnapshotState = 14
	VSS_SS_POSTCOMMITTED              SnapshotState = 15
	VSS_SS_COUNT                      SnapshotState = 16
)

var snapshotStateNames = []enumName[SnapshotState]{
	{VSS_SS_UNKNOWN, "VSS_SS_UNKNOWN"},
	{VSS_SS_PREPARING, "VSS_SS_PREPARING"},
	{VSS_SS_PROCESSING_PREPARE, "VSS_SS_PROCESSING_PREPARE"},
	{VSS_SS_PREPARED, "VSS_SS_PREPARED"},
	{VSS_SS_PROCESSING_PRECOMMIT, "VSS_SS_PROCESSING_PRECOMMIT"},
	{VSS_SS_PRECOMMITTED, "VSS_SS_PRECOMMITTED"},
	{VSS_SS_PROCESSING_COMMIT, "VSS_SS_PROCESSING_COMMIT"},
	{VSS_SS_COMMITTED, "VSS_SS_COMMITTED"},
	{VSS_SS_PROCESSING_POSTCOMMIT, "VSS_SS_PROCESSING_POSTCOMMIT"},
	{VSS_SS_PROCESSING_PREFINALCOMMIT, "VSS_SS_PROCESSING_PREFINALCOMMIT"},
	{VSS_SS_PREFINALCOMMITTED, "VSS_SS_PREFINALCOMMITTED"},
	{VSS_SS_PROCESSING_POSTFINALCOMMIT, "VSS_SS_PROCESSING_POSTFINALCOMMIT"},
	{VSS_SS_CREATED, "VSS_SS_CREATED"},
	{VSS_SS_ABORTED, "VSS_SS_ABORTED"},
	{VSS_SS_DELETED, "VSS_SS_DELETED"},
	{VSS_SS_POSTCOMMITTED, "VSS_SS_POSTCOMMITTED"},
	{VSS_SS_COUNT, "VSS_SS_COUNT"},
}

// String returns the SDK name of s, or "SnapshotState(n)".
func (s SnapshotState) String() string { return enumString(snapshotStateNames, s, "SnapshotState") }

// AllSnapshotStates returns every VSS_SNAPSHOT_STATE value in value order.
func AllSnapshotStates() []SnapshotState { return enumValues(snapshotStateNames) }

// VolumeSnapshotAttributes is VSS_VOLUME_SNAPSHOT_ATTRIBUTES, a bit mask
// describing a shadow copy. A SnapshotContext is built from these bits.
type VolumeSnapshotAttributes int32

// VSS_VOLUME_SNAPSHOT_ATTRIBUTES bits.
const (
	VSS_VOLSNAP_ATTR_PERSISTENT           VolumeSnapshotAttributes = 0x00000001
	VSS_VOLSNAP_ATTR_NO_AUTORECOVERY      VolumeSnapshotAttributes = 0x00000002
	VSS_VOLSNAP_ATTR_CLIENT_ACCESSIBLE    VolumeSnapshotAttributes = 0x00000004
	VSS_VOLSNAP_ATTR_NO_AUTO_RELEASE      VolumeSnapshotAttributes = 0x00000008
	VSS_VOLSNAP_ATTR_NO_WRITERS           VolumeSnapshotAttributes = 0x00000010
	VSS_VOLSNAP_ATTR_TRANSPORTABLE        VolumeSnapshotAttributes = 0x00000020
	VSS_VOLSNAP_ATTR_NOT_SURFACED         VolumeSnapshotAttributes = 0x00000040
	VSS_VOLSNAP_ATTR_NOT_TRANSACTED       VolumeSnapshotAttributes = 0x00000080
	VSS_VOLSNAP_ATTR_HARDWARE_ASSISTED    VolumeSnapshotAttributes = 0x00010000
	VSS_VOLSNAP_ATTR_DIFFERENTIAL         VolumeSnapshotAttributes = 0x00020000
	VSS_VOLSNAP_ATTR_PLEX                 VolumeSnapshotAttributes = 0x00040000
	VSS_VOLSNAP_ATTR_IMPORTED             VolumeSnapshotAttributes = 0x00080000
	VSS_VOLSNAP_ATTR_EXPOSED_LOCALLY      VolumeSnapshotAttributes = 0x00100000
	VSS_VOLSNAP_ATTR_EXPOSED_REMOTELY     VolumeSnapshotAttributes = 0x00200000
	VSS_VOLSNAP_ATTR_AUTORECOVER          VolumeSnapshotAttributes = 0x00400000
	VSS_VOLSNAP_ATTR_ROLLBACK_RECOVERY    VolumeSnapshotAttributes = 0x00800000
	VSS_VOLSNAP_ATTR_DELAYED_POSTSNAPSHOT VolumeSnapshotAttributes = 0x01000000
	VSS_VOLSNAP_ATTR_TXF_RECOVERY         VolumeSnapshotAttributes = 0x02000000
	VSS_VOLSNAP_ATTR_FILE_SHARE           VolumeSnapshotAttributes = 0x04000000
)

var volumeSnapshotAttributesNames = []enumName[VolumeSnapshotAttributes]{
	{VSS_VOLSNAP_ATTR_PERSISTENT, "VSS_VOLSNAP_ATTR_PERSISTENT"},
	{VSS_VOLSNAP_ATTR_NO_AUTORECOVERY, "VSS_VOLSNAP_ATTR_NO_AUTORECOVERY"},
	{VSS_VOLSNAP_ATTR_CLIENT_ACCESSIBLE, "VSS_VOLSNAP_ATTR_CLIENT_ACCESSIBLE"},
	{VSS_VOLSNAP_ATTR_NO_AUTO_RELEASE, "VSS_VOLSNAP_ATTR_NO_AUTO_RELEASE"},
	{VSS_VOLSNAP_ATTR_NO_WRITERS, "VSS_VOLSNAP_ATTR_NO_WRITERS"},
	{VSS_VOLSNAP_ATTR_TRANSPORTABLE, "VSS_VOLSNAP_ATTR_TRANSPORTABLE"},
	{VSS_VOLSNAP_ATTR_NOT_SURFACED, "VSS_VOLSNAP_ATTR_NOT_SURFACED"},
	{VSS_VOLSNAP_ATTR_NOT_TRANSACTED, "VSS_VOLSNAP_ATTR_NOT_TRANSACTED"},
	{VSS_VOLSNAP_ATTR_HARDWARE_ASSISTED, "VSS_VOLSNAP_ATTR_HARDWARE_ASSISTED"},
	{VSS_VOLSNAP_ATTR_DIFFERENTIAL, "VSS_VOLSNAP_ATTR_DIFFERENTIAL"},
	{VSS_VOLSNAP_ATTR_PLEX, "VSS_VOLSNAP_ATTR_PLEX"},
	{VSS_VOLSNAP_ATTR_IMPORTED, "VSS_VOLSNAP_ATTR_IMPORTED"},
	{VSS_VOLSNAP_ATTR_EXPOSED_LOCALLY, "VSS_VOLSNAP_ATTR_EXPOSED_LOCALLY"},
	{VSS_VOLSNAP_ATTR_EXPOSED_REMOTELY, "VSS_VOLSNAP_ATTR_EXPOSED_REMOTELY"},
	{VSS_VOLSNAP_ATTR_AUTORECOVER, "VSS_VOLSNAP_ATTR_AUTORECOVER"},
	{VSS_VOLSNAP_ATTR_ROLLBACK_RECOVERY, "VSS_VOLSNAP_ATTR_ROLLBACK_RECOVERY"},
	{VSS_VOLSNAP_ATTR_DELAYED_POSTSNAPSHOT, "VSS_VOLSNAP_ATTR_DELAYED_POSTSNAPSHOT"},
	{VSS_VOLSNAP_ATTR_TXF_RECOVERY, "VSS_VOLSNAP_ATTR_TXF_RECOVERY"},
	{VSS_VOLSNAP_ATTR_FILE_SHARE, "VSS_VOLSNAP_ATTR_FILE_SHARE"},
}

// String returns the names of the bits set in a joined by "|" (unknown bits
// as hex), or "0" for no bits.
func (a VolumeSnapshotAttributes) String() string {
	return maskString(volumeSnapshotAttributesNames, a)
}

// AllVolumeSnapshotAttributes returns every VSS_VOLUME_SNAPSHOT_ATTRIBUTES
// bit in value order.
func AllVolumeSnapshotAttributes() []VolumeSnapshotAttributes {
	return enumValues(volumeSnapshotAttributesNames)
}

// SnapshotContext is VSS_SNAPSHOT_CONTEXT: the kind of shadow copy, as set
// by IVssBackupComponents::SetContext. Each context is a combination of
// VolumeSnapshotAttributes bits; SetContext also accepts a context OR'd with
// some extra attribute bits. VSS_CTX_ALL (-1, that is 0xFFFFFFFF) selects
// every shadow copy in queries.
type SnapshotContext int32

// VSS_SNAPSHOT_CONTEXT values.
const (
	VSS_CTX_ALL                       SnapshotContext = -1
	VSS_CTX_BACKUP                    SnapshotContext = 0x00000000
	VSS_CTX_APP_ROLLBACK              SnapshotContext = 0x00000009
	VSS_CTX_CLIENT_ACCESSIBLE_WRITERS SnapshotContext = 0x0000000D
	VSS_CTX_FILE_SHARE_BACKUP         SnapshotContext = 0x00000010
	VSS_CTX_NAS_ROLLBACK              SnapshotContext = 0x00000019
	VSS_CTX_CLIENT_ACCESSIBLE         SnapshotContext = 0x0000001D
)

var snapshotContextNames = []enumName[SnapshotContext]{
	{VSS_CTX_ALL, "VSS_CTX_ALL"},
	{VSS_CTX_BACKUP, "VSS_CTX_BACKUP"},
	{VSS_CTX_APP_ROLLBACK, "VSS_CTX_APP_ROLLBACK"},
	{VSS_CTX_CLIENT_ACCESSIBLE_WRITERS, "VSS_CTX_CLIENT_ACCESSIBLE_WRITERS"},
	{VSS_CTX_FILE_SHARE_BACKUP, "VSS_CTX_FILE_SHARE_BACKUP"},
	{VSS_CTX_NAS_ROLLBACK, "VSS_CTX_NAS_ROLLBACK"},
	{VSS_CTX_CLIENT_ACCESSIBLE, "VSS_CTX_CLIENT_ACCESSIBLE"},
}

// String returns the SDK name of c. A value that is a context plus extra
// attribute bits prints as the contained context with the most bits
// (VSS_CTX_BACKUP if no other fits) followed by the
// remaining VSS_VOLSNAP_ATTR_* names, for example
// "VSS_CTX_APP_ROLLBACK|VSS_VOLSNAP_ATTR_TRANSPORTABLE".
func (c SnapshotContext) String() string {
	if n, ok := lookupEnum(snapshotContextNames, c); ok {
		return n
	}
	best := VSS_CTX_BACKUP
	for _, e := range snapshotContextNames {
		ev := uint32(e.v)
		if e.v == VSS_CTX_ALL || ev&uint32(c) != ev {
			continue
		}
		if bits.OnesCount32(ev) > bits.OnesCount32(uint32(best)) {
			best = e.v
		}
	}
	rest := VolumeSnapshotAttributes(uint32(c) &^ uint32(best))
	return best.String() + "|" + rest.String()
}

// AllSnapshotContexts returns every named VSS_SNAPSHOT_CONTEXT value in
// value order (VSS_CTX_ALL, being -1, comes first).
func AllSnapshotContexts() []SnapshotContext { return enumValues(snapshotContextNames) }

// ProviderCapabilities is VSS_PROVIDER_CAPABILITIES, a bit mask of what a
// provider supports.
type ProviderCapabilities int32

// VSS_PROVIDER_CAPABILITIES bits.
const (
	VSS_PRV_CAPABILITY_LEGACY           ProviderCapabilities = 0x001
	VSS_PRV_CAPABILITY_COMPLIANT        ProviderCapabilities = 0x002
	VSS_PRV_CAPABILITY_LUN_REPOINT      ProviderCapabilities = 0x004
	VSS_PRV_CAPABILITY_LUN_RESYNC       ProviderCapabilities = 0x008
	VSS_PRV_CAPABILITY_OFFLINE_CREATION ProviderCapabilities = 0x010
	VSS_PRV_CAPABILITY_MULTIPLE_IMPORT  ProviderCapabilities = 0x020
	VSS_PRV_CAPABILITY_RECYCLING        ProviderCapabilities = 0x040
	VSS_PRV_CAPABILITY_PLEX             ProviderCapabilities = 0x080
	VSS_PRV_CAPABILITY_DIFFERENTIAL     ProviderCapabilities = 0x100
	VSS_PRV_CAPABILITY_CLUSTERED        ProviderCapabilities = 0x200
)

var providerCapabilitiesNames = []enumName[ProviderCapabilities]{
	{VSS_PRV_CAPABILITY_LEGACY, "VSS_PRV_CAPABILITY_LEGACY"},
	{VSS_PRV_CAPABILITY_COMPLIANT, "VSS_PRV_CAPABILITY_COMPLIANT"},
	{VSS_PRV_CAPABILITY_LUN_REPOINT, "VSS_PRV_CAPABILITY_LUN_REPOINT"},
	{VSS_PRV_CAPABILITY_LUN_RESYNC, "VSS_PRV_CAPABILITY_LUN_RESYNC"},
	{VSS_PRV_CAPABILITY_OFFLINE_CREATION, "VSS_PRV_CAPABILITY_OFFLINE_CREATION"},
	{VSS_PRV_CAPABILITY_MULTIPLE_IMPORT, "VSS_PRV_CAPABILITY_MULTIPLE_IMPORT"},
	{VSS_PRV_CAPABILITY_RECYCLING, "VSS_PRV_CAPABILITY_RECYCLING"},
	{VSS_PRV_CAPABILITY_PLEX, "VSS_PRV_CAPABILITY_PLEX"},
	{VSS_PRV_CAPABILITY_DIFFERENTIAL, "VSS_PRV_CAPABILITY_DIFFERENTIAL"},
	{VSS_PRV_CAPABILITY_CLUSTERED, "VSS_PRV_CAPABILITY_CLUSTERED"},
}

// String returns the names of the bits set in p joined by "|" (unknown bits
// as hex), or "0" for no bits.
func (p ProviderCapabilities) String() string { return maskString(providerCapabilitiesNames, p) }

// AllProviderCapabilities returns every VSS_PROVIDER_CAPABILITIES bit in
// value order.
func AllProviderCapabilities() []ProviderCapabilities { return enumValues(providerCapabilitiesNames) }

// HardwareOptions is VSS_HARDWARE_OPTIONS, a bit mask of options for
// BreakSnapshotSetEx and for hardware provider LUN notifications.
type HardwareOptions int32

// VSS_HARDWARE_OPTIONS bits.
const (
	VSS_BREAKEX_FLAG_MASK_LUNS                    HardwareOptions = 0x001
	VSS_BREAKEX_FLAG_MAKE_READ_WRITE              HardwareOptions = 0x002
	VSS_BREAKEX_FLAG_REVERT_IDENTITY_ALL          HardwareOptions = 0x004
	VSS_BREAKEX_FLAG_REVERT_IDENTITY_NONE         HardwareOptions = 0x008
	VSS_ONLUNSTATECHANGE_NOTIFY_READ_WRITE        HardwareOptions = 0x100
	VSS_ONLUNSTATECHANGE_NOTIFY_LUN_PRE_RECOVERY  HardwareOptions = 0x200
	VSS_ONLUNSTATECHANGE_NOTIFY_LUN_POST_RECOVERY HardwareOptions = 0x400
	VSS_ONLUNSTATECHANGE_DO_MASK_LUNS             HardwareOptions = 0x800
)

var hardwareOptionsNames = []enumName[HardwareOptions]{
	{VSS_BREAKEX_FLAG_MASK_LUNS, "VSS_BREAKEX_FLAG_MASK_LUNS"},
	{VSS_BREAKEX_FLAG_MAKE_READ_WRITE, "VSS_BREAKEX_FLAG_MAKE_READ_WRITE"},
	{VSS_BREAKEX_FLAG_REVERT_IDENTITY_ALL, "VSS_BREAKEX_FLAG_REVERT_IDENTITY_ALL"},
	{VSS_BREAKEX_FLAG_REVERT_IDENTITY_NONE, "VSS_BREAKEX_FLAG_REVERT_IDENTITY_NONE"},
	{VSS_ONLUNSTATECHANGE_NOTIFY_READ_WRITE, "VSS_ONLUNSTATECHANGE_NOTIFY_READ_WRITE"},
	{VSS_ONLUNSTATECHANGE_NOTIFY_LUN_PRE_RECOVERY, "VSS_ONLUNSTATECHANGE_NOTIFY_LUN_PRE_RECOVERY"},
	{VSS_ONLUNSTATECHANGE_NOTIFY_LUN_POST_RECOVERY, "VSS_ONLUNSTATECHANGE_NOTIFY_LUN_POST_RECOVERY"},
	{VSS_ONLUNSTATECHANGE_DO_MASK_LUNS, "VSS_ONLUNSTATECHANGE_DO_MASK_LUNS"},
}

// String returns the names of the bits set in o joined by "|" (unknown bits
// as hex), or "0" for no bits.
func (o HardwareOptions) String() string { return maskString(hardwareOptionsNames, o) }

// AllHardwareOptions returns every VSS_HARDWARE_OPTIONS bit in value order.
func AllHardwareOptions() []HardwareOptions { return enumValues(hardwareOptionsNames) }

// RecoveryOptions is VSS_RECOVERY_OPTIONS, a bit mask of options for
// IVssBackupComponentsEx3::RecoverSet.
type RecoveryOptions int32

// VSS_RECOVERY_OPTIONS bits.
const (
	VSS_RECOVERY_REVERT_IDENTITY_ALL RecoveryOptions = 0x100
	VSS_RECOVERY_NO_VOLUME_CHECK     RecoveryOptions = 0x200
)

var recoveryOptionsNames = []enumName[RecoveryOptions]{
	{VSS_RECOVERY_REVERT_IDENTITY_ALL, "VSS_RECOVERY_REVERT_IDENTITY_ALL"},
	{VSS_RECOVERY_NO_VOLUME_CHECK, "VSS_RECOVERY_NO_VOLUME_CHECK"},
}

// String returns the names of the bits set in o joined by "|" (unknown bits
// as hex), or "0" for no bits.
func (o RecoveryOptions) String() string { return maskString(recoveryOptionsNames, o) }

// AllRecoveryOptions returns every VSS_RECOVERY_OPTIONS bit in value order.
func AllRecoveryOptions() []RecoveryOptions { return enumValues(recoveryOptionsNames) }

// WriterState is VSS_WRITER_STATE: a writer's state as reported by
// IVssBackupComponents::GetWriterStatus. VSS_WS_COUNT is a sentinel, not a
// state.
type WriterState int32

// VSS_WRITER_STATE values.
const (
	VSS_WS_UNKNOWN                     WriterState = 0
	VSS_WS_STABLE                      WriterState = 1
	VSS_WS_WAITING_FOR_FREEZE          WriterState = 2
	VSS_WS_WAITING_FOR_THAW            WriterState = 3
	VSS_WS_WAITING_FOR_POST_SNAPSHOT   WriterState = 4
	VSS_WS_WAITING_FOR_BACKUP_COMPLETE WriterState = 5
	VSS_WS_FAILED_AT_IDENTIFY          WriterState = 6
	VSS_WS_FAILED_AT_PREPARE_BACKUP    WriterState = 7
	VSS_WS_FAILED_AT_PREPARE_SNAPSHOT  WriterState = 8
	VSS_WS_FAILED_AT_FREEZE            WriterState = 9
	VSS_WS_FAILED_AT_THAW              WriterState = 10
	VSS_WS_FAILED_AT_POST_SNAPSHOT     WriterState = 11
	VSS_WS_FAILED_AT_BACKUP_COMPLETE   WriterState = 12
	VSS_WS_FAILED_AT_PRE_RESTORE       WriterState = 13
	VSS_WS_FAILED_AT_POST_RESTORE      WriterState = 14
	VSS_WS_FAILED_AT_BACKUPSHUTDOWN    WriterState = 15
	VSS_WS_COUNT                       WriterState = 16
)

var writerStateNames = []enumName[WriterState]{
	{VSS_WS_UNKNOWN, "VSS_WS_UNKNOWN"},
	{VSS_WS_STABLE, "VSS_WS_STABLE"},
	{VSS_WS_WAITING_FOR_FREEZE, "VSS_WS_WAITING_FOR_FREEZE"},
	{VSS_WS_WAITING_FOR_THAW, "VSS_WS_WAITING_FOR_THAW"},
	{VSS_WS_WAITING_FOR_POST_SNAPSHOT, "VSS_WS_WAITING_FOR_POST_SNAPSHOT"},
	{VSS_WS_WAITING_FOR_BACKUP_COMPLETE, "VSS_WS_WAITING_FOR_BACKUP_COMPLETE"},
	{VSS_WS_FAILED_AT_IDENTIFY, "VSS_WS_FAILED_AT_IDENTIFY"},
	{VSS_WS_FAILED_AT_PREPARE_BACKUP, "VSS_WS_FAILED_AT_PREPARE_BACKUP"},
	{VSS_WS_FAILED_AT_PREPARE_SNAPSHOT, "VSS_WS_FAILED_AT_PREPARE_SNAPSHOT"},
	{VSS_WS_FAILED_AT_FREEZE, "VSS_WS_FAILED_AT_FREEZE"},
	{VSS_WS_FAILED_AT_THAW, "VSS_WS_FAILED_AT_THAW"},
	{VSS_WS_FAILED_AT_POST_SNAPSHOT, "VSS_WS_FAILED_AT_POST_SNAPSHOT"},
	{VSS_WS_FAILED_AT_BACKUP_COMPLETE, "VSS_WS_FAILED_AT_BACKUP_COMPLETE"},
	{VSS_WS_FAILED_AT_PRE_RESTORE, "VSS_WS_FAILED_AT_PRE_RESTORE"},
	{VSS_WS_FAILED_AT_POST_RESTORE, "VSS_WS_FAILED_AT_POST_RESTORE"},
	{VSS_WS_FAILED_AT_BACKUPSHUTDOWN, "VSS_WS_FAILED_AT_BACKUPSHUTDOWN"},
	{VSS_WS_COUNT, "VSS_WS_COUNT"},
}

// String returns the SDK name of s, or "WriterState(n)".
func (s WriterState) String() string { return enumString(writerStateNames, s, "WriterState") }

// IsFailed reports whether s is one of the VSS_WS_FAILED_AT_* states.
func (s WriterState) IsFailed() bool {
	return s >= VSS_WS_FAILED_AT_IDENTIFY && s <= VSS_WS_FAILED_AT_BACKUPSHUTDOWN
}

// AllWriterStates returns every VSS_WRITER_STATE value, including the
// VSS_WS_COUNT sentinel, in value order.
func AllWriterStates() []WriterState { return enumValues(writerStateNames) }

// BackupType is VSS_BACKUP_TYPE, passed to SetBackupState.
type BackupType int32

// VSS_BACKUP_TYPE values.
const (
	VSS_BT_UNDEFINED    BackupType = 0
	VSS_BT_FULL         BackupType = 1
	VSS_BT_INCREMENTAL  BackupType = 2
	VSS_BT_DIFFERENTIAL BackupType = 3
	VSS_BT_LOG          BackupType = 4
	VSS_BT_COPY         BackupType = 5
	VSS_BT_OTHER        BackupType = 6
)

var backupTypeNames = []enumName[BackupType]{
	{VSS_BT_UNDEFINED, "VSS_BT_UNDEFINED"},
	{VSS_BT_FULL, "VSS_BT_FULL"},
	{VSS_BT_INCREMENTAL, "VSS_BT_INCREMENTAL"},
	{VSS_BT_DIFFERENTIAL, "VSS_BT_DIFFERENTIAL"},
	{VSS_BT_LOG, "VSS_BT_LOG"},
	{VSS_BT_COPY, "VSS_BT_COPY"},
	{VSS_BT_OTHER, "VSS_BT_OTHER"},
}

// String returns the SDK name of t, or "BackupType(n)".
func (t BackupType) String() string { return enumString(backupTypeNames, t, "BackupType") }

// AllBackupTypes returns every VSS_BACKUP_TYPE value in value order.
func AllBackupTypes() []BackupType { return enumValues(backupTypeNames) }

// RestoreType is VSS_RESTORE_TYPE, passed to SetRestoreState.
type RestoreType int32

// VSS_RESTORE_TYPE values.
const (
	VSS_RTYPE_UNDEFINED RestoreType = 0
	VSS_RTYPE_BY_COPY   RestoreType = 1
	VSS_RTYPE_IMPORT    RestoreType = 2
	VSS_RTYPE_OTHER     RestoreType = 3
)

var restoreTypeNames = []enumName[RestoreType]{
	{VSS_RTYPE_UNDEFINED, "VSS_RTYPE_UNDEFINED"},
	{VSS_RTYPE_BY_COPY, "VSS_RTYPE_BY_COPY"},
	{VSS_RTYPE_IMPORT, "VSS_RTYPE_IMPORT"},
	{VSS_RTYPE_OTHER, "VSS_RTYPE_OTHER"},
}

// String returns the SDK name of t, or "RestoreType(n)".
func (t RestoreType) String() string { return enumString(restoreTypeNames, t, "RestoreType") }

// AllRestoreTypes returns every VSS_RESTORE_TYPE value in value order.
func AllRestoreTypes() []RestoreType { return enumValues(restoreTypeNames) }

// RollForwardType is VSS_ROLLFORWARD_TYPE: how far a restore rolls
// forward (IVssBackupComponents::SetRollForward).
type RollForwardType int32

// VSS_ROLLFORWARD_TYPE values.
const (
	VSS_RF_UNDEFINED RollForwardType = 0
	VSS_RF_NONE      RollForwardType = 1
	VSS_RF_ALL       RollForwardType = 2
	VSS_RF_PARTIAL   RollForwardType = 3
)

var rollForwardTypeNames = []enumName[RollForwardType]{
	{VSS_RF_UNDEFINED, "VSS_RF_UNDEFINED"},
	{VSS_RF_NONE, "VSS_RF_NONE"},
	{VSS_RF_ALL, "VSS_RF_ALL"},
	{VSS_RF_PARTIAL, "VSS_RF_PARTIAL"},
}

// String returns the SDK name of t, or "RollForwardType(n)".
func (t RollForwardType) String() string {
	return enumString(rollForwardTypeNames, t, "RollForwardType")
}

// AllRollForwardTypes returns every VSS_ROLLFORWARD_TYPE value in value
// order.
func AllRollForwardTypes() []RollForwardType { return enumValues(rollForwardTypeNames) }

// ProviderType is VSS_PROVIDER_TYPE: the kind of shadow copy provider.
type ProviderType int32

// VSS_PROVIDER_TYPE values.
const (
	VSS_PROV_UNKNOWN   ProviderType = 0
	VSS_PROV_SYSTEM    ProviderType = 1
	VSS_PROV_SOFTWARE  ProviderType = 2
	VSS_PROV_HARDWARE  ProviderType = 3
	VSS_PROV_FILESHARE ProviderType = 4
)

var providerTypeNames = []enumName[ProviderType]{
	{VSS_PROV_UNKNOWN, "VSS_PROV_UNKNOWN"},
	{VSS_PROV_SYSTEM, "VSS_PROV_SYSTEM"},
	{VSS_PROV_SOFTWARE, "VSS_PROV_SOFTWARE"},
	{VSS_PROV_HARDWARE, "VSS_PROV_HARDWARE"},
	{VSS_PROV_FILESHARE, "VSS_PROV_FILESHARE"},
}

// String returns the SDK name of t, or "ProviderType(n)".
func (t ProviderType) String() string { return enumString(providerTypeNames, t, "ProviderType") }

// AllProviderTypes returns every VSS_PROVIDER_TYPE value in value order.
func AllProviderTypes() []ProviderType { return enumValues(providerTypeNames) }

// ApplicationLevel is VSS_APPLICATION_LEVEL: a writer's position in the
// freeze order.
type ApplicationLevel int32

// VSS_APPLICATION_LEVEL values.
const (
	VSS_APP_AUTO      ApplicationLevel = -1
	VSS_APP_UNKNOWN   ApplicationLevel = 0
	VSS_APP_SYSTEM    ApplicationLevel = 1
	VSS_APP_BACK_END  ApplicationLevel = 2
	VSS_APP_FRONT_END ApplicationLevel = 3
	VSS_APP_SYSTEM_RM ApplicationLevel = 4
)

var applicationLevelNames = []enumName[ApplicationLevel]{
	{VSS_APP_AUTO, "VSS_APP_AUTO"},
	{VSS_APP_UNKNOWN, "VSS_APP_UNKNOWN"},
	{VSS_APP_SYSTEM, "VSS_APP_SYSTEM"},
	{VSS_APP_BACK_END, "VSS_APP_BACK_END"},
	{VSS_APP_FRONT_END, "VSS_APP_FRONT_END"},
	{VSS_APP_SYSTEM_RM, "VSS_APP_SYSTEM_RM"},
}

// String returns the SDK name of l, or "ApplicationLevel(n)".
func (l ApplicationLevel) String() string {
	return enumString(applicationLevelNames, l, "ApplicationLevel")
}

// AllApplicationLevels returns every VSS_APPLICATION_LEVEL value in value
// order (VSS_APP_AUTO, being -1, comes first).
func AllApplicationLevels() []ApplicationLevel { return enumValues(applicationLevelNames) }

// SnapshotCompatibility is VSS_SNAPSHOT_COMPATIBILITY, a bit mask of
// operations to disable on a shadow copied volume.
type SnapshotCompatibility int32

// VSS_SNAPSHOT_COMPATIBILITY bits.
const (
	VSS_SC_DISABLE_DEFRAG       SnapshotCompatibility = 0x1
	VSS_SC_DISABLE_CONTENTINDEX SnapshotCompatibility = 0x2
)

var snapshotCompatibilityNames = []enumName[SnapshotCompatibility]{
	{VSS_SC_DISABLE_DEFRAG, "VSS_SC_DISABLE_DEFRAG"},
	{VSS_SC_DISABLE_CONTENTINDEX, "VSS_SC_DISABLE_CONTENTINDEX"},
}

// String returns the names of the bits set in c joined by "|" (unknown bits
// as hex), or "0" for no bits.
func (c SnapshotCompatibility) String() string { return maskString(snapshotCompatibilityNames, c) }

// AllSnapshotCompatibilities returns every VSS_SNAPSHOT_COMPATIBILITY bit in
// value order.
func AllSnapshotCompatibilities() []SnapshotCompatibility {
	return enumValues(snapshotCompatibilityNames)
}

// SnapshotPropertyID is VSS_SNAPSHOT_PROPERTY_ID: the fields of
// VSS_SNAPSHOT_PROP, numbered in declaration order.
type SnapshotPropertyID int32

// VSS_SNAPSHOT_PROPERTY_ID values.
const (
	VSS_SPROPID_UNKNOWN             SnapshotPropertyID = 0x0
	VSS_SPROPID_SNAPSHOT_ID         SnapshotPropertyID = 0x1
	VSS_SPROPID_SNAPSHOT_SET_ID     SnapshotPropertyID = 0x2
	VSS_SPROPID_SNAPSHOTS_COUNT     SnapshotPropertyID = 0x3
	VSS_SPROPID_SNAPSHOT_DEVICE     SnapshotPropertyID = 0x4
	VSS_SPROPID_ORIGINAL_VOLUME     SnapshotPropertyID = 0x5
	VSS_SPROPID_ORIGINATING_MACHINE SnapshotPropertyID = 0x6
	VSS_SPROPID_SERVICE_MACHINE     SnapshotPropertyID = 0x7
	VSS_SPROPID_EXPOSED_NAME        SnapshotPropertyID = 0x8
	VSS_SPROPID_EXPOSED_PATH        SnapshotPropertyID = 0x9
	VSS_SPROPID_PROVIDER_ID         SnapshotPropertyID = 0xA
	VSS_SPROPID_SNAPSHOT_ATTRIBUTES SnapshotPropertyID = 0xB
	VSS_SPROPID_CREATION_TIMESTAMP  SnapshotPropertyID = 0xC
	VSS_SPROPID_STATUS              SnapshotPropertyID = 0xD
)

var snapshotPropertyIDNames = []enumName[SnapshotPropertyID]{
	{VSS_SPROPID_UNKNOWN, "VSS_SPROPID_UNKNOWN"},
	{VSS_SPROPID_SNAPSHOT_ID, "VSS_SPROPID_SNAPSHOT_ID"},
	{VSS_SPROPID_SNAPSHOT_SET_ID, "VSS_SPROPID_SNAPSHOT_SET_ID"},
	{VSS_SPROPID_SNAPSHOTS_COUNT, "VSS_SPROPID_SNAPSHOTS_COUNT"},
	{VSS_SPROPID_SNAPSHOT_DEVICE, "VSS_SPROPID_SNAPSHOT_DEVICE"},
	{VSS_SPROPID_ORIGINAL_VOLUME, "VSS_SPROPID_ORIGINAL_VOLUME"},
	{VSS_SPROPID_ORIGINATING_MACHINE, "VSS_SPROPID_ORIGINATING_MACHINE"},
	{VSS_SPROPID_SERVICE_MACHINE, "VSS_SPROPID_SERVICE_MACHINE"},
	{VSS_SPROPID_EXPOSED_NAME, "VSS_SPROPID_EXPOSED_NAME"},
	{VSS_SPROPID_EXPOSED_PATH, "VSS_SPROPID_EXPOSED_PATH"},
	{VSS_SPROPID_PROVIDER_ID, "VSS_SPROPID_PROVIDER_ID"},
	{VSS_SPROPID_SNAPSHOT_ATTRIBUTES, "VSS_SPROPID_SNAPSHOT_ATTRIBUTES"},
	{VSS_SPROPID_CREATION_TIMESTAMP, "VSS_SPROPID_CREATION_TIMESTAMP"},
	{VSS_SPROPID_STATUS, "VSS_SPROPID_STATUS"},
}

// String returns the SDK name of p, or "SnapshotPropertyID(n)".
func (p SnapshotPropertyID) String() string {
	return enumString(snapshotPropertyIDNames, p, "SnapshotPropertyID")
}

// AllSnapshotPropertyIDs returns every VSS_SNAPSHOT_PROPERTY_ID value in
// value order.
func AllSnapshotPropertyIDs() []SnapshotPropertyID { return enumValues(snapshotPropertyIDNames) }

// FileSpecBackupType is VSS_FILE_SPEC_BACKUP_TYPE, a bit mask saying for
// which backup types a file set must be backed up and/or shadow copied. The
// default for a file set is 0xF0F (all backup and all snapshot bits).
type FileSpecBackupType int32

// VSS_FILE_SPEC_BACKUP_TYPE bits and combinations.
const (
	VSS_FSBT_FULL_BACKUP_REQUIRED           FileSpecBackupType = 0x00001
	VSS_FSBT_DIFFERENTIAL_BACKUP_REQUIRED   FileSpecBackupType = 0x00002
	VSS_FSBT_INCREMENTAL_BACKUP_REQUIRED    FileSpecBackupType = 0x00004
	VSS_FSBT_LOG_BACKUP_REQUIRED            FileSpecBackupType = 0x00008
	VSS_FSBT_ALL_BACKUP_REQUIRED            FileSpecBackupType = 0x0000F
	VSS_FSBT_FULL_SNAPSHOT_REQUIRED         FileSpecBackupType = 0x00100
	VSS_FSBT_DIFFERENTIAL_SNAPSHOT_REQUIRED FileSpecBackupType = 0x00200
	VSS_FSBT_INCREMENTAL_SNAPSHOT_REQUIRED  FileSpecBackupType = 0x00400
	VSS_FSBT_LOG_SNAPSHOT_REQUIRED          FileSpecBackupType = 0x00800
	VSS_FSBT_ALL_SNAPSHOT_REQUIRED          FileSpecBackupType = 0x00F00
	VSS_FSBT_CREATED_DURING_BACKUP          FileSpecBackupType = 0x10000
)

var fileSpecBackupTypeNames = []enumName[FileSpecBackupType]{
	{VSS_FSBT_FULL_BACKUP_REQUIRED, "VSS_FSBT_FULL_BACKUP_REQUIRED"},
	{VSS_FSBT_DIFFERENTIAL_BACKUP_REQUIRED, "VSS_FSBT_DIFFERENTIAL_BACKUP_REQUIRED"},
	{VSS_FSBT_INCREMENTAL_BACKUP_REQUIRED, "VSS_FSBT_INCREMENTAL_BACKUP_REQUIRED"},
	{VSS_FSBT_LOG_BACKUP_REQUIRED, "VSS_FSBT_LOG_BACKUP_REQUIRED"},
	{VSS_FSBT_ALL_BACKUP_REQUIRED, "VSS_FSBT_ALL_BACKUP_REQUIRED"},
	{VSS_FSBT_FULL_SNAPSHOT_REQUIRED, "VSS_FSBT_FULL_SNAPSHOT_REQUIRED"},
	{VSS_FSBT_DIFFERENTIAL_SNAPSHOT_REQUIRED, "VSS_FSBT_DIFFERENTIAL_SNAPSHOT_REQUIRED"},
	{VSS_FSBT_INCREMENTAL_SNAPSHOT_REQUIRED, "VSS_FSBT_INCREMENTAL_SNAPSHOT_REQUIRED"},
	{VSS_FSBT_LOG_SNAPSHOT_REQUIRED, "VSS_FSBT_LOG_SNAPSHOT_REQUIRED"},
	{VSS_FSBT_ALL_SNAPSHOT_REQUIRED, "VSS_FSBT_ALL_SNAPSHOT_REQUIRED"},
	{VSS_FSBT_CREATED_DURING_BACKUP, "VSS_FSBT_CREATED_DURING_BACKUP"},
}

// String returns the names in t joined by "|", using the ALL_* names where
// all their bits are set (unknown bits as hex), or "0" for no bits.
func (t FileSpecBackupType) String() string { return maskString(fileSpecBackupTypeNames, t) }

// AllFileSpecBackupTypes returns every VSS_FILE_SPEC_BACKUP_TYPE value,
// including the ALL_* combinations, in value order.
func AllFileSpecBackupTypes() []FileSpecBackupType { return enumValues(fileSpecBackupTypeNames) }

// BackupSchema is VSS_BACKUP_SCHEMA, a bit mask of the backup features a
// writer supports. VSS_BS_UNDEFINED (0) means full backups only.
type BackupSchema int32

// VSS_BACKUP_SCHEMA bits.
const (
	VSS_BS_UNDEFINED                          BackupSchema = 0x0000
	VSS_BS_DIFFERENTIAL                       BackupSchema = 0x0001
	VSS_BS_INCREMENTAL                        BackupSchema = 0x0002
	VSS_BS_EXCLUSIVE_INCREMENTAL_DIFFERENTIAL BackupSchema = 0x0004
	VSS_BS_LOG                                BackupSchema = 0x0008
	VSS_BS_COPY                               BackupSchema = 0x0010
	VSS_BS_TIMESTAMPED                        BackupSchema = 0x0020
	VSS_BS_LAST_MODIFY                        BackupSchema = 0x0040
	VSS_BS_LSN                                BackupSchema = 0x0080
	VSS_BS_WRITER_SUPPORTS_NEW_TARGET         BackupSchema = 0x0100
	VSS_BS_WRITER_SUPPORTS_RESTORE_WITH_MOVE  BackupSchema = 0x0200
	VSS_BS_INDEPENDENT_SYSTEM_STATE           BackupSchema = 0x0400
	VSS_BS_ROLLFORWARD_RESTORE                BackupSchema = 0x1000
	VSS_BS_RESTORE_RENAME                     BackupSchema = 0x2000
	VSS_BS_AUTHORITATIVE_RESTORE              BackupSchema = 0x4000
	VSS_BS_WRITER_SUPPORTS_PARALLEL_RESTORES  BackupSchema = 0x8000
)

var backupSchemaNames = []enumName[BackupSchema]{
	{VSS_BS_UNDEFINED, "VSS_BS_UNDEFINED"},
	{VSS_BS_DIFFERENTIAL, "VSS_BS_DIFFERENTIAL"},
	{VSS_BS_INCREMENTAL, "VSS_BS_INCREMENTAL"},
	{VSS_BS_EXCLUSIVE_INCREMENTAL_DIFFERENTIAL, "VSS_BS_EXCLUSIVE_INCREMENTAL_DIFFERENTIAL"},
	{VSS_BS_LOG, "VSS_BS_LOG"},
	{VSS_BS_COPY, "VSS_BS_COPY"},
	{VSS_BS_TIMESTAMPED, "VSS_BS_TIMESTAMPED"},
	{VSS_BS_LAST_MODIFY, "VSS_BS_LAST_MODIFY"},
	{VSS_BS_LSN, "VSS_BS_LSN"},
	{VSS_BS_WRITER_SUPPORTS_NEW_TARGET, "VSS_BS_WRITER_SUPPORTS_NEW_TARGET"},
	{VSS_BS_WRITER_SUPPORTS_RESTORE_WITH_MOVE, "VSS_BS_WRITER_SUPPORTS_RESTORE_WITH_MOVE"},
	{VSS_BS_INDEPENDENT_SYSTEM_STATE, "VSS_BS_INDEPENDENT_SYSTEM_STATE"},
	{VSS_BS_ROLLFORWARD_RESTORE, "VSS_BS_ROLLFORWARD_RESTORE"},
	{VSS_BS_RESTORE_RENAME, "VSS_BS_RESTORE_RENAME"},
	{VSS_BS_AUTHORITATIVE_RESTORE, "VSS_BS_AUTHORITATIVE_RESTORE"},
	{VSS_BS_WRITER_SUPPORTS_PARALLEL_RESTORES, "VSS_BS_WRITER_SUPPORTS_PARALLEL_RESTORES"},
}

// String returns the names of the bits set in s joined by "|" (unknown bits
// as hex); zero prints as VSS_BS_UNDEFINED.
func (s BackupSchema) String() string { return maskString(backupSchemaNames, s) }

// AllBackupSchemas returns every VSS_BACKUP_SCHEMA value in value order.
func AllBackupSchemas() []BackupSchema { return enumValues(backupSchemaNames) }
