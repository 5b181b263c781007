package sim

import (
	"fmt"
	"sort"
	"strings"

	"github.com/vsssim/vsssim/requestor/vss"
)

// Fault makes a call fail on demand with one of the HRESULTs its method
// page documents (REFERENCE §1.3). A fault fires only for a call that passed
// its argument and state checks, so a faulted call changes no state, just as
// a real failing call should not.
type Fault struct {
	// Method is the IVssBackupComponents method name, e.g. "DoSnapshotSet".
	Method string
	// HR is the code to return.
	HR vss.HRESULT
	// Async delivers HR as the IVssAsync result (QueryStatus) instead of
	// the method's own return value. Only for methods that return an
	// IVssAsync.
	Async bool
	// Times is how many calls fail; 0 means every call from now on.
	Times int
	// Object restricts the fault to one BackupComponents (its number, as in
	// the trace); 0 means any.
	Object int

	fired int
}

// asyncMethods are the methods that return an IVssAsync (REFERENCE §3).
var asyncMethods = map[string]bool{
	"GatherWriterMetadata": true, "GatherWriterStatus": true, "PrepareForBackup": true,
	"DoSnapshotSet": true, "BackupComplete": true, "PreRestore": true, "PostRestore": true,
	"ImportSnapshots": true, "QueryRevertStatus": true,
}

// common failure rows shared by most methods (REFERENCE §1.3 generic rows).
var (
	hrOOM  = vss.E_OUTOFMEMORY
	hrUnex = vss.VSS_E_UNEXPECTED
)

// ReturnCodes lists, per method, the HRESULTs its documentation names
// (REFERENCE §1.3), plus [Obs] codes seen on real Windows (marked in the
// comments). It is the contract the model test checks every result against.
var ReturnCodes = map[string][]vss.HRESULT{
	"InitializeForBackup": {vss.S_OK, vss.E_ACCESSDENIED, hrOOM, vss.VSS_E_BAD_STATE, vss.VSS_E_INVALID_XML_DOCUMENT, hrUnex},
	// VSS_E_UNSUPPORTED_CONTEXT: [Obs] restic #4512, not on the doc page.
	"SetContext":             {vss.S_OK, vss.E_INVALIDARG, vss.E_NOTIMPL, vss.VSS_E_BAD_STATE, vss.VSS_E_UNSUPPORTED_CONTEXT, hrUnex},
	"SetBackupState":         {vss.S_OK, vss.E_INVALIDARG, hrOOM, vss.VSS_E_BAD_STATE, vss.VSS_E_INVALID_XML_DOCUMENT, hrUnex},
	"GatherWriterMetadata":   {vss.S_OK, vss.E_ACCESSDENIED, vss.E_INVALIDARG, hrOOM, vss.VSS_E_BAD_STATE, vss.VSS_E_WRITER_INFRASTRUCTURE, hrUnex},
	"GetWriterMetadataCount": {vss.S_OK, vss.E_INVALIDARG, vss.VSS_E_BAD_STATE, hrUnex},
	"GetWriterMetadata":      {vss.S_OK, vss.E_INVALIDARG, hrOOM, vss.VSS_E_BAD_STATE, vss.VSS_E_INVALID_XML_DOCUMENT, vss.VSS_E_OBJECT_NOT_FOUND, hrUnex},
	"FreeWriterMetadata":     {vss.S_OK, vss.VSS_E_BAD_STATE},
	"GatherWriterStatus":     {vss.S_OK, vss.E_ACCESSDENIED, vss.E_INVALIDARG, hrOOM, vss.VSS_E_BAD_STATE, vss.VSS_E_WRITER_INFRASTRUCTURE, hrUnex},
	"GetWriterStatusCount":   {vss.S_OK, vss.E_INVALIDARG, vss.VSS_E_BAD_STATE, hrUnex},
	"GetWriterStatus":        {vss.S_OK, vss.E_INVALIDARG, hrOOM, vss.VSS_E_BAD_STATE, vss.VSS_E_OBJECT_NOT_FOUND, hrUnex},
	"GetWriterStatusEx":      {vss.S_OK, vss.E_INVALIDARG, hrOOM, vss.VSS_E_BAD_STATE, vss.VSS_E_OBJECT_NOT_FOUND, hrUnex},
	"FreeWriterStatus":       {vss.S_OK, hrOOM, vss.VSS_E_BAD_STATE},
	"AddComponent":           {vss.S_OK, vss.E_INVALIDARG, hrOOM, vss.VSS_E_BAD_STATE, vss.VSS_E_INVALID_XML_DOCUMENT, vss.VSS_E_OBJECT_ALREADY_EXISTS, hrUnex},
	"PrepareForBackup":       {vss.S_OK, vss.E_INVALIDARG, hrOOM, vss.VSS_E_BAD_STATE, hrUnex},
	"AbortBackup":            {vss.S_OK, hrOOM, vss.VSS_E_BAD_STATE, hrUnex},
	"SetBackupSucceeded":     {vss.S_OK, vss.E_INVALIDARG, hrOOM, vss.VSS_E_BAD_STATE, vss.VSS_E_INVALID_XML_DOCUMENT, vss.VSS_E_OBJECT_NOT_FOUND, hrUnex},
	"SetBackupOptions":       {vss.S_OK, vss.E_INVALIDARG, hrOOM, vss.VSS_E_BAD_STATE, vss.VSS_E_INVALID_XML_DOCUMENT, vss.VSS_E_OBJECT_NOT_FOUND, hrUnex},
	"SetPreviousBackupStamp": {vss.S_OK, vss.E_INVALIDARG, hrOOM, vss.VSS_E_BAD_STATE, vss.VSS_E_INVALID_XML_DOCUMENT, vss.VSS_E_OBJECT_NOT_FOUND, hrUnex},
	"SaveAsXML":              {vss.S_OK, vss.E_INVALIDARG, hrOOM, vss.VSS_E_BAD_STATE, hrUnex},
	"BackupComplete":         {vss.S_OK, vss.E_INVALIDARG, hrOOM, vss.VSS_E_BAD_STATE, hrUnex, vss.VSS_E_UNEXPECTED_WRITER_ERROR},
	"StartSnapshotSet":       {vss.S_OK, vss.E_INVALIDARG, hrOOM, vss.VSS_E_BAD_STATE, vss.VSS_E_SNAPSHOT_SET_IN_PROGRESS, hrUnex},
	// VSS_E_OBJECT_ALREADY_EXISTS for a volume added twice: [Obs] FIELD §10 (Bareos tolerates it).
	"AddToSnapshotSet": {vss.S_OK, vss.E_ACCESSDENIED, vss.E_INVALIDARG, hrOOM, vss.VSS_E_BAD_STATE,
		vss.VSS_E_MAXIMUM_NUMBER_OF_VOLUMES_REACHED, vss.VSS_E_MAXIMUM_NUMBER_OF_SNAPSHOTS_REACHED,
		vss.VSS_E_NESTED_VOLUME_LIMIT, vss.VSS_E_OBJECT_NOT_FOUND, vss.VSS_E_PROVIDER_NOT_REGISTERED,
		vss.VSS_E_PROVIDER_VETO, vss.VSS_E_SNAPSHOT_SET_IN_PROGRESS, vss.VSS_E_VOLUME_NOT_SUPPORTED,
		vss.VSS_E_VOLUME_NOT_SUPPORTED_BY_PROVIDER, vss.VSS_E_UNEXPECTED_PROVIDER_ERROR, vss.VSS_E_OBJECT_ALREADY_EXISTS, hrUnex},
	// DoSnapshotSet: the page gives one list for the method's return and the
	// async result; the codes it marks "async only" (INSUFFICIENT_STORAGE,
	// PROVIDER_VETO, UNEXPECTED_PROVIDER_ERROR) are in AsyncResults only.
	"DoSnapshotSet": {vss.S_OK, vss.E_ACCESSDENIED, vss.E_INVALIDARG, hrOOM, vss.VSS_E_BAD_STATE,
		vss.VSS_E_FLUSH_WRITES_TIMEOUT, vss.VSS_E_HOLD_WRITES_TIMEOUT,
		vss.VSS_E_NESTED_VOLUME_LIMIT, vss.VSS_E_REBOOT_REQUIRED,
		vss.VSS_E_TRANSACTION_FREEZE_TIMEOUT, vss.VSS_E_TRANSACTION_THAW_TIMEOUT, hrUnex},
	"DeleteSnapshots": {vss.S_OK, vss.E_ACCESSDENIED, vss.E_INVALIDARG, hrOOM, vss.VSS_E_OBJECT_NOT_FOUND,
		vss.VSS_E_PROVIDER_VETO, vss.VSS_E_UNEXPECTED_PROVIDER_ERROR, hrUnex,
		vss.VSS_E_BAD_STATE}, // BAD_STATE only with Options.DeleteNeedsInitialize (§8 C14)
	"GetSnapshotProperties": {vss.S_OK, vss.E_ACCESSDENIED, vss.E_INVALIDARG, hrOOM, vss.VSS_E_BAD_STATE,
		vss.VSS_E_OBJECT_NOT_FOUND, vss.VSS_E_PROVIDER_VETO, vss.VSS_E_UNEXPECTED_PROVIDER_ERROR, hrUnex},
	"Query": {vss.S_OK, vss.E_ACCESSDENIED, vss.E_INVALIDARG, hrOOM, vss.VSS_E_BAD_STATE, vss.VSS_E_OBJECT_NOT_FOUND,
		vss.VSS_E_PROVIDER_VETO, vss.VSS_E_UNEXPECTED_PROVIDER_ERROR, hrUnex},
	"IsVolumeSupported": {vss.S_OK, vss.E_ACCESSDENIED, vss.E_INVALIDARG, hrOOM, vss.VSS_E_BAD_STATE,
		vss.VSS_E_NESTED_VOLUME_LIMIT, vss.VSS_E_OBJECT_NOT_FOUND, hrUnex},
	// Restore path (REFERENCE §1.3).
	"InitializeForRestore":          {vss.S_OK, vss.E_ACCESSDENIED, vss.E_INVALIDARG, hrOOM, vss.VSS_E_BAD_STATE, vss.VSS_E_INVALID_XML_DOCUMENT, hrUnex},
	"SetRestoreState":               {vss.S_OK, vss.E_INVALIDARG, hrOOM, vss.VSS_E_BAD_STATE, vss.VSS_E_INVALID_XML_DOCUMENT, hrUnex},
	"GetWriterComponentsCount":      {vss.S_OK, vss.E_INVALIDARG, hrOOM, vss.VSS_E_BAD_STATE, hrUnex},
	"GetWriterComponents":           {vss.S_OK, vss.E_INVALIDARG, hrOOM, vss.VSS_E_BAD_STATE, vss.VSS_E_OBJECT_NOT_FOUND, hrUnex},
	"SetSelectedForRestore":         {vss.S_OK, vss.E_INVALIDARG, hrOOM, vss.VSS_E_BAD_STATE, vss.VSS_E_INVALID_XML_DOCUMENT, vss.VSS_E_OBJECT_NOT_FOUND, hrUnex},
	"SetRestoreOptions":             {vss.S_OK, vss.E_INVALIDARG, hrOOM, vss.VSS_E_BAD_STATE, vss.VSS_E_INVALID_XML_DOCUMENT, vss.VSS_E_OBJECT_NOT_FOUND, hrUnex},
	"SetAdditionalRestores":         {vss.S_OK, vss.E_INVALIDARG, hrOOM, vss.VSS_E_BAD_STATE, vss.VSS_E_INVALID_XML_DOCUMENT, vss.VSS_E_OBJECT_NOT_FOUND, hrUnex},
	"AddRestoreSubcomponent":        {vss.S_OK, vss.E_INVALIDARG, hrOOM, vss.VSS_E_BAD_STATE, vss.VSS_E_INVALID_XML_DOCUMENT, vss.VSS_E_OBJECT_NOT_FOUND, hrUnex},
	"AddNewTarget":                  {vss.S_OK, vss.E_INVALIDARG, hrOOM, vss.VSS_E_BAD_STATE, vss.VSS_E_INVALID_XML_DOCUMENT, vss.VSS_E_OBJECT_NOT_FOUND, hrUnex},
	"SetFileRestoreStatus":          {vss.S_OK, vss.E_INVALIDARG, hrOOM, vss.VSS_E_BAD_STATE, vss.VSS_E_INVALID_XML_DOCUMENT, vss.VSS_E_OBJECT_NOT_FOUND, hrUnex},
	"AddAlternativeLocationMapping": {vss.S_OK, vss.E_INVALIDARG, hrOOM, vss.VSS_E_BAD_STATE, vss.VSS_E_INVALID_XML_DOCUMENT, vss.VSS_E_OBJECT_NOT_FOUND, hrUnex},
	"SetRangesFilePath":             {vss.S_OK, vss.E_INVALIDARG, hrOOM, vss.VSS_E_BAD_STATE, vss.VSS_E_INVALID_XML_DOCUMENT, vss.VSS_E_OBJECT_NOT_FOUND, hrUnex},
	"PreRestore":                    {vss.S_OK, vss.E_INVALIDARG, hrOOM, vss.VSS_E_BAD_STATE, hrUnex},
	"PostRestore":                   {vss.S_OK, vss.E_ACCESSDENIED, vss.E_INVALIDARG, hrOOM, vss.VSS_E_BAD_STATE, vss.VSS_E_OBJECT_NOT_FOUND, vss.VSS_E_PROVIDER_VETO, hrUnex},
	"DisableWriterClasses":          {vss.S_OK, vss.E_ACCESSDENIED, hrOOM, vss.VSS_E_BAD_STATE, hrUnex},
	"EnableWriterClasses":           {vss.S_OK, vss.E_ACCESSDENIED, hrOOM, vss.VSS_E_BAD_STATE, hrUnex},
	"DisableWriterInstances":        {vss.S_OK, vss.E_ACCESSDENIED, hrOOM, vss.VSS_E_BAD_STATE, hrUnex},
}

// AsyncResults lists, per method, the failure codes its IVssAsync result
// may carry (QueryStatus), besides VSS_S_ASYNC_*: what the page documents
// for the operation, the "async only" codes of DoSnapshotSet, and for
// DoSnapshotSet the writer codes a Freeze/Thaw veto or freeze timeout
// produces (§8 C11, Options.SnapshotVetoResult). All can be injected.
var AsyncResults = map[string][]vss.HRESULT{
	"GatherWriterMetadata": {vss.VSS_E_WRITER_INFRASTRUCTURE, hrOOM, hrUnex},
	"GatherWriterStatus":   {vss.VSS_E_WRITER_INFRASTRUCTURE, hrOOM, hrUnex},
	"PrepareForBackup":     {hrOOM, hrUnex, vss.VSS_E_UNEXPECTED_WRITER_ERROR},
	"DoSnapshotSet": {vss.VSS_E_INSUFFICIENT_STORAGE, vss.VSS_E_FLUSH_WRITES_TIMEOUT, vss.VSS_E_HOLD_WRITES_TIMEOUT,
		vss.VSS_E_NESTED_VOLUME_LIMIT, vss.VSS_E_PROVIDER_VETO, vss.VSS_E_REBOOT_REQUIRED,
		vss.VSS_E_TRANSACTION_FREEZE_TIMEOUT, vss.VSS_E_TRANSACTION_THAW_TIMEOUT,
		vss.VSS_E_UNEXPECTED_PROVIDER_ERROR, hrOOM, hrUnex,
		vss.VSS_E_UNEXPECTED_WRITER_ERROR, vss.VSS_E_WRITERERROR_INCONSISTENTSNAPSHOT, vss.VSS_E_WRITERERROR_OUTOFRESOURCES,
		vss.VSS_E_WRITERERROR_TIMEOUT, vss.VSS_E_WRITERERROR_RETRYABLE, vss.VSS_E_WRITERERROR_NONRETRYABLE,
		vss.VSS_E_WRITERERROR_PARTIAL_FAILURE, vss.VSS_E_WRITER_NOT_RESPONDING},
	"BackupComplete": {vss.VSS_E_UNEXPECTED_WRITER_ERROR, hrOOM, hrUnex},
	"PreRestore":     {hrOOM, hrUnex},
	"PostRestore":    {vss.VSS_E_OBJECT_NOT_FOUND, vss.VSS_E_PROVIDER_VETO, hrOOM, hrUnex},
}

// IsDocumentedAsync reports whether hr is a documented final status of
// method's IVssAsync: VSS_S_ASYNC_FINISHED, VSS_S_ASYNC_CANCELLED or one of
// AsyncResults.
func IsDocumentedAsync(method string, hr vss.HRESULT) bool {
	if hr == vss.VSS_S_ASYNC_FINISHED || hr == vss.VSS_S_ASYNC_CANCELLED {
		return true
	}
	if hr == vss.E_UNEXPECTED {
		hr = vss.VSS_E_UNEXPECTED
	}
	return containsHR(AsyncResults[method], hr)
}

// IsDocumented reports whether hr is a documented result of method
// (REFERENCE §1.3 plus the [Obs] codes in ReturnCodes). E_UNEXPECTED counts
// wherever VSS_E_UNEXPECTED does (the pre-Windows 7 spelling).
func IsDocumented(method string, hr vss.HRESULT) bool {
	if hr == vss.E_UNEXPECTED {
		hr = vss.VSS_E_UNEXPECTED
	}
	for _, h := range ReturnCodes[method] {
		if h == hr {
			return true
		}
	}
	return false
}

// InjectFault arms f. It is rejected, with an error naming the method's
// documented codes, when HR is not a failure its method can return.
func (c *Coordinator) InjectFault(f Fault) error {
	if err := ValidateFault(f); err != nil {
		return err
	}
	c.lock("Coordinator", "InjectFault")
	defer c.mu.Unlock()
	c.faults = append(c.faults, &f)
	return nil
}

// ValidateFault reports what InjectFault would reject about f.
func ValidateFault(f Fault) error {
	codes, ok := ReturnCodes[f.Method]
	if !ok {
		return fmt.Errorf("sim: InjectFault: unknown method %q (known: %v)", f.Method, knownMethods())
	}
	if !f.HR.Failed() {
		return fmt.Errorf("sim: InjectFault: %s: %s is not a failure code", f.Method, f.HR.String())
	}
	if f.Times < 0 {
		return fmt.Errorf("sim: InjectFault: %s: negative Times", f.Method)
	}
	if f.Async {
		if !asyncMethods[f.Method] {
			return fmt.Errorf("sim: InjectFault: %s does not return an IVssAsync", f.Method)
		}
		codes = AsyncResults[f.Method]
	}
	if !containsHR(codes, f.HR) {
		names := make([]string, len(codes))
		for i, h := range codes {
			names[i] = h.String()
		}
		return fmt.Errorf("sim: InjectFault: %s is not a documented %s result for %s (documented: %s)",
			f.HR.String(), map[bool]string{true: "async", false: "call"}[f.Async], f.Method, strings.Join(names, ", "))
	}
	return nil
}

// ClearFaults disarms every fault.
func (c *Coordinator) ClearFaults() {
	c.lock("Coordinator", "ClearFaults")
	defer c.mu.Unlock()
	c.faults = nil
}

func containsHR(list []vss.HRESULT, hr vss.HRESULT) bool {
	for _, h := range list {
		if h == hr {
			return true
		}
	}
	return false
}

func knownMethods() []string {
	out := make([]string, 0, len(ReturnCodes))
	for m := range ReturnCodes {
		out = append(out, m)
	}
	sort.Strings(out)
	return out
}

// fault returns the armed fault for this call, consuming one firing.
func (c *Coordinator) fault(o *BackupComponents, method string, async bool) (vss.HRESULT, bool) {
	for i, f := range c.faults {
		if f.Method != method || f.Async != async || (f.Object != 0 && f.Object != o.num) {
			continue
		}
		f.fired++
		if f.Times > 0 && f.fired >= f.Times {
			c.faults = append(c.faults[:i:i], c.faults[i+1:]...)
		}
		hr := f.HR
		if hr == vss.VSS_E_UNEXPECTED {
			hr = c.unexpected()
		}
		return hr, true
	}
	return vss.S_OK, false
}
