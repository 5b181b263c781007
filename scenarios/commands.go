package scenarios

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/vsssim/vsssim/fakewriter"
	"github.com/vsssim/vsssim/requestor"
	"github.com/vsssim/vsssim/requestor/vss"
	"github.com/vsssim/vsssim/sim"
)

func (r *runner) exec(d *Directive) (string, error) {
	args := d.Args
	switch d.Cmd {
	case "requires":
		for _, p := range positional(args) {
			switch p {
			case "fake-writers", "sim":
			default:
				return "", skip(fmt.Sprintf("requires %s, which the simulator backend does not have", p))
			}
		}
		return "", nil
	case "only":
		if p := positional(args); len(p) != 1 || p[0] != r.backend {
			return "", skip(fmt.Sprintf("only %s", strings.Join(p, " ")))
		}
		return "", nil
	case "option":
		if r.c != nil {
			return "", fmt.Errorf("options must come before the first requestor call or world change that needs the simulator")
		}
		for _, a := range args {
			if a.Key == "" {
				return "", fmt.Errorf("want NAME=VALUE, got %q", a.Value)
			}
			if err := setOption(&r.opts, a.Key, a.Value); err != nil {
				return "", err
			}
		}
		return "", nil
	case "writer":
		return "", r.cmdWriter(args)
	case "writers":
		return "", r.cmdWriters(args)
	case "fault":
		return "", r.cmdFault(args)
	case "volume":
		if err := checkArgs(args, []string{"max-shadow-copies", "root"}, []string{"unsupported", "nested"}, 1); err != nil {
			return "", err
		}
		p := operands(args, "unsupported", "nested")
		if len(p) != 1 {
			return "", fmt.Errorf("want: volume NAME [unsupported] [nested] [max-shadow-copies=N] [root=DIR]")
		}
		if r.volumes++; r.volumes > MaxVolumes {
			return "", fmt.Errorf("a scenario may declare at most %d volumes", MaxVolumes)
		}
		v := sim.Volume{Name: p[0], Unsupported: flag(args, "unsupported"), Nested: flag(args, "nested")}
		if dir, ok := keyed(args, "root"); ok {
			root, err := r.volumeRoot(dir)
			if err != nil {
				return "", err
			}
			v.Root = root
		}
		if s, ok := keyed(args, "max-shadow-copies"); ok {
			n, err := parseCount("max-shadow-copies", s, MaxCount)
			if err != nil {
				return "", err
			}
			v.MaxShadowCopies = n
		}
		return "", r.setup(func(c *sim.Coordinator) error { c.AddVolume(v); return nil })
	case "provider-timing":
		if err := checkArgs(args, []string{"flush", "hold"}, nil, 0); err != nil {
			return "", err
		}
		var flush, hold time.Duration
		var err error
		if s, ok := keyed(args, "flush"); ok {
			if flush, err = parseDur(s); err != nil {
				return "", err
			}
		}
		if s, ok := keyed(args, "hold"); ok {
			if hold, err = parseDur(s); err != nil {
				return "", err
			}
		}
		return "", r.setup(func(c *sim.Coordinator) error { return c.SetProviderTiming(sim.SystemProviderID, flush, hold) })
	case "privilege":
		p := positional(args)
		if len(p) != 1 {
			return "", fmt.Errorf("want: privilege yes|no")
		}
		ok, err := parseBool(p[0])
		if err != nil {
			return "", err
		}
		return "", r.setup(func(c *sim.Coordinator) error { c.SetBackupPrivilege(ok); return nil })
	case "inject":
		return "", r.cmdInject(args)
	case "provider":
		return "", r.cmdProvider(args)
	case "provider-hook":
		return "", r.cmdProviderHook(args)
	case "new":
		if err := checkArgs(args, nil, nil, 0); err != nil {
			return "", err
		}
		if len(r.objs) == MaxObjects {
			return "", fmt.Errorf("a scenario may create at most %d objects", MaxObjects)
		}
		if r.backend != "sim" {
			bc, err := requestor.NewWindows()
			if err != nil {
				return "", skip(fmt.Sprintf("the %s backend cannot create an object: %v", r.backend, err))
			}
			r.objs = append(r.objs, bc)
			r.simObjs = append(r.simObjs, nil)
			r.cur = len(r.objs) - 1
			return "", nil
		}
		c, err := r.world()
		if err != nil {
			return "", err
		}
		o := c.NewBackupComponents()
		r.objs = append(r.objs, o)
		r.simObjs = append(r.simObjs, o)
		r.cur = len(r.objs) - 1
		return "", nil
	case "use":
		p := positional(args)
		n, err := strconv.Atoi(strings.TrimPrefix(strings.Join(p, ""), "#"))
		if len(p) != 1 || err != nil || n < 1 || n > len(r.objs) {
			return "", fmt.Errorf("want: use N, with N from 1 to %d", len(r.objs))
		}
		r.cur = n - 1
		return "", nil
	case "call":
		return r.cmdCall(args)
	case "select-all":
		return r.cmdSelectAll()
	case "wait", "query-status", "cancel":
		return r.cmdAsync(d.Cmd, args)
	case "poll":
		return r.cmdPoll(args)
	case "advance":
		p := positional(args)
		if len(p) != 1 {
			return "", fmt.Errorf("want: advance DURATION")
		}
		dur, err := parseDur(p[0])
		if err != nil {
			return "", err
		}
		if dur < 0 {
			return "", fmt.Errorf("advance needs a duration (like 10s), not %s", p[0])
		}
		c, err := r.world()
		if err != nil {
			return "", err
		}
		if now := c.Now(); dur > 10*MaxDuration-now {
			return "", fmt.Errorf("advance %s would move the virtual clock (now %v) past the %v a scenario may reach", p[0], now, 10*MaxDuration)
		}
		c.Advance(dur)
		return "", nil
	case "now":
		c, err := r.world()
		if err != nil {
			return "", err
		}
		return c.Now().String(), nil
	case "status":
		return r.cmdStatus()
	case "check":
		return r.cmdCheck(args)
	case "read-excludes":
		return r.cmdReadExcludes(args)
	case "trace":
		return r.cmdTrace(args)
	case "shadows":
		c, err := r.world()
		if err != nil {
			return "", err
		}
		var b strings.Builder
		props := c.ShadowCopies()
		fmt.Fprintf(&b, "%d shadow copies", len(props))
		for _, p := range props {
			fmt.Fprintf(&b, "\n%s %v", p.SnapshotDeviceObject, p.Status)
		}
		return b.String(), nil
	}
	if out, ok, err := r.execEx(d); ok {
		return out, err
	}
	return "", fmt.Errorf("unknown command %s (see the package documentation of scenarios for the commands)", excerpt(d.Cmd))
}

func setOption(o *sim.Options, key, val string) error {
	deadline := func() (sim.Deadline, error) {
		for _, d := range []sim.Deadline{sim.DeadlineGatherWriterMetadata, sim.DeadlineStartSnapshotSet, sim.DeadlinePrepareForBackup, sim.DeadlineDoSnapshotSet} {
			if strings.EqualFold(d.String(), val) {
				return d, nil
			}
		}
		return 0, fmt.Errorf("option %s: %q is not GatherWriterMetadata, StartSnapshotSet, PrepareForBackup or DoSnapshotSet", key, val)
	}
	boolean := func(dst *bool) error {
		b, err := parseBool(val)
		if err != nil {
			return fmt.Errorf("option %s: %v", key, err)
		}
		*dst = b
		return nil
	}
	dur := func(dst *time.Duration) error {
		d, err := parseDur(val)
		if err != nil {
			return fmt.Errorf("option %s: %v", key, err)
		}
		if d < 0 {
			return fmt.Errorf("option %s: want a duration (like 10s), got %q", key, val)
		}
		*dst = d
		return nil
	}
	var err error
	switch key {
	case "AddComponentDeadline":
		o.AddComponentDeadline, err = deadline()
	case "SetContextDeadline":
		o.SetContextDeadline, err = deadline()
	case "Veto":
		switch val {
		case "SetFailureOrFalse":
			o.Veto = sim.VetoSetFailureOrFalse
		case "ReturnFalse":
			o.Veto = sim.VetoReturnFalse
		default:
			err = fmt.Errorf("option Veto: %q is not SetFailureOrFalse or ReturnFalse", val)
		}
	case "SnapshotVetoResult":
		switch val {
		case "WriterFailure":
			o.SnapshotVetoResult = sim.VetoResultWriterFailure
		case "UnexpectedWriterError":
			o.SnapshotVetoResult = sim.VetoResultUnexpectedWriterError
		default:
			err = fmt.Errorf("option SnapshotVetoResult: %q is not WriterFailure or UnexpectedWriterError", val)
		}
	case "ThawOrder":
		switch val {
		case "Reverse":
			o.ThawOrder = sim.ThawReverse
		case "SameAsFreeze":
			o.ThawOrder = sim.ThawSameAsFreeze
		default:
			err = fmt.Errorf("option ThawOrder: %q is not Reverse or SameAsFreeze", val)
		}
	case "PrepareVetoFails":
		err = boolean(&o.PrepareVetoFails)
	case "WaitReturnsOperationError":
		err = boolean(&o.WaitReturnsOperationError)
	case "LegacyUnexpected":
		err = boolean(&o.LegacyUnexpected)
	case "DeleteNeedsInitialize":
		err = boolean(&o.DeleteNeedsInitialize)
	case "QueryNeedsSetContext":
		err = boolean(&o.QueryNeedsSetContext)
	case "GatherMetadataInRestoreIsBadState":
		err = boolean(&o.GatherMetadataInRestoreIsBadState)
	case "SetBackupStateInRestoreIsBadState":
		err = boolean(&o.SetBackupStateInRestoreIsBadState)
	case "StrictAsync":
		err = boolean(&o.StrictAsync)
	case "Poll":
		switch val {
		case "NextEvent":
			o.Poll = sim.PollNextEvent
		case "Quantum":
			o.Poll = sim.PollQuantumStep
		case "Frozen":
			o.Poll = sim.PollFrozen
		default:
			err = fmt.Errorf("option Poll: %q is not NextEvent, Quantum or Frozen", val)
		}
	case "PollQuantum":
		err = dur(&o.PollQuantum)
	case "EventTimeout":
		err = dur(&o.EventTimeout)
	case "FlushWindow":
		err = dur(&o.FlushWindow)
	case "HoldWindow":
		err = dur(&o.HoldWindow)
	case "MaxVolumesPerSet":
		n, e := parseCount("MaxVolumesPerSet", val, MaxCount)
		if e != nil {
			return fmt.Errorf("option %v", e)
		}
		o.MaxVolumesPerSet = n
	case "UnsupportedContextBits":
		if val == "0" || val == "none" {
			o.UnsupportedContextBits = 0
			return nil
		}
		c, e := parseContext(val)
		if e != nil {
			return fmt.Errorf("option UnsupportedContextBits: %v", e)
		}
		o.UnsupportedContextBits = vss.VolumeSnapshotAttributes(c)
	default:
		if ok, err := setExOption(o, key, val); ok {
			return err
		}
		return fmt.Errorf("unknown option %q (AddComponentDeadline, SetContextDeadline, Veto, SnapshotVetoResult, ThawOrder, PrepareVetoFails, WaitReturnsOperationError, LegacyUnexpected, DeleteNeedsInitialize, QueryNeedsSetContext, GatherMetadataInRestoreIsBadState, SetBackupStateInRestoreIsBadState, StrictAsync, Poll, PollQuantum, EventTimeout, FlushWindow, HoldWindow, MaxVolumesPerSet, UnsupportedContextBits, ManagementNeedsInitialize, ExposeNonPersistentIsBadState, RevertDuration, ImportDuration, RevertProviders, RevertKeepsSnapshot)", key)
	}
	return err
}

// volumeRoot resolves a volume's root=DIR (relative to the scenario
// file's directory) to an absolute directory that exists.
func (r *runner) volumeRoot(dir string) (string, error) {
	if !filepath.IsAbs(dir) {
		dir = filepath.Join(filepath.Dir(r.file.Name), dir)
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	if st, err := os.Stat(abs); err != nil || !st.IsDir() {
		return "", fmt.Errorf("root=%s: not a directory", dir)
	}
	return abs, nil
}

func (r *runner) cmdWriter(args []Arg) error {
	if err := checkArgs(args, []string{"preset", "level", "freeze-timeout"}, nil, 1); err != nil {
		return err
	}
	p := positional(args)
	if len(p) != 1 {
		return fmt.Errorf("want: writer NAME [preset=FILE] [level=...] [freeze-timeout=DUR]")
	}
	name := p[0]
	if r.names[name] != nil {
		return fmt.Errorf("writer %q is already declared", name)
	}
	if len(r.writers) == MaxWriters {
		return fmt.Errorf("a scenario may declare at most %d writers", MaxWriters)
	}
	w := fakewriter.New(name)
	if preset, ok := keyed(args, "preset"); ok {
		var err error
		if w, err = r.presetWriter(preset); err != nil {
			return err
		}
		w.Config.Name = name
	}
	if l, ok := keyed(args, "level"); ok {
		lv, known := levels[l]
		if !known {
			return fmt.Errorf("level=%q is not front-end, back-end, system or system-rm", l)
		}
		w.Config.Level = lv
	}
	if s, ok := keyed(args, "freeze-timeout"); ok {
		dur, err := parseDur(s)
		if err != nil {
			return fmt.Errorf("freeze-timeout: %v", err)
		}
		if dur <= 0 {
			return fmt.Errorf("freeze-timeout: want a positive duration, got %q", s)
		}
		w.Config.FreezeTimeout = dur
	}
	r.names[name] = w
	r.writers = append(r.writers, w)
	return r.setup(func(c *sim.Coordinator) error {
		_, err := w.Subscribe(c)
		return err
	})
}

func (r *runner) writer(name string) (*fakewriter.Writer, error) {
	w := r.names[name]
	if w == nil {
		return nil, fmt.Errorf("no writer %q (declare it with: writer %s)", name, name)
	}
	return w, nil
}

func (r *runner) cmdFault(args []Arg) error {
	if err := checkArgs(args, []string{"fail", "times", "latency", "panic", "stamp", "metadata"},
		[]string{"retryable", "nonretryable", "false", "hang", "garbage"}, 2); err != nil {
		return err
	}
	p := operands(args, "retryable", "nonretryable", "false", "hang", "garbage")
	if len(p) != 2 {
		return fmt.Errorf("want: fault WRITER EVENT [fail=HRESULT] [retryable|nonretryable] [false] [times=N] [latency=DUR] [hang] [panic=TEXT] [garbage] [stamp=TEXT] [metadata=TEXT]")
	}
	w, err := r.writer(p[0])
	if err != nil {
		return err
	}
	var ev sim.Event
	for _, e := range events {
		if strings.EqualFold(string(e), p[1]) {
			ev = e
		}
	}
	if ev == "" {
		return fmt.Errorf("%q is not a writer event (Identify, PrepareForBackup, PrepareForSnapshot, Freeze, Thaw, PostSnapshot, Abort, BackupComplete, BackupShutdown, PreRestore, PostRestore)", p[1])
	}
	var b fakewriter.Behavior
	if flag(args, "retryable") {
		b = fakewriter.Retryable(0)
	}
	if flag(args, "nonretryable") {
		b = fakewriter.NonRetryable()
	}
	if s, ok := keyed(args, "fail"); ok {
		hr, err := parseHR(s)
		if err != nil {
			return err
		}
		b.Fail = hr
	}
	b.ReturnFalse = b.ReturnFalse || flag(args, "false")
	b.Hang = flag(args, "hang")
	b.Garbage = flag(args, "garbage")
	b.Panic, _ = keyed(args, "panic")
	b.BackupStamp, _ = keyed(args, "stamp")
	b.BackupMetadata, _ = keyed(args, "metadata")
	if s, ok := keyed(args, "times"); ok {
		n, err := parseCount("times", s, MaxCount)
		if err != nil {
			return err
		}
		b.Times = n
	}
	if s, ok := keyed(args, "latency"); ok {
		if b.Latency, err = parseDur(s); err != nil {
			return fmt.Errorf("latency: %v", err)
		}
		if b.Latency < 0 {
			return fmt.Errorf("latency: want a duration (like 10s), got %q", s)
		}
	}
	w.On(ev, b)
	return nil
}

func (r *runner) cmdInject(args []Arg) error {
	if err := checkArgs(args, []string{"times", "object"}, []string{"async"}, 2); err != nil {
		return err
	}
	p := operands(args, "async")
	if len(p) != 2 {
		return fmt.Errorf("want: inject METHOD HRESULT [async] [times=N] [object=N]")
	}
	hr, err := parseHR(p[1])
	if err != nil {
		return err
	}
	f := sim.Fault{Method: p[0], HR: hr, Async: flag(args, "async")}
	if s, ok := keyed(args, "times"); ok {
		if f.Times, err = parseCount("times", s, MaxCount); err != nil {
			return err
		}
	}
	if s, ok := keyed(args, "object"); ok {
		if f.Object, err = parseCount("object", s, MaxObjects); err != nil {
			return err
		}
	}
	if err := sim.ValidateFault(f); err != nil {
		return err
	}
	if r.injections++; r.injections > MaxInjections {
		return fmt.Errorf("a scenario may inject at most %d faults", MaxInjections)
	}
	return r.setup(func(c *sim.Coordinator) error { return c.InjectFault(f) })
}

// result renders a call's outcome and records it for coverage.
func (r *runner) result(method string, err error, extra string) string {
	if r.remote != nil {
		err = r.remote.withRule(err)
	}
	hr := vss.Code(err)
	r.cover(method + " " + hr.String())
	out := hr.String()
	var ve *vss.Error
	if errors.As(err, &ve) && ve.Rule != "" {
		r.cover("rule " + ve.Rule)
		out += " rule=" + ve.Rule
	}
	if err == nil && extra != "" {
		out += " " + extra
	}
	return out
}

func (r *runner) cmdSelectAll() (string, error) {
	o, err := r.obj()
	if err != nil {
		return "", err
	}
	n, err := o.GetWriterMetadataCount()
	if err != nil {
		return r.result("GetWriterMetadataCount", err, ""), nil
	}
	var lines []string
	for i := uint32(0); i < n; i++ {
		inst, md, err := o.GetWriterMetadata(i)
		if err != nil {
			return r.result("GetWriterMetadata", err, ""), nil
		}
		for _, c := range md.Components {
			if !c.Selectable {
				continue
			}
			err := o.AddComponent(inst, md.Identity.WriterID, c.Type, c.LogicalPath, c.Name)
			if err != nil {
				lines = append(lines, fmt.Sprintf("AddComponent %s %s: %s", md.Identity.Name, c.Name, r.result("AddComponent", err, "")))
			} else {
				r.cover("AddComponent S_OK")
			}
		}
	}
	return strings.Join(lines, "\n"), nil
}

// lastAsync is the current object's last async operation.
func (r *runner) lastAsync() (*asyncRef, error) {
	o, err := r.obj()
	if err != nil {
		return nil, err
	}
	ref := r.last[r.num(o)]
	if ref == nil {
		return nil, fmt.Errorf("object #%d has no async operation yet", r.num(o))
	}
	return ref, nil
}

func (r *runner) cmdAsync(cmd string, args []Arg) (string, error) {
	ref, err := r.lastAsync()
	if err != nil {
		return "", err
	}
	switch cmd {
	case "wait":
		if err := checkArgs(args, []string{"timeout"}, nil, 0); err != nil {
			return "", err
		}
		timeout := time.Duration(-1)
		if s, ok := keyed(args, "timeout"); ok {
			if timeout, err = parseDur(s); err != nil {
				return "", err
			}
		}
		werr := ref.a.Wait(timeout)
		// The QueryStatus a requestor makes after Wait. Right after a Wait
		// that timed out it does not poll (sim.Async.QueryStatus), so the
		// simulator, vsssim serve and real Windows all print what the Wait
		// left.
		st, qerr := ref.a.QueryStatus()
		if qerr != nil {
			return "", qerr
		}
		r.cover(ref.method + " async " + st.String())
		out := st.String()
		if werr != nil {
			out = "Wait: " + vss.Code(werr).String() + ", status " + out
		}
		return out, nil
	case "query-status":
		st, err := ref.a.QueryStatus()
		if err != nil {
			return vss.Code(err).String(), nil
		}
		return st.String(), nil
	}
	hr, err := ref.a.Cancel()
	if err != nil {
		return vss.Code(err).String(), nil
	}
	return hr.String(), nil
}

func (r *runner) cmdStatus() (string, error) {
	o, err := r.obj()
	if err != nil {
		return "", err
	}
	a, err := o.GatherWriterStatus()
	if err != nil {
		return "GatherWriterStatus: " + r.result("GatherWriterStatus", err, ""), nil
	}
	if err := a.Wait(-1); err != nil {
		return "", err
	}
	if st, _ := a.QueryStatus(); st != vss.VSS_S_ASYNC_FINISHED {
		return "GatherWriterStatus async: " + st.String(), nil
	}
	n, err := o.GetWriterStatusCount()
	if err != nil {
		return "", err
	}
	var rows []vss.WriterStatus
	for i := uint32(0); i < n; i++ {
		st, err := o.GetWriterStatusEx(i)
		if err != nil {
			return "", err
		}
		rows = append(rows, st)
	}
	if err := o.FreeWriterStatus(); err != nil {
		return "", err
	}
	return strings.TrimRight(StatusLines(rows), "\n"), nil
}

// StatusLines renders writer status rows one line a writer, the compact
// form scenario expectations use (VShadowStatus is vshadow's layout).
func StatusLines(rows []vss.WriterStatus) string {
	if len(rows) == 0 {
		return "(no writers)\n"
	}
	var b strings.Builder
	for _, st := range rows {
		fmt.Fprintf(&b, "- Status for %q: [%d] %v, last error %v", st.Name, st.State, st.State, st.Failure.String())
		if st.ApplicationError != vss.S_OK || st.ApplicationMessage != "" {
			fmt.Fprintf(&b, ", application error %v %q", st.ApplicationError.String(), st.ApplicationMessage)
		}
		b.WriteString("\n")
	}
	return b.String()
}

func (r *runner) cmdTrace(args []Arg) (string, error) {
	if err := checkArgs(args, nil, []string{"all"}, 0); err != nil {
		return "", err
	}
	c, err := r.world()
	if err != nil {
		return "", err
	}
	all := flag(args, "all")
	entries := c.TraceSince(r.mark)
	var lines []string
	for _, e := range entries {
		switch e.Kind {
		case sim.KindEvent, sim.KindReply, sim.KindState, sim.KindAsync:
		default:
			if !all {
				continue
			}
		}
		lines = append(lines, e.String())
	}
	r.mark = c.TraceLen()
	return strings.Join(lines, "\n"), nil
}
