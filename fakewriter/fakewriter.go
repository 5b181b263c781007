// Package fakewriter provides scriptable fake VSS writers for the simulator
// (package sim): a Writer declares a small Writer Metadata Document in
// OnIdentify and answers every other event as its Behaviors say, with
// failures (SetWriterFailure, the VSS Test Writer's FailEvent model of
// REFERENCE §4.2), latency and hangs on the virtual clock, panics, and
// garbage metadata.
//
// Writers can also come from documents: Preset makes one of the in-box
// writer presets built into the module (PresetNames lists them), FromFile
// and FromWMD one from a Writer Metadata Document, and Load the writers of
// a customer's machine from a directory of such documents, vshadow -wm3
// output or a diskshadow metadata folder.
package fakewriter

import (
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"sync"
	"time"

	"github.com/vsssim/vsssim/requestor/vss"
	"github.com/vsssim/vsssim/sim"
)

// Behavior says how a writer answers one event.
type Behavior struct {
	// Latency is virtual time spent in the handler (WriterContext.Sleep).
	Latency time.Duration
	// Fail, if not S_OK, is passed to SetWriterFailure.
	Fail vss.HRESULT
	// ReturnFalse makes the handler return false.
	ReturnFalse bool
	// Times limits the misbehaviour to the first Times deliveries of the
	// event (the Test Writer's numFailures); 0 means every delivery.
	Times int
	// Panic makes the handler panic with this message.
	Panic string
	// Hang makes the handler never answer (WriterContext.Hang).
	Hang bool
	// Garbage, for Identify only, makes the writer declare metadata no real
	// writer may produce (components without a restore method, a duplicate
	// component, a bad component type).
	Garbage bool
	// BackupStamp and BackupMetadata, when set, are stored on every
	// component the writer is given in this event (IVssComponent
	// SetBackupStamp in PostSnapshot, SetBackupMetadata in PrepareForBackup
	// or PostSnapshot); an error from the call panics, so it shows in the
	// trace.
	BackupStamp, BackupMetadata string
}

// Retryable is the Test Writer's retryable="yes": fail with
// VSS_E_WRITERERROR_RETRYABLE the first n times.
func Retryable(n int) Behavior {
	return Behavior{Fail: vss.VSS_E_WRITERERROR_RETRYABLE, ReturnFalse: true, Times: n}
}

// NonRetryable is the Test Writer's retryable="no".
func NonRetryable() Behavior {
	return Behavior{Fail: vss.VSS_E_WRITERERROR_NONRETRYABLE, ReturnFalse: true}
}

// Component is a component the writer declares in its WMD.
type Component struct {
	Type        vss.ComponentType
	LogicalPath string
	Name        string
	Selectable  bool
	Files       []vss.FileDesc
}

// Writer is a fake writer. Configure it before subscribing it; it is safe
// to read its Log from the test while the simulator runs.
type Writer struct {
	Config     sim.WriterConfig
	Components []Component
	// Behaviors maps an event to its behaviour; events not in it succeed
	// at once.
	Behaviors map[sim.Event]Behavior
	// OnComponents, if set, is called in OnPrepareBackup, OnPostSnapshot
	// and OnBackupComplete with the components the writer was given, so a
	// test can act as a writer that records stamps and metadata.
	OnComponents func(ctx *sim.WriterContext, comps []*sim.Component)

	mu     sync.Mutex
	counts map[sim.Event]int
	log    []Delivery
	// doc, when set (FromWMD), is the document OnIdentify reproduces
	// instead of Components.
	doc *vss.WriterMetadata
}

// Delivery is one event the writer received.
type Delivery struct {
	Event sim.Event
	// SnapshotSetID is set for BackupShutdown.
	SnapshotSetID vss.ID
	// Components is the number of components passed (-1 when none were:
	// IVssWriterComponents is NULL outside component mode).
	Components int
}

// ClassID derives a stable writer class id from a name, so tests need not
// invent GUIDs.
func ClassID(name string) vss.ID {
	sum := sha256.Sum256([]byte("vsssim writer class " + name))
	return vss.NewIDFromUint64(binary.BigEndian.Uint64(sum[:8]), binary.BigEndian.Uint64(sum[8:16]))
}

// New makes a writer with one selectable file-group component "Data"
// holding C:\Data\<name>\*.
func New(name string) *Writer {
	return &Writer{
		Config: sim.WriterConfig{ClassID: ClassID(name), Name: name, Usage: vss.VSS_UT_USERDATA, Source: vss.VSS_ST_OTHER},
		Components: []Component{{Type: vss.VSS_CT_FILEGROUP, Name: "Data", Selectable: true,
			Files: []vss.FileDesc{{Path: `C:\Data\` + name, Filespec: "*", Recursive: true, BackupTypeMask: vss.VSS_FSBT_ALL_BACKUP_REQUIRED | vss.VSS_FSBT_ALL_SNAPSHOT_REQUIRED}}}},
	}
}

// On sets the behaviour for an event and returns w.
func (w *Writer) On(ev sim.Event, b Behavior) *Writer {
	if w.Behaviors == nil {
		w.Behaviors = map[sim.Event]Behavior{}
	}
	w.Behaviors[ev] = b
	return w
}

// Subscribe subscribes w to c and returns its instance id.
func (w *Writer) Subscribe(c *sim.Coordinator) (vss.ID, error) {
	return c.Subscribe(w, w.Config)
}

// Log returns the events received so far, in order.
func (w *Writer) Log() []Delivery {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]Delivery(nil), w.log...)
}

// Events returns the names of the events received so far, in order.
func (w *Writer) Events() []sim.Event {
	w.mu.Lock()
	defer w.mu.Unlock()
	out := make([]sim.Event, len(w.log))
	for i, d := range w.log {
		out[i] = d.Event
	}
	return out
}

// handle applies the behaviour for ev and reports what the handler returns.
func (w *Writer) handle(ctx *sim.WriterContext, d Delivery) bool {
	w.mu.Lock()
	w.log = append(w.log, d)
	if w.counts == nil {
		w.counts = map[sim.Event]int{}
	}
	w.counts[d.Event]++
	n := w.counts[d.Event]
	b, ok := w.Behaviors[d.Event]
	w.mu.Unlock()
	if !ok {
		return true
	}
	ctx.Sleep(b.Latency)
	if b.Times > 0 && n > b.Times {
		return true
	}
	if b.Panic != "" {
		panic(b.Panic)
	}
	if b.Hang {
		ctx.Hang()
		return true
	}
	if b.Fail != vss.S_OK && d.Event != sim.EventIdentify {
		if err := ctx.SetWriterFailure(b.Fail); err != nil {
			panic(fmt.Sprintf("fakewriter %s: %v", w.Config.Name, err))
		}
	}
	return !b.ReturnFalse
}

func count(comps []*sim.Component) int {
	if comps == nil {
		return -1
	}
	return len(comps)
}

// OnIdentify declares the writer's components (REFERENCE §5.2).
func (w *Writer) OnIdentify(ctx *sim.WriterContext, md *vss.CreateWriterMetadata) bool {
	ok := w.handle(ctx, Delivery{Event: sim.EventIdentify, Components: -1})
	if w.Behaviors[sim.EventIdentify].Garbage {
		_ = md.AddComponent(vss.VSS_CT_FILEGROUP, "", "Garbage", "", nil, false, false, true, false, 0)
		_ = md.AddComponent(vss.ComponentType(7), "", "BadType", "", nil, false, false, true, false, 0)
		return ok
	}
	if w.doc != nil {
		if err := reproduce(md, w.doc); err != nil {
			panic(fmt.Sprintf("fakewriter %s: its document cannot be reproduced: %v", w.Config.Name, err))
		}
		return ok
	}
	if len(w.Components) > 0 {
		if err := md.SetRestoreMethod(vss.VSS_RME_RESTORE_IF_CAN_REPLACE, "", "", vss.VSS_WRE_NEVER, false); err != nil {
			return false
		}
	}
	for _, c := range w.Components {
		if err := md.AddComponent(c.Type, c.LogicalPath, c.Name, c.Name, nil, false, false, c.Selectable, c.Selectable, 0); err != nil {
			return false
		}
		for _, f := range c.Files {
			var err error
			if c.Type == vss.VSS_CT_DATABASE {
				err = md.AddDatabaseFiles(c.LogicalPath, c.Name, f.Path, f.Filespec, f.BackupTypeMask)
			} else {
				err = md.AddFilesToFileGroup(c.LogicalPath, c.Name, f.Path, f.Filespec, f.Recursive, f.AlternateLocation, f.BackupTypeMask)
			}
			if err != nil {
				return false
			}
		}
	}
	return ok
}

func (w *Writer) withComponents(ctx *sim.WriterContext, ev sim.Event, comps []*sim.Component) bool {
	ok := w.handle(ctx, Delivery{Event: ev, Components: count(comps)})
	if b, set := w.Behaviors[ev]; set {
		for _, c := range comps {
			if b.BackupStamp != "" {
				if err := c.SetBackupStamp(b.BackupStamp); err != nil {
					panic(fmt.Sprintf("fakewriter %s: %v", w.Config.Name, err))
				}
			}
			if b.BackupMetadata != "" {
				if err := c.SetBackupMetadata(b.BackupMetadata); err != nil {
					panic(fmt.Sprintf("fakewriter %s: %v", w.Config.Name, err))
				}
			}
		}
	}
	if w.OnComponents != nil && comps != nil {
		w.OnComponents(ctx, comps)
	}
	return ok
}

// OnPrepareBackup implements sim.Writer.
func (w *Writer) OnPrepareBackup(ctx *sim.WriterContext, comps []*sim.Component) bool {
	return w.withComponents(ctx, sim.EventPrepareForBackup, comps)
}

// OnPrepareSnapshot implements sim.Writer.
func (w *Writer) OnPrepareSnapshot(ctx *sim.WriterContext) bool {
	return w.handle(ctx, Delivery{Event: sim.EventPrepareForSnapshot, Components: -1})
}

// OnFreeze implements sim.Writer.
func (w *Writer) OnFreeze(ctx *sim.WriterContext) bool {
	return w.handle(ctx, Delivery{Event: sim.EventFreeze, Components: -1})
}

// OnThaw implements sim.Writer.
func (w *Writer) OnThaw(ctx *sim.WriterContext) bool {
	return w.handle(ctx, Delivery{Event: sim.EventThaw, Components: -1})
}

// OnPostSnapshot implements sim.Writer.
func (w *Writer) OnPostSnapshot(ctx *sim.WriterContext, comps []*sim.Component) bool {
	return w.withComponents(ctx, sim.EventPostSnapshot, comps)
}

// OnAbort implements sim.Writer.
func (w *Writer) OnAbort(ctx *sim.WriterContext) bool {
	return w.handle(ctx, Delivery{Event: sim.EventAbort, Components: -1})
}

// OnBackupComplete implements sim.Writer.
func (w *Writer) OnBackupComplete(ctx *sim.WriterContext, comps []*sim.Component) bool {
	return w.withComponents(ctx, sim.EventBackupComplete, comps)
}

// OnBackupShutdown implements sim.Writer.
func (w *Writer) OnBackupShutdown(ctx *sim.WriterContext, setID vss.ID) bool {
	return w.handle(ctx, Delivery{Event: sim.EventBackupShutdown, SnapshotSetID: setID, Components: -1})
}

// OnPreRestore implements sim.Writer.
func (w *Writer) OnPreRestore(ctx *sim.WriterContext, comps []*sim.Component) bool {
	return w.withComponents(ctx, sim.EventPreRestore, comps)
}

// OnPostRestore implements sim.Writer.
func (w *Writer) OnPostRestore(ctx *sim.WriterContext, comps []*sim.Component) bool {
	return w.withComponents(ctx, sim.EventPostRestore, comps)
}
