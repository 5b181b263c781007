package scenarios

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/vsssim/vsssim/fakewriter"
	"github.com/vsssim/vsssim/sim"
)

// localPath resolves a path a scenario names relative to the scenario
// file's directory.
func (r *runner) localPath(p string) (string, error) {
	if r.file.fsys != nil {
		return "", fmt.Errorf("%q: files are read only next to scenario files on disk", p)
	}
	if filepath.IsAbs(p) {
		return p, nil
	}
	return filepath.Join(filepath.Dir(r.file.Name), p), nil
}

// cmdWriters is "writers PATH": declare every writer of a customer's
// documents (fakewriter.Load: a directory of Writer Metadata Documents,
// vshadow -wm3 output, a diskshadow metadata folder), each under its own
// name.
func (r *runner) cmdWriters(args []Arg) error {
	if err := checkArgs(args, nil, nil, 1); err != nil {
		return err
	}
	p := positional(args)
	if len(p) != 1 {
		return fmt.Errorf("want: writers PATH (a directory of writer metadata documents, vshadow -wm3 output or a diskshadow metadata folder)")
	}
	path, err := r.localPath(p[0])
	if err != nil {
		return err
	}
	ws, err := fakewriter.Load(path)
	if err != nil {
		return err
	}
	for _, w := range ws {
		name := w.Config.Name
		if r.names[name] != nil {
			return fmt.Errorf("writer %q (from %s) is already declared", name, p[0])
		}
		r.names[name] = w
		r.writers = append(r.writers, w)
		if err := r.setup(func(c *sim.Coordinator) error {
			_, err := w.Subscribe(c)
			return err
		}); err != nil {
			return err
		}
	}
	return nil
}

// bcdFile reads bcd=FILE: a Backup Components Document saved by a real
// requestor (a customer's), next to the scenario.
func (r *runner) bcdFile(p string) (string, error) {
	if !strings.HasSuffix(strings.ToLower(p), ".xml") {
		return "", usageError{fmt.Errorf("bcd=%q: want saved, none, garbage or a FILE.xml next to the scenario", p)}
	}
	path, err := r.localPath(p)
	if err != nil {
		return "", usageError{err}
	}
	s, err := fakewriter.ReadDocument(path)
	if err != nil {
		return "", usageError{fmt.Errorf("bcd=%s: %v", p, err)}
	}
	return s, nil
}
