package scenarios

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/vsssim/vsssim/requestor/vss"
	"github.com/vsssim/vsssim/sim"
)

// scenarioProvider is a provider declared with "provider": its hooks, by
// commit point, as "provider-hook" lines set them.
type scenarioProvider struct {
	name  string
	hooks map[sim.CommitPoint]*providerHook
}

type providerHook struct {
	fail    vss.HRESULT
	left    int // failing calls left; -1: every call
	latency time.Duration
	// untilWait: the call holds until the requestor's Wait
	// (sim.ProviderCall.HoldUntilWait).
	untilWait bool
}

// hook is the sim.ProviderHook of p.
func (p *scenarioProvider) hook(call *sim.ProviderCall) vss.HRESULT {
	h := p.hooks[call.Point]
	if h == nil {
		return vss.S_OK
	}
	call.Duration = h.latency
	call.HoldUntilWait = h.untilWait
	if h.fail == vss.S_OK || h.left == 0 {
		return vss.S_OK
	}
	if h.left > 0 {
		h.left--
	}
	return h.fail
}

// cmdProvider is "provider NAME id=GUID [type=software|hardware|system]":
// registers a shadow copy provider (AddToSnapshotSet VOLUME provider=GUID
// picks it).
func (r *runner) cmdProvider(args []Arg) error {
	if err := checkArgs(args, []string{"id", "type"}, nil, 1); err != nil {
		return err
	}
	p := positional(args)
	idText, ok := keyed(args, "id")
	if len(p) != 1 || !ok {
		return fmt.Errorf("want: provider NAME id=GUID [type=software|hardware|system]")
	}
	id, err := vss.ParseID(idText)
	if err != nil {
		return err
	}
	if r.provs[p[0]] != nil {
		return fmt.Errorf("provider %q is already declared", p[0])
	}
	typ := vss.VSS_PROV_SOFTWARE
	if s, ok := keyed(args, "type"); ok {
		switch s {
		case "software":
		case "hardware":
			typ = vss.VSS_PROV_HARDWARE
		case "system":
			typ = vss.VSS_PROV_SYSTEM
		default:
			return fmt.Errorf("type=%q is not software, hardware or system", s)
		}
	}
	sp := &scenarioProvider{name: p[0], hooks: map[sim.CommitPoint]*providerHook{}}
	if r.provs == nil {
		r.provs = map[string]*scenarioProvider{}
	}
	r.provs[p[0]] = sp
	return r.setup(func(c *sim.Coordinator) error {
		c.AddProvider(sim.Provider{ID: id, Name: sp.name, Type: typ, Version: "1.0", Hook: sp.hook})
		return nil
	})
}

// cmdProviderHook is "provider-hook NAME POINT [fail=HRESULT] [times=N]
// [latency=DUR] [until-wait]": what the provider does at a commit point
// (PreCommitSnapshots, CommitSnapshots, PostCommitSnapshots) of a
// DoSnapshotSet on its volumes.
func (r *runner) cmdProviderHook(args []Arg) error {
	if err := checkArgs(args, []string{"fail", "times", "latency"}, []string{"until-wait"}, 2); err != nil {
		return err
	}
	p := operands(args, "until-wait")
	if len(p) != 2 {
		return fmt.Errorf("want: provider-hook NAME PreCommitSnapshots|CommitSnapshots|PostCommitSnapshots [fail=HRESULT] [times=N] [latency=DUR] [until-wait]")
	}
	sp := r.provs[p[0]]
	if sp == nil {
		return fmt.Errorf("no provider %q (declare it with: provider %s id=GUID)", p[0], p[0])
	}
	var point sim.CommitPoint
	var names []string
	for _, cp := range sim.CommitPoints {
		names = append(names, string(cp))
		if strings.EqualFold(string(cp), p[1]) {
			point = cp
		}
	}
	if point == "" {
		return fmt.Errorf("%q is not a commit point (%s)", p[1], strings.Join(names, ", "))
	}
	h := &providerHook{left: -1, untilWait: flag(args, "until-wait")}
	if s, ok := keyed(args, "fail"); ok {
		hr, err := parseHR(s)
		if err != nil {
			return err
		}
		if !hr.Failed() {
			return fmt.Errorf("fail=%s is not a failure code", s)
		}
		h.fail = hr
	}
	if s, ok := keyed(args, "times"); ok {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			return fmt.Errorf("times=%q is not a positive number", s)
		}
		if h.fail == vss.S_OK {
			return fmt.Errorf("times= needs fail=")
		}
		h.left = n
	}
	if s, ok := keyed(args, "latency"); ok {
		d, err := parseDur(s)
		if err != nil || d < 0 {
			return fmt.Errorf("latency: want a positive duration, got %q", s)
		}
		h.latency = d
	}
	sp.hooks[point] = h
	return nil
}
