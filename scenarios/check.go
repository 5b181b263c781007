package scenarios

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/vsssim/vsssim/sim"
)

// cmdCheck runs the requestor conformance checks (sim.Checks) on object N,
// or on every object, and prints the findings one a line ("no findings"
// when there are none).
func (r *runner) cmdCheck(args []Arg) (string, error) {
	if err := checkArgs(args, []string{"ignore"}, []string{"abort-from-start"}, 1); err != nil {
		return "", err
	}
	c, err := r.world()
	if err != nil {
		return "", err
	}
	opts := sim.CheckOptions{AbortFromStartSnapshotSet: flag(args, "abort-from-start")}
	if s, ok := keyed(args, "ignore"); ok {
		for _, name := range strings.Split(s, ",") {
			if _, ok := sim.CheckByName(name); !ok {
				return "", fmt.Errorf("ignore=%s: no check %q", s, name)
			}
			opts.Ignore = append(opts.Ignore, name)
		}
	}
	var fs []sim.Finding
	if p := operands(args, "abort-from-start"); len(p) == 1 {
		n, err := strconv.Atoi(strings.TrimPrefix(p[0], "#"))
		// The coordinator's objects: the file's own, or, behind vsssim
		// serve, those its COM requestor created there.
		if objs := c.Objects(); err != nil || n < 1 || n > objs {
			return "", fmt.Errorf("want: check [N] with N from 1 to %d", objs)
		}
		fs = c.CheckObject(n, opts)
	} else {
		fs = c.Check(opts)
	}
	for _, f := range fs {
		r.cover("check " + f.Name)
	}
	return FindingLines(fs), nil
}

// FindingLines renders findings one a line, or "no findings".
func FindingLines(fs []sim.Finding) string {
	if len(fs) == 0 {
		return "no findings"
	}
	lines := make([]string, len(fs))
	for i, f := range fs {
		lines[i] = f.String()
	}
	return strings.Join(lines, "\n")
}

// cmdReadExcludes reads writer INDEX's exclude lists the way a COM
// requestor does (GetWriterMetadata, then GetExcludeFile and
// GetExcludeFromSnapshotFile for each entry) and prints them.
func (r *runner) cmdReadExcludes(args []Arg) (string, error) {
	i, err := index(args, "read-excludes INDEX")
	if err != nil {
		return "", err
	}
	o, err := r.obj()
	if err != nil {
		return "", err
	}
	_, md, err := o.GetWriterMetadata(i)
	if err != nil {
		return r.result("GetWriterMetadata", err, ""), nil
	}
	var lines []string
	_, nx, _ := md.GetFileCounts()
	for j := uint32(0); j < nx; j++ {
		f, err := md.GetExcludeFile(j)
		if err != nil {
			return "", err
		}
		lines = append(lines, fmt.Sprintf("exclude %s %s recursive=%v", f.Path, f.Filespec, f.Recursive))
	}
	ns := md.GetExcludeFromSnapshotCount()
	for j := uint32(0); j < ns; j++ {
		f, err := md.GetExcludeFromSnapshotFile(j)
		if err != nil {
			return "", err
		}
		lines = append(lines, fmt.Sprintf("exclude-from-snapshot %s %s recursive=%v", f.Path, f.Filespec, f.Recursive))
	}
	if len(lines) == 0 {
		return "no excludes", nil
	}
	return strings.Join(lines, "\n"), nil
}
