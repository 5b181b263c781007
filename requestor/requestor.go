// Package requestor is the API a backup program codes against: the
// BackupComponents interface mirrors IVssBackupComponents one method to one
// COM call, with Go types (vss.ID for VSS_ID, strings, slices, error
// results carrying HRESULTs).
//
// The simulator (package sim) is the default backend and works on every
// OS: NewSim wraps a sim.Coordinator, New makes a fresh one. The interface
// is shaped for a COM backend too (one method, one vtable call), so code
// written against it can later run unchanged against the real VSS service
// on Windows.
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

// BackupComponents mirrors IVssBackupComponents (vsbackup.h) with its
// IVssBackupComponentsEx–Ex4 extensions: the backup path in vtable order
// (REFERENCE §1.2), then the restore path, then the management and Ex–Ex4
// calls of vtable slots 40–64 in vtable order.
type BackupComponents interface {
	InitializeForBackup(bcdXML string) error
	SetBackupState(selectComponents, bootableSystemState bool, backupType vss.BackupType, partialFileSupport bool) error
	GatherWriterMetadata() (Async, error)
	GetWriterMetadataCount() (uint32, error)
	GetWriterMetadata(i uint32) (instanceID vss.ID, md *vss.WriterMetadata, err error)
	FreeWriterMetadata() error
	AddComponent(instanceID, writerID vss.ID, ct vss.ComponentType, logicalPath, componentName string) error
	PrepareForBackup() (Async, error)
	AbortBackup() error
	GatherWriterStatus() (Async, error)
	GetWriterStatusCount() (uint32, error)
	FreeWriterStatus() error
	GetWriterStatus(i uint32) (vss.WriterStatus, error)
	SetBackupSucceeded(instanceID, writerID vss.ID, ct vss.ComponentType, logicalPath, componentName string, succeeded bool) error
	SetBackupOptions(writerID vss.ID, ct vss.ComponentType, logicalPath, componentName, options string) error
	SetPreviousBackupStamp(writerID vss.ID, ct vss.ComponentType, logicalPath, componentName, stamp string) error
	SaveAsXML() (string, error)
	BackupComplete() (Async, error)
	SetContext(ctx vss.SnapshotContext) error
	StartSnapshotSet() (vss.ID, error)
	AddToSnapshotSet(volume string, providerID vss.ID) (vss.ID, error)
	DoSnapshotSet() (Async, error)
	DeleteSnapshots(sourceID vss.ID, objectType vss.ObjectType, forceDelete bool) (deleted int32, nondeleted vss.ID, err error)
	GetSnapshotProperties(snapshotID vss.ID) (vss.SnapshotProp, error)
	Query(queriedID vss.ID, queried, returned vss.ObjectType) ([]vss.ObjectProp, error)
	IsVolumeSupported(providerID vss.ID, volume string) (bool, error)
	DisableWriterClasses(classIDs []vss.ID) error
	EnableWriterClasses(classIDs []vss.ID) error
	DisableWriterInstances(instanceIDs []vss.ID) error
	// GetWriterStatusEx is IVssBackupComponentsEx3::GetWriterStatusEx.
	GetWriterStatusEx(i uint32) (vss.WriterStatus, error)
	// Release is the final IUnknown::Release: VSS sends BackupShutdown and
	// deletes auto-release shadow copies.
	Release() error

	// Restore path (REFERENCE §2.2).
	GetWriterComponentsCount() (uint32, error)
	GetWriterComponents(i uint32) (*vss.WriterComponents, error)
	InitializeForRestore(bcdXML string) error
	SetRestoreState(t vss.RestoreType) error
	SetSelectedForRestore(writerID vss.ID, ct vss.ComponentType, logicalPath, componentName string, selected bool) error
	SetRestoreOptions(writerID vss.ID, ct vss.ComponentType, logicalPath, componentName, options string) error
	SetAdditionalRestores(writerID vss.ID, ct vss.ComponentType, logicalPath, componentName string, additional bool) error
	AddRestoreSubcomponent(writerID vss.ID, ct vss.ComponentType, logicalPath, componentName, subLogicalPath, subComponentName string) error
	AddNewTarget(writerID vss.ID, ct vss.ComponentType, logicalPath, componentName, path, fileName string, recursive bool, alternatePath string) error
	SetFileRestoreStatus(writerID vss.ID, ct vss.ComponentType, logicalPath, componentName string, status vss.FileRestoreStatus) error
	AddAlternativeLocationMapping(writerID vss.ID, ct vss.ComponentType, logicalPath, componentName, path, filespec string, recursive bool, destination string) error
	SetRangesFilePath(writerID vss.ID, ct vss.ComponentType, logicalPath, componentName string, partialFile uint32, rangesFile string) error
	PreRestore() (Async, error)
	PostRestore() (Async, error)
	// IVssBackupComponentsEx / Ex2 restore calls.
	SetSelectedForRestoreEx(writerID vss.ID, ct vss.ComponentType, logicalPath, componentName string, selected bool, instanceID vss.ID) error
	SetAuthoritativeRestore(writerID vss.ID, ct vss.ComponentType, logicalPath, componentName string, authoritative bool) error
	SetRollForward(writerID vss.ID, ct vss.ComponentType, logicalPath, componentName string, rt vss.RollForwardType, point string) error
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
