package sim_test

// Model-based test of sim.BackupComponents: seeded random call sequences
// are run against the simulator and, call by call, against an independent
// reference model written from REFERENCE.md (§1.2 ordering notes, §1.3
// return codes, §1.4, §2.1, §2.3 BAD_STATE table, §3 IVssAsync, §6.3
// contexts, Appendix B) and the documented defaults of sim.DefaultOptions.
//
// The model predicts, for every call, the set of HRESULTs REFERENCE allows.
// A single E_INVALIDARG or VSS_E_BAD_STATE is a predicted rejection; where
// REFERENCE leaves the outcome open the set has several codes (nil = any
// code the method documents). The model learns when asynchronous
// operations end only by polling IVssAsync::QueryStatus (their timing comes
// from writer latencies on the virtual clock); everything else it derives
// from its own state.
//
// To rerun one sequence: MODEL_SEED=<seed> go test -race -run TestModelRandomSequences ./sim/

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"

	"github.com/vsssim/vsssim/fakewriter"
	"github.com/vsssim/vsssim/requestor/vss"
	"github.com/vsssim/vsssim/sim"
)

const (
	modelCallsPerRun   = 100_000 // calls per default `go test` run
	modelCallsShort    = 10_000  // with -short
	modelWriterCount   = 3
	modelHistory       = 20 // calls shown when the model and the sim disagree
	modelMaxFullReport = 40 // distinct disagreements printed in full
	modelInfinite      = time.Duration(-1)
)

// Method names of the async interface (not IVssBackupComponents methods).
const (
	modelWait        = "IVssAsync::Wait"
	modelQueryStatus = "IVssAsync::QueryStatus"
	modelCancel      = "IVssAsync::Cancel"
)

func TestModelRandomSequences(t *testing.T) {
	rep := &modelReport{t: t, seen: map[string]int{}, stats: map[string]map[vss.HRESULT]int{}}
	start := time.Now()
	calls := 0
	if s := os.Getenv("MODEL_SEED"); s != "" {
		seed, err := strconv.ParseUint(s, 10, 64)
		require.NoError(t, err, "MODEL_SEED")
		calls = modelRunSequence(t, rep, seed)
	} else {
		target := modelCallsPerRun
		if testing.Short() {
			target = modelCallsShort
		}
		seqs := 0
		for seed := uint64(1); calls < target; seed++ {
			calls += modelRunSequence(t, rep, seed)
			seqs++
		}
		t.Logf("%d calls in %d sequences, %v", calls, seqs, time.Since(start).Round(time.Millisecond))
		rep.requireCoverage()
	}
	rep.finish(calls)
}

// ---------------------------------------------------------------------------
// Reference model state.

type modelStep int

const (
	stepNotYet modelStep = iota
	stepPending
	stepDone
	stepCancelled
	stepFailed
)

func (s modelStep) String() string {
	return [...]string{"not called", "pending", "done", "cancelled", "failed"}[s]
}

type snapState int

const (
	snapPending  snapState = iota // added to a set, not created
	snapCreating                  // its DoSnapshotSet is running: REFERENCE does not say from when it is visible
	snapCreated                   // committed by a DoSnapshotSet that finished
	snapMaybe                     // its DoSnapshotSet was cancelled: it may exist until the operation winds down
	snapGone                      // deleted, aborted or never going to exist
)

type modelWriter struct {
	name  string
	class vss.ID
	inst  vss.ID
}

type compKey struct {
	writer     vss.ID
	path, name string
}

type compVal struct {
	ct   vss.ComponentType
	inst vss.ID
}

type modelSnap struct {
	id, set vss.ID
	ctx     vss.SnapshotContext
	owner   *modelObj
	state   snapState
}

type modelAsync struct {
	id     int
	obj    *modelObj
	method string
	a      vss.Async
	status vss.HRESULT // last observed
	final  bool
	// observed: the sequence itself saw the end (Wait returned, QueryStatus
	// or Cancel reported it); until then the object's later calls that need
	// it are VSS_E_BAD_STATE (sim.Options.StrictAsync, REFERENCE §3).
	observed bool
}

// modelObj is the model of one IVssBackupComponents (REFERENCE §2.3
// "suggested requester-object states" plus orthogonal flags).
type modelObj struct {
	num      int
	o        *sim.BackupComponents
	released bool
	inited   bool

	ctxSet bool
	ctx    vss.SnapshotContext

	stateSet bool
	sel      bool

	enableCalled bool
	enabled      map[vss.ID]bool
	disabledCls  map[vss.ID]bool
	disabledInst map[vss.ID]bool

	gather     modelStep
	idCertain  []vss.ID          // instances that must be identified
	idMaybe    []vss.ID          // instances REFERENCE does not decide on
	mdCount    int               // observed writer count, -1 before
	mdAt       map[uint32]vss.ID // writer at each metadata index, as observed
	stAt       map[uint32]vss.ID // writer at each status index, as observed
	mdFreed    bool
	status     modelStep
	statusFree bool

	setStarted bool
	setID      vss.ID
	vols       map[string]bool
	prepare    modelStep
	snap       modelStep
	complete   modelStep
	aborted    bool

	pending *modelAsync   // the object's operation still at VSS_S_ASYNC_PENDING
	unseen  []*modelAsync // its operations that ended without the sequence observing it
	snapOp  *modelAsync
	last    *modelAsync
	comps   map[compKey]compVal
}

func (m *modelObj) ended() bool { return m.aborted || m.complete == stepDone }

// unobserved reports whether an operation of the object (of methods, or
// any) ended without the sequence observing it (sim.Options.StrictAsync).
func (m *modelObj) unobserved(methods ...string) *modelAsync {
	for _, op := range m.unseen {
		if len(methods) == 0 || slices.Contains(methods, op.method) {
			return op
		}
	}
	return nil
}

// observe records that the sequence saw op end.
func (m *modelObj) observe(op *modelAsync) {
	op.observed = true
	m.unseen = slices.DeleteFunc(m.unseen, func(x *modelAsync) bool { return x == op })
}

const modelObserveWhy = "§3 observe: the operation ended but the requestor has not observed it (Wait or QueryStatus)"

// writerCtx: writers take part iff (ctx & NO_WRITERS) == 0 (REFERENCE §6.3);
// VSS_CTX_ALL (all bits set) is not a creation context.
func (m *modelObj) writerCtx() bool { return modelWriterContext(m.ctx) }

func modelWriterContext(ctx vss.SnapshotContext) bool {
	return ctx != vss.VSS_CTX_ALL && vss.VolumeSnapshotAttributes(ctx)&vss.VSS_VOLSNAP_ATTR_NO_WRITERS == 0
}

// gate is what every backup-path method shares: §1.1 (one object, one
// operation), §2.3 row 1 (initialised first) and row 22 (nothing after the
// end except the listed calls).
func (m *modelObj) gate(afterEnd bool) (modelPred, bool) {
	switch {
	case m.released:
		return modelReject(vss.VSS_E_BAD_STATE, "object released (§1.1 one object serves one backup)"), true
	case !m.inited:
		return modelReject(vss.VSS_E_BAD_STATE, "§2.3#1 not initialised"), true
	case !afterEnd && m.ended():
		return modelReject(vss.VSS_E_BAD_STATE, "§2.3#22 the backup is over"), true
	}
	return modelPred{}, false
}

// ---------------------------------------------------------------------------
// Predictions.

// modelPred is the set of results REFERENCE allows for a call; nil allowed
// means any code the method documents.
type modelPred struct {
	allowed []vss.HRESULT
	why     string
}

func modelOK() modelPred { return modelPred{allowed: []vss.HRESULT{vss.S_OK}, why: "success"} }

func modelReject(hr vss.HRESULT, why string) modelPred {
	return modelPred{allowed: []vss.HRESULT{hr}, why: why}
}

func modelOneOf(why string, hrs ...vss.HRESULT) modelPred { return modelPred{allowed: hrs, why: why} }

func modelAnyDoc(why string) modelPred { return modelPred{why: why} }

func (p modelPred) allows(hr vss.HRESULT) bool {
	return p.allowed == nil || slices.Contains(p.allowed, hr)
}

func (p modelPred) rejection() bool {
	return len(p.allowed) == 1 && (p.allowed[0] == vss.E_INVALIDARG || p.allowed[0] == vss.VSS_E_BAD_STATE)
}

func (p modelPred) mayFail() bool {
	if p.allowed == nil {
		return true
	}
	for _, hr := range p.allowed {
		if hr.Failed() {
			return true
		}
	}
	return false
}

func (p modelPred) String() string {
	if p.allowed == nil {
		return "any documented code (" + p.why + ")"
	}
	s := make([]string, len(p.allowed))
	for i, hr := range p.allowed {
		s[i] = hr.String()
	}
	kind := ""
	if p.rejection() {
		kind = "rejection "
	}
	return kind + strings.Join(s, " or ") + " (" + p.why + ")"
}

// ---------------------------------------------------------------------------
// Calls.

type modelCall struct {
	obj    *modelObj
	method string

	xml      string
	ctx      vss.SnapshotContext
	ctxClass int
	sel      bool
	btype    vss.BackupType
	ids      []vss.ID
	inst     vss.ID
	wid      vss.ID
	ct       vss.ComponentType
	path     string
	name     string
	val      string
	vol      string
	prov     vss.ID
	idx      uint32
	id       vss.ID
	qt, rt   vss.ObjectType
	succ     bool
	async    *modelAsync
	timeout  time.Duration
}

const (
	ctxValid = iota
	ctxInvalid
	ctxUnsupported
)

// describe prints a call; it runs only when a disagreement is reported.
func (r *modelRun) describe(c *modelCall) string {
	var a string
	switch c.method {
	case "InitializeForBackup":
		a = strconv.Quote(c.xml)
	case "SetContext":
		a = fmt.Sprintf("0x%X", uint32(c.ctx))
	case "SetBackupState":
		a = fmt.Sprintf("select=%v, bootable=%v, %d, partial=false", c.sel, c.succ, c.btype)
	case "EnableWriterClasses", "DisableWriterClasses", "DisableWriterInstances":
		names := make([]string, len(c.ids))
		for i, id := range c.ids {
			names[i] = r.idName(id)
		}
		a = "[" + strings.Join(names, " ") + "]"
	case "GetWriterMetadata", "GetWriterMetadataEx", "GetWriterStatus", "GetWriterStatusEx":
		a = fmt.Sprint(c.idx)
	case "AddComponent":
		a = fmt.Sprintf("%s, %s, %d, %q, %q", r.idName(c.inst), r.idName(c.wid), c.ct, c.path, c.name)
	case "SetBackupOptions", "SetPreviousBackupStamp":
		a = fmt.Sprintf("%s, %d, %q, %q, %q", r.idName(c.wid), c.ct, c.path, c.name, c.val)
	case "SetBackupSucceeded":
		a = fmt.Sprintf("%s, %s, %d, %q, %q, %v", r.idName(c.inst), r.idName(c.wid), c.ct, c.path, c.name, c.succ)
	case "AddToSnapshotSet", "IsVolumeSupported":
		a = fmt.Sprintf("%q, %s", c.vol, r.idName(c.prov))
	case "GetSnapshotProperties":
		a = r.idName(c.id)
	case "Query":
		a = fmt.Sprintf("%s, %v, %v", r.idName(c.id), c.qt, c.rt)
	case "DeleteSnapshots":
		a = fmt.Sprintf("%s, %v, force=%v", r.idName(c.id), c.qt, c.succ)
	default:
		a = r.describeEx(c)
	case modelWait, modelQueryStatus, modelCancel:
		a = fmt.Sprintf("op%d %s of #%d", c.async.id, c.async.method, c.async.obj.num)
		if c.method == modelWait {
			a += fmt.Sprintf(", timeout=%v", c.timeout)
		}
	}
	return fmt.Sprintf("#%d.%s(%s)", c.obj.num, c.method, a)
}

type modelResult struct {
	err      error
	hr       vss.HRESULT
	panicked string
	id       vss.ID
	n        uint32
	inst     vss.ID
	md       *vss.WriterMetadata
	ws       vss.WriterStatus
	ok       bool
	xml      string
	prop     vss.SnapshotProp
	props    []vss.ObjectProp
	deleted  int32
	async    vss.Async
}

// ---------------------------------------------------------------------------
// One sequence.

type modelRun struct {
	t       testing.TB
	rep     *modelReport
	seed    uint64
	rng     *rand.Rand
	c       *sim.Coordinator
	writers []modelWriter
	objs    []*modelObj
	asyncs  []*modelAsync
	snaps   map[vss.ID]*modelSnap
	setIDs  []vss.ID
	slot    *modelObj // holder of the system-wide creation slot
	slotMay bool      // the holder may already have given it up
	step    int
	history []modelHist // the last calls, formatted only when reported
	broken  bool
	ex      modelEx // the management and Ex–Ex4 calls' state (model_ex_test.go)
}

type modelHist struct {
	step int
	call *modelCall
	hr   vss.HRESULT
	err  error
}

func modelRunSequence(t testing.TB, rep *modelReport, seed uint64) int {
	t.Helper()
	rng := rand.New(rand.NewPCG(seed, 0x5653534d4f44454c))
	c := sim.NewDefault()
	c.AddVolume(sim.Volume{Name: `D:\`})
	r := &modelRun{t: t, rep: rep, seed: seed, rng: rng, c: c, snaps: map[vss.ID]*modelSnap{}}
	fast := rng.IntN(4) == 0 // no writer latency at all: every operation ends inside its call
	events := []sim.Event{sim.EventIdentify, sim.EventPrepareForBackup, sim.EventPrepareForSnapshot, sim.EventFreeze,
		sim.EventThaw, sim.EventPostSnapshot, sim.EventAbort, sim.EventBackupComplete}
	for i := range modelWriterCount {
		w := fakewriter.New(fmt.Sprintf("Model Writer %d", i+1))
		if !fast {
			for _, ev := range events {
				if rng.IntN(5) < 2 {
					w.On(ev, fakewriter.Behavior{Latency: time.Duration(1+rng.IntN(3)) * time.Second})
				}
			}
		}
		inst, err := w.Subscribe(c)
		require.NoError(t, err, "seed %d: subscribe", seed)
		r.writers = append(r.writers, modelWriter{name: w.Config.Name, class: w.Config.ClassID, inst: inst})
	}
	r.newObj()
	if rng.IntN(5) < 2 {
		r.newObj() // two objects interleaved on one coordinator
	}
	n := 30 + rng.IntN(60)
	for r.step < n && !r.broken {
		m := r.pickObj()
		var call *modelCall
		if rng.IntN(100) < 60 {
			call = r.guided(m)
		}
		if call == nil {
			call = r.random(m)
		}
		r.do(call)
	}
	return r.step
}

func (r *modelRun) newObj() *modelObj {
	m := &modelObj{o: r.c.NewBackupComponents(), ctx: vss.VSS_CTX_BACKUP, mdCount: -1,
		enabled: map[vss.ID]bool{}, disabledCls: map[vss.ID]bool{}, disabledInst: map[vss.ID]bool{},
		mdAt: map[uint32]vss.ID{}, stAt: map[uint32]vss.ID{}, vols: map[string]bool{}, comps: map[compKey]compVal{}}
	m.num = m.o.Number()
	r.objs = append(r.objs, m)
	return m
}

func (r *modelRun) pickObj() *modelObj {
	var live, dead []*modelObj
	for _, m := range r.objs {
		if m.released {
			dead = append(dead, m)
		} else {
			live = append(live, m)
		}
	}
	if len(dead) > 0 && r.rng.IntN(40) == 0 {
		return dead[r.rng.IntN(len(dead))]
	}
	if len(live) == 0 || (len(live) < 2 && len(r.objs) < 5 && r.rng.IntN(30) == 0) {
		return r.newObj()
	}
	return live[r.rng.IntN(len(live))]
}

func (r *modelRun) randomID() vss.ID { return vss.NewIDFromUint64(r.rng.Uint64()|1, r.rng.Uint64()) }

func (r *modelRun) pick(n int) int { return r.rng.IntN(n) }

// ---------------------------------------------------------------------------
// Generators.

var modelContexts = []struct {
	ctx   vss.SnapshotContext
	class int
}{
	{vss.VSS_CTX_BACKUP, ctxValid},
	{vss.VSS_CTX_FILE_SHARE_BACKUP, ctxValid},
	{vss.VSS_CTX_NAS_ROLLBACK, ctxValid},
	{vss.VSS_CTX_APP_ROLLBACK, ctxValid},
	{vss.VSS_CTX_CLIENT_ACCESSIBLE, ctxValid},
	{vss.VSS_CTX_CLIENT_ACCESSIBLE_WRITERS, ctxValid},
	{vss.VSS_CTX_ALL, ctxValid},
	{vss.VSS_CTX_APP_ROLLBACK | vss.SnapshotContext(vss.VSS_VOLSNAP_ATTR_DIFFERENTIAL), ctxValid},
	{vss.VSS_CTX_BACKUP | vss.SnapshotContext(vss.VSS_VOLSNAP_ATTR_PLEX), ctxValid},
	// qemu's retry without TRANSPORTABLE ([Obs] §1.3 SetContext, §6.3).
	{vss.VSS_CTX_APP_ROLLBACK | vss.SnapshotContext(vss.VSS_VOLSNAP_ATTR_NO_AUTORECOVERY|vss.VSS_VOLSNAP_ATTR_TXF_RECOVERY), ctxValid},
	// TRANSPORTABLE: a valid value the default options do not support.
	{vss.VSS_CTX_BACKUP | vss.SnapshotContext(vss.VSS_VOLSNAP_ATTR_TRANSPORTABLE), ctxUnsupported},
	{vss.VSS_CTX_APP_ROLLBACK | vss.SnapshotContext(vss.VSS_VOLSNAP_ATTR_TRANSPORTABLE|vss.VSS_VOLSNAP_ATTR_NO_AUTORECOVERY|vss.VSS_VOLSNAP_ATTR_TXF_RECOVERY), ctxUnsupported},
	{0x7, ctxInvalid},
	{0x12345, ctxInvalid},
	{0x40000000, ctxInvalid},
	{vss.VSS_CTX_BACKUP | vss.SnapshotContext(vss.VSS_VOLSNAP_ATTR_DIFFERENTIAL|vss.VSS_VOLSNAP_ATTR_PLEX), ctxInvalid},
	{vss.VSS_CTX_CLIENT_ACCESSIBLE | vss.SnapshotContext(vss.VSS_VOLSNAP_ATTR_DIFFERENTIAL), ctxInvalid},
	{vss.VSS_CTX_CLIENT_ACCESSIBLE | vss.SnapshotContext(vss.VSS_VOLSNAP_ATTR_TRANSPORTABLE), ctxInvalid},
}

func (r *modelRun) call(m *modelObj, method string) *modelCall {
	return &modelCall{obj: m, method: method}
}

func (r *modelRun) genContext(c *modelCall, validOnly bool) {
	for {
		e := modelContexts[r.pick(len(modelContexts))]
		if validOnly && (e.class != ctxValid || e.ctx == vss.VSS_CTX_ALL) {
			continue
		}
		c.ctx, c.ctxClass = e.ctx, e.class
		return
	}
}

func (r *modelRun) genBackupState(c *modelCall, valid bool) {
	c.sel = r.pick(8) != 0
	c.succ = r.pick(2) == 0 // bootable system state
	c.btype = vss.BackupType(1 + r.pick(6))
	if !valid && r.pick(4) == 0 {
		c.btype = []vss.BackupType{0, 9, -1, 7}[r.pick(4)]
	}
}

// genComponent fills a component key; valid picks a declared component of
// a subscribed writer with its own instance id.
func (r *modelRun) genComponent(c *modelCall, valid bool) {
	w := r.writers[r.pick(len(r.writers))]
	c.inst, c.wid, c.ct, c.path, c.name = w.inst, w.class, vss.VSS_CT_FILEGROUP, "", "Data"
	if !valid {
		switch r.pick(12) {
		case 0:
			c.wid = r.randomID()
		case 1:
			c.inst = r.writers[r.pick(len(r.writers))].inst
		case 2:
			c.inst = r.randomID()
		}
		switch r.pick(16) {
		case 0, 1:
			c.ct = vss.VSS_CT_DATABASE
		case 2:
			c.ct = vss.VSS_CT_UNDEFINED
		case 3:
			c.ct = 7
		}
		if r.pick(12) == 0 {
			c.path = `Sub`
		}
		switch r.pick(10) {
		case 0:
			c.name = ""
		case 1, 2:
			c.name = "Nope"
		}
	}
}

func (r *modelRun) genVolume(c *modelCall, valid bool) {
	c.vol = []string{`C:\`, `D:\`}[r.pick(2)]
	if !valid {
		switch r.pick(10) {
		case 0:
			c.vol = `C:`
		case 1:
			c.vol = `Q:\`
		case 2:
			c.vol = ""
		}
		switch r.pick(10) {
		case 0:
			c.prov = sim.SystemProviderID
		case 1:
			c.prov = r.randomID()
		}
	}
}

func (r *modelRun) genSnapID(c *modelCall) {
	switch x := r.pick(10); {
	case x < 5 && len(r.snaps) > 0:
		ids := make([]vss.ID, 0, len(r.snaps))
		for id := range r.snaps {
			ids = append(ids, id)
		}
		slices.SortFunc(ids, func(a, b vss.ID) int { return strings.Compare(a.String(), b.String()) })
		c.id = ids[r.pick(len(ids))]
	case x < 7 && len(r.setIDs) > 0:
		c.id = r.setIDs[r.pick(len(r.setIDs))]
	case x < 9:
		c.id = r.randomID()
	default:
		c.id = vss.GUID_NULL
	}
}

func (r *modelRun) genAsync(c *modelCall, method string) bool {
	if c.obj.last != nil && r.pick(10) < 7 {
		c.async = c.obj.last
	} else if len(r.asyncs) > 0 {
		c.async = r.asyncs[r.pick(len(r.asyncs))]
	} else {
		return false
	}
	c.method = method
	if method == modelWait {
		c.timeout = []time.Duration{modelInfinite, modelInfinite, 0, 500 * time.Millisecond, time.Second, 2 * time.Second, 5 * time.Second}[r.pick(7)]
	}
	return true
}

var modelMethods = []string{
	"InitializeForBackup", "SetContext", "SetBackupState", "EnableWriterClasses", "DisableWriterClasses",
	"DisableWriterInstances", "GatherWriterMetadata", "GetWriterMetadataCount", "GetWriterMetadata",
	"FreeWriterMetadata", "AddComponent", "SetBackupOptions", "SetPreviousBackupStamp", "StartSnapshotSet",
	"AddToSnapshotSet", "IsVolumeSupported", "PrepareForBackup", "DoSnapshotSet", "GetSnapshotProperties",
	"Query", "GatherWriterStatus", "GetWriterStatusCount", "GetWriterStatus", "GetWriterStatusEx",
	"FreeWriterStatus", "SetBackupSucceeded", "SaveAsXML", "BackupComplete", "AbortBackup", "DeleteSnapshots",
	"Release",
	// Management and Ex–Ex4 calls (model_ex_test.go).
	"GetWriterMetadataEx", "ExposeSnapshot", "ExposeSnapshot", "UnexposeSnapshot", "BreakSnapshotSet",
	"GetSessionId", "GetRootAndLogicalPrefixPaths", "PreFastRecovery", "FastRecovery",
	modelWait, modelWait, modelWait, modelQueryStatus, modelQueryStatus, modelCancel,
}

// random makes a call to any method, with arguments that are valid or not.
func (r *modelRun) random(m *modelObj) *modelCall {
	for {
		method := modelMethods[r.pick(len(modelMethods))]
		if method == "Release" && r.pick(3) != 0 {
			continue // keep objects alive long enough to get somewhere
		}
		c := r.call(m, method)
		switch method {
		case modelWait, modelQueryStatus, modelCancel:
			if !r.genAsync(c, method) {
				continue
			}
		case "InitializeForBackup":
			if r.pick(6) == 0 {
				c.xml = []string{"<garbage/>", "not xml at all"}[r.pick(2)]
			}
		case "SetContext":
			r.genContext(c, false)
		case "SetBackupState":
			r.genBackupState(c, false)
		case "EnableWriterClasses", "DisableWriterClasses", "DisableWriterInstances":
			for _, w := range r.writers {
				if r.pick(3) == 0 {
					if method == "DisableWriterInstances" {
						c.ids = append(c.ids, w.inst)
					} else {
						c.ids = append(c.ids, w.class)
					}
				}
			}
			if r.pick(5) == 0 {
				c.ids = append(c.ids, r.randomID())
			}
			names := make([]string, len(c.ids))
			for i, id := range c.ids {
				names[i] = r.idName(id)
			}
		case "GetWriterMetadata", "GetWriterMetadataEx", "GetWriterStatus", "GetWriterStatusEx":
			c.idx = uint32(r.pick(modelWriterCount + 2))
			if r.pick(10) == 0 {
				c.idx = 1000
			}
		case "AddComponent":
			r.genComponent(c, r.pick(3) == 0)
		case "SetBackupOptions", "SetPreviousBackupStamp":
			r.genComponent(c, r.pick(3) == 0)
			c.val = "opt=" + strconv.Itoa(r.pick(9))
		case "SetBackupSucceeded":
			r.genComponent(c, r.pick(3) == 0)
			c.succ = r.pick(4) != 0
		case "AddToSnapshotSet", "IsVolumeSupported":
			r.genVolume(c, r.pick(3) == 0)
		case "GetSnapshotProperties":
			r.genSnapID(c)
		case "Query":
			c.qt, c.rt = vss.VSS_OBJECT_NONE, []vss.ObjectType{vss.VSS_OBJECT_SNAPSHOT, vss.VSS_OBJECT_PROVIDER}[r.pick(2)]
			switch r.pick(12) {
			case 0:
				c.id = r.randomID()
			case 1:
				c.qt = vss.VSS_OBJECT_SNAPSHOT
			case 2:
				c.rt = vss.VSS_OBJECT_SNAPSHOT_SET
			case 3:
				c.rt = vss.VSS_OBJECT_UNKNOWN
			}
		case "DeleteSnapshots":
			r.genSnapID(c)
			c.qt = []vss.ObjectType{vss.VSS_OBJECT_SNAPSHOT, vss.VSS_OBJECT_SNAPSHOT_SET, vss.VSS_OBJECT_NONE, vss.VSS_OBJECT_PROVIDER}[r.pick(4)]
			if r.pick(3) != 0 {
				c.qt = []vss.ObjectType{vss.VSS_OBJECT_SNAPSHOT, vss.VSS_OBJECT_SNAPSHOT_SET}[r.pick(2)]
			}
			c.succ = r.pick(2) == 0
		default:
			r.genEx(c)
		}
		return c
	}
}

// guided makes the call the documented backup sequence (REFERENCE §2.1)
// would make next, so that sequences reach the late states; nil when it
// has nothing to suggest.
func (r *modelRun) guided(m *modelObj) *modelCall {
	if m.released {
		return nil
	}
	c := r.call(m, "")
	switch {
	case !m.inited:
		c.method = "InitializeForBackup"
	case m.pending != nil:
		c.method, c.async = modelWait, m.pending
		c.timeout = modelInfinite
		if r.pick(3) == 0 {
			c.timeout = time.Duration(r.pick(3)) * time.Second
		}
	case m.unobserved() != nil:
		c.method, c.async = []string{modelWait, modelQueryStatus}[r.pick(2)], m.unobserved()
		c.timeout = modelInfinite
	case m.ended():
		switch r.pick(6) {
		case 0:
			c.method = "GatherWriterStatus"
		case 1:
			c.method = "SaveAsXML"
		case 2:
			c.method = "GetSnapshotProperties"
			r.genSnapID(c)
		default:
			c.method = "Release"
		}
	case !m.ctxSet && !m.setStarted && r.pick(5) == 0:
		c.method = "SetContext"
		r.genContext(c, true)
	case !m.stateSet:
		c.method = "SetBackupState"
		r.genBackupState(c, true)
	case m.gather == stepNotYet:
		c.method = "GatherWriterMetadata"
	case m.gather != stepDone:
		c.method = []string{"AbortBackup", "Release"}[r.pick(2)]
	case m.writerCtx() && m.sel && m.prepare == stepNotYet && len(m.comps) < len(r.writers) && r.pick(10) < 6:
		c.method = "AddComponent"
		r.genComponent(c, true)
	case !m.setStarted:
		c.method = "StartSnapshotSet"
		if r.slot != nil && r.slot != m && r.pick(3) == 0 {
			return nil
		}
	case m.snap == stepNotYet && len(m.vols) < 2 && r.pick(10) < 6:
		c.method = "AddToSnapshotSet"
		r.genVolume(c, true)
	case m.writerCtx() && m.prepare == stepNotYet:
		c.method = "PrepareForBackup"
	case m.writerCtx() && m.prepare != stepDone:
		c.method = "AbortBackup"
	case m.snap == stepNotYet:
		c.method = "DoSnapshotSet"
	case m.snap != stepDone:
		c.method = "AbortBackup"
	case r.pick(4) == 0:
		c.method = []string{"GatherWriterStatus", "GetWriterStatusCount", "GetWriterStatus", "FreeWriterStatus", "Query"}[r.pick(5)]
		if c.method == "GetWriterStatus" {
			c.idx = uint32(r.pick(modelWriterCount))
		}
		if c.method == "Query" {
			c.qt, c.rt = vss.VSS_OBJECT_NONE, vss.VSS_OBJECT_SNAPSHOT
		}
	case m.writerCtx() && m.complete == stepNotYet && len(m.comps) > 0 && r.pick(2) == 0:
		c.method = "SetBackupSucceeded"
		keys := make([]compKey, 0, len(m.comps))
		for k := range m.comps {
			keys = append(keys, k)
		}
		slices.SortFunc(keys, func(a, b compKey) int { return strings.Compare(a.writer.String()+a.name, b.writer.String()+b.name) })
		k := keys[r.pick(len(keys))]
		v := m.comps[k]
		c.inst, c.wid, c.ct, c.path, c.name, c.succ = v.inst, k.writer, v.ct, k.path, k.name, true
	case m.writerCtx() && m.complete == stepNotYet:
		c.method = "BackupComplete"
	default:
		c.method = []string{"Release", "AbortBackup", "SaveAsXML"}[r.pick(3)]
	}
	return c
}

// idName prints writer ids by writer name.
func (r *modelRun) idName(id vss.ID) string {
	if id.IsNull() {
		return "GUID_NULL"
	}
	for i, w := range r.writers {
		if w.class == id {
			return fmt.Sprintf("class(W%d)", i+1)
		}
		if w.inst == id {
			return fmt.Sprintf("inst(W%d)", i+1)
		}
	}
	if id == sim.SystemProviderID {
		return "SystemProvider"
	}
	return id.String()
}

// ---------------------------------------------------------------------------
// The step: predict, call, check, update.

type modelProbe struct {
	traceLen int
	obs      *modelObservable // taken for predicted rejections only
}

// modelObservable is what a rejected call must leave as it was.
type modelObservable struct {
	Now     time.Duration
	Shadows []string
}

func (r *modelRun) probe(observe bool) modelProbe {
	p := modelProbe{traceLen: r.c.Trace().Len()}
	if observe {
		obs := &modelObservable{Now: r.c.Now()}
		for _, s := range r.c.ShadowCopies() {
			obs.Shadows = append(obs.Shadows, s.SnapshotID.String()+"@"+s.SnapshotSetID.String())
		}
		p.obs = obs
	}
	return p
}

// modelRuleIDs are the rule ids a VSS_E_BAD_STATE may name.
var modelRuleIDs = func() map[string]bool {
	ids := map[string]bool{}
	for _, r := range sim.Rules {
		ids[r.ID] = true
	}
	return ids
}()

func modelIsAsyncMethod(method string) bool {
	return method == modelWait || method == modelQueryStatus || method == modelCancel
}

func (r *modelRun) do(c *modelCall) {
	r.step++
	pred := r.predict(c)
	simCall := !modelIsAsyncMethod(c.method)
	var pre modelProbe
	if simCall && pred.mayFail() {
		pre = r.probe(pred.rejection())
	}
	wasPending := c.obj.pending
	res := r.exec(c)
	r.remember(c, res)
	r.rep.count(c.method, res.hr)
	if res.panicked != "" {
		r.fail("panic", c, pred, res, "the call panicked: "+res.panicked)
		r.broken = true
		return
	}
	// Release is IUnknown::Release: REFERENCE §1.3 has no return codes for it.
	if simCall && c.method != "Release" && !sim.IsDocumented(c.method, res.hr) {
		r.fail("undocumented", c, pred, res, "the result is not a documented return code of the method (REFERENCE §1.3)")
	}
	if !pred.allows(res.hr) {
		r.fail("result", c, pred, res, "the sim and the model disagree")
	}
	if res.hr == vss.VSS_E_BAD_STATE {
		var ve *vss.Error
		switch {
		case !errors.As(res.err, &ve) || ve.Rule == "":
			r.fail("rule", c, pred, res, "a VSS_E_BAD_STATE must be a *vss.Error naming the broken rule")
		case !modelRuleIDs[ve.Rule]:
			r.fail("rule", c, pred, res, fmt.Sprintf("VSS_E_BAD_STATE names rule %q, which is not in sim.Rules", ve.Rule))
		default:
			r.rep.count("rule "+ve.Rule, res.hr)
		}
	}
	if simCall && res.hr.Failed() && pred.mayFail() {
		post := r.probe(pre.obs != nil)
		if post.traceLen != pre.traceLen+2 {
			r.fail("trace", c, pred, res, fmt.Sprintf("a failed call must add exactly its call and return entries to the trace; it added %d", post.traceLen-pre.traceLen))
		}
		if pre.obs != nil {
			if d := cmp.Diff(*pre.obs, *post.obs); d != "" {
				r.fail("unchanged", c, pred, res, "a rejected call changed the coordinator (-want +got):\n"+d)
			}
		}
	}
	r.poll()
	r.observed(c, res)
	if res.hr == vss.S_OK || (c.method == modelCancel && res.err == nil) {
		r.effect(c, res, wasPending)
	}
	r.poll()
}

// observed applies what an IVssAsync call of the sequence saw: Wait and
// QueryStatus observe the end when they return with the operation over,
// Cancel always (REFERENCE §3; sim.Options.StrictAsync).
func (r *modelRun) observed(c *modelCall, res modelResult) {
	op := c.async
	switch c.method {
	case modelWait, modelQueryStatus:
		if op.final && (c.method == modelWait || vss.HRESULT(res.n) != vss.VSS_S_ASYNC_PENDING) {
			op.obj.observe(op)
		}
	case modelCancel:
		op.observed = true
		op.obj.observe(op)
	}
}

func (r *modelRun) remember(c *modelCall, res modelResult) {
	if len(r.history) == 2*modelHistory {
		r.history = append(r.history[:0], r.history[modelHistory:]...)
	}
	r.history = append(r.history, modelHist{r.step, c, res.hr, res.err})
}

func (r *modelRun) historyText() string {
	h := r.history[max(0, len(r.history)-modelHistory):]
	lines := make([]string, len(h))
	for i, e := range h {
		lines[i] = fmt.Sprintf("step %d: %s -> %v", e.step, r.describe(e.call), e.hr)
		if e.err != nil {
			lines[i] += fmt.Sprintf(" [%v]", e.err)
		}
	}
	return strings.Join(lines, "\n    ")
}

func (r *modelRun) fail(kind string, c *modelCall, pred modelPred, res modelResult, what string) {
	sig := kind + "|" + c.method + "|" + pred.why + "|" + res.hr.String()
	if r.rep.seen[sig] > 0 {
		r.rep.seen[sig]++ // printed in full once already
		return
	}
	msg := fmt.Sprintf("%s\n  seed=%d step=%d (reproduce: MODEL_SEED=%d go test -race -run TestModelRandomSequences ./sim/)\n"+
		"  call:     %s\n  expected: %s\n  actual:   %v\n  error:    %v\n  last calls:\n    %s",
		what, r.seed, r.step, r.seed, r.describe(c), pred, res.hr, res.err, r.historyText())
	r.rep.report(sig, msg)
}

// outputFail reports a wrong output of a successful call.
func (r *modelRun) outputFail(c *modelCall, res modelResult, what string) {
	r.fail("output", c, modelOK(), res, what)
}

// exec runs c on the simulator.
func (r *modelRun) exec(c *modelCall) (res modelResult) {
	defer func() {
		if p := recover(); p != nil {
			res.panicked = fmt.Sprint(p)
		}
	}()
	o := c.obj.o
	var err error
	switch c.method {
	case "InitializeForBackup":
		err = o.InitializeForBackup(c.xml)
	case "SetContext":
		err = o.SetContext(c.ctx)
	case "SetBackupState":
		err = o.SetBackupState(c.sel, c.succ, c.btype, false)
	case "EnableWriterClasses":
		err = o.EnableWriterClasses(c.ids)
	case "DisableWriterClasses":
		err = o.DisableWriterClasses(c.ids)
	case "DisableWriterInstances":
		err = o.DisableWriterInstances(c.ids)
	case "GatherWriterMetadata":
		res.async, err = o.GatherWriterMetadata()
	case "GetWriterMetadataCount":
		res.n, err = o.GetWriterMetadataCount()
	case "GetWriterMetadata":
		res.inst, res.md, err = o.GetWriterMetadata(c.idx)
	case "FreeWriterMetadata":
		err = o.FreeWriterMetadata()
	case "AddComponent":
		err = o.AddComponent(c.inst, c.wid, c.ct, c.path, c.name)
	case "SetBackupOptions":
		err = o.SetBackupOptions(c.wid, c.ct, c.path, c.name, c.val)
	case "SetPreviousBackupStamp":
		err = o.SetPreviousBackupStamp(c.wid, c.ct, c.path, c.name, c.val)
	case "StartSnapshotSet":
		res.id, err = o.StartSnapshotSet()
	case "AddToSnapshotSet":
		res.id, err = o.AddToSnapshotSet(c.vol, c.prov)
	case "IsVolumeSupported":
		res.ok, err = o.IsVolumeSupported(c.prov, c.vol)
	case "PrepareForBackup":
		res.async, err = o.PrepareForBackup()
	case "DoSnapshotSet":
		res.async, err = o.DoSnapshotSet()
	case "GetSnapshotProperties":
		res.prop, err = o.GetSnapshotProperties(c.id)
	case "Query":
		res.props, err = o.Query(c.id, c.qt, c.rt)
	case "GatherWriterStatus":
		res.async, err = o.GatherWriterStatus()
	case "GetWriterStatusCount":
		res.n, err = o.GetWriterStatusCount()
	case "GetWriterStatus":
		res.ws, err = o.GetWriterStatus(c.idx)
	case "GetWriterStatusEx":
		res.ws, err = o.GetWriterStatusEx(c.idx)
	case "FreeWriterStatus":
		err = o.FreeWriterStatus()
	case "SetBackupSucceeded":
		err = o.SetBackupSucceeded(c.inst, c.wid, c.ct, c.path, c.name, c.succ)
	case "SaveAsXML":
		res.xml, err = o.SaveAsXML()
	case "BackupComplete":
		res.async, err = o.BackupComplete()
	case "AbortBackup":
		err = o.AbortBackup()
	case "DeleteSnapshots":
		res.deleted, _, err = o.DeleteSnapshots(c.id, c.qt, c.succ)
	case "Release":
		err = o.Release()
	case "GetWriterMetadataEx":
		res.inst, res.md, err = o.GetWriterMetadataEx(c.idx)
	case "ExposeSnapshot", "UnexposeSnapshot", "BreakSnapshotSet", "GetSessionId", "GetRootAndLogicalPrefixPaths",
		"PreFastRecovery", "FastRecovery":
		err = r.execEx(c, &res)
	case modelWait:
		err = c.async.a.Wait(c.timeout)
	case modelQueryStatus:
		var st vss.HRESULT
		st, err = c.async.a.QueryStatus()
		res.hr = st // the status is checked in effect; the call itself returns S_OK
		res.n = uint32(st)
	case modelCancel:
		var hr vss.HRESULT
		hr, err = c.async.a.Cancel()
		res.err, res.hr = err, hr
		if err != nil {
			res.hr = vss.Code(err)
		}
		return res
	default:
		panic("model: unknown method " + c.method)
	}
	res.err = err
	res.hr = vss.Code(err)
	return res
}

// ---------------------------------------------------------------------------
// The reference model's rule table.

func modelComponentArgsBad(c *modelCall) bool {
	return (c.ct != vss.VSS_CT_DATABASE && c.ct != vss.VSS_CT_FILEGROUP) || c.name == ""
}

// argReject counts calls where both an argument and the state are wrong
// (REFERENCE §0: E_INVALIDARG wins) and returns the rejection.
func (r *modelRun) argReject(m *modelObj, afterEnd bool, why string) modelPred {
	if _, bad := m.gate(afterEnd); bad {
		r.rep.both++
	}
	return modelReject(vss.E_INVALIDARG, why)
}

func (r *modelRun) predict(c *modelCall) modelPred {
	m := c.obj
	switch c.method {
	case "InitializeForBackup":
		bad := c.xml != ""
		if m.released || m.inited {
			if bad {
				return modelOneOf("§2.3#2 second Initialize; the XML is also unloadable", vss.VSS_E_BAD_STATE, vss.VSS_E_INVALID_XML_DOCUMENT)
			}
			return modelReject(vss.VSS_E_BAD_STATE, "§2.3#2 InitializeForBackup a second time")
		}
		if bad {
			return modelReject(vss.VSS_E_INVALID_XML_DOCUMENT, "§1.3 the BCD could not be loaded")
		}
		return modelOK()

	case "SetContext":
		if c.ctxClass == ctxInvalid {
			return r.argReject(m, false, "§6.3 not a valid context value")
		}
		state, bad := m.gate(false)
		if !bad {
			switch {
			case m.ctxSet:
				state, bad = modelReject(vss.VSS_E_BAD_STATE, "§2.3#5 SetContext twice"), true
			case m.setStarted:
				state, bad = modelReject(vss.VSS_E_BAD_STATE, "§2.3#5 SetContext after StartSnapshotSet"), true
			}
		}
		if c.ctxClass == ctxUnsupported {
			if bad {
				return modelOneOf(state.why+"; TRANSPORTABLE unsupported (Options.UnsupportedContextBits)", vss.VSS_E_BAD_STATE, vss.VSS_E_UNSUPPORTED_CONTEXT)
			}
			return modelReject(vss.VSS_E_UNSUPPORTED_CONTEXT, "Options.UnsupportedContextBits: TRANSPORTABLE")
		}
		if bad {
			return state
		}
		return modelOK()

	case "SetBackupState":
		if c.btype < vss.VSS_BT_FULL || c.btype > vss.VSS_BT_OTHER {
			return r.argReject(m, false, "§6.1 not a VSS_BACKUP_TYPE of a backup")
		}
		if p, bad := m.gate(false); bad {
			return p
		}
		if m.prepare != stepNotYet {
			return modelReject(vss.VSS_E_BAD_STATE, "§1.4 SetBackupState must precede PrepareForBackup")
		}
		return modelOK()

	case "EnableWriterClasses", "DisableWriterClasses", "DisableWriterInstances":
		if p, bad := m.gate(false); bad {
			return p
		}
		return modelOK() // after GatherWriterMetadata: S_OK, no effect (§2.3#24)

	case "GatherWriterMetadata":
		if p, bad := m.gate(false); bad {
			return p
		}
		switch {
		case m.gather != stepNotYet:
			return modelReject(vss.VSS_E_BAD_STATE, "§2.3#6 GatherWriterMetadata twice")
		case m.pending != nil:
			return modelReject(vss.VSS_E_BAD_STATE, "§2.3#21 another async operation is pending")
		case m.unobserved() != nil:
			return modelReject(vss.VSS_E_BAD_STATE, modelObserveWhy)
		}
		return modelOK()

	case "GetWriterMetadataCount", "GetWriterMetadata", "GetWriterMetadataEx", "FreeWriterMetadata":
		// Row 22 excepts FreeWriter* but not the metadata getters.
		if p, bad := m.gate(c.method == "FreeWriterMetadata"); bad {
			return p
		}
		switch {
		case m.unobserved("GatherWriterMetadata") != nil:
			return modelReject(vss.VSS_E_BAD_STATE, modelObserveWhy)
		case m.gather != stepDone:
			return modelReject(vss.VSS_E_BAD_STATE, "§2.3#7 GatherWriterMetadata has not completed ("+m.gather.String()+")")
		case m.mdFreed:
			return modelReject(vss.VSS_E_BAD_STATE, "§2.3#7 after FreeWriterMetadata")
		}
		if c.method == "GetWriterMetadata" || c.method == "GetWriterMetadataEx" {
			return m.indexPred(c.idx, "§8 C2 index")
		}
		return modelOK()

	case "AddComponent":
		if modelComponentArgsBad(c) {
			return r.argReject(m, false, "§1.3 bad component type or NULL name")
		}
		if p, bad := m.gate(false); bad {
			return p
		}
		switch {
		case !m.writerCtx():
			return modelReject(vss.VSS_E_BAD_STATE, "§2.3#14 non-writer context")
		case m.unobserved("GatherWriterMetadata") != nil:
			return modelReject(vss.VSS_E_BAD_STATE, modelObserveWhy)
		case m.gather != stepDone:
			return modelReject(vss.VSS_E_BAD_STATE, "§1.4 AddComponent after GatherWriterMetadata completed")
		case m.stateSet && !m.sel:
			return modelReject(vss.VSS_E_BAD_STATE, "§1.2 AddComponent: component mode only")
		case m.prepare != stepNotYet:
			return modelReject(vss.VSS_E_BAD_STATE, "§2.3#12 after PrepareForBackup (Options.AddComponentDeadline)")
		}
		if _, ok := m.comps[compKey{c.wid, c.path, c.name}]; ok {
			return modelReject(vss.VSS_E_OBJECT_ALREADY_EXISTS, "§1.3 a component with this writer, logical path and name is in the BCD")
		}
		if r.declared(m, c) {
			return modelOK()
		}
		return modelAnyDoc("component not declared by an identified writer: REFERENCE names no code")

	case "SetBackupOptions", "SetPreviousBackupStamp":
		if modelComponentArgsBad(c) {
			return r.argReject(m, false, "§1.3 bad component type or NULL name")
		}
		if p, bad := m.gate(false); bad {
			return p
		}
		if m.prepare != stepNotYet {
			return modelReject(vss.VSS_E_BAD_STATE, "§2.3#12 after PrepareForBackup (Options.AddComponentDeadline)")
		}
		if m.writerCtx() && m.unobserved("GatherWriterMetadata") != nil {
			return modelReject(vss.VSS_E_BAD_STATE, modelObserveWhy)
		}
		p := m.lookup(c, false)
		if !m.writerCtx() || m.gather != stepDone || (m.stateSet && !m.sel) {
			// Components cannot be selected now: the stock "wrong sequence" or "not in the BCD".
			p.allowed = append(p.allowed, vss.VSS_E_BAD_STATE)
			p.why += "; no component selection in this state"
		}
		return p

	case "StartSnapshotSet":
		if p, bad := m.gate(false); bad {
			return p
		}
		switch {
		case m.setStarted:
			return modelReject(vss.VSS_E_BAD_STATE, "§2.3#10 this object already started its set (one object, one set)")
		case m.ctx == vss.VSS_CTX_ALL:
			return modelReject(vss.VSS_E_BAD_STATE, "§6.3 VSS_CTX_ALL is not a creation context")
		case r.slot != nil && r.slot != m && r.slotMay:
			return modelOneOf("§2.3#10 the creation slot holder's DoSnapshotSet was cancelled and may still be winding down", vss.S_OK, vss.VSS_E_SNAPSHOT_SET_IN_PROGRESS)
		case r.slot != nil && r.slot != m:
			return modelReject(vss.VSS_E_SNAPSHOT_SET_IN_PROGRESS, "§2.3#10 another object is creating a set")
		}
		return modelOK()

	case "AddToSnapshotSet":
		if c.vol == "" {
			return r.argReject(m, false, "§1.3 NULL volume name")
		}
		if p, bad := m.gate(false); bad {
			return p
		}
		switch {
		case !m.setStarted:
			return modelReject(vss.VSS_E_BAD_STATE, "§2.3#9 before StartSnapshotSet")
		case m.snap != stepNotYet:
			return modelReject(vss.VSS_E_BAD_STATE, "§2.3#9 after DoSnapshotSet started")
		}
		return r.volumePred(m, c)

	case "IsVolumeSupported":
		if c.vol == "" {
			return r.argReject(m, false, "§1.3 NULL volume name")
		}
		// [Inf] both ways: §1.2 "any time after InitializeForBackup" vs
		// §2.3#22; the sim rejects after the end, followed here.
		if p, bad := m.gate(false); bad {
			return p
		}
		if !modelKnownVolume(c.vol) {
			return modelReject(vss.VSS_E_OBJECT_NOT_FOUND, "§1.3 the volume was not found")
		}
		return modelOK()

	case "PrepareForBackup":
		if p, bad := m.gate(false); bad {
			return p
		}
		switch {
		case !m.writerCtx():
			return modelReject(vss.VSS_E_BAD_STATE, "§2.3#14 non-writer context")
		case m.prepare != stepNotYet:
			return modelReject(vss.VSS_E_BAD_STATE, "§2.3#11 PrepareForBackup twice")
		case m.pending != nil:
			return modelReject(vss.VSS_E_BAD_STATE, "§2.3#21 another async operation is pending")
		case !m.stateSet:
			return modelReject(vss.VSS_E_BAD_STATE, "§2.3#11 without SetBackupState")
		case m.gather != stepDone:
			return modelReject(vss.VSS_E_BAD_STATE, "§1.2 GatherWriterMetadata is required for every backup")
		case !m.setStarted:
			return modelReject(vss.VSS_E_BAD_STATE, "§2.3#11 before StartSnapshotSet")
		case m.unobserved() != nil:
			return modelReject(vss.VSS_E_BAD_STATE, modelObserveWhy)
		}
		return modelOK()

	case "DoSnapshotSet":
		if p, bad := m.gate(false); bad {
			return p
		}
		switch {
		case !m.setStarted:
			return modelReject(vss.VSS_E_BAD_STATE, "§2.3#13 before StartSnapshotSet")
		case m.snap != stepNotYet:
			return modelReject(vss.VSS_E_BAD_STATE, "§2.3#13 DoSnapshotSet twice")
		case m.pending != nil:
			return modelReject(vss.VSS_E_BAD_STATE, "§2.3#21 another async operation is pending")
		case m.writerCtx() && m.gather != stepDone:
			return modelReject(vss.VSS_E_BAD_STATE, "§2.3#13 writer context: GatherWriterMetadata not completed")
		case m.writerCtx() && m.prepare != stepDone:
			return modelReject(vss.VSS_E_BAD_STATE, "§2.3#13 writer context: PrepareForBackup not completed ("+m.prepare.String()+")")
		case m.unobserved() != nil:
			return modelReject(vss.VSS_E_BAD_STATE, modelObserveWhy)
		}
		return modelOK()

	case "GatherWriterStatus":
		if p, bad := m.gate(true); bad {
			return p
		}
		switch {
		case m.gather != stepDone:
			// REFERENCE is silent; the sim needs the writer list first.
			return modelReject(vss.VSS_E_BAD_STATE, "GatherWriterStatus before GatherWriterMetadata completed (sim choice)")
		case m.pending != nil:
			return modelReject(vss.VSS_E_BAD_STATE, "§2.3#21 another async operation is pending")
		case m.unobserved() != nil:
			return modelReject(vss.VSS_E_BAD_STATE, modelObserveWhy)
		}
		return modelOK()

	case "GetWriterStatusCount", "GetWriterStatus", "GetWriterStatusEx", "FreeWriterStatus":
		if p, bad := m.gate(true); bad {
			return p
		}
		switch {
		case m.unobserved("GatherWriterStatus") != nil:
			return modelReject(vss.VSS_E_BAD_STATE, modelObserveWhy)
		case m.status != stepDone:
			return modelReject(vss.VSS_E_BAD_STATE, "§2.3#8 GatherWriterStatus has not completed ("+m.status.String()+")")
		case m.statusFree:
			return modelReject(vss.VSS_E_BAD_STATE, "§2.3#8 after FreeWriterStatus")
		}
		if c.method == "GetWriterStatus" || c.method == "GetWriterStatusEx" {
			return m.indexPred(c.idx, "§1.3 writer index")
		}
		return modelOK()

	case "SetBackupSucceeded":
		if modelComponentArgsBad(c) {
			return r.argReject(m, false, "§1.3 bad component type or NULL name")
		}
		if p, bad := m.gate(false); bad {
			return p
		}
		switch {
		case m.unobserved("DoSnapshotSet") != nil:
			return modelReject(vss.VSS_E_BAD_STATE, modelObserveWhy)
		case m.snap != stepDone:
			return modelReject(vss.VSS_E_BAD_STATE, "§2.3#15 DoSnapshotSet has not succeeded ("+m.snap.String()+")")
		case m.complete != stepNotYet:
			return modelReject(vss.VSS_E_BAD_STATE, "§1.4 SetBackupSucceeded before BackupComplete")
		}
		return m.lookup(c, true)

	case "SaveAsXML":
		if p, bad := m.gate(true); bad {
			return p
		}
		// Row 17; in non-writer contexts there is no PrepareForBackup (sim choice followed).
		if m.writerCtx() && m.prepare == stepNotYet {
			return modelReject(vss.VSS_E_BAD_STATE, "§2.3#17 before PrepareForBackup")
		}
		return modelOK()

	case "BackupComplete":
		if p, bad := m.gate(false); bad {
			return p
		}
		switch {
		case !m.writerCtx():
			return modelReject(vss.VSS_E_BAD_STATE, "§2.3#14 non-writer context")
		case m.pending != nil:
			return modelReject(vss.VSS_E_BAD_STATE, "§2.3#21 another async operation is pending")
		case m.snap != stepDone:
			return modelReject(vss.VSS_E_BAD_STATE, "§2.3#16 DoSnapshotSet has not succeeded ("+m.snap.String()+")")
		case m.unobserved() != nil:
			return modelReject(vss.VSS_E_BAD_STATE, modelObserveWhy)
		case m.complete != stepNotYet:
			return modelOneOf("BackupComplete again after a cancelled one: REFERENCE has no rule", vss.S_OK, vss.VSS_E_BAD_STATE)
		}
		return modelOK()

	case "AbortBackup":
		switch {
		case m.released:
			return modelReject(vss.VSS_E_BAD_STATE, "object released")
		case !m.inited:
			return modelReject(vss.VSS_E_BAD_STATE, "§1.3 AbortBackup: object not initialised")
		}
		return modelOK() // §2.3#23: ignored when nothing is under way

	case "Release":
		if m.released {
			return modelReject(vss.VSS_E_BAD_STATE, "Release twice")
		}
		return modelOK()

	case "GetSnapshotProperties":
		if c.id.IsNull() {
			return r.argReject(m, true, "§1.3 GUID_NULL snapshot id")
		}
		if p, bad := m.gate(true); bad {
			return p
		}
		switch r.visible(m, c.id, false) {
		case visYes:
			return modelOK()
		case visMaybe:
			return modelOneOf("§1.3 the shadow copy may exist (cancelled creation or context variant)", vss.S_OK, vss.VSS_E_OBJECT_NOT_FOUND)
		}
		return modelReject(vss.VSS_E_OBJECT_NOT_FOUND, "§1.3 no such shadow copy in the current context")

	case "Query":
		if !c.id.IsNull() || c.qt != vss.VSS_OBJECT_NONE || (c.rt != vss.VSS_OBJECT_SNAPSHOT && c.rt != vss.VSS_OBJECT_PROVIDER) {
			return r.argReject(m, false, "§1.3 Query arguments")
		}
		if p, bad := m.gate(false); bad {
			return p
		}
		// Query before SetContext runs in the default context
		// (Options.QueryNeedsSetContext is off by default).
		return modelOK()

	case "DeleteSnapshots":
		if c.qt != vss.VSS_OBJECT_SNAPSHOT && c.qt != vss.VSS_OBJECT_SNAPSHOT_SET {
			if m.released || !m.inited {
				r.rep.both++
			}
			return modelReject(vss.E_INVALIDARG, "§1.3 object type not SNAPSHOT or SNAPSHOT_SET")
		}
		switch {
		case m.released:
			return modelReject(vss.VSS_E_BAD_STATE, "object released")
		case !m.inited:
			return modelReject(vss.VSS_E_BAD_STATE, "§8 C14 Options.DeleteNeedsInitialize")
		}
		certain, maybe := r.victims(m, c)
		switch {
		case len(certain) > 0:
			return modelOK()
		case len(maybe) > 0:
			return modelOneOf("§1.3 the shadow copies may be gone or outside the context", vss.S_OK, vss.VSS_E_OBJECT_NOT_FOUND)
		}
		return modelReject(vss.VSS_E_OBJECT_NOT_FOUND, "§1.3 no such snapshot / set")

	case modelWait:
		return modelOK() // §3: S_OK, also on timeout (C10)
	case modelQueryStatus:
		return modelOK() // the status it reports is checked in effect and poll
	case modelCancel:
		op := c.async
		switch {
		case op.status == vss.VSS_S_ASYNC_PENDING:
			return modelOK()
		case op.status.Failed():
			return modelReject(op.status, "§3 Cancel after failure: the operation's error")
		}
		return modelReject(op.status, "§3 Cancel after the end: the final status")
	}
	if p, ok := r.predictEx(c); ok {
		return p
	}
	panic("model: no prediction for " + c.method)
}

func (m *modelObj) indexPred(i uint32, why string) modelPred {
	lo, hi := len(m.idCertain), len(m.idCertain)+len(m.idMaybe)
	if m.mdCount >= 0 {
		lo, hi = m.mdCount, m.mdCount
	}
	switch {
	case int(i) < lo:
		return modelOK()
	case int(i) >= hi:
		return modelReject(vss.VSS_E_OBJECT_NOT_FOUND, why+" out of range")
	}
	return modelOneOf(why+": writer count not yet known", vss.S_OK, vss.VSS_E_OBJECT_NOT_FOUND)
}

// lookup predicts the result of naming a component of the BCD, keyed by
// (writer class, logical path, name) (REFERENCE §1.2).
func (m *modelObj) lookup(c *modelCall, withInstance bool) modelPred {
	v, ok := m.comps[compKey{c.wid, c.path, c.name}]
	switch {
	case !ok:
		return modelReject(vss.VSS_E_OBJECT_NOT_FOUND, "§1.3 the component is not in the BCD")
	case v.ct != c.ct || (withInstance && v.inst != c.inst):
		return modelOneOf("component type or instance differs from AddComponent's", vss.S_OK, vss.VSS_E_OBJECT_NOT_FOUND)
	}
	return modelOK()
}

func modelKnownVolume(v string) bool { return v == `C:\` || v == `D:\` }

func (r *modelRun) volumePred(m *modelObj, c *modelCall) modelPred {
	if m.vols[c.vol] {
		return modelAnyDoc("volume already in the set: REFERENCE names no code")
	}
	var codes []vss.HRESULT
	if !modelKnownVolume(c.vol) {
		codes = append(codes, vss.VSS_E_OBJECT_NOT_FOUND) // [Obs] "C:" without backslash too
	}
	if !c.prov.IsNull() && c.prov != sim.SystemProviderID {
		codes = append(codes, vss.VSS_E_PROVIDER_NOT_REGISTERED)
	}
	if len(codes) > 0 {
		return modelOneOf("§1.3 unknown volume or provider", codes...)
	}
	return modelOK()
}

// declared reports whether c names the component a subscribed writer
// declares, with the writer's own instance id, and that writer was surely
// identified.
func (r *modelRun) declared(m *modelObj, c *modelCall) bool {
	if c.ct != vss.VSS_CT_FILEGROUP || c.path != "" || c.name != "Data" {
		return false
	}
	for _, w := range r.writers {
		if w.class == c.wid && w.inst == c.inst {
			return slices.Contains(m.idCertain, w.inst)
		}
	}
	return false
}

type modelVis int

const (
	visNo modelVis = iota
	visMaybe
	visYes
)

// ctxVisible: GetSnapshotProperties and Query see the shadow copies of the
// current context; VSS_CTX_ALL sees all (REFERENCE §1.3, §6.3). Whether a
// context with extra attribute bits counts as the same context is left
// open.
func modelCtxVisible(q, s vss.SnapshotContext) modelVis {
	const extra = vss.SnapshotContext(vss.VSS_VOLSNAP_ATTR_TRANSPORTABLE | vss.VSS_VOLSNAP_ATTR_DIFFERENTIAL |
		vss.VSS_VOLSNAP_ATTR_PLEX | vss.VSS_VOLSNAP_ATTR_NO_AUTORECOVERY | vss.VSS_VOLSNAP_ATTR_TXF_RECOVERY)
	switch {
	case q == vss.VSS_CTX_ALL || q == s:
		return visYes
	case q&^extra == s&^extra:
		return visMaybe
	}
	return visNo
}

func (r *modelRun) snapVisible(m *modelObj, s *modelSnap, lenientCtx bool) modelVis {
	v := modelCtxVisible(m.ctx, s.ctx)
	if lenientCtx && v == visNo {
		v = visMaybe
	}
	switch s.state {
	case snapCreated:
		return v
	case snapMaybe, snapCreating:
		return min(v, visMaybe)
	}
	return visNo
}

func (r *modelRun) visible(m *modelObj, id vss.ID, lenientCtx bool) modelVis {
	s, ok := r.snaps[id]
	if !ok {
		return visNo
	}
	return r.snapVisible(m, s, lenientCtx)
}

// victims are the shadow copies DeleteSnapshots may delete; REFERENCE does
// not tie DeleteSnapshots to the current context, so other contexts are
// "maybe".
func (r *modelRun) victims(m *modelObj, c *modelCall) (certain, maybe []*modelSnap) {
	for _, s := range r.sortedSnaps() {
		if (c.qt == vss.VSS_OBJECT_SNAPSHOT && s.id == c.id) || (c.qt == vss.VSS_OBJECT_SNAPSHOT_SET && s.set == c.id) {
			switch r.snapVisible(m, s, true) {
			case visYes:
				certain = append(certain, s)
			case visMaybe:
				maybe = append(maybe, s)
			}
		}
	}
	return certain, maybe
}

func (r *modelRun) sortedSnaps() []*modelSnap {
	out := make([]*modelSnap, 0, len(r.snaps))
	for _, s := range r.snaps {
		out = append(out, s)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].id.String() < out[j].id.String() })
	return out
}

// ---------------------------------------------------------------------------
// Effects of successful calls and of finished operations.

func (r *modelRun) register(m *modelObj, method string, a vss.Async) *modelAsync {
	op := &modelAsync{id: len(r.asyncs) + 1, obj: m, method: method, a: a, status: vss.VSS_S_ASYNC_PENDING}
	r.asyncs = append(r.asyncs, op)
	m.pending, m.last = op, op
	return op
}

func (r *modelRun) effect(c *modelCall, res modelResult, wasPending *modelAsync) {
	m := c.obj
	switch c.method {
	default:
		r.effectEx(c, res)
	case "InitializeForBackup":
		m.inited = true
	case "SetContext":
		m.ctxSet, m.ctx = true, c.ctx
	case "SetBackupState":
		m.stateSet, m.sel = true, c.sel
	case "EnableWriterClasses", "DisableWriterClasses", "DisableWriterInstances":
		if m.gather != stepNotYet {
			return // §2.3#24: no effect after GatherWriterMetadata
		}
		for _, id := range c.ids {
			switch c.method {
			case "EnableWriterClasses":
				m.enableCalled = true
				m.enabled[id] = true
			case "DisableWriterClasses":
				m.disabledCls[id] = true
			default:
				m.disabledInst[id] = true
			}
		}
		if c.method == "EnableWriterClasses" {
			m.enableCalled = true
		}
	case "GatherWriterMetadata":
		m.gather = stepPending
		m.idCertain, m.idMaybe = nil, nil
		for _, w := range r.writers {
			disabled := m.disabledCls[w.class] || m.disabledInst[w.inst]
			switch {
			case !m.enableCalled && !disabled, m.enableCalled && m.enabled[w.class] && !disabled:
				m.idCertain = append(m.idCertain, w.inst)
			case disabled && !m.enabled[w.class]:
				// excluded
			default:
				// Enable without this class, or enabled and disabled: REFERENCE is silent.
				m.idMaybe = append(m.idMaybe, w.inst)
			}
		}
		r.register(m, c.method, res.async)
	case "GetWriterMetadataCount":
		r.checkWriterCount(c, res, int(res.n))
	case "GetWriterMetadata", "GetWriterMetadataEx":
		if res.md == nil {
			r.outputFail(c, res, c.method+" succeeded without metadata")
			return
		}
		r.checkWriter(c, res, m.mdAt, res.inst, res.md.Identity.InstanceID, res.md.Identity.WriterID, res.md.Identity.Name)
	case "FreeWriterMetadata":
		m.mdFreed = true
	case "AddComponent":
		m.comps[compKey{c.wid, c.path, c.name}] = compVal{ct: c.ct, inst: c.inst}
	case "StartSnapshotSet":
		m.setStarted, m.setID = true, res.id
		r.setIDs = append(r.setIDs, res.id)
		r.slot, r.slotMay = m, false
	case "AddToSnapshotSet":
		if res.id.IsNull() {
			r.outputFail(c, res, "AddToSnapshotSet returned GUID_NULL as the snapshot id")
		}
		m.vols[c.vol] = true
		r.snaps[res.id] = &modelSnap{id: res.id, set: m.setID, ctx: m.ctx, owner: m, state: snapPending}
	case "IsVolumeSupported":
		if (c.prov.IsNull() || c.prov == sim.SystemProviderID) && !res.ok {
			r.outputFail(c, res, "the system provider supports every registered volume")
		}
	case "PrepareForBackup":
		m.prepare = stepPending
		r.register(m, c.method, res.async)
	case "DoSnapshotSet":
		m.snap = stepPending
		m.snapOp = r.register(m, c.method, res.async)
		r.forSet(m, func(s *modelSnap) {
			if s.state == snapPending {
				s.state = snapCreating
			}
		})
	case "GatherWriterStatus":
		m.status, m.statusFree = stepPending, false
		r.register(m, c.method, res.async)
	case "GetWriterStatusCount":
		r.checkWriterCount(c, res, int(res.n))
	case "GetWriterStatus", "GetWriterStatusEx":
		r.checkWriter(c, res, m.stAt, res.ws.InstanceID, res.ws.InstanceID, res.ws.WriterID, res.ws.Name)
	case "FreeWriterStatus":
		m.statusFree = true
	case "SaveAsXML":
		if res.xml == "" {
			r.outputFail(c, res, "SaveAsXML returned an empty document")
		}
	case "BackupComplete":
		m.complete = stepPending
		r.register(m, c.method, res.async)
	case "AbortBackup":
		if !m.setStarted || m.ended() {
			return // §2.3#23 nothing under way: ignored
		}
		m.aborted = true
		// The requestor gave its operations up: nothing is left to observe.
		for _, op := range m.unseen {
			op.observed = true
		}
		m.unseen = nil
		if wasPending != nil {
			wasPending.observed = true
		}
		if r.slot == m {
			r.slot, r.slotMay = nil, false
		}
		if wasPending != nil && wasPending == m.snapOp {
			// The creation was interrupted and run to its end: no shadow copies.
			r.forSet(m, func(s *modelSnap) {
				if s.state != snapCreated {
					s.state = snapGone
				}
			})
		}
	case "Release":
		m.released = true
		if r.slot == m {
			r.slot, r.slotMay = nil, false
		}
		autoRelease := vss.VolumeSnapshotAttributes(m.ctx)&vss.VSS_VOLSNAP_ATTR_NO_AUTO_RELEASE == 0
		r.forSet(m, func(s *modelSnap) {
			if s.state == snapMaybe || (s.state == snapCreated && autoRelease) {
				s.state = snapGone // §1.1: auto-release shadow copies are deleted
			}
		})
	case "GetSnapshotProperties":
		s := r.snaps[c.id]
		if s == nil {
			return // already reported: the model knows no such shadow copy
		}
		type ids struct{ Snapshot, Set string }
		want := ids{c.id.String(), s.set.String()}
		got := ids{res.prop.SnapshotID.String(), res.prop.SnapshotSetID.String()}
		if d := cmp.Diff(want, got); d != "" {
			r.outputFail(c, res, "GetSnapshotProperties returned another shadow copy (-want +got):\n"+d)
		}
		if res.prop.Status != vss.VSS_SS_CREATED {
			r.outputFail(c, res, fmt.Sprintf("a finished shadow copy is VSS_SS_CREATED (§8 C7), got %v", res.prop.Status))
		}
	case "Query":
		r.checkQuery(c, res)
	case "DeleteSnapshots":
		certain, maybe := r.victims(m, c)
		n := int(res.deleted)
		if n < len(certain) || n > len(certain)+len(maybe) {
			r.outputFail(c, res, fmt.Sprintf("deleted %d shadow copies, expected %d to %d", n, len(certain), len(certain)+len(maybe)))
		}
		for _, s := range certain {
			s.state = snapGone
		}
		if n == len(certain)+len(maybe) {
			for _, s := range maybe {
				s.state = snapGone
			}
		}
	case modelQueryStatus:
		op := c.async
		st := vss.HRESULT(res.n)
		if op.final && st != op.status {
			r.outputFail(c, res, fmt.Sprintf("a final status changed from %v to %v", op.status, st))
		}
	case modelWait:
		if c.timeout < 0 {
			st, err := c.async.a.QueryStatus()
			if err != nil || st == vss.VSS_S_ASYNC_PENDING {
				r.outputFail(c, res, fmt.Sprintf("after Wait(INFINITE) the operation is still %v (err %v)", st, err))
			}
		}
	case modelCancel:
		if res.hr == vss.S_OK {
			st, err := c.async.a.QueryStatus()
			if err != nil || st != vss.VSS_S_ASYNC_CANCELLED {
				r.outputFail(c, res, fmt.Sprintf("after a successful Cancel QueryStatus gives %v, not VSS_S_ASYNC_CANCELLED (§3 semantics 4)", st))
			}
		}
	}
}

func (r *modelRun) forSet(m *modelObj, f func(*modelSnap)) {
	for _, s := range r.sortedSnaps() {
		if s.owner == m {
			f(s)
		}
	}
}

func (r *modelRun) checkWriterCount(c *modelCall, res modelResult, n int) {
	m := c.obj
	lo, hi := len(m.idCertain), len(m.idCertain)+len(m.idMaybe)
	switch {
	case m.mdCount >= 0 && n != m.mdCount:
		r.outputFail(c, res, fmt.Sprintf("%d writers, but %d before: the metadata and status lists hold the same writers (§4.2)", n, m.mdCount))
	case n < lo || n > hi:
		r.outputFail(c, res, fmt.Sprintf("%d writers, expected %d to %d from the writer filters before GatherWriterMetadata", n, lo, hi))
	}
	m.mdCount = n
}

// checkWriter checks that index i names an identified writer, the same one
// every time, with its own class id and name.
func (r *modelRun) checkWriter(c *modelCall, res modelResult, at map[uint32]vss.ID, inst, idInst, class vss.ID, name string) {
	m := c.obj
	if !slices.Contains(m.idCertain, inst) && !slices.Contains(m.idMaybe, inst) {
		r.outputFail(c, res, fmt.Sprintf("writer instance %v was not identified (filters before GatherWriterMetadata)", inst))
		return
	}
	if prev, ok := at[c.idx]; ok && prev != inst {
		r.outputFail(c, res, fmt.Sprintf("index %d named %v before and %v now", c.idx, r.idName(prev), r.idName(inst)))
	}
	at[c.idx] = inst
	type ident struct{ Instance, Class, Name string }
	var want ident
	for _, w := range r.writers {
		if w.inst == inst {
			want = ident{w.inst.String(), w.class.String(), w.name}
		}
	}
	got := ident{idInst.String(), class.String(), name}
	if d := cmp.Diff(want, got); d != "" {
		r.outputFail(c, res, "writer identity (-want +got):\n"+d)
	}
}

func (r *modelRun) checkQuery(c *modelCall, res modelResult) {
	m := c.obj
	if c.rt == vss.VSS_OBJECT_PROVIDER {
		var got []string
		for _, p := range res.props {
			got = append(got, p.Prov.ProviderID.String())
		}
		if d := cmp.Diff([]string{sim.SystemProviderID.String()}, got); d != "" {
			r.outputFail(c, res, "providers (-want +got):\n"+d)
		}
		return
	}
	gotSet := map[vss.ID]bool{}
	for _, p := range res.props {
		gotSet[p.Snap.SnapshotID] = true
	}
	var want, got []string
	for _, s := range r.sortedSnaps() {
		switch r.snapVisible(m, s, false) {
		case visYes:
			want = append(want, s.id.String())
			if gotSet[s.id] {
				got = append(got, s.id.String())
			}
		case visMaybe:
			if !gotSet[s.id] && s.state == snapMaybe && modelCtxVisible(m.ctx, s.ctx) == visYes {
				s.state = snapGone // observed gone: a cancelled creation never comes back
			}
		}
		delete(gotSet, s.id)
	}
	for id := range gotSet {
		got = append(got, "unexpected "+id.String())
	}
	sort.Strings(got)
	if d := cmp.Diff(want, got); d != "" {
		r.outputFail(c, res, "Query: completed shadow copies of the current context (-want +got):\n"+d)
	}
}

// poll asks every running operation for its status and applies the end of
// those that ended (REFERENCE §3).
func (r *modelRun) poll() {
	for _, op := range r.asyncs {
		if op.final {
			continue
		}
		// Status, not QueryStatus: the model's own look must neither move
		// the clock (Options.Poll) nor count as the requestor observing
		// the end (Options.StrictAsync).
		st := op.a.(*sim.Async).Status()
		if st == vss.VSS_S_ASYNC_PENDING {
			continue
		}
		if st != vss.VSS_S_ASYNC_FINISHED && st != vss.VSS_S_ASYNC_CANCELLED && !(st.Failed() && sim.IsDocumented(op.method, st)) {
			r.rep.report("status|"+op.method+"|"+st.String(), fmt.Sprintf("%s ended with %v, which is neither FINISHED, CANCELLED nor a documented failure (seed %d step %d)\n    %s",
				op.method, st, r.seed, r.step, r.historyText()))
		}
		op.final, op.status = true, st
		r.rep.count(op.method+" async", st)
		r.finished(op)
	}
}

func (r *modelRun) finished(op *modelAsync) {
	m := op.obj
	if m.pending == op {
		m.pending = nil
	}
	if !op.observed {
		m.unseen = append(m.unseen, op)
	}
	step := stepDone
	switch {
	case op.status == vss.VSS_S_ASYNC_CANCELLED:
		step = stepCancelled
	case op.status.Failed():
		step = stepFailed
	}
	switch op.method {
	case "GatherWriterMetadata":
		m.gather = step
	case "PrepareForBackup":
		m.prepare = step
	case "GatherWriterStatus":
		m.status = step
	case "BackupComplete":
		m.complete = step
	case "DoSnapshotSet":
		m.snap = step
		r.forSet(m, func(s *modelSnap) {
			if s.state != snapPending && s.state != snapCreating {
				return
			}
			switch step {
			case stepDone:
				s.state = snapCreated
			case stepCancelled:
				s.state = snapMaybe
			default:
				s.state = snapGone
			}
		})
		if r.slot == m {
			if step == stepCancelled {
				r.slotMay = true // freed once the cancelled creation has wound down
			} else {
				r.slot, r.slotMay = nil, false
			}
		}
	}
}

// ---------------------------------------------------------------------------
// Reporting.

type modelReport struct {
	t        testing.TB
	seen     map[string]int
	order    []string
	reported int
	both     int
	stats    map[string]map[vss.HRESULT]int
}

func (rep *modelReport) count(method string, hr vss.HRESULT) {
	if rep.stats[method] == nil {
		rep.stats[method] = map[vss.HRESULT]int{}
	}
	rep.stats[method][hr]++
}

// report prints the first occurrence of each kind of disagreement in full.
func (rep *modelReport) report(sig, msg string) {
	rep.t.Helper()
	if rep.seen[sig] == 0 {
		rep.order = append(rep.order, sig)
		if rep.reported < modelMaxFullReport {
			rep.reported++
			rep.t.Errorf("model disagreement #%d: %s", rep.reported, msg)
		}
	}
	rep.seen[sig]++
}

func (rep *modelReport) requireCoverage() {
	rep.t.Helper()
	must := []struct {
		method string
		hr     vss.HRESULT
	}{
		{"StartSnapshotSet", vss.VSS_E_SNAPSHOT_SET_IN_PROGRESS},
		{"DoSnapshotSet async", vss.VSS_S_ASYNC_FINISHED},
		{"BackupComplete async", vss.VSS_S_ASYNC_FINISHED},
		{modelCancel, vss.S_OK},
		{modelCancel, vss.VSS_S_ASYNC_FINISHED},
		{"GetSnapshotProperties", vss.S_OK},
		{"SetBackupSucceeded", vss.S_OK},
		{"AddToSnapshotSet", vss.VSS_E_OBJECT_NOT_FOUND},
		{"SetBackupState", vss.E_INVALIDARG},
		{"SetContext", vss.E_INVALIDARG},
		{"rule §3 observe", vss.VSS_E_BAD_STATE}, // a call that needed an end the sequence had not observed
	}
	for _, x := range must {
		if rep.stats[x.method][x.hr] == 0 {
			rep.t.Errorf("coverage: %s never returned %v; the generator no longer reaches that state", x.method, x.hr)
		}
	}
	if rep.both == 0 {
		rep.t.Errorf("coverage: no call had both a bad argument and a bad state (E_INVALIDARG precedence untested)")
	}
}

func (rep *modelReport) finish(calls int) {
	rep.t.Helper()
	methods := make([]string, 0, len(rep.stats))
	for m := range rep.stats {
		methods = append(methods, m)
	}
	sort.Strings(methods)
	var b strings.Builder
	for _, m := range methods {
		var parts []string
		for hr, n := range rep.stats[m] {
			parts = append(parts, fmt.Sprintf("%v=%d", hr, n))
		}
		sort.Strings(parts)
		fmt.Fprintf(&b, "\n  %-24s %s", m, strings.Join(parts, " "))
	}
	rep.t.Logf("%d calls; %d with both a bad argument and a bad state; results:%s", calls, rep.both, b.String())
	if len(rep.order) > 0 {
		var s strings.Builder
		for _, sig := range rep.order {
			fmt.Fprintf(&s, "\n  %6d x %s", rep.seen[sig], sig)
		}
		rep.t.Errorf("%d kinds of disagreement (kind|method|expected rule|actual):%s", len(rep.order), s.String())
	}
}
