package vss

import "time"

// Async mirrors IVssAsync (REFERENCE §3): the handle returned by
// GatherWriterMetadata, GatherWriterStatus, PrepareForBackup, DoSnapshotSet,
// BackupComplete and the restore calls.
//
// The first result of QueryStatus is the operation's status (what COM writes
// to *pHrResult): VSS_S_ASYNC_PENDING, VSS_S_ASYNC_FINISHED,
// VSS_S_ASYNC_CANCELLED or the failure HRESULT of the operation. The error
// result is the HRESULT of the QueryStatus call itself.
type Async interface {
	// Wait blocks until the operation ends or timeout passes; a negative
	// timeout waits for ever (requestor.INFINITE, COM's INFINITE). A Wait that times out returns nil and the status
	// stays VSS_S_ASYNC_PENDING (REFERENCE §3 semantics 1, §8 C10).
	Wait(timeout time.Duration) error
	// QueryStatus reports the operation's status.
	QueryStatus() (status HRESULT, err error)
	// Cancel asks the operation to stop. Its first result is S_OK (it was
	// cancelled), VSS_S_ASYNC_CANCELLED (already cancelled) or
	// VSS_S_ASYNC_FINISHED (already finished); an operation that already
	// failed returns its failure as err.
	Cancel() (HRESULT, error)
}

// WriterStatus is one row of GetWriterStatus / GetWriterStatusEx.
type WriterStatus struct {
	InstanceID ID
	WriterID   ID
	Name       string
	State      WriterState
	// Failure is *phResultFailure: S_OK or a VSS_E_WRITERERROR_* /
	// VSS_E_WRITER_NOT_RESPONDING code (REFERENCE §4.4).
	Failure HRESULT
	// ApplicationError and ApplicationMessage are filled only by
	// GetWriterStatusEx (SetWriterFailureEx on the writer side).
	ApplicationError   HRESULT
	ApplicationMessage string
}

// SnapshotProp mirrors VSS_SNAPSHOT_PROP (REFERENCE §6.5).
type SnapshotProp struct {
	SnapshotID           ID
	SnapshotSetID        ID
	SnapshotsCount       int32
	SnapshotDeviceObject string
	OriginalVolumeName   string
	OriginatingMachine   string
	ServiceMachine       string
	ExposedName          string
	ExposedPath          string
	ProviderID           ID
	SnapshotAttributes   VolumeSnapshotAttributes
	// CreationTimestamp is a VSS_TIMESTAMP: 100 ns units since 1601-01-01.
	CreationTimestamp int64
	Status            SnapshotState
}

// ProviderProp mirrors VSS_PROVIDER_PROP.
type ProviderProp struct {
	ProviderID        ID
	ProviderName      string
	ProviderType      ProviderType
	ProviderVersion   string
	ProviderVersionID ID
	ClassID           ID
}

// ObjectProp mirrors VSS_OBJECT_PROP: Type says which of Snap and Prov is set.
type ObjectProp struct {
	Type ObjectType
	Snap SnapshotProp
	Prov ProviderProp
}
