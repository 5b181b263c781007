package scenarios

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/vsssim/vsssim/requestor"
	"github.com/vsssim/vsssim/requestor/vss"
	"github.com/vsssim/vsssim/sim"
)

// The management and Ex–Ex4 calls (IVssBackupComponents slots 40–64) in
// the scenario language; see the package documentation for their
// arguments.
func init() {
	for m, spec := range exCalls {
		calls[m] = spec
	}
}

// badID is a well-formed id nobody has, so that a call given an unknown
// reference answers for itself (VSS_E_OBJECT_NOT_FOUND).
var badID = vss.MustParseID("00000000-0000-0000-0000-0000deadbeef")

// of resolves of=K: the object whose snapshots or set a reference means
// (default the current one).
func (r *runner) of(o requestor.BackupComponents, args []Arg) (int, error) {
	s, ok := keyed(args, "of")
	if !ok {
		return r.num(o), nil
	}
	n, err := strconv.Atoi(strings.TrimPrefix(s, "#"))
	if err != nil || n < 1 || n > len(r.objs) {
		return 0, usageError{fmt.Errorf("of=%q: want an object number from 1 to %d", s, len(r.objs))}
	}
	return n, nil
}

// exSnapshot resolves [snapshot=N] [of=K]: the N-th snapshot object K
// added (default the first of the current object).
func (r *runner) exSnapshot(o requestor.BackupComponents, args []Arg) (vss.ID, error) {
	k, err := r.of(o, args)
	if err != nil {
		return vss.ID{}, err
	}
	n := 1
	if s, ok := keyed(args, "snapshot"); ok {
		if n, err = parseCount("snapshot", s, MaxCount); err != nil {
			return vss.ID{}, usageError{err}
		}
	}
	if list := r.snaps[k]; n <= len(list) {
		return list[n-1], nil
	}
	return badID, nil
}

// exSet resolves [of=K]: the snapshot set object K started.
func (r *runner) exSet(o requestor.BackupComponents, args []Arg) (vss.ID, error) {
	k, err := r.of(o, args)
	if err != nil {
		return vss.ID{}, err
	}
	if id := r.sets[k]; !id.IsNull() {
		return id, nil
	}
	return badID, nil
}

// parseMask reads names joined by | (or a number) into a bit mask.
func parseMask[T ~int32](s string, all []T) (T, error) {
	if n, err := strconv.ParseInt(s, 0, 64); err == nil {
		return T(int32(n)), nil
	}
	var v T
	for _, part := range strings.Split(s, "|") {
		b, err := parseEnum(part, all)
		if err != nil {
			return 0, err
		}
		v |= b
	}
	return v, nil
}

func flagsArg(args []Arg) (uint32, error) {
	s, ok := keyed(args, "flags")
	if !ok {
		return 0, nil
	}
	n, err := strconv.ParseUint(s, 0, 32)
	if err != nil {
		return 0, usageError{fmt.Errorf("flags=%q is not a number", s)}
	}
	return uint32(n), nil
}

var exCalls = map[string]callSpec{
	"ImportSnapshots": {do: func(r *runner, o requestor.BackupComponents, args []Arg) (string, vss.Async, error) {
		a, err := o.ImportSnapshots()
		return "", a, err
	}},
	"BreakSnapshotSet": {keys: []string{"of"}, do: func(r *runner, o requestor.BackupComponents, args []Arg) (string, vss.Async, error) {
		id, err := r.exSet(o, args)
		if err != nil {
			return "", nil, err
		}
		return "", nil, o.BreakSnapshotSet(id)
	}},
	"BreakSnapshotSetEx": {keys: []string{"of", "flags"}, do: func(r *runner, o requestor.BackupComponents, args []Arg) (string, vss.Async, error) {
		id, err := r.exSet(o, args)
		if err != nil {
			return "", nil, err
		}
		var f vss.HardwareOptions
		if s, ok := keyed(args, "flags"); ok {
			if f, err = parseMask(s, vss.AllHardwareOptions()); err != nil {
				return "", nil, usageError{err}
			}
		}
		a, err := o.BreakSnapshotSetEx(id, f)
		return "", a, err
	}},
	"ExposeSnapshot": {keys: []string{"snapshot", "of", "expose", "path"}, positional: 1, do: func(r *runner, o requestor.BackupComponents, args []Arg) (string, vss.Async, error) {
		p, err := needPos(args, 1, "ExposeSnapshot ATTRIBUTES [expose=NAME] [path=FROMROOT] [snapshot=N] [of=K]")
		if err != nil {
			return "", nil, err
		}
		attrs, err := parseMask(p[0], vss.AllVolumeSnapshotAttributes())
		if err != nil {
			return "", nil, usageError{err}
		}
		id, err := r.exSnapshot(o, args)
		if err != nil {
			return "", nil, err
		}
		expose, _ := keyed(args, "expose")
		path, _ := keyed(args, "path")
		name, err := o.ExposeSnapshot(id, path, attrs, expose)
		return "exposed=" + name, nil, err
	}},
	"UnexposeSnapshot": {keys: []string{"snapshot", "of"}, do: func(r *runner, o requestor.BackupComponents, args []Arg) (string, vss.Async, error) {
		id, err := r.exSnapshot(o, args)
		if err != nil {
			return "", nil, err
		}
		return "", nil, o.UnexposeSnapshot(id)
	}},
	"RevertToSnapshot": {keys: []string{"snapshot", "of", "force"}, do: func(r *runner, o requestor.BackupComponents, args []Arg) (string, vss.Async, error) {
		id, err := r.exSnapshot(o, args)
		if err != nil {
			return "", nil, err
		}
		force, err := boolArg(args, "force", true)
		if err != nil {
			return "", nil, err
		}
		return "", nil, o.RevertToSnapshot(id, force)
	}},
	"QueryRevertStatus": {positional: 1, do: func(r *runner, o requestor.BackupComponents, args []Arg) (string, vss.Async, error) {
		p, err := needPos(args, 1, "QueryRevertStatus VOLUME")
		if err != nil {
			return "", nil, err
		}
		a, err := o.QueryRevertStatus(p[0])
		return "", a, err
	}},
	"GetWriterMetadataEx": {positional: 1, do: func(r *runner, o requestor.BackupComponents, args []Arg) (string, vss.Async, error) {
		i, err := index(args, "GetWriterMetadataEx INDEX")
		if err != nil {
			return "", nil, err
		}
		_, md, err := o.GetWriterMetadataEx(i)
		if err != nil {
			return "", nil, err
		}
		return fmt.Sprintf("writer=%q instance=%q components=%d", md.Identity.Name, md.Identity.InstanceName, len(md.Components)), nil, nil
	}},
	"PreFastRecovery": {keys: []string{"of", "flags"}, do: func(r *runner, o requestor.BackupComponents, args []Arg) (string, vss.Async, error) {
		return reservedCall(r, o, args, o.PreFastRecovery)
	}},
	"FastRecovery": {keys: []string{"of", "flags"}, do: func(r *runner, o requestor.BackupComponents, args []Arg) (string, vss.Async, error) {
		return reservedCall(r, o, args, o.FastRecovery)
	}},
	"AddSnapshotToRecoverySet": {keys: []string{"snapshot", "of", "flags", "destination"}, do: func(r *runner, o requestor.BackupComponents, args []Arg) (string, vss.Async, error) {
		id, err := r.exSnapshot(o, args)
		if err != nil {
			return "", nil, err
		}
		f, err := flagsArg(args)
		if err != nil {
			return "", nil, err
		}
		dest, _ := keyed(args, "destination")
		return "", nil, o.AddSnapshotToRecoverySet(id, f, dest)
	}},
	"RecoverSet": {keys: []string{"flags"}, do: func(r *runner, o requestor.BackupComponents, args []Arg) (string, vss.Async, error) {
		var f vss.RecoveryOptions
		if s, ok := keyed(args, "flags"); ok {
			var err error
			if f, err = parseMask(s, vss.AllRecoveryOptions()); err != nil {
				return "", nil, usageError{err}
			}
		}
		a, err := o.RecoverSet(f)
		return "", a, err
	}},
	"GetSessionId": {do: func(r *runner, o requestor.BackupComponents, args []Arg) (string, vss.Async, error) {
		id, err := o.GetSessionId()
		null := "no"
		if id.IsNull() {
			null = "yes"
		}
		return "null=" + null, nil, err
	}},
	"GetRootAndLogicalPrefixPaths": {keys: []string{"fqdn"}, positional: 1, do: func(r *runner, o requestor.BackupComponents, args []Arg) (string, vss.Async, error) {
		p, err := needPos(args, 1, "GetRootAndLogicalPrefixPaths PATH [fqdn=no]")
		if err != nil {
			return "", nil, err
		}
		fqdn, err := boolArg(args, "fqdn", false)
		if err != nil {
			return "", nil, err
		}
		root, prefix, err := o.GetRootAndLogicalPrefixPaths(p[0], fqdn)
		return fmt.Sprintf("root=%s prefix=%s", root, prefix), nil, err
	}},
}

func reservedCall(r *runner, o requestor.BackupComponents, args []Arg, call func(vss.ID, uint32) (vss.Async, error)) (string, vss.Async, error) {
	id, err := r.exSet(o, args)
	if err != nil {
		return "", nil, err
	}
	f, err := flagsArg(args)
	if err != nil {
		return "", nil, err
	}
	a, err := call(id, f)
	return "", a, err
}

// execEx runs the world commands of the management calls: providers other
// than the system provider, and volumes another program holds open.
func (r *runner) execEx(d *Directive) (string, bool, error) {
	args := d.Args
	switch d.Cmd {
	case "register-provider":
		if err := checkArgs(args, []string{"type", "id", "volumes"}, nil, 1); err != nil {
			return "", true, err
		}
		p := positional(args)
		if len(p) != 1 {
			return "", true, fmt.Errorf("want: register-provider NAME type=hardware|software|system [id=GUID] [volumes=C:\\,D:\\]")
		}
		prov := sim.Provider{Name: p[0], Type: vss.VSS_PROV_HARDWARE, Version: "1.0"}
		if s, ok := keyed(args, "type"); ok {
			t, err := parseEnum("VSS_PROV_"+strings.ToUpper(s), vss.AllProviderTypes())
			if err != nil {
				return "", true, err
			}
			prov.Type = t
		}
		prov.ID = vss.NewIDFromUint64(0x50524f5600000000, uint64(len(p[0]))<<32|uint64(prov.Type))
		if s, ok := keyed(args, "id"); ok {
			id, err := vss.ParseID(s)
			if err != nil {
				return "", true, err
			}
			prov.ID = id
		}
		if s, ok := keyed(args, "volumes"); ok {
			prov.Volumes = strings.Split(s, ",")
		}
		return "", true, r.setup(func(c *sim.Coordinator) error { c.AddProvider(prov); return nil })
	case "volume-in-use":
		p := positional(args)
		if err := checkArgs(args, nil, nil, 2); err != nil || len(p) < 1 {
			return "", true, fmt.Errorf("want: volume-in-use VOLUME [yes|no]")
		}
		in := true
		if len(p) == 2 {
			b, err := parseBool(p[1])
			if err != nil {
				return "", true, err
			}
			in = b
		}
		return "", true, r.setup(func(c *sim.Coordinator) error { return c.SetVolumeInUse(p[0], in) })
	}
	return "", false, nil
}

// setExOption sets an Options.Ex field by name.
func setExOption(o *sim.Options, key, val string) (bool, error) {
	boolean := func(dst *bool) error {
		b, err := parseBool(val)
		if err != nil {
			return fmt.Errorf("option %s: %v", key, err)
		}
		*dst = b
		return nil
	}
	switch key {
	case "ManagementNeedsInitialize":
		return true, boolean(&o.Ex.ManagementNeedsInitialize)
	case "ExposeNonPersistentIsBadState":
		return true, boolean(&o.Ex.ExposeNonPersistentIsBadState)
	case "RevertKeepsSnapshot":
		return true, boolean(&o.Ex.RevertKeepsSnapshot)
	case "RevertDuration", "ImportDuration":
		d, err := parseDur(val)
		if err != nil || d < 0 {
			return true, fmt.Errorf("option %s: want a positive duration, got %q", key, val)
		}
		if key == "RevertDuration" {
			o.Ex.RevertDuration = d
		} else {
			o.Ex.ImportDuration = d
		}
		return true, nil
	case "RevertProviders":
		o.Ex.RevertProviders = nil
		for _, s := range strings.Split(val, ",") {
			if s == "" || s == "none" {
				continue
			}
			t, err := parseEnum("VSS_PROV_"+strings.ToUpper(s), vss.AllProviderTypes())
			if err != nil {
				return true, fmt.Errorf("option RevertProviders: %v", err)
			}
			o.Ex.RevertProviders = append(o.Ex.RevertProviders, t)
		}
		return true, nil
	}
	return false, nil
}

// snapshotDetails lists Query's shadow copies, one a line: device, state,
// attributes and, when exposed, the exposed name and path (Query details).
func snapshotDetails(props []vss.ObjectProp) string {
	var b strings.Builder
	for _, p := range props {
		if p.Type != vss.VSS_OBJECT_SNAPSHOT {
			continue
		}
		s := p.Snap
		fmt.Fprintf(&b, "\n%s %v attributes=%v", s.SnapshotDeviceObject, s.Status, s.SnapshotAttributes)
		if s.ExposedName != "" {
			fmt.Fprintf(&b, " exposed=%s", s.ExposedName)
		}
		if s.ExposedPath != "" {
			fmt.Fprintf(&b, " path=%s", s.ExposedPath)
		}
	}
	return b.String()
}
