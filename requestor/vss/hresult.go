package vss

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// HRESULT is a COM status code. The high bit is the severity: set means
// failure, clear means success. HRESULT implements error so that failure
// codes can be returned and compared directly.
type HRESULT uint32

// Standard COM HRESULTs (winerror.h) used by the VSS interfaces.
const (
	S_OK           HRESULT = 0x00000000
	S_FALSE        HRESULT = 0x00000001
	E_NOTIMPL      HRESULT = 0x80004001
	E_NOINTERFACE  HRESULT = 0x80004002
	E_POINTER      HRESULT = 0x80004003
	E_ABORT        HRESULT = 0x80004004
	E_FAIL         HRESULT = 0x80004005
	E_UNEXPECTED   HRESULT = 0x8000FFFF
	E_ACCESSDENIED HRESULT = 0x80070005
	E_HANDLE       HRESULT = 0x80070006
	E_OUTOFMEMORY  HRESULT = 0x8007000E
	E_INVALIDARG   HRESULT = 0x80070057
)

// VSS success codes (vsserror.h).
const (
	VSS_S_ASYNC_PENDING               HRESULT = 0x00042309
	VSS_S_ASYNC_FINISHED              HRESULT = 0x0004230A
	VSS_S_ASYNC_CANCELLED             HRESULT = 0x0004230B
	VSS_S_SOME_SNAPSHOTS_NOT_IMPORTED HRESULT = 0x00042321
)

// VSS failure codes (vsserror.h).
const (
	VSS_E_BAD_STATE                                                   HRESULT = 0x80042301
	VSS_E_UNEXPECTED                                                  HRESULT = 0x80042302
	VSS_E_PROVIDER_ALREADY_REGISTERED                                 HRESULT = 0x80042303
	VSS_E_PROVIDER_NOT_REGISTERED                                     HRESULT = 0x80042304
	VSS_E_PROVIDER_VETO                                               HRESULT = 0x80042306
	VSS_E_PROVIDER_IN_USE                                             HRESULT = 0x80042307
	VSS_E_OBJECT_NOT_FOUND                                            HRESULT = 0x80042308
	VSS_E_VOLUME_NOT_SUPPORTED                                        HRESULT = 0x8004230C
	VSS_E_OBJECT_ALREADY_EXISTS                                       HRESULT = 0x8004230D
	VSS_E_VOLUME_NOT_SUPPORTED_BY_PROVIDER                            HRESULT = 0x8004230E
	VSS_E_UNEXPECTED_PROVIDER_ERROR                                   HRESULT = 0x8004230F
	VSS_E_CORRUPT_XML_DOCUMENT                                        HRESULT = 0x80042310
	VSS_E_INVALID_XML_DOCUMENT                                        HRESULT = 0x80042311
	VSS_E_MAXIMUM_NUMBER_OF_VOLUMES_REACHED                           HRESULT = 0x80042312
	VSS_E_FLUSH_WRITES_TIMEOUT                                        HRESULT = 0x80042313
	VSS_E_HOLD_WRITES_TIMEOUT                                         HRESULT = 0x80042314
	VSS_E_UNEXPECTED_WRITER_ERROR                                     HRESULT = 0x80042315
	VSS_E_SNAPSHOT_SET_IN_PROGRESS                                    HRESULT = 0x80042316
	VSS_E_MAXIMUM_NUMBER_OF_SNAPSHOTS_REACHED                         HRESULT = 0x80042317
	VSS_E_WRITER_INFRASTRUCTURE                                       HRESULT = 0x80042318
	VSS_E_WRITER_NOT_RESPONDING                                       HRESULT = 0x80042319
	VSS_E_WRITER_ALREADY_SUBSCRIBED                                   HRESULT = 0x8004231A
	VSS_E_UNSUPPORTED_CONTEXT                                         HRESULT = 0x8004231B
	VSS_E_VOLUME_IN_USE                                               HRESULT = 0x8004231D
	VSS_E_MAXIMUM_DIFFAREA_ASSOCIATIONS_REACHED                       HRESULT = 0x8004231E
	VSS_E_INSUFFICIENT_STORAGE                                        HRESULT = 0x8004231F
	VSS_E_NO_SNAPSHOTS_IMPORTED                                       HRESULT = 0x80042320
	VSS_E_SOME_SNAPSHOTS_NOT_IMPORTED                                 HRESULT = 0x80042321
	VSS_E_MAXIMUM_NUMBER_OF_REMOTE_MACHINES_REACHED                   HRESULT = 0x80042322
	VSS_E_REMOTE_SERVER_UNAVAILABLE                                   HRESULT = 0x80042323
	VSS_E_REMOTE_SERVER_UNSUPPORTED                                   HRESULT = 0x80042324
	VSS_E_REVERT_IN_PROGRESS                                          HRESULT = 0x80042325
	VSS_E_REVERT_VOLUME_LOST                                          HRESULT = 0x80042326
	VSS_E_REBOOT_REQUIRED                                             HRESULT = 0x80042327
	VSS_E_TRANSACTION_FREEZE_TIMEOUT                                  HRESULT = 0x80042328
	VSS_E_TRANSACTION_THAW_TIMEOUT                                    HRESULT = 0x80042329
	VSS_E_UNSELECTED_VOLUME                                           HRESULT = 0x8004232A
	VSS_E_SNAPSHOT_NOT_IN_SET                                         HRESULT = 0x8004232B
	VSS_E_NESTED_VOLUME_LIMIT                                         HRESULT = 0x8004232C
	VSS_E_VOLUME_NOT_LOCAL                                            HRESULT = 0x8004232D
	VSS_E_CLUSTER_TIMEOUT                                             HRESULT = 0x8004232E
	VSS_E_NOT_SUPPORTED                                               HRESULT = 0x8004232F
	VSS_E_WRITERERROR_PARTIAL_FAILURE                                 HRESULT = 0x80042336
	VSS_E_WRITERERROR_INCONSISTENTSNAPSHOT                            HRESULT = 0x800423F0
	VSS_E_WRITERERROR_OUTOFRESOURCES                                  HRESULT = 0x800423F1
	VSS_E_WRITERERROR_TIMEOUT                                         HRESULT = 0x800423F2
	VSS_E_WRITERERROR_RETRYABLE                                       HRESULT = 0x800423F3
	VSS_E_WRITERERROR_NONRETRYABLE                                    HRESULT = 0x800423F4
	VSS_E_WRITERERROR_RECOVERY_FAILED                                 HRESULT = 0x800423F5
	VSS_E_BREAK_REVERT_ID_FAILED                                      HRESULT = 0x800423F6
	VSS_E_LEGACY_PROVIDER                                             HRESULT = 0x800423F7
	VSS_E_MISSING_DISK                                                HRESULT = 0x800423F8
	VSS_E_MISSING_HIDDEN_VOLUME                                       HRESULT = 0x800423F9
	VSS_E_MISSING_VOLUME                                              HRESULT = 0x800423FA
	VSS_E_AUTORECOVERY_FAILED                                         HRESULT = 0x800423FB
	VSS_E_DYNAMIC_DISK_ERROR                                          HRESULT = 0x800423FC
	VSS_E_NONTRANSPORTABLE_BCD                                        HRESULT = 0x800423FD
	VSS_E_CANNOT_REVERT_DISKID                                        HRESULT = 0x800423FE
	VSS_E_RESYNC_IN_PROGRESS                                          HRESULT = 0x800423FF
	VSS_E_CLUSTER_ERROR                                               HRESULT = 0x80042400
	VSS_E_ASRERROR_DISK_ASSIGNMENT_FAILED                             HRESULT = 0x80042401
	VSS_E_ASRERROR_DISK_RECREATION_FAILED                             HRESULT = 0x80042402
	VSS_E_ASRERROR_NO_ARCPATH                                         HRESULT = 0x80042403
	VSS_E_ASRERROR_MISSING_DYNDISK                                    HRESULT = 0x80042404
	VSS_E_ASRERROR_SHARED_CRIDISK                                     HRESULT = 0x80042405
	VSS_E_ASRERROR_DATADISK_RDISK0                                    HRESULT = 0x80042406
	VSS_E_ASRERROR_RDISK0_TOOSMALL                                    HRESULT = 0x80042407
	VSS_E_ASRERROR_CRITICAL_DISKS_TOO_SMALL                           HRESULT = 0x80042408
	VSS_E_WRITER_STATUS_NOT_AVAILABLE                                 HRESULT = 0x80042409
	VSS_E_ASRERROR_DYNAMIC_VHD_NOT_SUPPORTED                          HRESULT = 0x8004240A
	VSS_E_CRITICAL_VOLUME_ON_INVALID_DISK                             HRESULT = 0x80042411
	VSS_E_ASRERROR_RDISK_FOR_SYSTEM_DISK_NOT_FOUND                    HRESULT = 0x80042412
	VSS_E_ASRERROR_NO_PHYSICAL_DISK_AVAILABLE                         HRESULT = 0x80042413
	VSS_E_ASRERROR_FIXED_PHYSICAL_DISK_AVAILABLE_AFTER_DISK_EXCLUSION HRESULT = 0x80042414
	VSS_E_ASRERROR_CRITICAL_DISK_CANNOT_BE_EXCLUDED                   HRESULT = 0x80042415
	VSS_E_ASRERROR_SYSTEM_PARTITION_HIDDEN                            HRESULT = 0x80042416
	VSS_E_FSS_TIMEOUT                                                 HRESULT = 0x80042417
)

// hresultInfo is one row of hresultTable.
type hresultInfo struct {
	hr   HRESULT
	name string
	desc string
}

// hresultTable lists every named HRESULT, sorted by value (a test enforces
// the order and uniqueness). All name and description look-ups go through
// it.
var hresultTable = []hresultInfo{
	{S_OK, "S_OK", "success"},
	{S_FALSE, "S_FALSE", "success, with a negative or partial outcome"},
	{VSS_S_ASYNC_PENDING, "VSS_S_ASYNC_PENDING", "the asynchronous operation has not finished yet"},
	{VSS_S_ASYNC_FINISHED, "VSS_S_ASYNC_FINISHED", "the asynchronous operation finished successfully"},
	{VSS_S_ASYNC_CANCELLED, "VSS_S_ASYNC_CANCELLED", "the asynchronous operation was cancelled"},
	{VSS_S_SOME_SNAPSHOTS_NOT_IMPORTED, "VSS_S_SOME_SNAPSHOTS_NOT_IMPORTED", "the import succeeded for only part of the shadow copies"},
	{E_NOTIMPL, "E_NOTIMPL", "the method is not implemented"},
	{E_NOINTERFACE, "E_NOINTERFACE", "the requested interface is not supported"},
	{E_POINTER, "E_POINTER", "a required pointer argument is null or invalid"},
	{E_ABORT, "E_ABORT", "the operation was aborted"},
	{E_FAIL, "E_FAIL", "unspecified failure"},
	{E_UNEXPECTED, "E_UNEXPECTED", "unexpected failure (what pre-Windows 7 systems return instead of VSS_E_UNEXPECTED)"},
	{VSS_E_BAD_STATE, "VSS_E_BAD_STATE", "the object is not initialised, is set up for the other operation kind, or the call is out of sequence"},
	{VSS_E_UNEXPECTED, "VSS_E_UNEXPECTED", "unexpected internal VSS error; the event log has details"},
	{VSS_E_PROVIDER_ALREADY_REGISTERED, "VSS_E_PROVIDER_ALREADY_REGISTERED", "the provider has already been registered"},
	{VSS_E_PROVIDER_NOT_REGISTERED, "VSS_E_PROVIDER_NOT_REGISTERED", "no provider is registered under the given id"},
	{VSS_E_PROVIDER_VETO, "VSS_E_PROVIDER_VETO", "the provider refused or failed the operation, often transiently"},
	{VSS_E_PROVIDER_IN_USE, "VSS_E_PROVIDER_IN_USE", "the provider is busy and cannot be changed or removed"},
	{VSS_E_OBJECT_NOT_FOUND, "VSS_E_OBJECT_NOT_FOUND", "the referenced object (shadow copy, set, volume, component or index) does not exist"},
	{VSS_E_VOLUME_NOT_SUPPORTED, "VSS_E_VOLUME_NOT_SUPPORTED", "no provider can create a shadow copy of this volume"},
	{VSS_E_OBJECT_ALREADY_EXISTS, "VSS_E_OBJECT_ALREADY_EXISTS", "an object with the same identity is already present"},
	{VSS_E_VOLUME_NOT_SUPPORTED_BY_PROVIDER, "VSS_E_VOLUME_NOT_SUPPORTED_BY_PROVIDER", "the selected provider cannot create a shadow copy of this volume"},
	{VSS_E_UNEXPECTED_PROVIDER_ERROR, "VSS_E_UNEXPECTED_PROVIDER_ERROR", "the provider failed with an unexpected error"},
	{VSS_E_CORRUPT_XML_DOCUMENT, "VSS_E_CORRUPT_XML_DOCUMENT", "an XML document is damaged (older code, replaced by VSS_E_INVALID_XML_DOCUMENT)"},
	{VSS_E_INVALID_XML_DOCUMENT, "VSS_E_INVALID_XML_DOCUMENT", "a writer metadata or backup components document is malformed or violates the schema"},
	{VSS_E_MAXIMUM_NUMBER_OF_VOLUMES_REACHED, "VSS_E_MAXIMUM_NUMBER_OF_VOLUMES_REACHED", "the shadow copy set already holds the maximum number of volumes"},
	{VSS_E_FLUSH_WRITES_TIMEOUT, "VSS_E_FLUSH_WRITES_TIMEOUT", "the file system could not flush its writes in time while the shadow copy was created"},
	{VSS_E_HOLD_WRITES_TIMEOUT, "VSS_E_HOLD_WRITES_TIMEOUT", "writes could not be held for the whole commit window while the shadow copy was created"},
	{VSS_E_UNEXPECTED_WRITER_ERROR, "VSS_E_UNEXPECTED_WRITER_ERROR", "a writer failed unexpectedly, or talking to the writers failed"},
	{VSS_E_SNAPSHOT_SET_IN_PROGRESS, "VSS_E_SNAPSHOT_SET_IN_PROGRESS", "another shadow copy set is being created at the moment"},
	{VSS_E_MAXIMUM_NUMBER_OF_SNAPSHOTS_REACHED, "VSS_E_MAXIMUM_NUMBER_OF_SNAPSHOTS_REACHED", "the volume already has as many shadow copies as allowed"},
	{VSS_E_WRITER_INFRASTRUCTURE, "VSS_E_WRITER_INFRASTRUCTURE", "the machinery that delivers writer events is not working"},
	{VSS_E_WRITER_NOT_RESPONDING, "VSS_E_WRITER_NOT_RESPONDING", "a writer did not answer, because it hung or is gone"},
	{VSS_E_WRITER_ALREADY_SUBSCRIBED, "VSS_E_WRITER_ALREADY_SUBSCRIBED", "the writer has already subscribed to VSS events"},
	{VSS_E_UNSUPPORTED_CONTEXT, "VSS_E_UNSUPPORTED_CONTEXT", "the snapshot context is invalid or not supported by the system or provider"},
	{VSS_E_VOLUME_IN_USE, "VSS_E_VOLUME_IN_USE", "the volume is in use and cannot be locked"},
	{VSS_E_MAXIMUM_DIFFAREA_ASSOCIATIONS_REACHED, "VSS_E_MAXIMUM_DIFFAREA_ASSOCIATIONS_REACHED", "no more diff area associations can be made"},
	{VSS_E_INSUFFICIENT_STORAGE, "VSS_E_INSUFFICIENT_STORAGE", "there is not enough space for the shadow copy's diff area"},
	{VSS_E_NO_SNAPSHOTS_IMPORTED, "VSS_E_NO_SNAPSHOTS_IMPORTED", "the import did not bring in any shadow copy"},
	{VSS_E_SOME_SNAPSHOTS_NOT_IMPORTED, "VSS_E_SOME_SNAPSHOTS_NOT_IMPORTED", "the import failed for part of the shadow copies"},
	{VSS_E_MAXIMUM_NUMBER_OF_REMOTE_MACHINES_REACHED, "VSS_E_MAXIMUM_NUMBER_OF_REMOTE_MACHINES_REACHED", "the limit on remote machines has been reached"},
	{VSS_E_REMOTE_SERVER_UNAVAILABLE, "VSS_E_REMOTE_SERVER_UNAVAILABLE", "the remote server cannot be reached"},
	{VSS_E_REMOTE_SERVER_UNSUPPORTED, "VSS_E_REMOTE_SERVER_UNSUPPORTED", "the remote server does not support the operation"},
	{VSS_E_REVERT_IN_PROGRESS, "VSS_E_REVERT_IN_PROGRESS", "the volume is being reverted"},
	{VSS_E_REVERT_VOLUME_LOST, "VSS_E_REVERT_VOLUME_LOST", "the volume disappeared during a revert"},
	{VSS_E_REBOOT_REQUIRED, "VSS_E_REBOOT_REQUIRED", "the provider hit an error that only a reboot can clear"},
	{VSS_E_TRANSACTION_FREEZE_TIMEOUT, "VSS_E_TRANSACTION_FREEZE_TIMEOUT", "freezing the transaction manager took too long"},
	{VSS_E_TRANSACTION_THAW_TIMEOUT, "VSS_E_TRANSACTION_THAW_TIMEOUT", "the transaction manager stayed frozen too long before the thaw"},
	{VSS_E_UNSELECTED_VOLUME, "VSS_E_UNSELECTED_VOLUME", "the operation would touch a volume that was not selected"},
	{VSS_E_SNAPSHOT_NOT_IN_SET, "VSS_E_SNAPSHOT_NOT_IN_SET", "the shadow copy is not a member of the given set"},
	{VSS_E_NESTED_VOLUME_LIMIT, "VSS_E_NESTED_VOLUME_LIMIT", "the volume is nested too deeply, for example a virtual disk inside a virtual disk"},
	{VSS_E_VOLUME_NOT_LOCAL, "VSS_E_VOLUME_NOT_LOCAL", "the volume is not a local one"},
	{VSS_E_CLUSTER_TIMEOUT, "VSS_E_CLUSTER_TIMEOUT", "a cluster operation took too long"},
	{VSS_E_NOT_SUPPORTED, "VSS_E_NOT_SUPPORTED", "the operation is not supported in this configuration"},
	{VSS_E_WRITERERROR_PARTIAL_FAILURE, "VSS_E_WRITERERROR_PARTIAL_FAILURE", "the writer failed for some components only; each component reports its own failure"},
	{VSS_E_WRITERERROR_INCONSISTENTSNAPSHOT, "VSS_E_WRITERERROR_INCONSISTENTSNAPSHOT", "the shadow copy set is missing volumes the writer depends on"},
	{VSS_E_WRITERERROR_OUTOFRESOURCES, "VSS_E_WRITERERROR_OUTOFRESOURCES", "the writer ran short of memory or other resources"},
	{VSS_E_WRITERERROR_TIMEOUT, "VSS_E_WRITERERROR_TIMEOUT", "the writer stayed frozen longer than its freeze timeout"},
	{VSS_E_WRITERERROR_RETRYABLE, "VSS_E_WRITERERROR_RETRYABLE", "a passing writer error; repeating the whole operation may succeed"},
	{VSS_E_WRITERERROR_NONRETRYABLE, "VSS_E_WRITERERROR_NONRETRYABLE", "a lasting writer error; repeating the operation will not help"},
	{VSS_E_WRITERERROR_RECOVERY_FAILED, "VSS_E_WRITERERROR_RECOVERY_FAILED", "the writer could not auto-recover the shadow copy"},
	{VSS_E_BREAK_REVERT_ID_FAILED, "VSS_E_BREAK_REVERT_ID_FAILED", "breaking the shadow copy set could not restore the original disk identity"},
	{VSS_E_LEGACY_PROVIDER, "VSS_E_LEGACY_PROVIDER", "the provider is too old for the requested operation"},
	{VSS_E_MISSING_DISK, "VSS_E_MISSING_DISK", "a disk that was expected is absent"},
	{VSS_E_MISSING_HIDDEN_VOLUME, "VSS_E_MISSING_HIDDEN_VOLUME", "a hidden volume that was expected is absent"},
	{VSS_E_MISSING_VOLUME, "VSS_E_MISSING_VOLUME", "a volume that was expected is absent"},
	{VSS_E_AUTORECOVERY_FAILED, "VSS_E_AUTORECOVERY_FAILED", "automatic recovery of the shadow copy failed"},
	{VSS_E_DYNAMIC_DISK_ERROR, "VSS_E_DYNAMIC_DISK_ERROR", "a dynamic disk caused an error"},
	{VSS_E_NONTRANSPORTABLE_BCD, "VSS_E_NONTRANSPORTABLE_BCD", "the backup components document was not made for transportable shadow copies"},
	{VSS_E_CANNOT_REVERT_DISKID, "VSS_E_CANNOT_REVERT_DISKID", "the disk identity cannot be put back"},
	{VSS_E_RESYNC_IN_PROGRESS, "VSS_E_RESYNC_IN_PROGRESS", "a LUN resynchronisation is running"},
	{VSS_E_CLUSTER_ERROR, "VSS_E_CLUSTER_ERROR", "the cluster reported an error"},
	{VSS_E_ASRERROR_DISK_ASSIGNMENT_FAILED, "VSS_E_ASRERROR_DISK_ASSIGNMENT_FAILED", "system recovery could not assign the disks"},
	{VSS_E_ASRERROR_DISK_RECREATION_FAILED, "VSS_E_ASRERROR_DISK_RECREATION_FAILED", "system recovery could not recreate a disk"},
	{VSS_E_ASRERROR_NO_ARCPATH, "VSS_E_ASRERROR_NO_ARCPATH", "system recovery found no ARC path for a disk"},
	{VSS_E_ASRERROR_MISSING_DYNDISK, "VSS_E_ASRERROR_MISSING_DYNDISK", "system recovery is missing a dynamic disk"},
	{VSS_E_ASRERROR_SHARED_CRIDISK, "VSS_E_ASRERROR_SHARED_CRIDISK", "system recovery found a critical disk that is shared"},
	{VSS_E_ASRERROR_DATADISK_RDISK0, "VSS_E_ASRERROR_DATADISK_RDISK0", "system recovery found a data disk at the rdisk0 position"},
	{VSS_E_ASRERROR_RDISK0_TOOSMALL, "VSS_E_ASRERROR_RDISK0_TOOSMALL", "system recovery found rdisk0 too small"},
	{VSS_E_ASRERROR_CRITICAL_DISKS_TOO_SMALL, "VSS_E_ASRERROR_CRITICAL_DISKS_TOO_SMALL", "system recovery found the critical disks too small"},
	{VSS_E_WRITER_STATUS_NOT_AVAILABLE, "VSS_E_WRITER_STATUS_NOT_AVAILABLE", "the writer status cannot be reported because too many sessions are active"},
	{VSS_E_ASRERROR_DYNAMIC_VHD_NOT_SUPPORTED, "VSS_E_ASRERROR_DYNAMIC_VHD_NOT_SUPPORTED", "system recovery does not support dynamic virtual disks"},
	{VSS_E_CRITICAL_VOLUME_ON_INVALID_DISK, "VSS_E_CRITICAL_VOLUME_ON_INVALID_DISK", "a critical volume lives on a disk type that is not supported"},
	{VSS_E_ASRERROR_RDISK_FOR_SYSTEM_DISK_NOT_FOUND, "VSS_E_ASRERROR_RDISK_FOR_SYSTEM_DISK_NOT_FOUND", "system recovery found no target disk for the system disk"},
	{VSS_E_ASRERROR_NO_PHYSICAL_DISK_AVAILABLE, "VSS_E_ASRERROR_NO_PHYSICAL_DISK_AVAILABLE", "system recovery found no usable physical disk"},
	{VSS_E_ASRERROR_FIXED_PHYSICAL_DISK_AVAILABLE_AFTER_DISK_EXCLUSION, "VSS_E_ASRERROR_FIXED_PHYSICAL_DISK_AVAILABLE_AFTER_DISK_EXCLUSION", "system recovery found a fixed disk still available after disks were excluded"},
	{VSS_E_ASRERROR_CRITICAL_DISK_CANNOT_BE_EXCLUDED, "VSS_E_ASRERROR_CRITICAL_DISK_CANNOT_BE_EXCLUDED", "system recovery cannot exclude a critical disk"},
	{VSS_E_ASRERROR_SYSTEM_PARTITION_HIDDEN, "VSS_E_ASRERROR_SYSTEM_PARTITION_HIDDEN", "system recovery found the system partition hidden"},
	{VSS_E_FSS_TIMEOUT, "VSS_E_FSS_TIMEOUT", "a file share shadow copy (FSRVP) operation took too long"},
	{E_ACCESSDENIED, "E_ACCESSDENIED", "the caller lacks the required rights"},
	{E_HANDLE, "E_HANDLE", "a handle is invalid"},
	{E_OUTOFMEMORY, "E_OUTOFMEMORY", "memory could not be allocated"},
	{E_INVALIDARG, "E_INVALIDARG", "an argument is invalid"},
}

// lookupHRESULT finds h in hresultTable by binary search.
func lookupHRESULT(h HRESULT) (hresultInfo, bool) {
	i, ok := slices.BinarySearchFunc(hresultTable, h, func(e hresultInfo, t HRESULT) int {
		switch {
		case e.hr < t:
			return -1
		case e.hr > t:
			return 1
		}
		return 0
	})
	if !ok {
		return hresultInfo{}, false
	}
	return hresultTable[i], true
}

// hexString formats h as 0x followed by eight upper-case hex digits.
func (h HRESULT) hexString() string {
	return fmt.Sprintf("0x%08X", uint32(h))
}

// String returns the SDK name of h, or its value as 0x%08X when h has no
// name here.
func (h HRESULT) String() string {
	if e, ok := lookupHRESULT(h); ok {
		return e.name
	}
	return h.hexString()
}

// Error returns the SDK name followed by the value in parentheses, for
// example "VSS_E_BAD_STATE (0x80042301)", or only the value for an unnamed
// HRESULT.
func (h HRESULT) Error() string {
	if e, ok := lookupHRESULT(h); ok {
		return e.name + " (" + h.hexString() + ")"
	}
	return h.hexString()
}

// Failed reports whether h is a failure code (severity bit set).
func (h HRESULT) Failed() bool { return h&0x80000000 != 0 }

// Succeeded reports whether h is a success code (severity bit clear).
func (h HRESULT) Succeeded() bool { return !h.Failed() }

// Description returns a short one-line meaning of h, or "" when h has no
// name here.
func (h HRESULT) Description() string {
	e, _ := lookupHRESULT(h)
	return e.desc
}

// MarshalText implements encoding.TextMarshaler; it writes [HRESULT.String].
func (h HRESULT) MarshalText() ([]byte, error) {
	return []byte(h.String()), nil
}

// UnmarshalText implements encoding.TextUnmarshaler; it accepts what
// [ParseHRESULT] accepts.
func (h *HRESULT) UnmarshalText(text []byte) error {
	v, err := ParseHRESULT(string(text))
	if err != nil {
		return err
	}
	*h = v
	return nil
}

// AllHRESULTs returns every named HRESULT, sorted by value. The caller owns
// the returned slice.
func AllHRESULTs() []HRESULT {
	out := make([]HRESULT, len(hresultTable))
	for i, e := range hresultTable {
		out[i] = e.hr
	}
	return out
}

// ParseHRESULT converts an SDK name (exact spelling, such as
// "VSS_E_BAD_STATE") or a hexadecimal literal with a 0x prefix (such as
// "0x80042301") to an HRESULT. Surrounding white space is ignored. A hex
// literal need not name a known code. For an unknown name the error names
// the input and, when one is close enough, suggests a known name.
func ParseHRESULT(s string) (HRESULT, error) {
	t := strings.TrimSpace(s)
	if t == "" {
		return 0, fmt.Errorf("vss: empty HRESULT")
	}
	if len(t) > 2 && t[0] == '0' && (t[1] == 'x' || t[1] == 'X') {
		v, err := strconv.ParseUint(t[2:], 16, 32)
		if err != nil {
			return 0, fmt.Errorf("vss: invalid HRESULT hex literal %q: want 0x followed by 1 to 8 hex digits", s)
		}
		return HRESULT(v), nil
	}
	for _, e := range hresultTable {
		if e.name == t {
			return e.hr, nil
		}
	}
	if hint := closestHRESULTName(t); hint != "" {
		return 0, fmt.Errorf("vss: unknown HRESULT name %q (did you mean %s?)", s, hint)
	}
	return 0, fmt.Errorf("vss: unknown HRESULT name %q", s)
}

// closestHRESULTName suggests the known name nearest to s, or "" when none
// is reasonably close. Ties go to the earlier (lower-valued) table entry so
// the answer is deterministic.
func closestHRESULTName(s string) string {
	u := strings.ToUpper(s)
	// Same name in another case, or a name missing its prefix.
	for _, e := range hresultTable {
		if e.name == u {
			return e.name
		}
	}
	if len(u) >= 4 {
		best := ""
		for _, e := range hresultTable {
			if strings.HasSuffix(e.name, "_"+u) && (best == "" || len(e.name) < len(best)) {
				best = e.name
			}
		}
		if best != "" {
			return best
		}
	}
	best, bestDist := "", -1
	for _, e := range hresultTable {
		d := editDistance(u, e.name)
		if bestDist < 0 || d < bestDist {
			best, bestDist = e.name, d
		}
	}
	limit := max(2, len(u)/3)
	if bestDist > limit {
		return ""
	}
	return best
}

// editDistance is the Levenshtein distance between a and b (bytes).
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// IsWriterErrorRetryable reports whether a writer failure code (the
// phResultFailure of GetWriterStatus) is one for which the documented
// advice is to wait and retry the whole backup: VSS_E_WRITERERROR_RETRYABLE,
// VSS_E_WRITERERROR_OUTOFRESOURCES and VSS_E_WRITERERROR_TIMEOUT.
func IsWriterErrorRetryable(hr HRESULT) bool {
	switch hr {
	case VSS_E_WRITERERROR_RETRYABLE, VSS_E_WRITERERROR_OUTOFRESOURCES, VSS_E_WRITERERROR_TIMEOUT:
		return true
	}
	return false
}
