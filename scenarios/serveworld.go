package scenarios

import (
	"fmt"

	"github.com/vsssim/vsssim/fakewriter"
	"github.com/vsssim/vsssim/requestor/vss"
	"github.com/vsssim/vsssim/sim"
)

// World is a scenario world without a requestor: a simulated machine
// (writers, volumes, providers, options, faults) built and changed with the
// scenario language's world commands (option, writer, fault, volume,
// provider-timing, privilege, inject, requires) and inspected with its
// simulator commands (advance, now, trace, shadows). vsssim serve holds one
// and lends its coordinator to the requestors that connect.
type World struct {
	r *runner
}

// NewWorld returns an empty world. name is the file the world's commands
// come from: preset=FILE is looked up next to it, then in a
// testdata/writers directory above it.
func NewWorld(name string) *World {
	return &World{r: &runner{file: &File{Name: name}, opts: sim.DefaultOptions(), backend: "sim",
		res:   &Result{File: name, Outputs: map[*Directive]string{}, Covered: map[string][]int{}},
		names: map[string]*fakewriter.Writer{}, last: map[int]*asyncRef{}, snaps: map[int][]vss.ID{}, sets: map[int]vss.ID{}}}
}

// LoadWorld reads a world file (world commands only, one a line) into a
// new World.
func LoadWorld(path string) (*World, error) {
	f, err := parseFile(path)
	if err != nil {
		return nil, err
	}
	w := NewWorld(path)
	for _, d := range f.Directives {
		if _, err := w.exec(d); err != nil {
			return nil, fmt.Errorf("%s:%d: %s: %w", path, d.Line, d.Cmd, err)
		}
	}
	return w, nil
}

// Exec runs one world or simulator command (a line of the scenario
// language) and returns what it prints.
func (w *World) Exec(line string) (string, error) {
	f, err := Parse(w.r.file.Name, []byte(line))
	if err != nil {
		return "", err
	}
	if len(f.Directives) != 1 {
		return "", fmt.Errorf("want one command, got %d", len(f.Directives))
	}
	return w.exec(f.Directives[0])
}

func (w *World) exec(d *Directive) (string, error) {
	if !simOnly[d.Cmd] && d.Cmd != "requires" {
		return "", fmt.Errorf("%q is not a world command (option, writer, writers, fault, volume, provider, provider-hook, register-provider, volume-in-use, provider-timing, privilege, inject, requires, advance, now, trace, shadows)", d.Cmd)
	}
	run, args, err := forThisBackend(d, "sim")
	if err != nil || !run {
		return "", err
	}
	cmd := *d
	cmd.Args = args
	w.r.d = &cmd
	return w.r.exec(&cmd)
}

// Coordinator returns the world's coordinator, creating it (with the
// options given so far) on first use.
func (w *World) Coordinator() (*sim.Coordinator, error) { return w.r.world() }

// WriterIDs returns the instance and class ids of the writer declared as
// name (what call arguments naming a writer resolve to).
func (w *World) WriterIDs(name string) (instance, class vss.ID, err error) {
	if _, err := w.r.world(); err != nil {
		return vss.ID{}, vss.ID{}, err
	}
	return w.r.instanceOf(name)
}

// parseFile reads and parses a scenario or world file (within the limits
// of a scenario file).
func parseFile(path string) (*File, error) {
	data, err := readScenario(path)
	if err != nil {
		return nil, err
	}
	return Parse(path, data)
}
