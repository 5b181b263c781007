package scenarios

import (
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/vsssim/vsssim/fakewriter"
	"github.com/vsssim/vsssim/requestor"
	"github.com/vsssim/vsssim/requestor/vss"
	"github.com/vsssim/vsssim/sim"
)

// Failure is one expectation that did not hold.
type Failure struct {
	File string
	Line int
	Cmd  string
	Want string
	Got  string
}

func (f Failure) String() string {
	return fmt.Sprintf("%s:%d: %s\n  want:\n%s\n  got:\n%s", f.File, f.Line, f.Cmd, indent(f.Want), indent(f.Got))
}

func indent(s string) string {
	if s == "" {
		return "    (nothing)"
	}
	return "    " + strings.ReplaceAll(s, "\n", "\n    ")
}

// Result is the outcome of one scenario file.
type Result struct {
	File     string
	Skipped  string // why the file was skipped, if it was
	Failures []Failure
	// Outputs holds what each command printed (for -rewrite).
	Outputs map[*Directive]string
	Parsed  *File
	// Trace is the full trace of the run.
	Trace string
	// FinalStatus is each object's writer status at the end ("#N:" and
	// the object's status in the layout of vshadow -ws, VShadowStatus).
	FinalStatus string
	// Findings are the requestor conformance findings (sim.Checks) at the
	// end of the run, before the runner releases what the scenario left.
	Findings []sim.Finding
	// Covered lists what the run exercised: "Method HRESULT" for every
	// call result and async result, and "rule ID" for every BAD_STATE rule.
	Covered map[string][]int
	Elapsed time.Duration
	// Checked is the number of expectations compared.
	Checked int
	// Stopped says why the run stopped early, at file:line, when it
	// reached MaxFailures failed expectations (the failures until then
	// are in Failures, and OK is false).
	Stopped string
}

// OK reports whether every expectation held.
func (r *Result) OK() bool { return len(r.Failures) == 0 }

// NothingChecked returns ErrNoExpectations (wrapped with the file name)
// when the file was not skipped but compared no expectation at all: an
// empty file, or commands without "----". Such a file passes (OK is true)
// but tested nothing, which a caller should not count as a pass.
func (r *Result) NothingChecked() error {
	if r.Skipped != "" || r.Checked > 0 || len(r.Failures) > 0 {
		return nil
	}
	return fmt.Errorf("%s: %w", r.File, ErrNoExpectations)
}

// Rewritten is the file with the actual outputs as expectations.
func (r *Result) Rewritten() string { return r.Parsed.Format(r.Outputs) }

// Rewrite writes Rewritten to path (through a temporary file renamed over
// it, keeping its mode), after checking that the text reads back with the
// same commands and the new expectations; a scenario that cannot be
// written back faithfully is left untouched and reported.
func (r *Result) Rewrite(path string) error {
	if err := r.Parsed.CheckFormat(r.Outputs); err != nil {
		return err
	}
	text := r.Rewritten()
	back, err := Parse(r.File, []byte(text))
	if err != nil {
		return fmt.Errorf("%s: the rewritten file does not read back: %w", path, err)
	}
	if i, ok := sameCommands(r.Parsed, back, r.Outputs); !ok {
		return fmt.Errorf("%s: the rewritten file does not read back the same way from its command %d on; left unchanged", path, i+1)
	}
	mode := os.FileMode(0o644)
	if st, err := os.Stat(path); err == nil {
		mode = st.Mode().Perm()
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".rewrite-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // after a successful rename there is nothing left to remove
	if _, err := tmp.WriteString(text); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(mode); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// sameCommands reports whether b has a's commands, with outputs (or a's
// expectations where outputs has none) as expectations; when not, the
// index of the first command that differs.
func sameCommands(a, b *File, outputs map[*Directive]string) (int, bool) {
	var ac, bc []*Directive
	for _, d := range a.Directives {
		if d.Cmd != "" {
			ac = append(ac, d)
		}
	}
	for _, d := range b.Directives {
		if d.Cmd != "" {
			bc = append(bc, d)
		}
	}
	for i, d := range ac {
		if i >= len(bc) || bc[i].Raw != d.Raw {
			return i, false
		}
		want, has := d.Expected, d.HasExpected
		if out, ok := outputs[d]; ok {
			want, has = out, has || out != ""
		}
		if bc[i].Expected != want || bc[i].HasExpected != has {
			return i, false
		}
	}
	return len(ac), len(ac) == len(bc)
}

// RunFile parses and runs a scenario file on the simulator. A syntax or
// usage error in the file is returned as an error naming file:line; a file
// larger than MaxFileSize is refused before it is read.
func RunFile(path string) (*Result, error) {
	f, err := parseFile(path)
	if err != nil {
		return nil, err
	}
	return Run(f)
}

// Run runs a parsed scenario on the backend BackendFromEnv names.
func Run(f *File) (*Result, error) { return RunOn(f, BackendFromEnv()) }

// BackendFromEnv is the backend scenarios run on: "sim" (the default), or
// "windows" when VSSSIM_BACKEND=windows (real VSS: needs Windows and an
// elevated process; files that need the simulator's world, such as fake
// writers, are skipped with the reason).
func BackendFromEnv() string {
	if os.Getenv("VSSSIM_BACKEND") == "windows" {
		return "windows"
	}
	return "sim"
}

// simOnly are the commands that need the simulator's world.
var simOnly = map[string]bool{"register-provider": true, "volume-in-use": true, "option": true, "writer": true, "writers": true, "fault": true, "volume": true, "provider-timing": true,
	"privilege": true, "inject": true, "provider": true, "provider-hook": true, "advance": true, "trace": true, "shadows": true, "now": true, "check": true}

// RunOn runs a parsed scenario on the named backend ("sim" or "windows").
func RunOn(f *File, backend string) (*Result, error) {
	start := time.Now()
	r := &runner{file: f, opts: sim.DefaultOptions(), res: &Result{File: f.Name, Parsed: f, Outputs: map[*Directive]string{},
		Covered: map[string][]int{}}, names: map[string]*fakewriter.Writer{}, backend: backend,
		last: map[int]*asyncRef{}, snaps: map[int][]vss.ID{}, sets: map[int]vss.ID{}}
	defer r.close()
	if backend == "windows" {
		// Against vsssim serve (VSSSIM_ADDR): the simulator's world, through COM.
		rm, err := remoteFromEnv(f.Name)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", f.Name, err)
		}
		if rm != nil {
			defer rm.close()
			r.remote, backend = rm, "sim"
		}
	}
	for _, d := range f.Directives {
		if d.Cmd == "" {
			continue
		}
		r.d = d
		if r.backend != "sim" && r.remote == nil && (simOnly[d.Cmd] || d.Cmd == "requires") {
			r.res.Skipped = fmt.Sprintf("line %d: %s needs the simulator (the %s backend has real writers and volumes)", d.Line, d.Cmd, backend)
			return r.res, nil
		}
		run, args, err := forThisBackend(d, r.tags(backend)...)
		if err != nil {
			return nil, fmt.Errorf("%s:%d: %s: %w", f.Name, d.Line, short(d.Cmd), err)
		} else if !run {
			continue
		}
		cmd := *d // the parsed file stays as it is: it may be run again
		cmd.Args = args
		var out string
		if r.remote != nil && (simOnly[d.Cmd] || d.Cmd == "requires") {
			out, err = r.remote.world(&cmd)
		} else {
			out, err = r.exec(&cmd)
		}
		if err != nil {
			if _, ok := err.(skip); ok {
				r.res.Skipped = err.Error()
				return r.res, nil
			}
			return nil, fmt.Errorf("%s:%d: %s: %w", f.Name, d.Line, short(d.Cmd), err)
		}
		if err := r.budget(); err != nil {
			return nil, fmt.Errorf("%s:%d: %s: %w", f.Name, d.Line, short(d.Cmd), err)
		}
		out = strings.TrimRight(out, "\n")
		r.res.Outputs[d] = out
		expected := d.Expected
		if backend != "sim" {
			// The rule behind a VSS_E_BAD_STATE is the simulator's own
			// explanation; real VSS only returns the code.
			expected = ruleSuffix.ReplaceAllString(expected, "")
		}
		if d.HasExpected {
			r.res.Checked++
		}
		if out != expected || (!d.HasExpected && out != "") {
			want := d.Expected
			if !d.HasExpected {
				want = "(no expectation: add ---- and the expected output, or run with -rewrite)"
			}
			r.res.Failures = append(r.res.Failures, Failure{File: f.Name, Line: d.Line, Cmd: d.Raw, Want: want, Got: out})
			if len(r.res.Failures) == MaxFailures {
				r.res.Stopped = fmt.Sprintf("%s:%d: stopped after %d failed expectations", f.Name, d.Line, MaxFailures)
				break
			}
		}
	}
	if r.c != nil {
		r.res.Trace = r.c.Trace().String()
		r.res.Findings = r.c.Check(sim.CheckOptions{})
	}
	if r.remote != nil {
		r.res.Trace, r.res.FinalStatus = r.remote.trace(), r.remote.status()
	}
	var fs strings.Builder
	for i, o := range r.simObjs {
		if o != nil {
			fmt.Fprintf(&fs, "#%d:\n", i+1)
			fs.WriteString(VShadowStatus(o.PeekWriterStatus()))
		}
	}
	if r.remote == nil {
		r.res.FinalStatus = fs.String()
	}
	r.res.Elapsed = time.Since(start)
	return r.res, nil
}

var ruleSuffix = regexp.MustCompile(` rule=\S+`)

type skip string

func (s skip) Error() string { return string(s) }

// budget stops a scenario whose trace outgrew MaxTraceEntries or whose
// virtual clock passed 10 × MaxDuration: what one file may cost is bounded.
func (r *runner) budget() error {
	if r.c == nil {
		return nil
	}
	if n := r.c.TraceLen(); n > traceBudget {
		return fmt.Errorf("the scenario's trace has %d entries, more than the %d a scenario may produce; stopped", n, traceBudget)
	}
	if now := r.c.Now(); now > 10*MaxDuration {
		return fmt.Errorf("the virtual clock is at %v, past the %v a scenario may reach; stopped", now, 10*MaxDuration)
	}
	return nil
}

type runner struct {
	file    *File
	d       *Directive
	opts    sim.Options
	c       *sim.Coordinator
	writers []*fakewriter.Writer
	names   map[string]*fakewriter.Writer
	objs    []requestor.BackupComponents
	simObjs []*sim.BackupComponents // the same objects on the simulator (nil elsewhere)
	cur     int
	last    map[int]*asyncRef
	snaps   map[int][]vss.ID
	sets    map[int]vss.ID
	backend string
	bcd     string
	mark    int
	res     *Result
	pending []func(c *sim.Coordinator) error
	provs   map[string]*scenarioProvider
	// volumes and injections count those commands (MaxVolumes,
	// MaxInjections).
	volumes, injections int
	// remote is the control connection to vsssim serve (windows backend
	// through vsssim's vssapi.dll), nil otherwise.
	remote *remote
}

type asyncRef struct {
	method string
	a      vss.Async
}

func (r *runner) close() {
	for _, o := range r.objs {
		_ = o.Release() // a scenario that forgot Release must not leak operations
	}
}

func (r *runner) cover(key string) {
	r.res.Covered[key] = append(r.res.Covered[key], r.d.Line)
}

// world creates the coordinator on first use, after the options.
func (r *runner) world() (*sim.Coordinator, error) {
	if r.c != nil {
		return r.c, nil
	}
	r.c = sim.New(r.opts)
	for _, p := range r.pending {
		if err := p(r.c); err != nil {
			return nil, err
		}
	}
	r.pending = nil
	return r.c, nil
}

// setup runs fn now if the world exists, else when it is created.
func (r *runner) setup(fn func(c *sim.Coordinator) error) error {
	if r.c != nil {
		return fn(r.c)
	}
	r.pending = append(r.pending, fn)
	return nil
}

// num is an object's number (#1, #2, ...).
func (r *runner) num(o requestor.BackupComponents) int {
	for i, x := range r.objs {
		if x == o {
			return i + 1
		}
	}
	return 0
}

func (r *runner) obj() (requestor.BackupComponents, error) {
	if len(r.objs) == 0 {
		return nil, fmt.Errorf("no requestor object yet: use \"new\" first")
	}
	return r.objs[r.cur], nil
}

// args helpers

func positional(args []Arg) []string {
	var out []string
	for _, a := range args {
		if a.Key == "" {
			out = append(out, a.Value)
		}
	}
	return out
}

// operands are the positional arguments that are not one of flags.
func operands(args []Arg, flags ...string) []string {
	var out []string
	for _, a := range args {
		if a.Key == "" && !contains(flags, a.Value) {
			out = append(out, a.Value)
		}
	}
	return out
}

func keyed(args []Arg, key string) (string, bool) {
	for _, a := range args {
		if a.Key == key {
			return a.Value, true
		}
	}
	return "", false
}

func flag(args []Arg, name string) bool {
	for _, a := range args {
		if a.Key == "" && a.Value == name {
			return true
		}
	}
	return false
}

// checkArgs rejects arguments a command does not know (nothing the user
// wrote is silently dropped).
func checkArgs(args []Arg, keys []string, flags []string, maxPositional int) error {
	n := 0
	for _, a := range args {
		if a.Key != "" {
			if !contains(keys, a.Key) {
				return fmt.Errorf("unknown argument %s= (known: %s)", a.Key, strings.Join(keys, "=, ")+"=")
			}
			continue
		}
		if contains(flags, a.Value) {
			continue
		}
		n++
		if n > maxPositional {
			return fmt.Errorf("unexpected argument %q", a.Value)
		}
	}
	return nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func parseHR(s string) (vss.HRESULT, error) {
	return vss.ParseHRESULT(s)
}

func parseDur(s string) (time.Duration, error) {
	if s == "INFINITE" || s == "infinite" {
		return -1, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil && durationSyntax.MatchString(s) || err == nil && d > MaxDuration {
		return 0, fmt.Errorf("%s is too long: a scenario duration is at most %v (10 years)", s, MaxDuration)
	}
	if err != nil {
		return 0, fmt.Errorf("%s is not a duration (like 10s, 500ms or INFINITE)", excerpt(s))
	}
	if d < 0 {
		return 0, fmt.Errorf("%s is negative: a scenario duration is positive (or INFINITE where allowed)", s)
	}
	return d, nil
}

// durationSyntax matches what time.ParseDuration reads (it fails on such a
// string only when the value is out of range).
var durationSyntax = regexp.MustCompile(`^\+?((\d+(\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h))+$`)

func parseBool(s string) (bool, error) {
	switch strings.ToLower(s) {
	case "yes", "true", "1":
		return true, nil
	case "no", "false", "0":
		return false, nil
	}
	return false, fmt.Errorf("%q is not yes or no", s)
}

func parseEnum[T ~int32](s string, all []T) (T, error) {
	var names []string
	for _, v := range all {
		name := fmt.Sprint(v)
		if strings.EqualFold(name, s) {
			return v, nil
		}
		names = append(names, name)
	}
	if n, err := strconv.ParseInt(s, 0, 64); err == nil {
		return T(int32(n)), nil
	}
	return 0, fmt.Errorf("%q is not one of %s", s, strings.Join(names, ", "))
}

// parseContext reads a context: names joined by |, or a number.
func parseContext(s string) (vss.SnapshotContext, error) {
	if n, err := strconv.ParseInt(s, 0, 64); err == nil {
		return vss.SnapshotContext(int32(n)), nil
	}
	var ctx vss.SnapshotContext
	for _, part := range strings.Split(s, "|") {
		if c, err := parseEnum(part, vss.AllSnapshotContexts()); err == nil {
			ctx |= c
			continue
		}
		a, err := parseEnum(part, vss.AllVolumeSnapshotAttributes())
		if err != nil {
			return 0, fmt.Errorf("%q is not a VSS_CTX_* or VSS_VOLSNAP_ATTR_* name", part)
		}
		ctx |= vss.SnapshotContext(a)
	}
	return ctx, nil
}

var levels = map[string]vss.ApplicationLevel{
	"front-end": vss.VSS_APP_FRONT_END, "back-end": vss.VSS_APP_BACK_END, "system": vss.VSS_APP_SYSTEM, "system-rm": vss.VSS_APP_SYSTEM_RM,
}

var events = []sim.Event{sim.EventIdentify, sim.EventPrepareForBackup, sim.EventPrepareForSnapshot, sim.EventFreeze, sim.EventThaw,
	sim.EventPostSnapshot, sim.EventAbort, sim.EventBackupComplete, sim.EventBackupShutdown, sim.EventPreRestore, sim.EventPostRestore}

// presetWriter resolves preset=NAME: a file next to the scenario, NAME (or
// NAME.xml) in a testdata/writers directory found upwards (files on disk
// override the embedded presets), or the embedded preset NAME
// (fakewriter.Preset).
func (r *runner) presetWriter(name string) (*fakewriter.Writer, error) {
	if r.file.fsys != nil {
		p := path.Join(path.Dir(filepath.ToSlash(r.file.Name)), name)
		if data, err := fs.ReadFile(r.file.fsys, p); err == nil {
			md, err := vss.LoadWriterMetadata(data)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", p, err)
			}
			return fakewriter.FromWMD(md), nil
		}
	} else if dir, err := filepath.Abs(filepath.Dir(r.file.Name)); err == nil {
		candidates := []string{filepath.Join(dir, name)}
		for d := dir; ; d = filepath.Dir(d) {
			candidates = append(candidates, filepath.Join(d, "testdata", "writers", name), filepath.Join(d, "testdata", "writers", name+".xml"))
			if filepath.Dir(d) == d {
				break
			}
		}
		for _, p := range candidates {
			if st, err := os.Stat(p); err == nil && !st.IsDir() {
				return fakewriter.FromFile(p)
			}
		}
	}
	w, err := fakewriter.Preset(name)
	if err != nil {
		return nil, fmt.Errorf("preset %q: not next to the scenario, not in a testdata/writers directory above it, and not a built-in preset (%s)",
			name, strings.Join(fakewriter.PresetNames(), ", "))
	}
	return w, nil
}

func sortedKeys(m map[string][]int) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// tags are what only= and skip= match: the backend whose behaviour is
// checked ("sim" for vsssim serve too), and "com" when calls go through the
// COM ABI (real Windows or vsssim serve).
func (r *runner) tags(backend string) []string {
	if r.backend == "windows" {
		return []string{backend, "com"}
	}
	return []string{backend}
}

// forThisBackend applies a directive's only=BACKEND / skip=BACKEND
// condition and returns the other arguments: a directive that does not
// apply to this backend (one of tags) is not run and its expectation is
// not checked.
func forThisBackend(d *Directive, tags ...string) (bool, []Arg, error) {
	run := true
	kept := d.Args[:0:0]
	for _, a := range d.Args {
		switch a.Key {
		case "only":
			run = run && contains(tags, a.Value)
		case "skip":
			run = run && !contains(tags, a.Value)
		default:
			kept = append(kept, a)
			continue
		}
		if a.Value != "sim" && a.Value != "windows" && a.Value != "com" {
			return false, nil, fmt.Errorf("%s=%q: backends are sim and windows, or com (through COM: Windows or vsssim serve)", a.Key, a.Value)
		}
	}
	return run, kept, nil
}
