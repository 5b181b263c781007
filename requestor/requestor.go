// Package requestor is the API a backup program codes against: the
// BackupComponents interface mirrors IVssBackupComponents one method to one
// COM call, with Go types (vss.ID for VSS_ID, strings, slices, error
// results carrying HRESULTs).
//
// The simulator (package sim) is the default backend and works on every
// OS: NewSim wraps a sim.Coordinator, New makes a fresh one. NewWindows
// returns the same interface over the real VSS service on Windows
// (vssapi.dll through its COM vtable, without cgo), so code written against
// it runs unchanged on both; RunBackup is a complete requestor built on it.
//
// Every method mirrors the COM method of the same name: the same
// preconditions, the same HRESULTs (as errors that errors.Is matches
// against vss.VSS_E_BAD_STATE and the others). On the simulator a
// VSS_E_BAD_STATE is a *vss.Error naming the broken sequencing rule
// (vsssim rules ID explains it).
package requestor

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/vsssim/vsssim/requestor/vss"
	"github.com/vsssim/vsssim/sim"
)

// Async is IVssAsync (REFERENCE §3).
type Async = vss.Async

// INFINITE is the Async.Wait timeout that never expires (IVssAsync::Wait's
// dwMilliseconds = INFINITE, 0xFFFFFFFF).
const INFINITE time.Duration = -1

// BackupComponents mirrors IVssBackupComponents (vsbackup.h): the backup
// path in vtable order (REFERENCE §1.2), then the restore path, then the
// management and Ex–Ex4 calls of vtable slots 40–64 in vtable order. A
// backup runs InitializeForBackup, SetBackupState, GatherWriterMetadata, AddComponent, StartSnapshotSet,
// AddToSnapshotSet, PrepareForBackup, DoSnapshotSet, SetBackupSucceeded,
// BackupComplete and Release (see RunBackup); an Async result is waited on
// (Wait) before the next step.
type BackupComponents interface {
	// InitializeForBackup (IVssBackupComponents::InitializeForBackup) prepares
	// the object for a backup; bcdXML is a saved Backup Components Document to
	// resume from, or "". It must be the first call, and only once.
	InitializeForBackup(bcdXML string) error
	// SetBackupState declares component mode (selectComponents), a bootable
	// system state backup, the backup type (VSS_BT_FULL, ...) and partial-file
	// support. Call it before PrepareForBackup.
	SetBackupState(selectComponents, bootableSystemState bool, backupType vss.BackupType, partialFileSupport bool) error
	// GatherWriterMetadata sends Identify to every writer and collects their
	// Writer Metadata Documents; wait on the Async before
	// GetWriterMetadataCount. Only once per object.
	GatherWriterMetadata() (Async, error)
	// GetWriterMetadataCount is the number of writers that answered
	// GatherWriterMetadata.
	GetWriterMetadataCount() (uint32, error)
	// GetWriterMetadata returns writer i's instance id and its metadata
	// (IVssExamineWriterMetadata), for 0 <= i < GetWriterMetadataCount.
	GetWriterMetadata(i uint32) (instanceID vss.ID, md *vss.WriterMetadata, err error)
	// FreeWriterMetadata releases the gathered metadata; the GetWriterMetadata*
	// calls fail afterwards.
	FreeWriterMetadata() error
	// AddComponent selects a writer component for the backup (component mode),
	// by writer instance and class id, component type, logical path and name.
	// Call it after GatherWriterMetadata and before PrepareForBackup.
	AddComponent(instanceID, writerID vss.ID, ct vss.ComponentType, logicalPath, componentName string) error
	// PrepareForBackup sends PrepareForBackup to the writers; wait on the Async,
	// then check GatherWriterStatus. It needs SetBackupState and
	// StartSnapshotSet first.
	PrepareForBackup() (Async, error)
	// AbortBackup ends a backup that will not complete: writers that have not
	// reached PostSnapshot get Abort. Call it after a failure past
	// StartSnapshotSet; it is harmless when nothing is under way.
	AbortBackup() error
	// GatherWriterStatus collects every writer's state and failure; wait on the
	// Async before GetWriterStatusCount.
	GatherWriterStatus() (Async, error)
	// GetWriterStatusCount is the number of writers GatherWriterStatus reported
	// on.
	GetWriterStatusCount() (uint32, error)
	// FreeWriterStatus releases the gathered status; GetWriterStatus fails
	// afterwards until the next GatherWriterStatus.
	FreeWriterStatus() error
	// GetWriterStatus returns writer i's identity, state (VSS_WS_*) and failure
	// code (S_OK or a VSS_E_WRITERERROR_* code), for 0 <= i <
	// GetWriterStatusCount.
	GetWriterStatus(i uint32) (vss.WriterStatus, error)
	// SetBackupSucceeded records whether a selected component was backed up;
	// call it for each component after the shadow copy was made and before
	// BackupComplete.
	SetBackupSucceeded(instanceID, writerID vss.ID, ct vss.ComponentType, logicalPath, componentName string, succeeded bool) error
	// SetBackupOptions passes a private option string to a component's writer;
	// call it before PrepareForBackup.
	SetBackupOptions(writerID vss.ID, ct vss.ComponentType, logicalPath, componentName, options string) error
	// SetPreviousBackupStamp gives a component the backup stamp of the backup an
	// incremental or differential one is based on; call it before
	// PrepareForBackup.
	SetPreviousBackupStamp(writerID vss.ID, ct vss.ComponentType, logicalPath, componentName, stamp string) error
	// SaveAsXML returns the Backup Components Document, to be stored with the
	// backup and given to InitializeForRestore. In a backup, not before
	// PrepareForBackup.
	SaveAsXML() (string, error)
	// BackupComplete sends BackupComplete to the writers after the files were
	// copied; wait on the Async. Not after a failed DoSnapshotSet.
	BackupComplete() (Async, error)
	// SetContext sets the shadow copy context (VSS_CTX_BACKUP by default,
	// VSS_CTX_FILE_SHARE_BACKUP, ... optionally with VSS_VOLSNAP_ATTR_* bits).
	// At most once, early.
	SetContext(ctx vss.SnapshotContext) error
	// StartSnapshotSet creates an empty shadow copy set and returns its id; one
	// set per object.
	StartSnapshotSet() (vss.ID, error)
	// AddToSnapshotSet adds a volume (a mount point ending in a backslash, such
	// as `C:\`) to the set, with providerID zero for the system's choice, and
	// returns the shadow copy id.
	AddToSnapshotSet(volume string, providerID vss.ID) (vss.ID, error)
	// DoSnapshotSet creates the shadow copies: PrepareForSnapshot, Freeze, the
	// provider's commit, Thaw and PostSnapshot. Wait on the Async; a writer veto
	// fails it with the writer's error.
	DoSnapshotSet() (Async, error)
	// DeleteSnapshots deletes a shadow copy or a whole set (objectType
	// VSS_OBJECT_SNAPSHOT or VSS_OBJECT_SNAPSHOT_SET); it returns how many were
	// deleted and the id of the one that was not.
	DeleteSnapshots(sourceID vss.ID, objectType vss.ObjectType, forceDelete bool) (deleted int32, nondeleted vss.ID, err error)
	// GetSnapshotProperties returns a shadow copy's properties, such as the
	// device object to copy the files from.
	GetSnapshotProperties(snapshotID vss.ID) (vss.SnapshotProp, error)
	// Query lists shadow copies (queried VSS_OBJECT_NONE, returned
	// VSS_OBJECT_SNAPSHOT); it needs SetContext first.
	Query(queriedID vss.ID, queried, returned vss.ObjectType) ([]vss.ObjectProp, error)
	// IsVolumeSupported reports whether a provider (zero: any) can shadow-copy
	// the volume.
	IsVolumeSupported(providerID vss.ID, volume string) (bool, error)
	// DisableWriterClasses leaves the writers of these class ids out; call it
	// before GatherWriterMetadata.
	DisableWriterClasses(classIDs []vss.ID) error
	// EnableWriterClasses limits the backup to the writers of these class ids;
	// call it before GatherWriterMetadata.
	EnableWriterClasses(classIDs []vss.ID) error
	// DisableWriterInstances leaves these writer instances out; call it before
	// GatherWriterMetadata.
	DisableWriterInstances(instanceIDs []vss.ID) error
	// GetWriterStatusEx is IVssBackupComponentsEx3::GetWriterStatusEx.
	GetWriterStatusEx(i uint32) (vss.WriterStatus, error)
	// Release is the final IUnknown::Release: VSS sends BackupShutdown and
	// deletes auto-release shadow copies.
	Release() error

	// Restore path (REFERENCE §2.2).

	// GetWriterComponentsCount is the number of writers with components in
	// the Backup Components Document.
	GetWriterComponentsCount() (uint32, error)
	// GetWriterComponents returns writer i's components from the Backup
	// Components Document (IVssWriterComponentsExt), for 0 <= i <
	// GetWriterComponentsCount.
	GetWriterComponents(i uint32) (*vss.WriterComponents, error)
	// InitializeForRestore prepares the object for a restore from the Backup
	// Components Document saved at backup time (SaveAsXML). It must be the first
	// call, and only once.
	InitializeForRestore(bcdXML string) error
	// SetRestoreState declares the restore type (VSS_RTYPE_BY_COPY by default,
	// VSS_RTYPE_IMPORT, ...); call it before PreRestore.
	SetRestoreState(t vss.RestoreType) error
	// SetSelectedForRestore selects (or deselects) a backed-up component for the
	// restore; call it before PreRestore.
	SetSelectedForRestore(writerID vss.ID, ct vss.ComponentType, logicalPath, componentName string, selected bool) error
	// SetRestoreOptions passes a private option string to a component's writer
	// for the restore; call it before PreRestore.
	SetRestoreOptions(writerID vss.ID, ct vss.ComponentType, logicalPath, componentName, options string) error
	// SetAdditionalRestores tells the writer that more restores of the component
	// (such as log backups) follow; call it before PreRestore.
	SetAdditionalRestores(writerID vss.ID, ct vss.ComponentType, logicalPath, componentName string, additional bool) error
	// AddRestoreSubcomponent selects a subcomponent (by logical path and name)
	// of a component selected for restore; call it before PreRestore.
	AddRestoreSubcomponent(writerID vss.ID, ct vss.ComponentType, logicalPath, componentName, subLogicalPath, subComponentName string) error
	// AddNewTarget restores a component's files (path, filespec, recursive) to
	// alternatePath instead; call it before PreRestore.
	AddNewTarget(writerID vss.ID, ct vss.ComponentType, logicalPath, componentName, path, fileName string, recursive bool, alternatePath string) error
	// SetFileRestoreStatus records whether a component's files were restored
	// (VSS_RS_ALL, VSS_RS_NONE, VSS_RS_FAILED); call it between PreRestore and
	// PostRestore.
	SetFileRestoreStatus(writerID vss.ID, ct vss.ComponentType, logicalPath, componentName string, status vss.FileRestoreStatus) error
	// AddAlternativeLocationMapping records that files were restored to
	// destination instead of their original place; call it between PreRestore
	// and PostRestore.
	AddAlternativeLocationMapping(writerID vss.ID, ct vss.ComponentType, logicalPath, componentName, path, filespec string, recursive bool, destination string) error
	// SetRangesFilePath gives the new location of partial file partialFile's
	// ranges file; call it between PreRestore and PostRestore.
	SetRangesFilePath(writerID vss.ID, ct vss.ComponentType, logicalPath, componentName string, partialFile uint32, rangesFile string) error
	// PreRestore sends PreRestore to the writers of the selected components;
	// wait on the Async, then copy the files.
	PreRestore() (Async, error)
	// PostRestore sends PostRestore to the writers after the files were
	// restored; wait on the Async.
	PostRestore() (Async, error)
	// IVssBackupComponentsEx / Ex2 restore calls.

	// SetSelectedForRestoreEx is SetSelectedForRestore for one writer
	// instance (IVssBackupComponentsEx), when a writer class has several.
	SetSelectedForRestoreEx(writerID vss.ID, ct vss.ComponentType, logicalPath, componentName string, selected bool, instanceID vss.ID) error
	// SetAuthoritativeRestore marks a component's restore as authoritative
	// (IVssBackupComponentsEx2); call it before PreRestore.
	SetAuthoritativeRestore(writerID vss.ID, ct vss.ComponentType, logicalPath, componentName string, authoritative bool) error
	// SetRollForward says how far the writer should roll the component forward
	// after the restore (VSS_RF_ALL, VSS_RF_NONE, VSS_RF_PARTIAL to point)
	// (IVssBackupComponentsEx2); call it before PreRestore.
	SetRollForward(writerID vss.ID, ct vss.ComponentType, logicalPath, componentName string, rt vss.RollForwardType, point string) error
	// SetRestoreName gives the restored component a new name
	// (IVssBackupComponentsEx2); call it before PreRestore.
	SetRestoreName(writerID vss.ID, ct vss.ComponentType, logicalPath, componentName, restoreName string) error
	// Management and Ex–Ex4 calls (vtable slots 40–64), in vtable order.

	// ImportSnapshots imports the transportable shadow copy set described
	// by the BCD the object was initialised with (InitializeForBackup);
	// Windows Server with a hardware provider only.
	ImportSnapshots() (Async, error)
	// BreakSnapshotSet makes VSS forget a hardware shadow copy set: its
	// shadow copies become plain read-only volumes.
	BreakSnapshotSet(snapshotSetID vss.ID) error
	// ExposeSnapshot exposes a shadow copy locally (attributes
	// VSS_VOLSNAP_ATTR_EXPOSED_LOCALLY, expose a drive letter "X:" or a
	// mounted folder; persistent shadow copies only) or remotely
	// (VSS_VOLSNAP_ATTR_EXPOSED_REMOTELY, expose a share name, "" to let
	// VSS choose; pathFromRoot the part of the volume shared). It returns
	// the exposed name, which VSS_SNAPSHOT_PROP shows from then on.
	ExposeSnapshot(snapshotID vss.ID, pathFromRoot string, attributes vss.VolumeSnapshotAttributes, expose string) (exposed string, err error)
	// RevertToSnapshot starts reverting a volume to a persistent shadow
	// copy (Windows Server); the revert cannot be cancelled.
	RevertToSnapshot(snapshotID vss.ID, forceDismount bool) error
	// QueryRevertStatus returns an Async that follows the revert of
	// volume (a name ending in a backslash).
	QueryRevertStatus(volume string) (Async, error)
	// GetWriterMetadataEx is IVssBackupComponentsEx::GetWriterMetadataEx:
	// GetWriterMetadata through IVssExamineWriterMetadataEx.
	GetWriterMetadataEx(i uint32) (instanceID vss.ID, md *vss.WriterMetadata, err error)
	// UnexposeSnapshot is IVssBackupComponentsEx2::UnexposeSnapshot: it
	// removes the drive letter, mounted folder or share of an exposed
	// shadow copy.
	UnexposeSnapshot(snapshotID vss.ID) error
	// BreakSnapshotSetEx is IVssBackupComponentsEx2::BreakSnapshotSetEx:
	// BreakSnapshotSet with VSS_HARDWARE_OPTIONS, asynchronously.
	BreakSnapshotSetEx(snapshotSetID vss.ID, flags vss.HardwareOptions) (Async, error)
	// PreFastRecovery is IVssBackupComponentsEx2::PreFastRecovery,
	// reserved by Microsoft ("not supported").
	PreFastRecovery(snapshotSetID vss.ID, flags uint32) (Async, error)
	// FastRecovery is IVssBackupComponentsEx2::FastRecovery, reserved by
	// Microsoft ("not supported").
	FastRecovery(snapshotSetID vss.ID, flags uint32) (Async, error)
	// AddSnapshotToRecoverySet is
	// IVssBackupComponentsEx3::AddSnapshotToRecoverySet: a hardware shadow
	// copy of the restore BCD's set for LUN resynchronisation, to its
	// original volume or to destinationVolume. flags is reserved (0).
	AddSnapshotToRecoverySet(snapshotID vss.ID, flags uint32, destinationVolume string) error
	// RecoverSet is IVssBackupComponentsEx3::RecoverSet: the LUN
	// resynchronisation of the recovery set (after InitializeForRestore).
	RecoverSet(flags vss.RecoveryOptions) (Async, error)
	// GetSessionId is IVssBackupComponentsEx3::GetSessionId: the id of
	// this backup or restore session.
	GetSessionId() (vss.ID, error)
	// GetRootAndLogicalPrefixPaths is
	// IVssBackupComponentsEx4::GetRootAndLogicalPrefixPaths: the root
	// path to pass to AddToSnapshotSet for filePath (a local path or a UNC
	// share path) and its logical prefix (the volume GUID name, or the
	// evaluated share path).
	GetRootAndLogicalPrefixPaths(filePath string, normalizeFQDN bool) (rootPath, logicalPrefix string, err error)
}

var _ BackupComponents = (*sim.BackupComponents)(nil)

// NewSim returns a new BackupComponents on the simulated coordinator c
// (CreateVssBackupComponents).
func NewSim(c *sim.Coordinator) BackupComponents {
	return c.NewBackupComponents()
}

// New returns a BackupComponents on a fresh simulated coordinator with the
// default options, and that coordinator (to subscribe writers, add volumes
// and inject faults).
func New() (BackupComponents, *sim.Coordinator) {
	c := sim.NewDefault()
	return c.NewBackupComponents(), c
}

// ErrCancelled is returned by Wait when the operation reports
// VSS_S_ASYNC_CANCELLED.
var ErrCancelled = errors.New("requestor: async operation cancelled (VSS_S_ASYNC_CANCELLED)")

// Wait waits for an async operation in slices of at most slice (the qemu and
// breeze polling loop, REFERENCE §3 semantics 3) until it ends or ctx is
// done, in which case it calls Cancel and returns ctx's error. It returns
// nil for VSS_S_ASYNC_FINISHED, ErrCancelled for VSS_S_ASYNC_CANCELLED and
// the operation's failure HRESULT (wrapped) otherwise. slice <= 0 means
// one second.
func Wait(ctx context.Context, a Async, slice time.Duration) error {
	if slice <= 0 {
		slice = time.Second
	}
	for {
		if err := ctx.Err(); err != nil {
			if _, cerr := a.Cancel(); cerr != nil {
				return fmt.Errorf("requestor: %w (and Cancel: %v)", err, cerr)
			}
			return err
		}
		if err := a.Wait(slice); err != nil {
			return fmt.Errorf("requestor: IVssAsync::Wait: %w", err)
		}
		st, err := a.QueryStatus()
		if err != nil {
			return fmt.Errorf("requestor: IVssAsync::QueryStatus: %w", err)
		}
		switch st {
		case vss.VSS_S_ASYNC_PENDING:
			continue
		case vss.VSS_S_ASYNC_FINISHED:
			return nil
		case vss.VSS_S_ASYNC_CANCELLED:
			return ErrCancelled
		}
		return fmt.Errorf("requestor: async operation failed: %w", st)
	}
}
