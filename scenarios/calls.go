package scenarios

import (
	"errors"
	"fmt"
	"math"
	"strconv"

	"github.com/vsssim/vsssim/requestor"
	"github.com/vsssim/vsssim/requestor/vss"
)

// callSpec describes how "call METHOD" reads its arguments.
type callSpec struct {
	keys, flags []string
	positional  int
	do          func(r *runner, o requestor.BackupComponents, args []Arg) (extra string, a vss.Async, err error)
}

// instanceOf resolves a writer name to its instance and class ids: the
// declared fake writer on the simulator, a real writer by its friendly
// name (from the current object's writer metadata) on Windows.
func (r *runner) instanceOf(name string) (vss.ID, vss.ID, error) {
	if r.remote != nil {
		return r.remote.writerIDs(name)
	}
	if r.backend != "sim" {
		o, err := r.obj()
		if err != nil {
			return vss.ID{}, vss.ID{}, err
		}
		n, err := o.GetWriterMetadataCount()
		if err != nil {
			return vss.ID{}, vss.ID{}, fmt.Errorf("writer %q: the writer metadata is not available: %v", name, err)
		}
		for i := uint32(0); i < n; i++ {
			inst, md, err := o.GetWriterMetadata(i)
			if err == nil && md.Identity.Name == name {
				return inst, md.Identity.WriterID, nil
			}
		}
		return vss.ID{}, vss.ID{}, fmt.Errorf("no writer %q in this object's writer metadata", name)
	}
	w, err := r.writer(name)
	if err != nil {
		return vss.ID{}, vss.ID{}, err
	}
	for i, x := range r.writers {
		if x == w {
			return r.c.Writers()[i], w.Config.ClassID, nil
		}
	}
	return vss.ID{}, vss.ID{}, fmt.Errorf("writer %q is not subscribed", name)
}

// usageError marks an error in the scenario itself (not a call result).
type usageError struct{ error }

func needPos(args []Arg, n int, usage string) ([]string, error) {
	p := positional(args)
	if len(p) != n {
		return nil, usageError{fmt.Errorf("want: call %s", usage)}
	}
	return p, nil
}

func componentArgs(r *runner, args []Arg, usage string, n int) (inst, class vss.ID, ct vss.ComponentType, lp string, p []string, err error) {
	p, err = needPos(args, n, usage)
	if err != nil {
		return
	}
	inst, class, err = r.instanceOf(p[0])
	if err != nil {
		err = usageError{err}
		return
	}
	ct = vss.VSS_CT_FILEGROUP
	if s, ok := keyed(args, "type"); ok {
		if ct, err = parseEnum(s, vss.AllComponentTypes()); err != nil {
			err = usageError{err}
			return
		}
	}
	lp, _ = keyed(args, "path")
	return
}

func writerIDs(r *runner, args []Arg, instances bool) ([]vss.ID, error) {
	var ids []vss.ID
	for _, name := range positional(args) {
		inst, class, err := r.instanceOf(name)
		if err != nil {
			return nil, usageError{err}
		}
		if instances {
			ids = append(ids, inst)
		} else {
			ids = append(ids, class)
		}
	}
	return ids, nil
}

func index(args []Arg, usage string) (uint32, error) {
	p, err := needPos(args, 1, usage)
	if err != nil {
		return 0, err
	}
	n, err := strconv.ParseUint(p[0], 10, 32)
	if err != nil {
		return 0, usageError{fmt.Errorf("%s is not an index (0 to %d)", excerpt(p[0]), uint32(math.MaxUint32))}
	}
	return uint32(n), nil
}

var calls = map[string]callSpec{
	"InitializeForBackup": {keys: []string{"bcd"}, do: func(r *runner, o requestor.BackupComponents, args []Arg) (string, vss.Async, error) {
		xml, err := r.bcdArg(args, "none")
		if err != nil {
			return "", nil, err
		}
		return "", nil, o.InitializeForBackup(xml)
	}},
	"InitializeForRestore": {keys: []string{"bcd"}, do: func(r *runner, o requestor.BackupComponents, args []Arg) (string, vss.Async, error) {
		xml, err := r.bcdArg(args, "saved")
		if err != nil {
			return "", nil, err
		}
		return "", nil, o.InitializeForRestore(xml)
	}},
	"SetRestoreState": {positional: 1, do: func(r *runner, o requestor.BackupComponents, args []Arg) (string, vss.Async, error) {
		p, err := needPos(args, 1, "SetRestoreState VSS_RTYPE_*")
		if err != nil {
			return "", nil, err
		}
		t, err := parseEnum(p[0], vss.AllRestoreTypes())
		if err != nil {
			return "", nil, usageError{err}
		}
		return "", nil, o.SetRestoreState(t)
	}},
	"GetWriterComponentsCount": {do: func(r *runner, o requestor.BackupComponents, args []Arg) (string, vss.Async, error) {
		n, err := o.GetWriterComponentsCount()
		return fmt.Sprintf("count=%d", n), nil, err
	}},
	"GetWriterComponents": {positional: 1, do: func(r *runner, o requestor.BackupComponents, args []Arg) (string, vss.Async, error) {
		i, err := index(args, "GetWriterComponents INDEX")
		if err != nil {
			return "", nil, err
		}
		wc, err := o.GetWriterComponents(i)
		if err != nil {
			return "", nil, err
		}
		out := fmt.Sprintf("components=%d", len(wc.Components))
		for _, c := range wc.Components {
			out += fmt.Sprintf("\n%s selected=%v status=%v target=%v", componentPath(c.LogicalPath, c.Name), c.SelectedForRestore, c.FileRestoreStatus, c.RestoreTarget)
		}
		return out, nil, nil
	}},
	"SetSelectedForRestore": {keys: []string{"path", "type", "selected"}, positional: 2, do: func(r *runner, o requestor.BackupComponents, args []Arg) (string, vss.Async, error) {
		_, class, ct, lp, p, err := componentArgs(r, args, "SetSelectedForRestore WRITER COMPONENT [selected=yes]", 2)
		if err != nil {
			return "", nil, err
		}
		sel, err := boolArg(args, "selected", true)
		if err != nil {
			return "", nil, err
		}
		return "", nil, o.SetSelectedForRestore(class, ct, lp, p[1], sel)
	}},
	"SetRestoreOptions": {keys: []string{"path", "type"}, positional: 3, do: func(r *runner, o requestor.BackupComponents, args []Arg) (string, vss.Async, error) {
		_, class, ct, lp, p, err := componentArgs(r, args, "SetRestoreOptions WRITER COMPONENT OPTIONS", 3)
		if err != nil {
			return "", nil, err
		}
		return "", nil, o.SetRestoreOptions(class, ct, lp, p[1], p[2])
	}},
	"SetAdditionalRestores": {keys: []string{"path", "type", "additional"}, positional: 2, do: func(r *runner, o requestor.BackupComponents, args []Arg) (string, vss.Async, error) {
		_, class, ct, lp, p, err := componentArgs(r, args, "SetAdditionalRestores WRITER COMPONENT [additional=yes]", 2)
		if err != nil {
			return "", nil, err
		}
		add, err := boolArg(args, "additional", true)
		if err != nil {
			return "", nil, err
		}
		return "", nil, o.SetAdditionalRestores(class, ct, lp, p[1], add)
	}},
	"AddRestoreSubcomponent": {keys: []string{"path", "type"}, positional: 4, do: func(r *runner, o requestor.BackupComponents, args []Arg) (string, vss.Async, error) {
		_, class, ct, lp, p, err := componentArgs(r, args, "AddRestoreSubcomponent WRITER COMPONENT SUBPATH SUBNAME", 4)
		if err != nil {
			return "", nil, err
		}
		return "", nil, o.AddRestoreSubcomponent(class, ct, lp, p[1], p[2], p[3])
	}},
	"AddNewTarget": {keys: []string{"path", "type", "recursive"}, positional: 5, do: func(r *runner, o requestor.BackupComponents, args []Arg) (string, vss.Async, error) {
		_, class, ct, lp, p, err := componentArgs(r, args, "AddNewTarget WRITER COMPONENT FILEPATH FILESPEC ALTERNATEPATH [recursive=no]", 5)
		if err != nil {
			return "", nil, err
		}
		rec, err := boolArg(args, "recursive", false)
		if err != nil {
			return "", nil, err
		}
		return "", nil, o.AddNewTarget(class, ct, lp, p[1], p[2], p[3], rec, p[4])
	}},
	"SetFileRestoreStatus": {keys: []string{"path", "type"}, positional: 3, do: func(r *runner, o requestor.BackupComponents, args []Arg) (string, vss.Async, error) {
		_, class, ct, lp, p, err := componentArgs(r, args, "SetFileRestoreStatus WRITER COMPONENT VSS_RS_*", 3)
		if err != nil {
			return "", nil, err
		}
		st, err := parseEnum(p[2], vss.AllFileRestoreStatuses())
		if err != nil {
			return "", nil, usageError{err}
		}
		return "", nil, o.SetFileRestoreStatus(class, ct, lp, p[1], st)
	}},
	"AddAlternativeLocationMapping": {keys: []string{"path", "type", "recursive"}, positional: 5, do: func(r *runner, o requestor.BackupComponents, args []Arg) (string, vss.Async, error) {
		_, class, ct, lp, p, err := componentArgs(r, args, "AddAlternativeLocationMapping WRITER COMPONENT FILEPATH FILESPEC DESTINATION [recursive=no]", 5)
		if err != nil {
			return "", nil, err
		}
		rec, err := boolArg(args, "recursive", false)
		if err != nil {
			return "", nil, err
		}
		return "", nil, o.AddAlternativeLocationMapping(class, ct, lp, p[1], p[2], p[3], rec, p[4])
	}},
	"SetRangesFilePath": {keys: []string{"path", "type"}, positional: 4, do: func(r *runner, o requestor.BackupComponents, args []Arg) (string, vss.Async, error) {
		_, class, ct, lp, p, err := componentArgs(r, args, "SetRangesFilePath WRITER COMPONENT INDEX RANGESFILE", 4)
		if err != nil {
			return "", nil, err
		}
		n, err := strconv.ParseUint(p[2], 10, 32)
		if err != nil {
			return "", nil, usageError{fmt.Errorf("%q is not an index", p[2])}
		}
		return "", nil, o.SetRangesFilePath(class, ct, lp, p[1], uint32(n), p[3])
	}},
	"PreRestore": {do: func(r *runner, o requestor.BackupComponents, args []Arg) (string, vss.Async, error) {
		a, err := o.PreRestore()
		return "", a, err
	}},
	"PostRestore": {do: func(r *runner, o requestor.BackupComponents, args []Arg) (string, vss.Async, error) {
		a, err := o.PostRestore()
		return "", a, err
	}},
	"SetContext": {positional: 1, do: func(r *runner, o requestor.BackupComponents, args []Arg) (string, vss.Async, error) {
		p, err := needPos(args, 1, "SetContext CONTEXT")
		if err != nil {
			return "", nil, err
		}
		ctx, err := parseContext(p[0])
		if err != nil {
			return "", nil, usageError{err}
		}
		return "", nil, o.SetContext(ctx)
	}},
	"SetBackupState": {keys: []string{"select", "bootable", "type", "partial"}, do: func(r *runner, o requestor.BackupComponents, args []Arg) (string, vss.Async, error) {
		sel, boot, partial, bt := true, false, false, vss.VSS_BT_FULL
		var err error
		for _, kv := range []struct {
			key string
			dst *bool
		}{{"select", &sel}, {"bootable", &boot}, {"partial", &partial}} {
			if s, ok := keyed(args, kv.key); ok {
				if *kv.dst, err = parseBool(s); err != nil {
					return "", nil, usageError{fmt.Errorf("%s=: %v", kv.key, err)}
				}
			}
		}
		if s, ok := keyed(args, "type"); ok {
			if bt, err = parseEnum(s, vss.AllBackupTypes()); err != nil {
				return "", nil, usageError{err}
			}
		}
		return "", nil, o.SetBackupState(sel, boot, bt, partial)
	}},
	"EnableWriterClasses": {positional: 99, do: func(r *runner, o requestor.BackupComponents, args []Arg) (string, vss.Async, error) {
		ids, err := writerIDs(r, args, false)
		if err != nil {
			return "", nil, err
		}
		return "", nil, o.EnableWriterClasses(ids)
	}},
	"DisableWriterClasses": {positional: 99, do: func(r *runner, o requestor.BackupComponents, args []Arg) (string, vss.Async, error) {
		ids, err := writerIDs(r, args, false)
		if err != nil {
			return "", nil, err
		}
		return "", nil, o.DisableWriterClasses(ids)
	}},
	"DisableWriterInstances": {positional: 99, do: func(r *runner, o requestor.BackupComponents, args []Arg) (string, vss.Async, error) {
		ids, err := writerIDs(r, args, true)
		if err != nil {
			return "", nil, err
		}
		return "", nil, o.DisableWriterInstances(ids)
	}},
	"GatherWriterMetadata": {do: func(r *runner, o requestor.BackupComponents, args []Arg) (string, vss.Async, error) {
		a, err := o.GatherWriterMetadata()
		return "", a, err
	}},
	"GetWriterMetadataCount": {do: func(r *runner, o requestor.BackupComponents, args []Arg) (string, vss.Async, error) {
		n, err := o.GetWriterMetadataCount()
		return fmt.Sprintf("count=%d", n), nil, err
	}},
	"GetWriterMetadata": {positional: 1, do: func(r *runner, o requestor.BackupComponents, args []Arg) (string, vss.Async, error) {
		i, err := index(args, "GetWriterMetadata INDEX")
		if err != nil {
			return "", nil, err
		}
		_, md, err := o.GetWriterMetadata(i)
		if err != nil {
			return "", nil, err
		}
		return fmt.Sprintf("writer=%q components=%d", md.Identity.Name, len(md.Components)), nil, nil
	}},
	"FreeWriterMetadata": {do: func(r *runner, o requestor.BackupComponents, args []Arg) (string, vss.Async, error) {
		return "", nil, o.FreeWriterMetadata()
	}},
	"AddComponent": {keys: []string{"path", "type"}, positional: 2, do: func(r *runner, o requestor.BackupComponents, args []Arg) (string, vss.Async, error) {
		inst, class, ct, lp, p, err := componentArgs(r, args, "AddComponent WRITER COMPONENT [path=LOGICALPATH] [type=VSS_CT_*]", 2)
		if err != nil {
			return "", nil, err
		}
		return "", nil, o.AddComponent(inst, class, ct, lp, p[1])
	}},
	"SetBackupOptions": {keys: []string{"path", "type"}, positional: 3, do: func(r *runner, o requestor.BackupComponents, args []Arg) (string, vss.Async, error) {
		_, class, ct, lp, p, err := componentArgs(r, args, "SetBackupOptions WRITER COMPONENT OPTIONS", 3)
		if err != nil {
			return "", nil, err
		}
		return "", nil, o.SetBackupOptions(class, ct, lp, p[1], p[2])
	}},
	"SetPreviousBackupStamp": {keys: []string{"path", "type"}, positional: 3, do: func(r *runner, o requestor.BackupComponents, args []Arg) (string, vss.Async, error) {
		_, class, ct, lp, p, err := componentArgs(r, args, "SetPreviousBackupStamp WRITER COMPONENT STAMP", 3)
		if err != nil {
			return "", nil, err
		}
		return "", nil, o.SetPreviousBackupStamp(class, ct, lp, p[1], p[2])
	}},
	"SetBackupSucceeded": {keys: []string{"path", "type", "ok"}, positional: 2, do: func(r *runner, o requestor.BackupComponents, args []Arg) (string, vss.Async, error) {
		inst, class, ct, lp, p, err := componentArgs(r, args, "SetBackupSucceeded WRITER COMPONENT [ok=yes]", 2)
		if err != nil {
			return "", nil, err
		}
		ok := true
		if s, set := keyed(args, "ok"); set {
			if ok, err = parseBool(s); err != nil {
				return "", nil, usageError{err}
			}
		}
		return "", nil, o.SetBackupSucceeded(inst, class, ct, lp, p[1], ok)
	}},
	"StartSnapshotSet": {do: func(r *runner, o requestor.BackupComponents, args []Arg) (string, vss.Async, error) {
		id, err := o.StartSnapshotSet()
		if err == nil {
			r.sets[r.num(o)] = id
		}
		return "", nil, err
	}},
	"AddToSnapshotSet": {keys: []string{"provider"}, positional: 1, do: func(r *runner, o requestor.BackupComponents, args []Arg) (string, vss.Async, error) {
		p, err := needPos(args, 1, "AddToSnapshotSet VOLUME [provider=GUID]")
		if err != nil {
			return "", nil, err
		}
		var prov vss.ID
		if s, ok := keyed(args, "provider"); ok {
			if prov, err = vss.ParseID(s); err != nil {
				return "", nil, usageError{err}
			}
		}
		id, err := o.AddToSnapshotSet(p[0], prov)
		if err == nil {
			r.snaps[r.num(o)] = append(r.snaps[r.num(o)], id)
			return fmt.Sprintf("snapshot=%d", len(r.snaps[r.num(o)])), nil, nil
		}
		return "", nil, err
	}},
	"IsVolumeSupported": {positional: 1, do: func(r *runner, o requestor.BackupComponents, args []Arg) (string, vss.Async, error) {
		p, err := needPos(args, 1, "IsVolumeSupported VOLUME")
		if err != nil {
			return "", nil, err
		}
		ok, err := o.IsVolumeSupported(vss.ID{}, p[0])
		return fmt.Sprintf("supported=%v", ok), nil, err
	}},
	"PrepareForBackup": {do: func(r *runner, o requestor.BackupComponents, args []Arg) (string, vss.Async, error) {
		a, err := o.PrepareForBackup()
		return "", a, err
	}},
	"DoSnapshotSet": {do: func(r *runner, o requestor.BackupComponents, args []Arg) (string, vss.Async, error) {
		a, err := o.DoSnapshotSet()
		return "", a, err
	}},
	"GatherWriterStatus": {do: func(r *runner, o requestor.BackupComponents, args []Arg) (string, vss.Async, error) {
		a, err := o.GatherWriterStatus()
		return "", a, err
	}},
	"GetWriterStatusCount": {do: func(r *runner, o requestor.BackupComponents, args []Arg) (string, vss.Async, error) {
		n, err := o.GetWriterStatusCount()
		return fmt.Sprintf("count=%d", n), nil, err
	}},
	"GetWriterStatus": {positional: 1, do: func(r *runner, o requestor.BackupComponents, args []Arg) (string, vss.Async, error) {
		i, err := index(args, "GetWriterStatus INDEX")
		if err != nil {
			return "", nil, err
		}
		st, err := o.GetWriterStatus(i)
		return fmt.Sprintf("writer=%q state=%v failure=%s", st.Name, st.State, st.Failure.String()), nil, err
	}},
	"GetWriterStatusEx": {positional: 1, do: func(r *runner, o requestor.BackupComponents, args []Arg) (string, vss.Async, error) {
		i, err := index(args, "GetWriterStatusEx INDEX")
		if err != nil {
			return "", nil, err
		}
		st, err := o.GetWriterStatusEx(i)
		return fmt.Sprintf("writer=%q state=%v failure=%s application=%s %q", st.Name, st.State, st.Failure.String(),
			st.ApplicationError.String(), st.ApplicationMessage), nil, err
	}},
	"FreeWriterStatus": {do: func(r *runner, o requestor.BackupComponents, args []Arg) (string, vss.Async, error) {
		return "", nil, o.FreeWriterStatus()
	}},
	"SaveAsXML": {do: func(r *runner, o requestor.BackupComponents, args []Arg) (string, vss.Async, error) {
		s, err := o.SaveAsXML()
		if err == nil {
			r.bcd = s
		}
		return "", nil, err
	}},
	"BackupComplete": {do: func(r *runner, o requestor.BackupComponents, args []Arg) (string, vss.Async, error) {
		a, err := o.BackupComplete()
		return "", a, err
	}},
	"AbortBackup": {do: func(r *runner, o requestor.BackupComponents, args []Arg) (string, vss.Async, error) {
		return "", nil, o.AbortBackup()
	}},
	"Release": {do: func(r *runner, o requestor.BackupComponents, args []Arg) (string, vss.Async, error) {
		return "", nil, o.Release()
	}},
	"Query": {keys: []string{"type"}, flags: []string{"details"}, do: func(r *runner, o requestor.BackupComponents, args []Arg) (string, vss.Async, error) {
		t := vss.VSS_OBJECT_SNAPSHOT
		if s, ok := keyed(args, "type"); ok {
			var err error
			if t, err = parseEnum(s, vss.AllObjectTypes()); err != nil {
				return "", nil, usageError{err}
			}
		}
		props, err := o.Query(vss.ID{}, vss.VSS_OBJECT_NONE, t)
		out := fmt.Sprintf("objects=%d", len(props))
		if flag(args, "details") {
			out += snapshotDetails(props)
		}
		return out, nil, err
	}},
	"GetSnapshotProperties": {keys: []string{"snapshot", "of"}, do: func(r *runner, o requestor.BackupComponents, args []Arg) (string, vss.Async, error) {
		id, err := r.exSnapshot(o, args)
		if err != nil {
			return "", nil, err
		}
		p, err := o.GetSnapshotProperties(id)
		return fmt.Sprintf("device=%s status=%v", p.SnapshotDeviceObject, p.Status), nil, err
	}},
	"DeleteSnapshots": {keys: []string{"snapshot"}, flags: []string{"set"}, do: func(r *runner, o requestor.BackupComponents, args []Arg) (string, vss.Async, error) {
		id, err := r.snapshotArg(o, args)
		if err != nil {
			return "", nil, err
		}
		t := vss.VSS_OBJECT_SNAPSHOT
		if flag(args, "set") {
			t = vss.VSS_OBJECT_SNAPSHOT_SET
			id = r.sets[r.num(o)] // the set this object started
			if id.IsNull() {
				id = vss.MustParseID("00000000-0000-0000-0000-0000deadbeef")
			}
		}
		n, _, err := o.DeleteSnapshots(id, t, false)
		return fmt.Sprintf("deleted=%d", n), nil, err
	}},
}

// snapshotArg resolves snapshot=N: the N-th snapshot this object added
// (default 1).
func (r *runner) snapshotArg(o requestor.BackupComponents, args []Arg) (vss.ID, error) {
	n := 1
	if s, ok := keyed(args, "snapshot"); ok {
		var err error
		if n, err = parseCount("snapshot", s, MaxCount); err != nil {
			return vss.ID{}, usageError{err}
		}
	}
	list := r.snaps[r.num(o)]
	if n > len(list) {
		// Not one of ours: a well-formed id nobody has, so the call can
		// answer for itself (VSS_E_OBJECT_NOT_FOUND).
		return vss.MustParseID("00000000-0000-0000-0000-0000deadbeef"), nil
	}
	return list[n-1], nil
}

func (r *runner) cmdCall(args []Arg) (string, error) {
	p := positional(args)
	if len(p) == 0 {
		return "", fmt.Errorf("want: call METHOD [ARGS]")
	}
	method := p[0]
	spec, ok := calls[method]
	if !ok {
		return "", fmt.Errorf("unknown method %s", excerpt(method))
	}
	rest := args[1:]
	for i, a := range args {
		if a.Key == "" && a.Value == method {
			rest = append(append([]Arg{}, args[:i]...), args[i+1:]...)
			break
		}
	}
	if err := checkArgs(rest, spec.keys, spec.flags, spec.positional); err != nil {
		return "", err
	}
	o, err := r.obj()
	if err != nil {
		return "", err
	}
	extra, a, err := spec.do(r, o, rest)
	if ue, isUsage := err.(usageError); isUsage {
		return "", ue.error
	}
	if r.backend != "sim" && r.remote == nil && errors.Is(err, requestor.ErrUnavailable) {
		return "", skip(fmt.Sprintf("%s: %v", method, err))
	}
	if a != nil {
		r.last[r.num(o)] = &asyncRef{method: method, a: a}
	}
	return r.result(method, err, extra), nil
}

// bcdArg resolves bcd=saved (the last SaveAsXML), none (empty), garbage
// (a document that does not load) or FILE.xml (a saved document next to
// the scenario, such as a customer's).
func (r *runner) bcdArg(args []Arg, dflt string) (string, error) {
	v := dflt
	if s, ok := keyed(args, "bcd"); ok {
		v = s
	}
	switch v {
	case "saved":
		if r.bcd == "" {
			return "", usageError{fmt.Errorf("bcd=saved: no SaveAsXML has succeeded yet in this scenario")}
		}
		return r.bcd, nil
	case "none":
		return "", nil
	case "garbage":
		return "<BACKUP_COMPONENTS", nil
	}
	return r.bcdFile(v)
}

func boolArg(args []Arg, key string, dflt bool) (bool, error) {
	s, ok := keyed(args, key)
	if !ok {
		return dflt, nil
	}
	b, err := parseBool(s)
	if err != nil {
		return false, usageError{fmt.Errorf("%s=: %v", key, err)}
	}
	return b, nil
}

func componentPath(logicalPath, name string) string {
	if logicalPath == "" {
		return `\` + name
	}
	return `\` + logicalPath + `\` + name
}
