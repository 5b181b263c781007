package sim_test

// A model-based test: seeded random call sequences against the simulator,
// each result checked against an independent reference model written from
// REFERENCE §1.3, §1.4, §2.3 and Appendix B (with the documented defaults
// of sim.DefaultOptions). The reference knows nothing of the simulator's
// internals: it predicts the exact HRESULT of every call from its own
// abstract state, and it changes that state only when a call succeeds, so a
// rejected call that changed the simulator's state shows up as a later
// disagreement.

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/vsssim/vsssim/fakewriter"
	"github.com/vsssim/vsssim/requestor/vss"
	"github.com/vsssim/vsssim/sim"
)

type phase int

const (
	none phase = iota
	pending
	finished
	cancelledPh
)

// refOp is an async operation as the reference sees it.
type refOp struct {
	obj     int
	kind    string
	finish  time.Duration // virtual time at which it completes
	status  vss.HRESULT   // what QueryStatus says
	applied bool          // its effect on the object has happened
	// observed: the sequence saw the end (Wait returned, QueryStatus or
	// Cancel reported it); sim.Options.StrictAsync.
	observed bool
	async    vss.Async
}

type refSnap struct {
	exposed bool // ExposeSnapshot succeeded and no UnexposeSnapshot since
	id      vss.ID
	ctx     vss.SnapshotContext
	owner   int
	autoRel bool
}

// refObj is one IVssBackupComponents as the reference sees it.
type refObj struct {
	bc                   *sim.BackupComponents
	init, released       bool
	ctxSet               bool
	ctx                  vss.SnapshotContext
	stateSet, selectComp bool
	gather               phase
	mdFreed              bool
	status               phase
	statusFreed          bool
	comps                map[string]bool // "writer/name"
	setStarted           bool
	volumes              map[string]bool
	prepare, snap, compl phase
	aborted              bool
	last                 *refOp
	snapIDs              []vss.ID
	disabled             [3]bool // writer classes disabled before GatherWriterMetadata
}

// identified is the number of writers GatherWriterMetadata lists.
func (o *refObj) identified() uint32 {
	n := uint32(0)
	for w := 0; w < 2; w++ {
		if !o.disabled[w] {
			n++
		}
	}
	return n
}

func (o *refObj) writers() bool {
	return o.ctx != vss.VSS_CTX_ALL && o.ctx&vss.SnapshotContext(vss.VSS_VOLSNAP_ATTR_NO_WRITERS) == 0
}

func (o *refObj) ended() bool { return o.aborted || o.compl == finished }

func (o *refObj) pendingOp() bool { return o.last != nil && o.last.status == vss.VSS_S_ASYNC_PENDING }

// refModel is the reference for one coordinator.
type refModel struct {
	now     time.Duration
	objs    []*refObj
	ops     []*refOp
	creator int // object index holding the creation slot, -1 if none
	snaps   []*refSnap
	// exposures numbers the exposed names (modelcheck_ex_test.go).
	exposures int
	classes   []vss.ID
}

// Writer timing in the scenario: writer A spends 1 s in PrepareForBackup
// and 2 s in Freeze; writer B answers at once.
const (
	prepareTime = time.Second
	freezeTime  = 2 * time.Second
)

// settle applies the effects of every operation finished by now.
func (m *refModel) settle() {
	for _, op := range m.ops {
		if op.applied || op.finish > m.now {
			continue
		}
		op.applied = true
		if op.status == vss.VSS_S_ASYNC_PENDING {
			op.status = vss.VSS_S_ASYNC_FINISHED
		}
		o := m.objs[op.obj]
		ok := op.status == vss.VSS_S_ASYNC_FINISHED
		switch op.kind {
		case "PrepareForBackup":
			o.prepare = map[bool]phase{true: finished, false: cancelledPh}[ok]
		case "DoSnapshotSet":
			if m.creator == op.obj {
				m.creator = -1
			}
			if ok {
				o.snap = finished
				for _, id := range o.snapIDs {
					m.snaps = append(m.snaps, &refSnap{id: id, ctx: o.ctx, owner: op.obj,
						autoRel: o.ctx&vss.SnapshotContext(vss.VSS_VOLSNAP_ATTR_NO_AUTO_RELEASE) == 0})
				}
			} else {
				o.snap = cancelledPh
			}
		}
	}
}

// advance moves the reference clock to t.
func (m *refModel) advance(t time.Duration) {
	if t > m.now {
		m.now = t
	}
	m.settle()
}

// unseen reports whether an operation of object i (of kinds, or any) has
// ended without the sequence observing it: a call that needs it is then
// VSS_E_BAD_STATE (rule "§3 observe", sim.Options.StrictAsync).
func (m *refModel) unseen(i int, kinds ...string) bool {
	for _, op := range m.ops {
		if op.obj == i && op.applied && !op.observed && (len(kinds) == 0 || slices.Contains(kinds, op.kind)) {
			return true
		}
	}
	return false
}

// nextEvent is when the next operation ends: where one QueryStatus on a
// pending operation moves the clock (sim.Options.Poll, PollNextEvent).
// With this scenario's writer timings every operation has one timed
// phase, so its next event is its end.
func (m *refModel) nextEvent() time.Duration {
	t := time.Duration(-1)
	for _, op := range m.ops {
		if !op.applied && (t < 0 || op.finish < t) {
			t = op.finish
		}
	}
	return t
}

// drain finishes every operation of object i (Release, AbortBackup).
func (m *refModel) drain(i int) {
	for _, op := range m.ops {
		if op.obj == i && !op.applied {
			m.advance(op.finish)
		}
	}
}

type step struct {
	desc string
	want vss.HRESULT
	do   func() (vss.HRESULT, error)
}

// TestModelReferenceSequences runs ≥100,000 random calls (fewer with -short).
func TestModelReferenceSequences(t *testing.T) {
	total := 100_000
	if testing.Short() {
		total = 10_000
	}
	calls, seq := 0, uint64(0)
	start := time.Now()
	for calls < total {
		seq++
		calls += runSequence(t, seq, 60)
		if t.Failed() {
			return
		}
	}
	t.Logf("%d calls in %d sequences, %v", calls, seq, time.Since(start))
}

func runSequence(t *testing.T, seed uint64, n int) int {
	t.Helper()
	rng := rand.New(rand.NewPCG(seed, 0x5653534d))
	c := sim.NewDefault()
	c.AddVolume(sim.Volume{Name: `D:\`})
	a := fakewriter.New("A").On(sim.EventPrepareForBackup, fakewriter.Behavior{Latency: prepareTime}).
		On(sim.EventFreeze, fakewriter.Behavior{Latency: freezeTime})
	b := fakewriter.New("B")
	for _, w := range []*fakewriter.Writer{a, b} {
		_, err := w.Subscribe(c)
		require.NoError(t, err)
	}
	m := &refModel{creator: -1, classes: []vss.ID{a.Config.ClassID, b.Config.ClassID}}
	insts := c.Writers()
	for i := 0; i < 2; i++ {
		m.objs = append(m.objs, &refObj{bc: c.NewBackupComponents(), comps: map[string]bool{}, volumes: map[string]bool{}})
	}
	var history []string
	for k := 0; k < n; k++ {
		oi := rng.IntN(len(m.objs))
		o := m.objs[oi]
		s := m.next(rng, oi, o, insts)
		before := c.Trace().Len()
		got, err := s.do()
		line := fmt.Sprintf("#%d %s -> %v", oi+1, s.desc, got)
		history = append(history, line)
		fail := func(format string, args ...any) {
			t.Helper()
			from := max(0, len(history)-25)
			t.Fatalf("seed %d, step %d: %s\n%s\nlast calls:\n  %s", seed, k, line, fmt.Sprintf(format, args...),
				strings.Join(history[from:], "\n  "))
		}
		if got != s.want {
			fail("reference model wants %v, simulator returned %v (err: %v)", s.want, got, err)
		}
		method := strings.SplitN(s.desc, "(", 2)[0]
		if _, known := sim.ReturnCodes[method]; known && !sim.IsDocumented(method, got) {
			fail("%v is not a documented result of %s", got, method)
		}
		if got == vss.VSS_E_BAD_STATE {
			var ve *vss.Error
			if !errors.As(err, &ve) || ve.Rule == "" || ve.Expected == "" {
				fail("VSS_E_BAD_STATE without rule or expected call: %v", err)
			}
			if _, ok := sim.RuleByID(ve.Rule); !ok {
				fail("rule %q is not in sim.Rules", ve.Rule)
			}
		}
		if got.Failed() && s.want.Failed() && method != "IVssAsync" {
			if d := c.Trace().Len() - before; d != 2 {
				fail("a rejected call must add exactly its call and return entries to the trace, it added %d", d)
			}
		}
	}
	for i, o := range m.objs {
		if !o.released {
			require.NoError(t, o.bc.Release(), "seed %d: final Release of #%d", seed, i+1)
		}
	}
	return n
}

var contexts = []vss.SnapshotContext{vss.VSS_CTX_BACKUP, vss.VSS_CTX_FILE_SHARE_BACKUP, vss.VSS_CTX_APP_ROLLBACK,
	vss.VSS_CTX_ALL, vss.SnapshotContext(0x12345), vss.VSS_CTX_APP_ROLLBACK | vss.SnapshotContext(vss.VSS_VOLSNAP_ATTR_TRANSPORTABLE)}

var volumes = []string{`C:\`, `D:\`, `C:`, `Q:\`, ``}

func hr(err error) vss.HRESULT { return vss.Code(err) }

// next picks a random call for object oi and the reference's prediction of
// its result, and returns a step that performs it and updates the reference
// when the call succeeds.
func (m *refModel) next(rng *rand.Rand, oi int, o *refObj, insts []vss.ID) step {
	m.settle()
	bc := o.bc
	// common is §2.3 rows 1, 3 and 22 plus a released object.
	common := func(afterEnd bool) (vss.HRESULT, bool) {
		switch {
		case o.released, !o.init:
			return vss.VSS_E_BAD_STATE, true
		case !afterEnd && o.ended():
			return vss.VSS_E_BAD_STATE, true
		}
		return vss.S_OK, false
	}
	bad := vss.VSS_E_BAD_STATE
	w := rng.IntN(3) // writer index; 2 is an unknown writer
	class := vss.MustParseID("11111111-2222-3333-4444-555555555555")
	inst := class
	if w < 2 {
		class, inst = m.classes[w], insts[w]
	}
	name := []string{"Data", "Data", "Other", ""}[rng.IntN(4)]
	ct := []vss.ComponentType{vss.VSS_CT_FILEGROUP, vss.VSS_CT_FILEGROUP, vss.VSS_CT_DATABASE, 0}[rng.IntN(4)]
	// The fake writers declare one file group "Data" each.
	// The BCD identifies a component by writer, logical path and name
	// (REFERENCE §1.2); the type is not part of the key.
	compKey := fmt.Sprintf("%d/%s", w, name)
	async := func(kind string, want vss.HRESULT, call func() (vss.Async, error), dur time.Duration, apply func()) step {
		return step{kind + "()", want, func() (vss.HRESULT, error) {
			a, err := call()
			if err == nil && want == vss.S_OK {
				op := &refOp{obj: oi, kind: kind, finish: m.now + dur, status: vss.VSS_S_ASYNC_PENDING, async: a}
				m.ops = append(m.ops, op)
				o.last = op
				apply()
				m.settle()
			}
			return hr(err), err
		}}
	}
	ok := func(desc string, want vss.HRESULT, call func() error, apply func()) step {
		return step{desc, want, func() (vss.HRESULT, error) {
			err := call()
			if err == nil && want == vss.S_OK {
				apply()
			}
			return hr(err), err
		}}
	}
	nop := func() {}

	switch rng.IntN(30) {
	case 0:
		want := vss.S_OK
		if o.released || o.init {
			want = bad
		}
		return ok("InitializeForBackup()", want, func() error { return bc.InitializeForBackup("") }, func() { o.init = true })
	case 1:
		ctx := contexts[rng.IntN(len(contexts))]
		want := vss.S_OK
		if ctx == 0x12345 {
			want = vss.E_INVALIDARG
		} else if h, rej := common(false); rej {
			want = h
		} else if o.ctxSet || o.setStarted {
			want = bad
		} else if ctx != vss.VSS_CTX_ALL && ctx&vss.SnapshotContext(vss.VSS_VOLSNAP_ATTR_TRANSPORTABLE) != 0 {
			want = vss.VSS_E_UNSUPPORTED_CONTEXT
		}
		return ok(fmt.Sprintf("SetContext(%v)", ctx), want, func() error { return bc.SetContext(ctx) }, func() { o.ctxSet, o.ctx = true, ctx })
	case 2:
		bt := []vss.BackupType{vss.VSS_BT_FULL, vss.VSS_BT_COPY, 0, 9}[rng.IntN(4)]
		sel := rng.IntN(3) > 0
		want := vss.S_OK
		if bt < 1 || bt > 6 {
			want = vss.E_INVALIDARG
		} else if h, rej := common(false); rej {
			want = h
		} else if o.prepare != none {
			want = bad
		}
		return ok(fmt.Sprintf("SetBackupState(%v, %v)", sel, bt), want, func() error { return bc.SetBackupState(sel, false, bt, false) },
			func() { o.stateSet, o.selectComp = true, sel })
	case 3:
		want := vss.S_OK
		if h, rej := common(false); rej {
			want = h
		}
		ids := []vss.ID{class}
		switch rng.IntN(3) {
		case 0:
			return ok(fmt.Sprintf("DisableWriterClasses(%d)", w), want, func() error { return bc.DisableWriterClasses(ids) }, func() {
				if o.gather == none { // later calls have no effect (§2.3 row 24)
					o.disabled[w] = true
				}
			})
		case 1:
			return ok("EnableWriterClasses", want, func() error { return bc.EnableWriterClasses(m.classes) }, nop)
		}
		return ok("DisableWriterInstances", want, func() error { return bc.DisableWriterInstances(nil) }, nop)
	case 4, 5:
		want := vss.S_OK
		if h, rej := common(false); rej {
			want = h
		} else if o.gather != none || o.pendingOp() || m.unseen(oi) {
			want = bad
		}
		return async("GatherWriterMetadata", want, bc.GatherWriterMetadata, 0, func() { o.gather = finished })
	case 6:
		want := vss.S_OK
		if h, rej := common(false); rej {
			want = h
		} else if o.gather != finished || o.mdFreed || m.unseen(oi, "GatherWriterMetadata") {
			want = bad
		}
		i := uint32(rng.IntN(3))
		if rng.IntN(2) == 0 {
			return ok("GetWriterMetadataCount", want, func() error { _, err := bc.GetWriterMetadataCount(); return err }, nop)
		}
		if want == vss.S_OK && i >= o.identified() {
			want = vss.VSS_E_OBJECT_NOT_FOUND
		}
		return ok(fmt.Sprintf("GetWriterMetadata(%d)", i), want, func() error { _, _, err := bc.GetWriterMetadata(i); return err }, nop)
	case 7:
		want := vss.S_OK
		if h, rej := common(true); rej {
			want = h
		} else if o.gather != finished || o.mdFreed || m.unseen(oi, "GatherWriterMetadata") {
			want = bad
		}
		return ok("FreeWriterMetadata", want, bc.FreeWriterMetadata, func() { o.mdFreed = true })
	case 8, 9, 10:
		// AddComponent (REFERENCE §1.4, §2.3 rows 12 and 14, §8 C3).
		want := vss.S_OK
		switch {
		case ct == 0 || name == "":
			want = vss.E_INVALIDARG
		case func() bool { h, rej := common(false); want = h; return rej }():
		case !o.writers(), o.gather != finished, o.stateSet && !o.selectComp, o.prepare != none, m.unseen(oi, "GatherWriterMetadata"):
			want = bad
		case o.comps[compKey]:
			want = vss.VSS_E_OBJECT_ALREADY_EXISTS
		}
		return ok(fmt.Sprintf("AddComponent(%d, %v, %q)", w, ct, name), want,
			func() error { return bc.AddComponent(inst, class, ct, "", name) }, func() { o.comps[compKey] = true })
	case 11:
		want := vss.S_OK
		switch {
		case ct == 0 || name == "":
			want = vss.E_INVALIDARG
		case func() bool { h, rej := common(false); want = h; return rej }():
		case !o.writers(), o.gather != finished, o.stateSet && !o.selectComp, o.prepare != none, m.unseen(oi, "GatherWriterMetadata"):
			want = bad
		case !o.comps[compKey]:
			want = vss.VSS_E_OBJECT_NOT_FOUND
		}
		if rng.IntN(2) == 0 {
			return ok(fmt.Sprintf("SetBackupOptions(%d, %v, %q)", w, ct, name), want, func() error { return bc.SetBackupOptions(class, ct, "", name, "o") }, nop)
		}
		return ok(fmt.Sprintf("SetPreviousBackupStamp(%d, %v, %q)", w, ct, name), want, func() error { return bc.SetPreviousBackupStamp(class, ct, "", name, "s") }, nop)
	case 12, 13:
		want := vss.S_OK
		if h, rej := common(false); rej {
			want = h
		} else if o.setStarted || o.ctx == vss.VSS_CTX_ALL {
			want = bad
		} else if m.creator >= 0 {
			want = vss.VSS_E_SNAPSHOT_SET_IN_PROGRESS
		}
		return ok("StartSnapshotSet", want, func() error { _, err := bc.StartSnapshotSet(); return err }, func() {
			o.setStarted = true
			m.creator = oi
		})
	case 14, 15:
		v := volumes[rng.IntN(len(volumes))]
		want := vss.S_OK
		switch {
		case v == "":
			want = vss.E_INVALIDARG
		case func() bool { h, rej := common(false); want = h; return rej }():
		case !o.setStarted, o.snap != none:
			want = bad
		case v == `C:` || v == `Q:\`:
			want = vss.VSS_E_OBJECT_NOT_FOUND
		case o.volumes[v]:
			want = vss.VSS_E_OBJECT_ALREADY_EXISTS
		}
		var id vss.ID
		return ok(fmt.Sprintf("AddToSnapshotSet(%q)", v), want, func() error { var err error; id, err = bc.AddToSnapshotSet(v, vss.ID{}); return err },
			func() { o.volumes[v] = true; o.snapIDs = append(o.snapIDs, id) })
	case 16:
		v := volumes[rng.IntN(len(volumes))]
		want := vss.S_OK
		switch {
		case v == "":
			want = vss.E_INVALIDARG
		case func() bool { h, rej := common(false); want = h; return rej }():
		case v == `C:` || v == `Q:\`:
			want = vss.VSS_E_OBJECT_NOT_FOUND
		}
		return ok(fmt.Sprintf("IsVolumeSupported(%q)", v), want, func() error { _, err := bc.IsVolumeSupported(vss.ID{}, v); return err }, nop)
	case 17, 18:
		want := vss.S_OK
		if h, rej := common(false); rej {
			want = h
		} else if !o.writers() || o.prepare != none || o.pendingOp() || !o.stateSet || o.gather != finished || !o.setStarted || m.unseen(oi) {
			want = bad
		}
		dur := time.Duration(0)
		if !o.disabled[0] {
			dur = prepareTime // every identified writer gets PrepareForBackup
		}
		return async("PrepareForBackup", want, bc.PrepareForBackup, dur, func() { o.prepare = pending })
	case 19, 20:
		want := vss.S_OK
		if h, rej := common(false); rej {
			want = h
		} else if !o.setStarted || o.snap != none || o.pendingOp() || (o.writers() && (o.gather != finished || o.prepare != finished)) || m.unseen(oi) {
			want = bad
		}
		dur := time.Duration(0)
		aSelected := false
		for k := range o.comps {
			aSelected = aSelected || strings.HasPrefix(k, "0/")
		}
		if o.writers() && !o.disabled[0] && (!o.selectComp || aSelected) {
			dur = freezeTime // writer A takes part
		}
		return async("DoSnapshotSet", want, bc.DoSnapshotSet, dur, func() { o.snap = pending })
	case 21:
		want := vss.S_OK
		if h, rej := common(true); rej {
			want = h
		} else if o.gather != finished || o.pendingOp() || m.unseen(oi) {
			want = bad
		}
		return async("GatherWriterStatus", want, bc.GatherWriterStatus, 0, func() { o.status, o.statusFreed = finished, false })
	case 22:
		want := vss.S_OK
		if h, rej := common(true); rej {
			want = h
		} else if o.status != finished || o.statusFreed || m.unseen(oi, "GatherWriterStatus") {
			want = bad
		}
		i := uint32(rng.IntN(3))
		switch rng.IntN(4) {
		case 0:
			return ok("GetWriterStatusCount", want, func() error { _, err := bc.GetWriterStatusCount(); return err }, nop)
		case 1:
			return ok("FreeWriterStatus", want, bc.FreeWriterStatus, func() { o.statusFreed = true })
		}
		if want == vss.S_OK && i >= o.identified() {
			want = vss.VSS_E_OBJECT_NOT_FOUND
		}
		return ok(fmt.Sprintf("GetWriterStatus(%d)", i), want, func() error { _, err := bc.GetWriterStatusEx(i); return err }, nop)
	case 23:
		want := vss.S_OK
		switch {
		case ct == 0 || name == "":
			want = vss.E_INVALIDARG
		case func() bool { h, rej := common(false); want = h; return rej }():
		case o.snap != finished, o.compl != none, m.unseen(oi, "DoSnapshotSet"):
			want = bad
		case !o.comps[compKey]:
			want = vss.VSS_E_OBJECT_NOT_FOUND
		}
		return ok(fmt.Sprintf("SetBackupSucceeded(%d, %v, %q)", w, ct, name), want,
			func() error { return bc.SetBackupSucceeded(inst, class, ct, "", name, true) }, nop)
	case 24:
		want := vss.S_OK
		if h, rej := common(true); rej {
			want = h
		} else if o.writers() && o.prepare == none {
			want = bad
		}
		return ok("SaveAsXML", want, func() error { _, err := bc.SaveAsXML(); return err }, nop)
	case 25:
		want := vss.S_OK
		if h, rej := common(false); rej {
			want = h
		} else if !o.writers() || o.compl != none || o.pendingOp() || o.snap != finished || m.unseen(oi) {
			want = bad
		}
		return async("BackupComplete", want, bc.BackupComplete, 0, func() { o.compl = finished })
	case 26:
		want := vss.S_OK
		if o.released || !o.init {
			want = bad
		}
		return ok("AbortBackup", want, bc.AbortBackup, func() {
			if !o.setStarted || o.ended() {
				return // nothing under way: ignored (§2.3 row 23)
			}
			o.aborted = true
			if o.pendingOp() {
				o.last.status = vss.VSS_S_ASYNC_CANCELLED
			}
			m.drain(oi)
			for _, op := range m.ops {
				if op.obj == oi {
					op.observed = true // the requestor gave them up
				}
			}
			if m.creator == oi {
				m.creator = -1
			}
		})
	case 27:
		// Management calls on the snapshots (§1.3; §8 C14 default).
		var target vss.ID
		var live []*refSnap
		for _, s := range m.snaps {
			if o.ctx == vss.VSS_CTX_ALL || s.ctx == o.ctx {
				live = append(live, s)
			}
		}
		if len(live) > 0 && rng.IntN(4) > 0 {
			target = live[rng.IntN(len(live))].id
		} else {
			target = vss.MustParseID("99999999-2222-3333-4444-555555555555")
		}
		found := false
		for _, s := range live {
			found = found || s.id == target
		}
		switch rng.IntN(5) {
		case 0:
			want := vss.S_OK
			if h, rej := common(true); rej {
				want = h
			} else if !found {
				want = vss.VSS_E_OBJECT_NOT_FOUND
			}
			return ok("GetSnapshotProperties", want, func() error { _, err := bc.GetSnapshotProperties(target); return err }, nop)
		case 2, 3, 4:
			return m.exStep(rng, o, target, live, common, ok)
		}
		want := vss.S_OK
		if o.released || !o.init {
			want = bad
		} else if !found {
			want = vss.VSS_E_OBJECT_NOT_FOUND
		}
		return ok("DeleteSnapshots", want, func() error { _, _, err := bc.DeleteSnapshots(target, vss.VSS_OBJECT_SNAPSHOT, false); return err }, func() {
			for i, s := range m.snaps {
				if s.id == target {
					m.snaps = append(m.snaps[:i:i], m.snaps[i+1:]...)
					break
				}
			}
		})
	case 28:
		ret := []vss.ObjectType{vss.VSS_OBJECT_SNAPSHOT, vss.VSS_OBJECT_PROVIDER, vss.VSS_OBJECT_SNAPSHOT_SET}[rng.IntN(3)]
		want := vss.S_OK
		if ret == vss.VSS_OBJECT_SNAPSHOT_SET {
			want = vss.E_INVALIDARG
		} else if h, rej := common(false); rej {
			want = h
		}
		// Before SetContext, Query runs in the default context
		// (Options.QueryNeedsSetContext is off by default).
		return ok(fmt.Sprintf("Query(%v)", ret), want, func() error { _, err := bc.Query(vss.ID{}, vss.VSS_OBJECT_NONE, ret); return err }, nop)
	default:
		// IVssAsync on the object's last operation (REFERENCE §3), or Release.
		if rng.IntN(8) == 0 {
			want := vss.S_OK
			if o.released {
				want = bad
			}
			return ok("Release", want, bc.Release, func() {
				m.drain(oi)
				if m.creator == oi {
					m.creator = -1
				}
				kept := m.snaps[:0]
				for _, s := range m.snaps {
					if !(s.owner == oi && s.autoRel) {
						kept = append(kept, s)
					}
				}
				m.snaps = kept
				o.released = true
			})
		}
		op := o.last
		if op == nil {
			return ok("Release?", vss.S_OK, func() error { return nil }, nop)
		}
		switch rng.IntN(3) {
		case 0:
			timeout := []time.Duration{-1, 500 * time.Millisecond, 3 * time.Second}[rng.IntN(3)]
			return step{fmt.Sprintf("IVssAsync.Wait(%v) on %s", timeout, op.kind), vss.S_OK, func() (vss.HRESULT, error) {
				err := op.async.Wait(timeout)
				if op.status == vss.VSS_S_ASYNC_PENDING {
					if timeout < 0 || m.now+timeout >= op.finish {
						m.advance(op.finish)
					} else {
						m.advance(m.now + timeout)
					}
				}
				if op.status != vss.VSS_S_ASYNC_PENDING {
					op.observed = true
				}
				return hr(err), err
			}}
		case 1:
			// A poll on a pending operation runs the simulation to its
			// next event (Options.Poll).
			if op.status == vss.VSS_S_ASYNC_PENDING {
				m.advance(m.nextEvent())
			}
			want := op.status
			if want != vss.VSS_S_ASYNC_PENDING {
				op.observed = true
			}
			return step{"IVssAsync.QueryStatus on " + op.kind, want, func() (vss.HRESULT, error) {
				st, err := op.async.QueryStatus()
				if err != nil {
					return hr(err), err
				}
				return st, nil
			}}
		}
		want := vss.S_OK
		switch op.status {
		case vss.VSS_S_ASYNC_FINISHED, vss.VSS_S_ASYNC_CANCELLED:
			want = op.status
		}
		return step{"IVssAsync.Cancel on " + op.kind, want, func() (vss.HRESULT, error) {
			op.observed = true
			h, err := op.async.Cancel()
			if err == nil && h == vss.S_OK {
				op.status = vss.VSS_S_ASYNC_CANCELLED
			}
			if err != nil {
				return hr(err), err
			}
			return h, nil
		}}
	}
}
