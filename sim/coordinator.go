package sim

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/vsssim/vsssim/requestor/vss"
)

// SystemProviderID is the Microsoft Software Shadow Copy provider's id
// ([Obs] vssadmin list providers, REFERENCE §6.4).
var SystemProviderID = vss.MustParseID("b5946137-7b9f-4925-af80-51abd60b20d5")

// Coordinator is the simulated VSS service of one machine: it holds the
// subscribed writers, volumes, providers and shadow copies, and it is shared
// by any number of BackupComponents objects. Time inside it is virtual and
// moves only when an operation needs it to (IVssAsync.Wait, writer latency,
// Advance). A Coordinator is safe for concurrent use.
type Coordinator struct {
	mu   sync.Mutex
	opts Options
	now  time.Duration

	ids     uint64
	writers []*writerReg
	// byHandler finds a subscribed writer by its (comparable) handler.
	byHandler map[Writer]*writerReg
	volumes   []*Volume
	provs     []*Provider
	sets      []*snapshotSet
	shadows   int
	objects   int
	// all holds the objects the conformance checks report on, by number:
	// every object while Options.Trace is on, the unreleased ones otherwise
	// (a long-lived coordinator without a trace does not grow).
	all      map[int]*BackupComponents
	opSeq    int
	creator  *BackupComponents // holds the system-wide creation slot
	faults   []*Fault
	ops      []*asyncOp
	trace    Trace
	noAccess bool
	onCommit CommitHook
	ex       exState
	// handlers are the goroutines running writer handlers now.
	handlers handlerSet
	// workers run the writer handlers (Coordinator.call).
	workers workerPool
}

// Volume is a volume the coordinator knows about.
type Volume struct {
	// Name is the mount point as given to AddToSnapshotSet ("C:\").
	Name string
	// GUIDName is the \\?\Volume{GUID}\ name.
	GUIDName string
	// Unsupported marks a volume no provider can shadow-copy (FAT32, ESP).
	Unsupported bool
	// Nested marks a volume nested too deeply in VHDs
	// (VSS_E_NESTED_VOLUME_LIMIT).
	Nested bool
	// MaxShadowCopies is the per-volume limit (512 for the system
	// provider, REFERENCE §6.6).
	MaxShadowCopies int
	// Root is a host directory holding the volume's files, for a commit
	// hook (vsssim serve freezes a copy of it); the simulator never reads
	// it.
	Root string
}

// Provider is a registered shadow copy provider.
type Provider struct {
	ID      vss.ID
	Name    string
	Type    vss.ProviderType
	Version string
	// Volumes lists the volumes it supports; empty means every supported
	// volume.
	Volumes []string
	// FlushDuration and HoldDuration are how long its commit flushes and
	// then holds writes (virtual time; REFERENCE §4.5). Zero by default.
	FlushDuration, HoldDuration time.Duration
	// Hook, if set, is the provider's own code at the commit points
	// (PreCommitSnapshots, CommitSnapshots, PostCommitSnapshots).
	Hook ProviderHook
}

func (p *Provider) supports(v *Volume) bool {
	if v.Unsupported {
		return false
	}
	if len(p.Volumes) == 0 {
		return true
	}
	for _, n := range p.Volumes {
		if strings.EqualFold(n, v.Name) {
			return true
		}
	}
	return false
}

// WriterConfig is what a writer passes to CVssWriter::Initialize.
type WriterConfig struct {
	ClassID      vss.ID
	Name         string
	InstanceName string
	Usage        vss.UsageType
	Source       vss.SourceType
	// Level is the application level (freeze order); zero means
	// VSS_APP_FRONT_END, the Initialize default.
	Level vss.ApplicationLevel
	// FreezeTimeout is dwTimeoutFreeze; zero means 60 s.
	FreezeTimeout time.Duration
}

type writerReg struct {
	w          Writer
	cfg        WriterConfig
	instanceID vss.ID
	index      int
	// busy is set while one of its handlers runs (so that the handlers of
	// one writer never overlap); stuckIn (guarded by the coordinator's
	// lock) is the event of a handler the hang guard abandoned.
	busy    atomic.Bool
	stuckIn Event
}

type snapshot struct {
	prop    vss.SnapshotProp
	volume  *Volume
	created bool
	deleted bool
}

type snapshotSet struct {
	id    vss.ID
	ctx   vss.SnapshotContext
	snaps []*snapshot
	// released: the object that made the set was released, so the set
	// changes no more except by DeleteSnapshots.
	released bool
}

// pruneSets forgets the sets that can no longer matter: released by their
// object and without a shadow copy that exists. Query, DeleteSnapshots and
// GetSnapshotProperties see only existing shadow copies, so nothing
// observable changes, and a coordinator that runs backup after backup
// stays the same size (issue 9).
func (c *Coordinator) pruneSets() {
	keep := c.sets[:0]
	for _, set := range c.sets {
		if !set.released || slices.ContainsFunc(set.snaps, func(s *snapshot) bool { return s.created && !s.deleted }) {
			keep = append(keep, set)
		}
	}
	clear(c.sets[len(keep):])
	c.sets = keep
}

// New makes a coordinator with the system provider, the volume C:\ and the
// given options. Use DefaultOptions and change what a test needs: the zero
// Options is not the defaults. Its HangGuard still means the default 10 s
// (a blocked handler never hangs the caller for ever), but its other zero
// fields are real choices: no event timeout (a writer that Sleeps at all
// times out), no flush or hold window, no volume allowed in a set
// (MaxVolumesPerSet 0), no trace.
func New(opts Options) *Coordinator {
	c := &Coordinator{opts: opts, workers: workerPool{jobs: make(chan func(uint64))}}
	c.trace.off = !opts.Trace
	c.provs = append(c.provs, &Provider{ID: SystemProviderID, Name: "Microsoft Software Shadow Copy provider 1.0",
		Type: vss.VSS_PROV_SYSTEM, Version: "1.0.0.7"})
	c.AddVolume(Volume{Name: `C:\`})
	return c
}

// NewDefault is New(DefaultOptions()).
func NewDefault() *Coordinator { return New(DefaultOptions()) }

// Options returns the coordinator's options.
func (c *Coordinator) Options() Options { return c.opts }

// newID returns the next deterministic GUID of this coordinator.
func (c *Coordinator) newID() vss.ID {
	c.ids++
	return vss.NewIDFromUint64(0x5653530000000000|(c.opts.Seed&0xFFFFFF)<<16|c.ids>>48, c.ids)
}

// AddVolume makes a volume known. A name without a trailing backslash is
// given one; a repeated name replaces the earlier volume.
func (c *Coordinator) AddVolume(v Volume) {
	c.lock("Coordinator", "AddVolume")
	defer c.mu.Unlock()
	if !strings.HasSuffix(v.Name, `\`) {
		v.Name += `\`
	}
	if v.MaxShadowCopies == 0 {
		v.MaxShadowCopies = 512
	}
	if v.GUIDName == "" {
		v.GUIDName = `\\?\Volume{` + c.newID().String() + `}\`
	}
	for i, old := range c.volumes {
		if strings.EqualFold(old.Name, v.Name) {
			c.volumes[i] = &v
			return
		}
	}
	c.volumes = append(c.volumes, &v)
}

func (c *Coordinator) volume(name string) *Volume {
	for _, v := range c.volumes {
		if strings.EqualFold(v.Name, name) || strings.EqualFold(v.GUIDName, name) {
			return v
		}
	}
	return nil
}

// AddProvider registers a provider (an existing id is replaced).
func (c *Coordinator) AddProvider(p Provider) {
	c.lock("Coordinator", "AddProvider")
	defer c.mu.Unlock()
	for i, old := range c.provs {
		if old.ID == p.ID {
			c.provs[i] = &p
			return
		}
	}
	c.provs = append(c.provs, &p)
}

// SetProviderTiming sets how long a provider's commit flushes and holds
// writes (REFERENCE §4.5); past Options.FlushWindow / HoldWindow,
// DoSnapshotSet fails with VSS_E_FLUSH_WRITES_TIMEOUT /
// VSS_E_HOLD_WRITES_TIMEOUT.
func (c *Coordinator) SetProviderTiming(id vss.ID, flush, hold time.Duration) error {
	c.lock("Coordinator", "SetProviderTiming")
	defer c.mu.Unlock()
	for _, p := range c.provs {
		if p.ID == id {
			p.FlushDuration, p.HoldDuration = flush, hold
			return nil
		}
	}
	return fmt.Errorf("sim: no provider %v", id)
}

func (c *Coordinator) provider(id vss.ID) *Provider {
	for _, p := range c.provs {
		if p.ID == id {
			return p
		}
	}
	return nil
}

// SetBackupPrivilege says whether callers hold the backup privilege. Without
// it every method whose page lists E_ACCESSDENIED returns it (REFERENCE
// §1.3: the Initialize calls, GatherWriterMetadata, GatherWriterStatus,
// AddToSnapshotSet, DoSnapshotSet, Query, ...); it applies to the calls made
// after it.
func (c *Coordinator) SetBackupPrivilege(ok bool) {
	c.lock("Coordinator", "SetBackupPrivilege")
	defer c.mu.Unlock()
	c.noAccess = !ok
}

// Subscribe registers a writer (CVssWriter::Initialize + Subscribe) and
// returns the instance id VSS assigns to it. Subscribing the same Writer
// value twice returns VSS_E_WRITER_ALREADY_SUBSCRIBED; an empty name or a
// null class id is E_INVALIDARG.
func (c *Coordinator) Subscribe(w Writer, cfg WriterConfig) (vss.ID, error) {
	c.lock("Coordinator", "Subscribe")
	defer c.mu.Unlock()
	if w == nil || cfg.Name == "" || cfg.ClassID.IsNull() {
		return vss.ID{}, vss.Errorf(vss.E_INVALIDARG, "CVssWriter::Initialize", "a writer needs a non-nil handler, a name and a class id")
	}
	if cfg.Level == 0 {
		cfg.Level = vss.VSS_APP_FRONT_END
	}
	switch cfg.Level {
	case vss.VSS_APP_SYSTEM, vss.VSS_APP_BACK_END, vss.VSS_APP_FRONT_END, vss.VSS_APP_SYSTEM_RM:
	default:
		return vss.ID{}, vss.Errorf(vss.E_INVALIDARG, "CVssWriter::Initialize", "application level %v is reserved or unknown", cfg.Level)
	}
	if cfg.FreezeTimeout < 0 {
		return vss.ID{}, vss.Errorf(vss.E_INVALIDARG, "CVssWriter::Initialize", "negative freeze timeout")
	}
	if cfg.FreezeTimeout == 0 {
		cfg.FreezeTimeout = 60 * time.Second
	}
	// Only comparable handler values can be the same writer twice (== on
	// any other panics); they are found in a map, not by comparing with
	// every writer (issue 9: that made 100,000 writers quadratic).
	comparable := reflect.ValueOf(w).Comparable()
	if comparable {
		if r := c.byHandler[w]; r != nil {
			return vss.ID{}, vss.Errorf(vss.VSS_E_WRITER_ALREADY_SUBSCRIBED, "CVssWriter::Subscribe", "writer %q is already subscribed", r.cfg.Name)
		}
	}
	r := &writerReg{w: w, cfg: cfg, instanceID: c.newID(), index: len(c.writers)}
	c.writers = append(c.writers, r)
	if comparable {
		if c.byHandler == nil {
			c.byHandler = make(map[Writer]*writerReg)
		}
		c.byHandler[w] = r
	}
	c.trace.add(Entry{T: c.now, Kind: KindNote, Text: fmt.Sprintf("writer %q subscribed (class %v, instance %v, %v)", cfg.Name, cfg.ClassID, r.instanceID, cfg.Level)})
	return r.instanceID, nil
}

// Unsubscribe removes a writer (CVssWriter::Unsubscribe).
func (c *Coordinator) Unsubscribe(instanceID vss.ID) error {
	c.lock("Coordinator", "Unsubscribe")
	defer c.mu.Unlock()
	for i, r := range c.writers {
		if r.instanceID == instanceID {
			if reflect.ValueOf(r.w).Comparable() && c.byHandler[r.w] == r {
				delete(c.byHandler, r.w)
			}
			c.writers = append(c.writers[:i:i], c.writers[i+1:]...)
			for j := i; j < len(c.writers); j++ {
				c.writers[j].index = j
			}
			return nil
		}
	}
	return vss.Errorf(vss.VSS_E_OBJECT_NOT_FOUND, "CVssWriter::Unsubscribe", "no writer instance %v", instanceID)
}

// Now is the coordinator's virtual time.
func (c *Coordinator) Now() time.Duration {
	c.lock("Coordinator", "Now")
	defer c.mu.Unlock()
	return c.now
}

// Advance moves virtual time forward by d, running whatever operations fall
// due (writer replies, timeouts, provider commits). Virtual time saturates:
// a d that would pass the largest time.Duration (about 292 years) stops
// there, the end of virtual time, where every later deadline also falls.
func (c *Coordinator) Advance(d time.Duration) {
	c.lock("Coordinator", "Advance")
	defer c.mu.Unlock()
	if d > 0 {
		c.advanceTo(satAdd(c.now, d))
	}
}

// Trace returns the trace recorded so far (a copy, ordered).
func (c *Coordinator) Trace() *Trace {
	c.lock("Coordinator", "Trace")
	defer c.mu.Unlock()
	return c.trace.snapshot()
}

// ShadowCopies returns the shadow copies that exist now (created, not
// deleted), in creation order.
func (c *Coordinator) ShadowCopies() []vss.SnapshotProp {
	c.lock("Coordinator", "ShadowCopies")
	defer c.mu.Unlock()
	var out []vss.SnapshotProp
	for _, set := range c.sets {
		for _, s := range set.snaps {
			if s.created && !s.deleted {
				out = append(out, s.prop)
			}
		}
	}
	return out
}

// Writers returns the instance ids of the subscribed writers in
// subscription order.
func (c *Coordinator) Writers() []vss.ID {
	c.lock("Coordinator", "Writers")
	defer c.mu.Unlock()
	out := make([]vss.ID, len(c.writers))
	for i, r := range c.writers {
		out[i] = r.instanceID
	}
	return out
}

// unexpected is VSS_E_UNEXPECTED, or E_UNEXPECTED with LegacyUnexpected.
func (c *Coordinator) unexpected() vss.HRESULT {
	if c.opts.LegacyUnexpected {
		return vss.E_UNEXPECTED
	}
	return vss.VSS_E_UNEXPECTED
}

// filetime converts virtual time to a VSS_TIMESTAMP, counting from
// 2026-01-01T00:00:00Z so that output is the same on every run.
func filetime(t time.Duration) int64 {
	const epoch2026 = 134116992000000000 // 2026-01-01 in 100 ns units since 1601
	return epoch2026 + int64(t/100)
}
