package sim

import (
	"strings"
	"sync"
	"time"

	"github.com/vsssim/vsssim/requestor/vss"
)

// Writer is the handler set of a VSS writer (CVssWriter, REFERENCE §4.1),
// in vswriter.h order. Each handler returns true for success; see
// Options.Veto for what false and SetWriterFailure mean. Handlers of
// different writers run concurrently, each on its own goroutine; the
// handlers of one writer never overlap.
//
// A panic in a handler is recovered and becomes a writer failure at that
// event, and so does runtime.Goexit (what t.FailNow and a failing
// require.* do): the trace says "handler exited without returning
// (runtime.Goexit)" and the other writers still get the event. A handler
// that blocks for real past Options.HangGuard is abandoned: the writer
// times out at that event and gets no further event until the handler has
// returned (it is reported as not responding meanwhile).
//
// A handler must not call Coordinator, BackupComponents or IVssAsync
// methods (VSS is busy delivering the event): such a call panics with a
// *ReentrantCallError and does nothing, so the writer fails at once. A
// handler's WriterContext and Component views accept changes only until
// it returns; later calls, from goroutines it left behind, get
// VSS_E_BAD_STATE.
//
// Embed BaseWriter to get the base class's defaults (true) for the handlers
// a writer does not care about.
type Writer interface {
	OnIdentify(ctx *WriterContext, md *vss.CreateWriterMetadata) bool
	OnPrepareBackup(ctx *WriterContext, components []*Component) bool
	OnPrepareSnapshot(ctx *WriterContext) bool
	OnFreeze(ctx *WriterContext) bool
	OnThaw(ctx *WriterContext) bool
	OnAbort(ctx *WriterContext) bool
	OnBackupComplete(ctx *WriterContext, components []*Component) bool
	OnBackupShutdown(ctx *WriterContext, snapshotSetID vss.ID) bool
	OnPreRestore(ctx *WriterContext, components []*Component) bool
	OnPostRestore(ctx *WriterContext, components []*Component) bool
	OnPostSnapshot(ctx *WriterContext, components []*Component) bool
}

// BaseWriter implements every handler as CVssWriter's base class does:
// return true and do nothing. (OnPrepareSnapshot, OnFreeze, OnThaw and
// OnAbort are pure virtual in C++; a Go fake gets a default for them too.)
type BaseWriter struct{}

// OnIdentify returns true.
func (BaseWriter) OnIdentify(*WriterContext, *vss.CreateWriterMetadata) bool { return true }

// OnPrepareBackup returns true.
func (BaseWriter) OnPrepareBackup(*WriterContext, []*Component) bool { return true }

// OnPrepareSnapshot returns true.
func (BaseWriter) OnPrepareSnapshot(*WriterContext) bool { return true }

// OnFreeze returns true.
func (BaseWriter) OnFreeze(*WriterContext) bool { return true }

// OnThaw returns true.
func (BaseWriter) OnThaw(*WriterContext) bool { return true }

// OnAbort returns true.
func (BaseWriter) OnAbort(*WriterContext) bool { return true }

// OnBackupComplete returns true.
func (BaseWriter) OnBackupComplete(*WriterContext, []*Component) bool { return true }

// OnBackupShutdown returns true.
func (BaseWriter) OnBackupShutdown(*WriterContext, vss.ID) bool { return true }

// OnPreRestore returns true.
func (BaseWriter) OnPreRestore(*WriterContext, []*Component) bool { return true }

// OnPostRestore returns true.
func (BaseWriter) OnPostRestore(*WriterContext, []*Component) bool { return true }

// OnPostSnapshot returns true.
func (BaseWriter) OnPostSnapshot(*WriterContext, []*Component) bool { return true }

// Event names a writer event (the VSS Test Writer's names, REFERENCE §4.2).
type Event string

// Writer events.
const (
	EventIdentify           Event = "Identify"
	EventPrepareForBackup   Event = "PrepareForBackup"
	EventPrepareForSnapshot Event = "PrepareForSnapshot"
	EventFreeze             Event = "Freeze"
	EventThaw               Event = "Thaw"
	EventPostSnapshot       Event = "PostSnapshot"
	EventAbort              Event = "Abort"
	EventBackupComplete     Event = "BackupComplete"
	EventBackupShutdown     Event = "BackupShutdown"
	EventPreRestore         Event = "PreRestore"
	EventPostRestore        Event = "PostRestore"
)

// failedState is the VSS_WS_FAILED_AT_* state for a failure at e (§4.3).
func (e Event) failedState() vss.WriterState {
	switch e {
	case EventIdentify:
		return vss.VSS_WS_FAILED_AT_IDENTIFY
	case EventPrepareForBackup:
		return vss.VSS_WS_FAILED_AT_PREPARE_BACKUP
	case EventPrepareForSnapshot:
		return vss.VSS_WS_FAILED_AT_PREPARE_SNAPSHOT
	case EventFreeze:
		return vss.VSS_WS_FAILED_AT_FREEZE
	case EventThaw:
		return vss.VSS_WS_FAILED_AT_THAW
	case EventPostSnapshot:
		return vss.VSS_WS_FAILED_AT_POST_SNAPSHOT
	case EventBackupComplete:
		return vss.VSS_WS_FAILED_AT_BACKUP_COMPLETE
	case EventBackupShutdown:
		return vss.VSS_WS_FAILED_AT_BACKUPSHUTDOWN
	case EventPreRestore:
		return vss.VSS_WS_FAILED_AT_PRE_RESTORE
	case EventPostRestore:
		return vss.VSS_WS_FAILED_AT_POST_RESTORE
	}
	return vss.VSS_WS_UNKNOWN
}

// WriterContext is what a handler can see and do: the protected helpers of
// CVssWriter (GetCurrentSnapshotSetId, GetContext, SetWriterFailure, ...)
// plus Sleep and Hang, which spend virtual time. A context belongs to the
// handler call it was passed to: once the handler has returned (or was
// abandoned by the hang guard) Sleep and Hang do nothing and
// SetWriterFailure returns VSS_E_BAD_STATE. It is safe to use from the
// goroutines a handler starts.
type WriterContext struct {
	event Event
	reg   *writerReg
	info  eventInfo

	// mu guards what the handler may change; closed is set when VSS has
	// taken the reply, after which nothing changes.
	mu      sync.Mutex
	closed  bool
	latency time.Duration
	hung    bool

	failureSet bool
	failure    vss.HRESULT
	appError   vss.HRESULT
	appMessage string
	misuse     []string
}

// eventInfo is the backup's view that the helpers expose.
type eventInfo struct {
	setID            vss.ID
	volumes          []string
	devices          []string
	context          vss.SnapshotContext
	backupType       vss.BackupType
	selectComponents bool
	bootable         bool
	partial          bool
}

// Event is the event being handled.
func (c *WriterContext) Event() Event { return c.event }

// WriterID is the writer's class id.
func (c *WriterContext) WriterID() vss.ID { return c.reg.cfg.ClassID }

// InstanceID is the writer's instance id.
func (c *WriterContext) InstanceID() vss.ID { return c.reg.instanceID }

// Name is the writer's friendly name.
func (c *WriterContext) Name() string { return c.reg.cfg.Name }

// Sleep spends d of virtual time in the handler: the writer's reply reaches
// VSS d later. It returns at once; nothing sleeps for real.
func (c *WriterContext) Sleep(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if d > 0 && !c.closed {
		c.latency = satAdd(c.latency, d)
	}
}

// Hang makes the handler never answer: the writer runs into the event's
// timeout on the virtual clock (Options.EventTimeout, or the writer's
// freeze timeout during Freeze/Thaw). Hang returns at once so the handler's
// goroutine ends; whatever the handler returns afterwards is ignored.
func (c *WriterContext) Hang() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.closed {
		c.hung = true
	}
}

// close ends the handler call: VSS has the reply (or gave up on it).
func (c *WriterContext) close() {
	c.mu.Lock()
	c.closed = true
	c.mu.Unlock()
}

// addMisuse records an API misuse, reported with the reply.
func (c *WriterContext) addMisuse(err error) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.closed {
		c.misuse = append(c.misuse, err.Error())
	}
	return err
}

// SetWriterFailure mirrors CVssWriter::SetWriterFailure: it records hr as
// the writer's failure for this event. Only the VSS_E_WRITERERROR_* codes of
// REFERENCE §4.2 are allowed (E_INVALIDARG otherwise), and never in
// OnIdentify (VSS_E_BAD_STATE).
func (c *WriterContext) SetWriterFailure(hr vss.HRESULT) error {
	return c.setFailure("SetWriterFailure", hr, vss.S_OK, "", false)
}

// SetWriterFailureEx mirrors CVssWriterEx2::SetWriterFailureEx: as
// SetWriterFailure, plus an application error and message that requestors
// read with GetWriterStatusEx. S_OK and VSS_E_WRITERERROR_PARTIAL_FAILURE
// are also allowed.
func (c *WriterContext) SetWriterFailureEx(hr, appError vss.HRESULT, appMessage string) error {
	return c.setFailure("SetWriterFailureEx", hr, appError, appMessage, true)
}

func (c *WriterContext) setFailure(method string, hr, appError vss.HRESULT, msg string, ex bool) error {
	if c.event == EventIdentify {
		return c.addMisuse(vss.Errorf(vss.VSS_E_BAD_STATE, method, "not allowed in OnIdentify (REFERENCE §4.2)"))
	}
	switch hr {
	case vss.VSS_E_WRITERERROR_INCONSISTENTSNAPSHOT, vss.VSS_E_WRITERERROR_NONRETRYABLE,
		vss.VSS_E_WRITERERROR_OUTOFRESOURCES, vss.VSS_E_WRITERERROR_RETRYABLE, vss.VSS_E_WRITERERROR_TIMEOUT:
	case vss.S_OK, vss.VSS_E_WRITERERROR_PARTIAL_FAILURE:
		if !ex {
			return c.addMisuse(vss.Errorf(vss.E_INVALIDARG, method, "%v is allowed only in SetWriterFailureEx", hr))
		}
	default:
		return c.addMisuse(vss.Errorf(vss.E_INVALIDARG, method, "%v is not a writer failure code (REFERENCE §4.2)", hr))
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return vss.Errorf(vss.VSS_E_BAD_STATE, method, "On%s has returned: VSS has the writer's reply (or gave up waiting for it)", c.event)
	}
	c.failureSet = hr != vss.S_OK
	c.failure, c.appError, c.appMessage = hr, appError, msg
	return nil
}

// CurrentSnapshotSetID mirrors GetCurrentSnapshotSetId. It is GUID_NULL
// before StartSnapshotSet and is not available in OnBackupShutdown
// (VSS_E_BAD_STATE).
func (c *WriterContext) CurrentSnapshotSetID() (vss.ID, error) {
	if c.event == EventBackupShutdown || c.event == EventIdentify {
		return vss.ID{}, vss.Errorf(vss.VSS_E_BAD_STATE, "GetCurrentSnapshotSetId", "not available in On%s (REFERENCE §4.2)", c.event)
	}
	return c.info.setID, nil
}

// CurrentVolumes mirrors GetCurrentVolumeArray: the volumes in the set.
func (c *WriterContext) CurrentVolumes() []string { return append([]string(nil), c.info.volumes...) }

// SnapshotDeviceName mirrors GetSnapshotDeviceName: the shadow copy device
// of volume, available from PostSnapshot on.
func (c *WriterContext) SnapshotDeviceName(volume string) (string, error) {
	for i, v := range c.info.volumes {
		if strings.EqualFold(v, volume) && i < len(c.info.devices) && c.info.devices[i] != "" {
			return c.info.devices[i], nil
		}
	}
	return "", vss.Errorf(vss.VSS_E_OBJECT_NOT_FOUND, "GetSnapshotDeviceName", "no shadow copy of %q in this set (yet)", volume)
}

// IsPathAffected mirrors CVssWriter::IsPathAffected: whether path is on a
// volume of the set.
func (c *WriterContext) IsPathAffected(path string) bool {
	for _, v := range c.info.volumes {
		if len(path) >= len(v) && strings.EqualFold(path[:len(v)], v) {
			return true
		}
	}
	return false
}

// Context mirrors GetContext.
func (c *WriterContext) Context() vss.SnapshotContext { return c.info.context }

// BackupType mirrors GetBackupType.
func (c *WriterContext) BackupType() vss.BackupType { return c.info.backupType }

// AreComponentsSelected mirrors AreComponentsSelected.
func (c *WriterContext) AreComponentsSelected() bool { return c.info.selectComponents }

// IsBootableSystemStateBackedUp mirrors IsBootableSystemStateBackedUp.
func (c *WriterContext) IsBootableSystemStateBackedUp() bool { return c.info.bootable }

// IsPartialFileSupportEnabled mirrors IsPartialFileSupportEnabled.
func (c *WriterContext) IsPartialFileSupportEnabled() bool { return c.info.partial }

// CurrentLevel mirrors GetCurrentLevel: the writer's application level.
func (c *WriterContext) CurrentLevel() vss.ApplicationLevel { return c.reg.cfg.Level }
