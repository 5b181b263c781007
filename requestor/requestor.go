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

// BackupComponents mirrors IVssBackupComponents (vsbackup.h): the backup
// path in vtable order (REFERENCE §1.2), then the restore path. The Ex–Ex4
// calls other than GetWriterStatusEx are not part of it yet.
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
