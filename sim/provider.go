package sim

import (
	"fmt"
	"strings"
	"time"

	"github.com/vsssim/vsssim/requestor/vss"
)

// CommitPoint names a provider callback of DoSnapshotSet's commit
// (IVssProviderCreateSnapshotSet). In order: PreCommitSnapshots, while the
// writers are frozen and before the flush and hold of writes;
// CommitSnapshots, inside the hold window (REFERENCE §4.5: 10 s); then,
// with writes released but the writers still frozen, PostCommitSnapshots.
// Thaw follows.
type CommitPoint string

// The commit points, in order.
const (
	PreCommitSnapshots  CommitPoint = "PreCommitSnapshots"
	CommitSnapshots     CommitPoint = "CommitSnapshots"
	PostCommitSnapshots CommitPoint = "PostCommitSnapshots"
)

// CommitPoints lists the commit points in the order they are called.
var CommitPoints = []CommitPoint{PreCommitSnapshots, CommitSnapshots, PostCommitSnapshots}

// ProviderCall is one call of a provider hook: what the provider sees at
// the commit point, and how long the call takes.
type ProviderCall struct {
	// Point is the commit point.
	Point CommitPoint
	// Provider is the provider's name.
	Provider string
	// SnapshotSetID is the set being created.
	SnapshotSetID vss.ID
	// Volumes are the set's volumes this provider shadow-copies.
	Volumes []string
	// Now is the virtual time of the call.
	Now time.Duration
	// Frozen names the writers frozen now (Freeze answered, no Thaw yet),
	// in subscription order: what qemu-ga's provider relies on when it
	// freezes the guest file systems from CommitSnapshots.
	Frozen []string
	// Duration is how long the call takes on the virtual clock; the hook
	// sets it (zero: it returns at once). The frozen writers' freeze
	// timers keep running meanwhile, and CommitSnapshots counts against
	// Options.HoldWindow.
	Duration time.Duration
	// HoldUntilWait makes the call last until the requestor calls
	// IVssAsync::Wait on the DoSnapshotSet: qemu-ga's provider signals
	// "frozen" from CommitSnapshots and holds there until the guest agent's
	// thaw, which then waits for DoSnapshotSet. Duration, if set, bounds
	// the hold (the provider's own timeout), and so do the hold window at
	// CommitSnapshots and the writers' freeze timers. Polls meanwhile see
	// VSS_S_ASYNC_PENDING and move the clock by Options.PollQuantum.
	HoldUntilWait bool
}

// ProviderHook is a provider's code at the commit points of a
// DoSnapshotSet whose set has shadow copies of the provider. It returns
// S_OK, or a failure that aborts the creation: VSS_E_PROVIDER_VETO,
// VSS_E_UNEXPECTED_PROVIDER_ERROR, E_OUTOFMEMORY, VSS_E_INSUFFICIENT_STORAGE
// and VSS_E_REBOOT_REQUIRED become DoSnapshotSet's async result; any other
// failure becomes VSS_E_UNEXPECTED_PROVIDER_ERROR, as the provider pages
// say ("If any other value is returned, VSS ... convert[s] the error to
// VSS_E_UNEXPECTED_PROVIDER_ERROR"). A hook that panics is a
// VSS_E_UNEXPECTED_PROVIDER_ERROR. Hooks run while the coordinator is
// busy: they must not call Coordinator or BackupComponents methods.
type ProviderHook func(call *ProviderCall) vss.HRESULT

// providerResult maps a hook's failure to DoSnapshotSet's async result.
func providerResult(hr vss.HRESULT) vss.HRESULT {
	switch hr {
	case vss.VSS_E_PROVIDER_VETO, vss.VSS_E_UNEXPECTED_PROVIDER_ERROR, vss.E_OUTOFMEMORY,
		vss.VSS_E_INSUFFICIENT_STORAGE, vss.VSS_E_REBOOT_REQUIRED:
		return hr
	}
	return vss.VSS_E_UNEXPECTED_PROVIDER_ERROR
}

// flushHold is how long the set's providers flush and hold writes.
func (o *BackupComponents) flushHold() (flush, hold time.Duration) {
	for _, s := range o.set.snaps {
		if p := o.c.provider(s.prop.ProviderID); p != nil {
			flush = max(flush, p.FlushDuration)
			hold = max(hold, p.HoldDuration)
		}
	}
	return flush, hold
}

// hookedProviders are the providers of the set that have a hook, in the
// order of their first shadow copy.
func (o *BackupComponents) hookedProviders() []*Provider {
	var out []*Provider
	for _, s := range o.set.snaps {
		p := o.c.provider(s.prop.ProviderID)
		if p == nil || p.Hook == nil {
			continue
		}
		seen := false
		for _, q := range out {
			seen = seen || q == p
		}
		if !seen {
			out = append(out, p)
		}
	}
	return out
}

// frozen names the writers frozen now.
func (o *BackupComponents) frozen() []string {
	var out []string
	for _, s := range o.sessions {
		if s.timerOn && !s.out && s.state == vss.VSS_WS_WAITING_FOR_THAW {
			out = append(out, s.name())
		}
	}
	return out
}

// callHook runs one provider's hook, turning a panic into
// VSS_E_UNEXPECTED_PROVIDER_ERROR.
func (o *BackupComponents) callHook(p *Provider, call *ProviderCall) (hr vss.HRESULT, panicked string) {
	defer func() {
		if r := recover(); r != nil {
			hr, panicked = vss.VSS_E_UNEXPECTED_PROVIDER_ERROR, fmt.Sprint(r)
		}
	}()
	return p.Hook(call), ""
}

// providerPoint calls every hooked provider at point, one after the other,
// starting now; extra is time the point takes besides the hooks (the hold
// of writes during CommitSnapshots). When the calls have taken their time
// the replies are traced and next runs, unless a provider failed (the
// creation is aborted with its result) or the point took longer than limit
// (aborted with limitHR when limit passes, the replies unseen).
func (o *BackupComponents) providerPoint(op *asyncOp, point CommitPoint, extra, limit time.Duration, limitHR vss.HRESULT, limitWhy string, next func()) {
	c := o.c
	type reply struct {
		p        *Provider
		hr       vss.HRESULT
		d        time.Duration
		panicked string
		held     bool
	}
	var replies []reply
	total := extra
	hold := false
	for _, p := range o.hookedProviders() {
		var vols []string
		for _, s := range o.set.snaps {
			if s.prop.ProviderID == p.ID {
				vols = append(vols, s.volume.Name)
			}
		}
		call := &ProviderCall{Point: point, Provider: p.Name, SnapshotSetID: o.set.id, Volumes: vols, Now: c.now + total, Frozen: o.frozen()}
		frozen := "none"
		if len(call.Frozen) > 0 {
			frozen = strings.Join(call.Frozen, ", ")
		}
		c.trace.add(Entry{T: c.now, Object: o.num, Kind: KindEvent, Name: string(point), Writer: "provider " + p.Name, Text: "(frozen: " + frozen + ")"})
		hr, panicked := o.callHook(p, call)
		d := max(call.Duration, 0)
		held := call.HoldUntilWait && !hr.Failed()
		if held {
			hold = true
			if d == 0 {
				d = unbounded
			}
		}
		replies = append(replies, reply{p, hr, d, panicked, held})
		total += d
		if hr.Failed() {
			break // VSS stops at the first provider that fails
		}
	}
	total = min(total, unbounded)
	start := c.now
	answer := func() {
		op.release = nil
		for _, r := range replies {
			text := "ok"
			switch {
			case r.panicked != "":
				text = "panicked: " + r.panicked
			case r.hr.Failed():
				text = r.hr.String()
			}
			switch {
			case r.held && c.now-start < r.d:
				text += " after " + (c.now - start).String() + ", released by the requestor's Wait"
			case r.held:
				text += " after " + (c.now - start).String() + ", its own timeout"
			case r.d > 0:
				text += " after " + r.d.String()
			}
			c.trace.add(Entry{T: c.now, Object: o.num, Kind: KindReply, Name: string(point), Writer: "provider " + r.p.Name, Text: text})
			if r.hr.Failed() {
				o.abortCreation(op, providerResult(r.hr), fmt.Sprintf("provider %q failed %s with %v", r.p.Name, point, r.hr))
				return
			}
		}
		if op.cancel {
			o.abortCreation(op, vss.VSS_S_ASYNC_CANCELLED, "cancelled")
			return
		}
		next()
	}
	if limit > 0 && total > limit {
		o.schedule(op, c.now+limit, func() {
			op.release = nil
			o.abortCreation(op, limitHR, limitWhy)
		})
	} else {
		o.schedule(op, c.now+total, answer)
	}
	if hold {
		op.release = answer
	}
}

// unbounded is the length of a provider call that holds until the
// requestor's Wait with nothing else to end it.
const unbounded = 100 * 365 * 24 * time.Hour

// commitWithHooks is the commit when a provider of the set has a hook:
// PreCommitSnapshots, the flush, CommitSnapshots within the hold window,
// the shadow copies, PostCommitSnapshots, then Thaw.
func (o *BackupComponents) commitWithHooks(op *asyncOp) {
	c := o.c
	o.providerPoint(op, PreCommitSnapshots, 0, 0, 0, "", func() {
		flush, hold := o.flushHold()
		if flush > c.opts.FlushWindow {
			o.schedule(op, c.now+c.opts.FlushWindow, func() {
				o.abortCreation(op, vss.VSS_E_FLUSH_WRITES_TIMEOUT, fmt.Sprintf("the flush did not finish within %v", c.opts.FlushWindow))
			})
			return
		}
		o.schedule(op, c.now+flush, func() {
			o.providerPoint(op, CommitSnapshots, hold, c.opts.HoldWindow, vss.VSS_E_HOLD_WRITES_TIMEOUT,
				fmt.Sprintf("writes could not be held past %v", c.opts.HoldWindow), func() {
					o.createShadows()
					o.providerPoint(op, PostCommitSnapshots, 0, 0, 0, "", func() { o.afterCommit(op) })
				})
		})
	})
}
