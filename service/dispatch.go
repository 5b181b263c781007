package service

import (
	"fmt"
	"time"

	"github.com/vsssim/vsssim/requestor"
	"github.com/vsssim/vsssim/requestor/vss"
	"github.com/vsssim/vsssim/service/comtable"
	"github.com/vsssim/vsssim/service/wire"
	"github.com/vsssim/vsssim/sim"
)

// args are a call's decoded inputs, read in order by the handlers (the
// decoder has checked each one's kind against the method table).
type args struct {
	v []any
	i int
}

func (a *args) next() any     { a.i++; return a.v[a.i-1] }
func (a *args) u32() uint32   { return a.next().(uint32) }
func (a *args) i32() int32    { return int32(a.u32()) }
func (a *args) bool() bool    { return a.next().(bool) }
func (a *args) id() vss.ID    { return a.next().(vss.ID) }
func (a *args) str() string   { return a.next().(string) }
func (a *args) ids() []vss.ID { return a.next().([]vss.ID) }

// key reads a component key: writer id, type, logical path, name.
func (a *args) key() (vss.ID, vss.ComponentType, string, string) {
	return a.id(), vss.ComponentType(a.i32()), a.str(), a.str()
}

// outs are a call's outputs, by the method table's out kinds: uint32,
// vss.ID, string, vss.Async, *vss.WriterMetadata, []vss.ObjectProp or
// vss.SnapshotProp.
type outs = []any

type bcHandler func(o requestor.BackupComponents, a *args) (outs, error)

func none(err error) (outs, error) { return nil, err }

func async(x vss.Async, err error) (outs, error) {
	if err != nil {
		return nil, err
	}
	return outs{x}, nil
}

func count(n uint32, err error) (outs, error) { return outs{n}, err }

func writerStatus(st vss.WriterStatus, err error) (outs, error) {
	return outs{st.InstanceID, st.WriterID, st.Name, uint32(st.State), uint32(st.Failure), uint32(st.ApplicationError), st.ApplicationMessage}, err
}

// bcHandlers are the remote methods of IVssBackupComponents (the table
// says which are remote; a test checks both lists agree).
var bcHandlers = map[string]bcHandler{
	"GetWriterComponentsCount": func(o requestor.BackupComponents, a *args) (outs, error) { return count(o.GetWriterComponentsCount()) },
	"GetWriterComponents": func(o requestor.BackupComponents, a *args) (outs, error) {
		wc, err := o.GetWriterComponents(a.u32())
		return outs{wc}, err
	},
	"InitializeForBackup": func(o requestor.BackupComponents, a *args) (outs, error) { return none(o.InitializeForBackup(a.str())) },
	"SetBackupState": func(o requestor.BackupComponents, a *args) (outs, error) {
		return none(o.SetBackupState(a.bool(), a.bool(), vss.BackupType(a.i32()), a.bool()))
	},
	"InitializeForRestore": func(o requestor.BackupComponents, a *args) (outs, error) {
		return none(o.InitializeForRestore(a.str()))
	},
	"SetRestoreState": func(o requestor.BackupComponents, a *args) (outs, error) {
		return none(o.SetRestoreState(vss.RestoreType(a.i32())))
	},
	"GatherWriterMetadata":   func(o requestor.BackupComponents, a *args) (outs, error) { return async(o.GatherWriterMetadata()) },
	"GetWriterMetadataCount": func(o requestor.BackupComponents, a *args) (outs, error) { return count(o.GetWriterMetadataCount()) },
	"GetWriterMetadata": func(o requestor.BackupComponents, a *args) (outs, error) {
		inst, md, err := o.GetWriterMetadata(a.u32())
		return outs{inst, md}, err
	},
	// GetWriterMetadataEx: the simulator's own call (its trace name and
	// injected faults); the object is the same, whose vtable is the Ex2 one.
	"GetWriterMetadataEx": func(o requestor.BackupComponents, a *args) (outs, error) {
		inst, md, err := o.GetWriterMetadataEx(a.u32())
		return outs{inst, md}, err
	},
	"FreeWriterMetadata": func(o requestor.BackupComponents, a *args) (outs, error) { return none(o.FreeWriterMetadata()) },
	"AddComponent": func(o requestor.BackupComponents, a *args) (outs, error) {
		inst := a.id()
		w, ct, lp, n := a.key()
		return none(o.AddComponent(inst, w, ct, lp, n))
	},
	"PrepareForBackup":     func(o requestor.BackupComponents, a *args) (outs, error) { return async(o.PrepareForBackup()) },
	"AbortBackup":          func(o requestor.BackupComponents, a *args) (outs, error) { return none(o.AbortBackup()) },
	"GatherWriterStatus":   func(o requestor.BackupComponents, a *args) (outs, error) { return async(o.GatherWriterStatus()) },
	"GetWriterStatusCount": func(o requestor.BackupComponents, a *args) (outs, error) { return count(o.GetWriterStatusCount()) },
	"FreeWriterStatus":     func(o requestor.BackupComponents, a *args) (outs, error) { return none(o.FreeWriterStatus()) },
	"GetWriterStatus": func(o requestor.BackupComponents, a *args) (outs, error) {
		out, err := writerStatus(o.GetWriterStatus(a.u32()))
		return out[:5], err
	},
	"SetBackupSucceeded": func(o requestor.BackupComponents, a *args) (outs, error) {
		inst := a.id()
		w, ct, lp, n := a.key()
		return none(o.SetBackupSucceeded(inst, w, ct, lp, n, a.bool()))
	},
	"SetBackupOptions": func(o requestor.BackupComponents, a *args) (outs, error) {
		w, ct, lp, n := a.key()
		return none(o.SetBackupOptions(w, ct, lp, n, a.str()))
	},
	"SetSelectedForRestore": func(o requestor.BackupComponents, a *args) (outs, error) {
		w, ct, lp, n := a.key()
		return none(o.SetSelectedForRestore(w, ct, lp, n, a.bool()))
	},
	"SetRestoreOptions": func(o requestor.BackupComponents, a *args) (outs, error) {
		w, ct, lp, n := a.key()
		return none(o.SetRestoreOptions(w, ct, lp, n, a.str()))
	},
	"SetAdditionalRestores": func(o requestor.BackupComponents, a *args) (outs, error) {
		w, ct, lp, n := a.key()
		return none(o.SetAdditionalRestores(w, ct, lp, n, a.bool()))
	},
	"SetPreviousBackupStamp": func(o requestor.BackupComponents, a *args) (outs, error) {
		w, ct, lp, n := a.key()
		return none(o.SetPreviousBackupStamp(w, ct, lp, n, a.str()))
	},
	"SaveAsXML": func(o requestor.BackupComponents, a *args) (outs, error) {
		x, err := o.SaveAsXML()
		return outs{x}, err
	},
	"BackupComplete": func(o requestor.BackupComponents, a *args) (outs, error) { return async(o.BackupComplete()) },
	"AddAlternativeLocationMapping": func(o requestor.BackupComponents, a *args) (outs, error) {
		w, ct, lp, n := a.key()
		return none(o.AddAlternativeLocationMapping(w, ct, lp, n, a.str(), a.str(), a.bool(), a.str()))
	},
	"AddRestoreSubcomponent": func(o requestor.BackupComponents, a *args) (outs, error) {
		w, ct, lp, n := a.key()
		sub, subName := a.str(), a.str()
		_ = a.bool() // bRepair is reserved
		return none(o.AddRestoreSubcomponent(w, ct, lp, n, sub, subName))
	},
	"SetFileRestoreStatus": func(o requestor.BackupComponents, a *args) (outs, error) {
		w, ct, lp, n := a.key()
		return none(o.SetFileRestoreStatus(w, ct, lp, n, vss.FileRestoreStatus(a.i32())))
	},
	"AddNewTarget": func(o requestor.BackupComponents, a *args) (outs, error) {
		w, ct, lp, n := a.key()
		return none(o.AddNewTarget(w, ct, lp, n, a.str(), a.str(), a.bool(), a.str()))
	},
	"SetRangesFilePath": func(o requestor.BackupComponents, a *args) (outs, error) {
		w, ct, lp, n := a.key()
		return none(o.SetRangesFilePath(w, ct, lp, n, a.u32(), a.str()))
	},
	"PreRestore":  func(o requestor.BackupComponents, a *args) (outs, error) { return async(o.PreRestore()) },
	"PostRestore": func(o requestor.BackupComponents, a *args) (outs, error) { return async(o.PostRestore()) },
	"SetContext": func(o requestor.BackupComponents, a *args) (outs, error) {
		return none(o.SetContext(vss.SnapshotContext(a.i32())))
	},
	"StartSnapshotSet": func(o requestor.BackupComponents, a *args) (outs, error) {
		id, err := o.StartSnapshotSet()
		return outs{id}, err
	},
	"AddToSnapshotSet": func(o requestor.BackupComponents, a *args) (outs, error) {
		id, err := o.AddToSnapshotSet(a.str(), a.id())
		return outs{id}, err
	},
	"DoSnapshotSet": func(o requestor.BackupComponents, a *args) (outs, error) { return async(o.DoSnapshotSet()) },
	"DeleteSnapshots": func(o requestor.BackupComponents, a *args) (outs, error) {
		n, nd, err := o.DeleteSnapshots(a.id(), vss.ObjectType(a.i32()), a.u32() != 0)
		return outs{uint32(n), nd}, err
	},
	"GetSnapshotProperties": func(o requestor.BackupComponents, a *args) (outs, error) {
		p, err := o.GetSnapshotProperties(a.id())
		return outs{p}, err
	},
	"Query": func(o requestor.BackupComponents, a *args) (outs, error) {
		props, err := o.Query(a.id(), vss.ObjectType(a.i32()), vss.ObjectType(a.i32()))
		return outs{props}, err
	},
	"IsVolumeSupported": func(o requestor.BackupComponents, a *args) (outs, error) {
		prov := a.id()
		ok, err := o.IsVolumeSupported(prov, a.str())
		v := uint32(0)
		if ok {
			v = 1
		}
		return outs{v}, err
	},
	"DisableWriterClasses": func(o requestor.BackupComponents, a *args) (outs, error) {
		return none(o.DisableWriterClasses(a.ids()))
	},
	"EnableWriterClasses": func(o requestor.BackupComponents, a *args) (outs, error) { return none(o.EnableWriterClasses(a.ids())) },
	"DisableWriterInstances": func(o requestor.BackupComponents, a *args) (outs, error) {
		return none(o.DisableWriterInstances(a.ids()))
	},
	"SetSelectedForRestoreEx": func(o requestor.BackupComponents, a *args) (outs, error) {
		w, ct, lp, n := a.key()
		return none(o.SetSelectedForRestoreEx(w, ct, lp, n, a.bool(), a.id()))
	},
	"SetAuthoritativeRestore": func(o requestor.BackupComponents, a *args) (outs, error) {
		w, ct, lp, n := a.key()
		return none(o.SetAuthoritativeRestore(w, ct, lp, n, a.bool()))
	},
	"SetRollForward": func(o requestor.BackupComponents, a *args) (outs, error) {
		w, ct, lp, n := a.key()
		return none(o.SetRollForward(w, ct, lp, n, vss.RollForwardType(a.i32()), a.str()))
	},
	"SetRestoreName": func(o requestor.BackupComponents, a *args) (outs, error) {
		w, ct, lp, n := a.key()
		return none(o.SetRestoreName(w, ct, lp, n, a.str()))
	},
	"GetWriterStatusEx": func(o requestor.BackupComponents, a *args) (outs, error) {
		return writerStatus(o.GetWriterStatusEx(a.u32()))
	},
	// The management and Ex–Ex4 calls (slots 40–64).
	"ImportSnapshots": func(o requestor.BackupComponents, a *args) (outs, error) { return async(o.ImportSnapshots()) },
	"BreakSnapshotSet": func(o requestor.BackupComponents, a *args) (outs, error) {
		return none(o.BreakSnapshotSet(a.id()))
	},
	// ExposeSnapshot: *pwszExposed is the caller's (CoTaskMemFree); NULL
	// when the call fails.
	"ExposeSnapshot": func(o requestor.BackupComponents, a *args) (outs, error) {
		id, path, attrs := a.id(), a.str(), vss.VolumeSnapshotAttributes(a.i32())
		exposed, err := o.ExposeSnapshot(id, path, attrs, a.str())
		if err != nil {
			return nil, err
		}
		return outs{exposed}, nil
	},
	"RevertToSnapshot": func(o requestor.BackupComponents, a *args) (outs, error) {
		id := a.id()
		return none(o.RevertToSnapshot(id, a.u32() != 0))
	},
	"QueryRevertStatus": func(o requestor.BackupComponents, a *args) (outs, error) {
		return async(o.QueryRevertStatus(a.str()))
	},
	"UnexposeSnapshot": func(o requestor.BackupComponents, a *args) (outs, error) {
		return none(o.UnexposeSnapshot(a.id()))
	},
	"BreakSnapshotSetEx": func(o requestor.BackupComponents, a *args) (outs, error) {
		id := a.id()
		return async(o.BreakSnapshotSetEx(id, vss.HardwareOptions(a.i32())))
	},
	"PreFastRecovery": func(o requestor.BackupComponents, a *args) (outs, error) {
		id := a.id()
		return async(o.PreFastRecovery(id, a.u32()))
	},
	"FastRecovery": func(o requestor.BackupComponents, a *args) (outs, error) {
		id := a.id()
		return async(o.FastRecovery(id, a.u32()))
	},
	"AddSnapshotToRecoverySet": func(o requestor.BackupComponents, a *args) (outs, error) {
		id, flags := a.id(), a.u32()
		return none(o.AddSnapshotToRecoverySet(id, flags, a.str()))
	},
	"RecoverSet": func(o requestor.BackupComponents, a *args) (outs, error) {
		return async(o.RecoverSet(vss.RecoveryOptions(a.i32())))
	},
	"GetSessionId": func(o requestor.BackupComponents, a *args) (outs, error) {
		id, err := o.GetSessionId()
		return outs{id}, err
	},
	// GetRootAndLogicalPrefixPaths: both strings are the caller's
	// (CoTaskMemFree); NULL when the call fails.
	"GetRootAndLogicalPrefixPaths": func(o requestor.BackupComponents, a *args) (outs, error) {
		path := a.str()
		root, prefix, err := o.GetRootAndLogicalPrefixPaths(path, a.u32() != 0)
		if err != nil {
			return nil, err
		}
		return outs{root, prefix}, nil
	},
}

// asyncHandler is an IVssAsync method: its outputs and the HRESULT of a
// successful call (Cancel returns success codes).
type asyncHandler func(x vss.Async, a *args) (outs, vss.HRESULT, error)

var asyncHandlers = map[string]asyncHandler{
	"Cancel": func(x vss.Async, a *args) (outs, vss.HRESULT, error) {
		hr, err := x.Cancel()
		return nil, hr, err
	},
	"Wait": func(x vss.Async, a *args) (outs, vss.HRESULT, error) {
		ms := a.u32()
		timeout := time.Duration(-1) // INFINITE
		if ms != 0xFFFFFFFF {
			timeout = time.Duration(ms) * time.Millisecond
		}
		return nil, vss.S_OK, x.Wait(timeout)
	},
	"QueryStatus": func(x vss.Async, a *args) (outs, vss.HRESULT, error) {
		st, err := x.QueryStatus()
		return outs{uint32(st)}, vss.S_OK, err
	},
}

// decodeInputs reads m's inputs by their kinds.
func decodeInputs(d *wire.Decoder, m *comtable.Method) ([]any, error) {
	var v []any
	for _, p := range m.Ins() {
		switch p.Kind {
		case comtable.U32:
			v = append(v, d.U32())
		case comtable.Bool:
			v = append(v, d.U32() != 0)
		case comtable.GUID:
			v = append(v, d.GUID())
		case comtable.String:
			s, _ := d.WStr()
			v = append(v, s)
		case comtable.GUIDArray:
			v = append(v, d.GUIDs())
		default:
			return nil, fmt.Errorf("%v: input %s has kind %v, which does not travel", m, p.Name, p.Kind)
		}
	}
	if err := d.End(); err != nil {
		return nil, fmt.Errorf("%v: %w", m, err)
	}
	return v, nil
}

// call decodes and runs one MsgCall.
func (ss *session) call(d *wire.Decoder, bad func(error) []byte) []byte {
	h := d.U32()
	iface := comtable.Iface(d.U8())
	slot := int(d.U8())
	if err := d.Err(); err != nil {
		return bad(err)
	}
	m, ok := comtable.Lookup(iface, slot)
	if !ok {
		return bad(fmt.Errorf("%w: no method at slot %d of interface %d", wire.ErrMalformed, slot, iface))
	}
	if m.Impl == comtable.NotModelled {
		ss.s.log.Printf("%s: %v is not modelled: E_NOTIMPL", ss.id, m)
		return encodeOuts(wire.Reply(vss.E_NOTIMPL, fmt.Sprintf("vsssim serve: %v is not modelled", m)), m, nil, nil)
	}
	if m.Impl != comtable.Remote {
		return bad(fmt.Errorf("%w: %v is implemented in the DLL, not sent", wire.ErrMalformed, m))
	}
	in, err := decodeInputs(d, m)
	if err != nil {
		return bad(err)
	}
	a := &args{v: in}
	var out outs
	hr := vss.S_OK
	switch iface {
	case comtable.BackupComponents:
		o, ok := ss.bcs[h]
		if !ok {
			return bad(fmt.Errorf("%v on object %d, which this session does not hold", m, h))
		}
		handler := bcHandlers[m.Name]
		if handler == nil {
			return bad(fmt.Errorf("%v has no handler", m))
		}
		out, err = handler(o, a)
		ss.s.noteRule(err)
	case comtable.Async:
		x, ok := ss.asyncs[h]
		if !ok {
			return bad(fmt.Errorf("%v on async %d, which this session does not hold", m, h))
		}
		out, hr, err = asyncHandlers[m.Name](x, a)
	case comtable.ExamineWriterMetadata, comtable.WMComponent, comtable.WMFiledesc, comtable.WMDependency,
		comtable.WriterComponents, comtable.Component:
		o, ok := ss.objs[h]
		if !ok || o.iface != iface {
			return bad(fmt.Errorf("%v on object %d, which this session does not hold as %v", m, h, iface))
		}
		handler := objHandlers[iface][m.Name]
		if handler == nil {
			return bad(fmt.Errorf("%v has no handler", m))
		}
		out, hr, err = handler(o.v, a)
	default:
		return bad(fmt.Errorf("%w: %v is not a remote interface", wire.ErrMalformed, iface))
	}
	if err != nil {
		hr = vss.Code(err)
	}
	return encodeOuts(wire.Reply(hr, errText(err)), m, out, ss)
}

// encodeOuts appends m's outputs (zero values where out has none); new
// IVssAsync objects get handles in ss.
func encodeOuts(e *wire.Encoder, m *comtable.Method, out outs, ss *session) []byte {
	for i, p := range m.Outs() {
		var v any
		if i < len(out) {
			v = out[i]
		}
		switch p.Kind {
		case comtable.OutU32:
			x, _ := v.(uint32)
			e.U32(x)
		case comtable.OutGUID:
			x, _ := v.(vss.ID)
			e.GUID(x)
		case comtable.OutBSTR, comtable.OutCoTaskString:
			x, ok := v.(string)
			if !ok {
				e.NullWStr()
			} else {
				e.WStr(x)
			}
		case comtable.OutAsync:
			x, _ := v.(vss.Async)
			if x == nil || ss == nil {
				e.U32(0)
				break
			}
			ss.next++
			ss.asyncs[ss.next] = x
			e.U32(ss.next)
		case comtable.OutObject:
			if isNil(v) || ss == nil {
				e.U32(0)
				break
			}
			ss.next++
			ss.objs[ss.next] = srvObj{iface: p.Obj, v: v}
			e.U32(ss.next)
		case comtable.OutBool:
			x, _ := v.(uint32)
			e.U32(x)
		case comtable.OutComponentInfo:
			x, _ := v.(vss.ComponentInfoCounts)
			e.ComponentInfo(x)
		case comtable.OutEnum:
			props, _ := v.([]vss.ObjectProp)
			e.U32(uint32(len(props)))
			for _, p := range props {
				e.ObjectProp(p)
			}
		case comtable.OutSnapshotProp:
			x, _ := v.(vss.SnapshotProp)
			e.SnapshotProp(x)
		}
	}
	return e.B
}

var _ requestor.BackupComponents = (*sim.BackupComponents)(nil)
