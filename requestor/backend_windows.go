//go:build windows

package requestor

import (
	"fmt"
	"runtime"
	"sync"
	"syscall"
	"time"
	"unsafe"

	"golang.org/x/sys/windows"

	"github.com/vsssim/vsssim/requestor/vss"
)

// The real VSS backend: IVssBackupComponents from vssapi.dll, called
// through its vtable with syscall.SyscallN (no cgo). All calls for one
// object run on one goroutine locked to one OS thread, in a COM
// multithreaded apartment with CoInitializeSecurity set as restic does
// (restic #5170; REFERENCE §1.1).

var (
	vssapi              = windows.NewLazySystemDLL("VssApi.dll")
	procCreateMangled   = vssapi.NewProc("?CreateVssBackupComponents@@YAJPEAPEAVIVssBackupComponents@@@Z")
	procCreateInternal  = vssapi.NewProc("CreateVssBackupComponentsInternal")
	procFreeSnapProps   = vssapi.NewProc("VssFreeSnapshotPropertiesInternal")
	ole32               = windows.NewLazySystemDLL("ole32.dll")
	procCoInitSecurity  = ole32.NewProc("CoInitializeSecurity")
	oleaut32            = windows.NewLazySystemDLL("oleaut32.dll")
	procSysAllocString  = oleaut32.NewProc("SysAllocString")
	procSysFreeString   = oleaut32.NewProc("SysFreeString")
	pinMu               sync.Mutex
	pinned              = map[*callArgs]struct{}{}
	errRPCChangedMode   = vss.HRESULT(0x80010106)
	errRPCTooLate       = vss.HRESULT(0x80010119)
	errRegDBClassNotReg = vss.HRESULT(0x80040154)
	errServerUnavail    = vss.HRESULT(0x800706BA) // RPC_S_SERVER_UNAVAILABLE: the VSS service (or vsssim serve) cannot be reached
	errEnvVarNotFound   = vss.HRESULT(0x800700CB) // vsssim's vssapi.dll without VSSSIM_ADDR / VSSSIM_TOKEN
)

// callArgs keeps the memory of one call's arguments alive and on the heap
// (registered in pinned) until the call returns.
type callArgs struct{ keep []any }

func newArgs() *callArgs {
	a := &callArgs{}
	pinMu.Lock()
	pinned[a] = struct{}{}
	pinMu.Unlock()
	return a
}

func (a *callArgs) done() {
	pinMu.Lock()
	delete(pinned, a)
	pinMu.Unlock()
}

func (a *callArgs) str(s string) uintptr {
	if s == "" {
		return 0 // NULL
	}
	p, err := windows.UTF16PtrFromString(s)
	if err != nil {
		p, _ = windows.UTF16PtrFromString("")
	}
	a.keep = append(a.keep, p)
	return uintptr(unsafe.Pointer(p))
}

func (a *callArgs) bstr(s string) uintptr {
	if s == "" {
		return 0
	}
	b, _, _ := procSysAllocString.Call(a.str(s))
	a.keep = append(a.keep, func() { procSysFreeString.Call(b) })
	return b
}

func (a *callArgs) u32() (*uint32, uintptr) {
	p := new(uint32)
	a.keep = append(a.keep, p)
	return p, uintptr(unsafe.Pointer(p))
}

func (a *callArgs) ptr() (*unsafe.Pointer, uintptr) {
	p := new(unsafe.Pointer)
	a.keep = append(a.keep, p)
	return p, uintptr(unsafe.Pointer(p))
}

func (a *callArgs) id() (*vss.ID, uintptr) {
	p := new(vss.ID)
	a.keep = append(a.keep, p)
	return p, uintptr(unsafe.Pointer(p))
}

func (a *callArgs) ids(list []vss.ID) (uintptr, uintptr) {
	if len(list) == 0 {
		return 0, 0
	}
	cp := append([]vss.ID(nil), list...)
	a.keep = append(a.keep, cp)
	return uintptr(unsafe.Pointer(&cp[0])), uintptr(len(cp))
}

func boolArg(b bool) uintptr {
	if b {
		return 1
	}
	return 0
}

// vcall calls the method at slot of a COM object.
func vcall(this unsafe.Pointer, slot int, args ...uintptr) vss.HRESULT {
	vtbl := *(**[1 << 10]uintptr)(this)
	r, _, _ := syscall.SyscallN(vtbl[slot], append([]uintptr{uintptr(this)}, args...)...)
	return vss.HRESULT(uint32(r))
}

// bstrString copies a BSTR the callee allocated and frees it.
func bstrString(b unsafe.Pointer) string {
	if b == nil {
		return ""
	}
	s := windows.UTF16PtrToString((*uint16)(b))
	procSysFreeString.Call(uintptr(b))
	return s
}

func hrErr(method string, hr vss.HRESULT) error {
	if hr.Succeeded() {
		return nil
	}
	return vss.Errorf(hr, method, "%s", hr.Description())
}

// comBackup is the Windows backend's BackupComponents.
type comBackup struct {
	this  unsafe.Pointer
	calls chan func()
	// examines are the IVssExamineWriterMetadata objects of
	// GetWriterMetadata, kept (and used on the object's thread) until
	// Release, so that reads of the exclude lists reach them.
	examines []unsafe.Pointer
	// ex are the IVssBackupComponentsEx..Ex4 pointers (backupComponentsEx
	// order), each queried at its first use and released at Release.
	ex [len(backupComponentsEx)]unsafe.Pointer
}

// iface returns the pointer to call slot s through: the object itself, or
// the IVssBackupComponentsEx..Ex4 interface that declares s (queried
// once). Call it on the object's thread.
func (b *comBackup) iface(s int) (unsafe.Pointer, vss.HRESULT) {
	i := exIface(s)
	if i < 0 {
		return b.this, vss.S_OK
	}
	if b.ex[i] == nil {
		iid := backupComponentsEx[i].IID
		var p unsafe.Pointer
		hr := vcall(b.this, slot(backupComponentsSlots, "QueryInterface"), uintptr(unsafe.Pointer(&iid)), uintptr(unsafe.Pointer(&p)))
		if hr.Failed() || p == nil {
			if hr.Succeeded() {
				hr = vss.E_NOINTERFACE
			}
			return nil, hr
		}
		b.ex[i] = p
	}
	return b.ex[i], vss.S_OK
}

// iidExamineEx2 is IID_IVssExamineWriterMetadataEx2 (vsbackup.h).
var iidExamineEx2 = vss.MustParseID("ce115780-a611-431b-b57f-c38303ab6aee")

// watchExcludeReads makes each read of md's exclude lists also a read on
// the COM object ex (GetExcludeFile, or GetExcludeFromSnapshotFile through
// IVssExamineWriterMetadataEx2), as a C++ requestor's read would be: the
// service behind the DLL sees which lists a requestor reads (vsssim
// serve's excludes-not-read check; real VSS does not mind).
func (b *comBackup) watchExcludeReads(md *vss.WriterMetadata, ex unsafe.Pointer) {
	vss.WatchExcludeReads(md, func(l vss.ExcludeList) {
		b.run(func() {
			var fd unsafe.Pointer
			var hr vss.HRESULT
			switch l {
			case vss.ExcludeFilesList:
				hr = vcall(ex, slot(examineSlots, "GetExcludeFile"), 0, uintptr(unsafe.Pointer(&fd)))
			case vss.ExcludeFromSnapshotList:
				var ex2 unsafe.Pointer
				iid := iidExamineEx2
				if vcall(ex, slot(examineSlots, "QueryInterface"), uintptr(unsafe.Pointer(&iid)), uintptr(unsafe.Pointer(&ex2))).Failed() || ex2 == nil {
					return
				}
				hr = vcall(ex2, slotGetExcludeFromSnapshotFile, 0, uintptr(unsafe.Pointer(&fd)))
				vcall(ex2, slot(examineSlots, "Release"))
			}
			if hr.Succeeded() && fd != nil {
				vcall(fd, slot(examineSlots, "Release"))
			}
		})
	})
}

var _ BackupComponents = (*comBackup)(nil)

// NewWindows creates an IVssBackupComponents of the real VSS service. It
// returns an error wrapping ErrUnavailable when VSS cannot be used here
// (Wine, no vssapi.dll entry point, E_NOTIMPL, COM set-up failing).
func NewWindows() (BackupComponents, error) {
	b := &comBackup{calls: make(chan func())}
	ready := make(chan error)
	go b.loop(ready)
	if err := <-ready; err != nil {
		return nil, err
	}
	return b, nil
}

func (b *comBackup) loop(ready chan<- error) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	if err := windows.CoInitializeEx(0, windows.COINIT_MULTITHREADED); err != nil && vss.Code(err) != vss.S_FALSE {
		ready <- unavailable("CoInitializeEx(MTA): %v", err)
		return
	}
	defer windows.CoUninitialize()
	// CoInitializeSecurity(NULL, -1, NULL, NULL, PKT_PRIVACY, IMPERSONATE, NULL, STATIC_CLOAKING, NULL).
	if err := procCoInitSecurity.Find(); err == nil {
		r, _, _ := procCoInitSecurity.Call(0, ^uintptr(0), 0, 0, 6, 3, 0, 0x20, 0)
		if hr := vss.HRESULT(uint32(r)); hr.Failed() && hr != errRPCTooLate {
			ready <- unavailable("CoInitializeSecurity: %v", hr)
			return
		}
	}
	create := procCreateMangled
	if create.Find() != nil {
		create = procCreateInternal
		if err := create.Find(); err != nil {
			ready <- unavailable("vssapi.dll exports neither CreateVssBackupComponents nor CreateVssBackupComponentsInternal: %v", err)
			return
		}
	}
	var this unsafe.Pointer
	r, _, _ := create.Call(uintptr(unsafe.Pointer(&this)))
	switch hr := vss.HRESULT(uint32(r)); {
	case hr == vss.E_NOTIMPL || hr == errRegDBClassNotReg || hr == errRPCChangedMode || hr == errServerUnavail || hr == errEnvVarNotFound:
		ready <- unavailable("CreateVssBackupComponents: %v", hr)
		return
	case hr.Failed():
		ready <- hrErr("CreateVssBackupComponents", hr)
		return
	case this == nil:
		ready <- unavailable("CreateVssBackupComponents returned no object")
		return
	}
	b.this = this
	ready <- nil
	for f := range b.calls {
		f()
	}
}

// errReleased is what a call on a released object returns (in C it would
// use freed memory); the rule is the simulator's for the same mistake.
func errReleased(method string) error {
	return vss.Errorf(vss.VSS_E_BAD_STATE, method, "the object was released").WithRule("object released")
}

// run executes f on the object's thread; false if the object was released.
func (b *comBackup) run(f func()) bool {
	if b.calls == nil {
		return false
	}
	done := make(chan struct{})
	b.calls <- func() {
		defer close(done)
		f()
	}
	<-done
	return true
}

// call makes one vtable call on the object's thread, through the
// interface that declares the method; build marshals the arguments there.
func (b *comBackup) call(method string, build func(a *callArgs) []uintptr, after func(a *callArgs)) error {
	var hr vss.HRESULT
	ok := b.run(func() {
		a := newArgs()
		defer a.done()
		s := slot(backupComponentsSlots, method)
		this, qhr := b.iface(s)
		if qhr.Failed() {
			hr = qhr
			return
		}
		args := build(a)
		hr = vcall(this, s, args...)
		if hr.Succeeded() && after != nil {
			after(a)
		}
		for _, k := range a.keep {
			if free, ok := k.(func()); ok {
				free()
			}
		}
	})
	if !ok {
		return errReleased(method)
	}
	return hrErr(method, hr)
}

func none(*callArgs) []uintptr { return nil }

func (b *comBackup) asyncCall(method string, build func(a *callArgs) []uintptr) (Async, error) {
	var out *unsafe.Pointer
	err := b.call(method, func(a *callArgs) []uintptr {
		p, pa := a.ptr()
		out = p
		return append(build(a), pa)
	}, nil)
	if err != nil {
		return nil, err
	}
	return &comAsync{b: b, this: *out}, nil
}

// key marshals a component key (writer id, type, logical path, name).
func key(a *callArgs, writerID vss.ID, ct vss.ComponentType, logicalPath, name string) []uintptr {
	return append(append([]uintptr(nil), a.guid(writerID)...), uintptr(ct), a.str(logicalPath), a.str(name))
}

// notElevated marks E_ACCESSDENIED from the Initialize calls as "VSS is not
// available here" (the process is not elevated), keeping the HRESULT.
func notElevated(err error) error {
	if vss.Code(err) == vss.E_ACCESSDENIED {
		return fmt.Errorf("%w: the process is not elevated or lacks the backup privilege: %w", ErrUnavailable, err)
	}
	return err
}

func (b *comBackup) InitializeForBackup(bcdXML string) error {
	return notElevated(b.call("InitializeForBackup", func(a *callArgs) []uintptr { return []uintptr{a.bstr(bcdXML)} }, nil))
}

func (b *comBackup) SetBackupState(sel, boot bool, bt vss.BackupType, partial bool) error {
	return b.call("SetBackupState", func(a *callArgs) []uintptr {
		return []uintptr{boolArg(sel), boolArg(boot), uintptr(bt), boolArg(partial)}
	}, nil)
}

func (b *comBackup) GatherWriterMetadata() (Async, error) {
	return b.asyncCall("GatherWriterMetadata", none)
}

func (b *comBackup) count(method string) (uint32, error) {
	var n *uint32
	err := b.call(method, func(a *callArgs) []uintptr {
		p, pa := a.u32()
		n = p
		return []uintptr{pa}
	}, nil)
	if err != nil {
		return 0, err
	}
	return *n, nil
}

func (b *comBackup) GetWriterMetadataCount() (uint32, error) {
	return b.count("GetWriterMetadataCount")
}

// GetWriterMetadata reads the writer's IVssExamineWriterMetadata through its
// SaveAsXML into the vss WMD model.
func (b *comBackup) GetWriterMetadata(i uint32) (vss.ID, *vss.WriterMetadata, error) {
	return b.writerMetadata("GetWriterMetadata", i)
}

// writerMetadata is GetWriterMetadata and GetWriterMetadataEx (whose
// IVssExamineWriterMetadataEx derives from IVssExamineWriterMetadata, so
// SaveAsXML sits at the same slot).
func (b *comBackup) writerMetadata(method string, i uint32) (vss.ID, *vss.WriterMetadata, error) {
	var inst *vss.ID
	var xml string
	var saveHR vss.HRESULT
	var ex unsafe.Pointer
	err := b.call(method, func(a *callArgs) []uintptr {
		p, pa := a.id()
		inst = p
		_, po := a.ptr()
		return []uintptr{uintptr(i), pa, po}
	}, func(a *callArgs) {
		md := *(a.keep[len(a.keep)-1].(*unsafe.Pointer))
		if md == nil {
			saveHR = vss.E_POINTER
			return
		}
		bstr := new(unsafe.Pointer)
		saveHR = vcall(md, slot(examineSlots, "SaveAsXML"), uintptr(unsafe.Pointer(bstr)))
		xml = bstrString(*bstr)
		if saveHR.Failed() {
			vcall(md, slot(examineSlots, "Release"))
			return
		}
		ex = md
		b.examines = append(b.examines, md)
	})
	if err != nil {
		return vss.ID{}, nil, err
	}
	if saveHR.Failed() {
		return vss.ID{}, nil, hrErr("IVssExamineWriterMetadata::SaveAsXML", saveHR)
	}
	md, err := vss.CreateVssExamineWriterMetadata(xml)
	if err != nil {
		return vss.ID{}, nil, err
	}
	b.watchExcludeReads(md, ex)
	return *inst, md, nil
}

func (b *comBackup) FreeWriterMetadata() error { return b.call("FreeWriterMetadata", none, nil) }

func (b *comBackup) AddComponent(inst, writer vss.ID, ct vss.ComponentType, lp, name string) error {
	return b.call("AddComponent", func(a *callArgs) []uintptr {
		return append(a.guid(inst), key(a, writer, ct, lp, name)...)
	}, nil)
}

func (b *comBackup) PrepareForBackup() (Async, error) { return b.asyncCall("PrepareForBackup", none) }
func (b *comBackup) AbortBackup() error               { return b.call("AbortBackup", none, nil) }
func (b *comBackup) GatherWriterStatus() (Async, error) {
	return b.asyncCall("GatherWriterStatus", none)
}
func (b *comBackup) GetWriterStatusCount() (uint32, error) {
	return b.count("GetWriterStatusCount")
}
func (b *comBackup) FreeWriterStatus() error { return b.call("FreeWriterStatus", none, nil) }

func (b *comBackup) writerStatus(i uint32, ex bool) (vss.WriterStatus, error) {
	var st vss.WriterStatus
	var inst, writer *vss.ID
	var name, msg *unsafe.Pointer
	var state, failure, appErr *uint32
	method := "GetWriterStatus"
	if ex {
		method = "GetWriterStatusEx"
	}
	err := b.call(method, func(a *callArgs) []uintptr {
		pi, pia := a.id()
		pw, pwa := a.id()
		pn, pna := a.ptr()
		ps, psa := a.u32()
		pf, pfa := a.u32()
		inst, writer, name, state, failure = pi, pw, pn, ps, pf
		args := []uintptr{uintptr(i), pia, pwa, pna, psa, pfa}
		if ex {
			pe, pea := a.u32()
			pm, pma := a.ptr()
			appErr, msg = pe, pm
			args = append(args, pea, pma)
		}
		return args
	}, func(a *callArgs) {
		st.Name = bstrString(*name)
		if ex {
			st.ApplicationMessage = bstrString(*msg)
		}
	})
	if err != nil {
		return st, err
	}
	st.InstanceID, st.WriterID = *inst, *writer
	st.State, st.Failure = vss.WriterState(int32(*state)), vss.HRESULT(uint32(*failure))
	if ex {
		st.ApplicationError = vss.HRESULT(uint32(*appErr))
	}
	return st, nil
}

func (b *comBackup) GetWriterStatus(i uint32) (vss.WriterStatus, error) {
	return b.writerStatus(i, false)
}
func (b *comBackup) GetWriterStatusEx(i uint32) (vss.WriterStatus, error) {
	return b.writerStatus(i, true)
}

func (b *comBackup) SetBackupSucceeded(inst, writer vss.ID, ct vss.ComponentType, lp, name string, ok bool) error {
	return b.call("SetBackupSucceeded", func(a *callArgs) []uintptr {
		return append(append(a.guid(inst), key(a, writer, ct, lp, name)...), boolArg(ok))
	}, nil)
}

func (b *comBackup) componentString(method string, writer vss.ID, ct vss.ComponentType, lp, name, value string) error {
	return b.call(method, func(a *callArgs) []uintptr { return append(key(a, writer, ct, lp, name), a.str(value)) }, nil)
}

func (b *comBackup) componentBool(method string, writer vss.ID, ct vss.ComponentType, lp, name string, v bool) error {
	return b.call(method, func(a *callArgs) []uintptr { return append(key(a, writer, ct, lp, name), boolArg(v)) }, nil)
}

func (b *comBackup) SetBackupOptions(writer vss.ID, ct vss.ComponentType, lp, name, options string) error {
	return b.componentString("SetBackupOptions", writer, ct, lp, name, options)
}

func (b *comBackup) SetPreviousBackupStamp(writer vss.ID, ct vss.ComponentType, lp, name, stamp string) error {
	return b.componentString("SetPreviousBackupStamp", writer, ct, lp, name, stamp)
}

func (b *comBackup) SaveAsXML() (string, error) {
	var out *unsafe.Pointer
	var xml string
	err := b.call("SaveAsXML", func(a *callArgs) []uintptr {
		p, pa := a.ptr()
		out = p
		return []uintptr{pa}
	}, func(*callArgs) { xml = bstrString(*out) })
	return xml, err
}

func (b *comBackup) BackupComplete() (Async, error) { return b.asyncCall("BackupComplete", none) }

func (b *comBackup) SetContext(ctx vss.SnapshotContext) error {
	return b.call("SetContext", func(a *callArgs) []uintptr { return []uintptr{uintptr(uint32(ctx))} }, nil)
}

func (b *comBackup) StartSnapshotSet() (vss.ID, error) { return b.idCall("StartSnapshotSet") }

// idCall is a method whose only parameter is a VSS_ID out-parameter.
func (b *comBackup) idCall(method string) (vss.ID, error) {
	var id *vss.ID
	err := b.call(method, func(a *callArgs) []uintptr {
		p, pa := a.id()
		id = p
		return []uintptr{pa}
	}, nil)
	if err != nil {
		return vss.ID{}, err
	}
	return *id, nil
}

func (b *comBackup) AddToSnapshotSet(volume string, provider vss.ID) (vss.ID, error) {
	var id *vss.ID
	err := b.call("AddToSnapshotSet", func(a *callArgs) []uintptr {
		p, pa := a.id()
		id = p
		return append(append([]uintptr{a.str(volume)}, a.guid(provider)...), pa)
	}, nil)
	if err != nil {
		return vss.ID{}, err
	}
	return *id, nil
}

func (b *comBackup) DoSnapshotSet() (Async, error) { return b.asyncCall("DoSnapshotSet", none) }

func (b *comBackup) DeleteSnapshots(source vss.ID, t vss.ObjectType, force bool) (int32, vss.ID, error) {
	var n *uint32
	var nd *vss.ID
	err := b.call("DeleteSnapshots", func(a *callArgs) []uintptr {
		pn, pna := a.u32()
		pd, pda := a.id()
		n, nd = pn, pd
		return append(a.guid(source), uintptr(t), boolArg(force), pna, pda)
	}, nil)
	if n == nil {
		return 0, vss.ID{}, err
	}
	return int32(*n), *nd, err
}

func (b *comBackup) GetSnapshotProperties(id vss.ID) (vss.SnapshotProp, error) {
	var p vss.SnapshotProp
	raw := new(snapshotPropRaw) // zeroed, as the documentation asks
	err := b.call("GetSnapshotProperties", func(a *callArgs) []uintptr {
		a.keep = append(a.keep, raw)
		return append(a.guid(id), uintptr(unsafe.Pointer(raw)))
	}, func(*callArgs) {
		p = convertSnapshotProp(raw)
		procFreeSnapProps.Call(uintptr(unsafe.Pointer(raw)))
	})
	return p, err
}

func wstr(p *uint16) string {
	if p == nil {
		return ""
	}
	return windows.UTF16PtrToString(p)
}

func convertSnapshotProp(r *snapshotPropRaw) vss.SnapshotProp {
	return vss.SnapshotProp{SnapshotID: r.SnapshotID, SnapshotSetID: r.SnapshotSetID, SnapshotsCount: r.SnapshotsCount,
		SnapshotDeviceObject: wstr(r.SnapshotDeviceObject), OriginalVolumeName: wstr(r.OriginalVolumeName),
		OriginatingMachine: wstr(r.OriginatingMachine), ServiceMachine: wstr(r.ServiceMachine), ExposedName: wstr(r.ExposedName),
		ExposedPath: wstr(r.ExposedPath), ProviderID: r.ProviderID, SnapshotAttributes: vss.VolumeSnapshotAttributes(r.SnapshotAttributes),
		CreationTimestamp: r.CreationTimestamp, Status: vss.SnapshotState(r.Status)}
}

// Query enumerates the IVssEnumObject VSS returns one VSS_OBJECT_PROP at
// a time (the documented loop: Next until S_FALSE), freeing each element's
// strings (VssFreeSnapshotProperties for snapshots, CoTaskMemFree for a
// provider's) and releasing the enumerator.
func (b *comBackup) Query(queriedID vss.ID, queried, returned vss.ObjectType) ([]vss.ObjectProp, error) {
	var out []vss.ObjectProp
	var nextErr error
	var enum *unsafe.Pointer
	err := b.call("Query", func(a *callArgs) []uintptr {
		p, pa := a.ptr()
		enum = p
		return append(append(a.guid(queriedID), uintptr(queried), uintptr(returned)), pa)
	}, func(*callArgs) {
		if *enum != nil {
			out, nextErr = enumObjects(*enum)
		}
	})
	if err != nil {
		return nil, err
	}
	return out, nextErr
}

// enumObjects drains and releases an IVssEnumObject (on the object's thread).
func enumObjects(enum unsafe.Pointer) ([]vss.ObjectProp, error) {
	defer vcall(enum, slot(enumObjectSlots, "Release"))
	var out []vss.ObjectProp
	for {
		raw := new(objectPropRaw)
		fetched := new(uint32)
		hr := vcall(enum, slot(enumObjectSlots, "Next"), 1, uintptr(unsafe.Pointer(raw)), uintptr(unsafe.Pointer(fetched)))
		if hr.Failed() {
			return out, hrErr("IVssEnumObject::Next", hr)
		}
		if *fetched == 0 {
			return out, nil // S_FALSE: the end
		}
		o := vss.ObjectProp{Type: vss.ObjectType(raw.Type)}
		switch o.Type {
		case vss.VSS_OBJECT_SNAPSHOT:
			o.Snap = convertSnapshotProp(&raw.Obj)
			procFreeSnapProps.Call(uintptr(unsafe.Pointer(&raw.Obj)))
		case vss.VSS_OBJECT_PROVIDER:
			pr := (*providerPropRaw)(unsafe.Pointer(&raw.Obj))
			o.Prov = vss.ProviderProp{ProviderID: pr.ProviderID, ProviderName: wstr(pr.ProviderName),
				ProviderType: vss.ProviderType(pr.ProviderType), ProviderVersion: wstr(pr.ProviderVersion),
				ProviderVersionID: pr.ProviderVersionID, ClassID: pr.ClassID}
			windows.CoTaskMemFree(unsafe.Pointer(pr.ProviderName))
			windows.CoTaskMemFree(unsafe.Pointer(pr.ProviderVersion))
		default:
			return out, vss.Errorf(vss.VSS_E_UNEXPECTED, "IVssEnumObject::Next", "object type %d is neither a snapshot nor a provider", raw.Type)
		}
		out = append(out, o)
	}
}

func (b *comBackup) IsVolumeSupported(provider vss.ID, volume string) (bool, error) {
	var ok *uint32
	err := b.call("IsVolumeSupported", func(a *callArgs) []uintptr {
		p, pa := a.u32()
		ok = p
		return append(append(a.guid(provider), a.str(volume)), pa)
	}, nil)
	if err != nil {
		return false, err
	}
	return *ok != 0, nil
}

func (b *comBackup) writerList(method string, ids []vss.ID) error {
	return b.call(method, func(a *callArgs) []uintptr {
		p, n := a.ids(ids)
		return []uintptr{p, n}
	}, nil)
}

func (b *comBackup) DisableWriterClasses(ids []vss.ID) error {
	return b.writerList("DisableWriterClasses", ids)
}
func (b *comBackup) EnableWriterClasses(ids []vss.ID) error {
	return b.writerList("EnableWriterClasses", ids)
}
func (b *comBackup) DisableWriterInstances(ids []vss.ID) error {
	return b.writerList("DisableWriterInstances", ids)
}

// Release releases the object (VSS sends BackupShutdown) and ends its
// thread.
func (b *comBackup) Release() error {
	if b.calls == nil {
		return errReleased("Release")
	}
	b.run(func() {
		for _, ex := range b.examines {
			vcall(ex, slot(examineSlots, "Release"))
		}
		b.examines = nil
		for i, p := range b.ex {
			if p != nil {
				vcall(p, slot(backupComponentsSlots, "Release"))
				b.ex[i] = nil
			}
		}
		vcall(b.this, slot(backupComponentsSlots, "Release"))
	})
	close(b.calls)
	b.calls = nil
	return nil
}

// Restore path.

func (b *comBackup) GetWriterComponentsCount() (uint32, error) {
	return b.count("GetWriterComponentsCount")
}

// GetWriterComponents calls GetWriterComponents (for its HRESULT) and
// releases the IVssWriterComponentsExt it returns, then reads the
// components from the BCD (SaveAsXML) rather than walking the object: the
// same components, through the vss model.
func (b *comBackup) GetWriterComponents(i uint32) (*vss.WriterComponents, error) {
	var out *unsafe.Pointer
	err := b.call("GetWriterComponents", func(a *callArgs) []uintptr {
		p, pa := a.ptr()
		out = p
		return []uintptr{uintptr(i), pa}
	}, func(*callArgs) {
		if *out != nil {
			releaseWriterComponents(*out)
		}
	})
	if err != nil {
		return nil, err
	}
	xml, err := b.SaveAsXML()
	if err != nil {
		return nil, err
	}
	d, err := vss.LoadBackupComponents([]byte(xml))
	if err != nil {
		return nil, err
	}
	var ws []*vss.WriterComponents
	for _, w := range d.Writers {
		if len(w.Components) > 0 {
			ws = append(ws, w)
		}
	}
	if int(i) >= len(ws) {
		return nil, vss.Errorf(vss.VSS_E_OBJECT_NOT_FOUND, "GetWriterComponents", "no writer at index %d (count %d)", i, len(ws))
	}
	return ws[i], nil
}

func (b *comBackup) InitializeForRestore(bcdXML string) error {
	return notElevated(b.call("InitializeForRestore", func(a *callArgs) []uintptr { return []uintptr{a.bstr(bcdXML)} }, nil))
}

func (b *comBackup) SetRestoreState(t vss.RestoreType) error {
	return b.call("SetRestoreState", func(a *callArgs) []uintptr { return []uintptr{uintptr(t)} }, nil)
}

func (b *comBackup) SetSelectedForRestore(writer vss.ID, ct vss.ComponentType, lp, name string, sel bool) error {
	return b.componentBool("SetSelectedForRestore", writer, ct, lp, name, sel)
}

func (b *comBackup) SetRestoreOptions(writer vss.ID, ct vss.ComponentType, lp, name, options string) error {
	return b.componentString("SetRestoreOptions", writer, ct, lp, name, options)
}

func (b *comBackup) SetAdditionalRestores(writer vss.ID, ct vss.ComponentType, lp, name string, add bool) error {
	return b.componentBool("SetAdditionalRestores", writer, ct, lp, name, add)
}

func (b *comBackup) AddRestoreSubcomponent(writer vss.ID, ct vss.ComponentType, lp, name, subLP, subName string) error {
	return b.call("AddRestoreSubcomponent", func(a *callArgs) []uintptr {
		return append(key(a, writer, ct, lp, name), a.str(subLP), a.str(subName), 0) // bRepair is reserved: false
	}, nil)
}

func (b *comBackup) AddNewTarget(writer vss.ID, ct vss.ComponentType, lp, name, path, file string, rec bool, alt string) error {
	return b.call("AddNewTarget", func(a *callArgs) []uintptr {
		return append(key(a, writer, ct, lp, name), a.str(path), a.str(file), boolArg(rec), a.str(alt))
	}, nil)
}

func (b *comBackup) SetFileRestoreStatus(writer vss.ID, ct vss.ComponentType, lp, name string, st vss.FileRestoreStatus) error {
	return b.call("SetFileRestoreStatus", func(a *callArgs) []uintptr { return append(key(a, writer, ct, lp, name), uintptr(st)) }, nil)
}

func (b *comBackup) AddAlternativeLocationMapping(writer vss.ID, ct vss.ComponentType, lp, name, path, spec string, rec bool, dest string) error {
	return b.call("AddAlternativeLocationMapping", func(a *callArgs) []uintptr {
		return append(key(a, writer, ct, lp, name), a.str(path), a.str(spec), boolArg(rec), a.str(dest))
	}, nil)
}

func (b *comBackup) SetRangesFilePath(writer vss.ID, ct vss.ComponentType, lp, name string, i uint32, file string) error {
	return b.call("SetRangesFilePath", func(a *callArgs) []uintptr { return append(key(a, writer, ct, lp, name), uintptr(i), a.str(file)) }, nil)
}

func (b *comBackup) PreRestore() (Async, error)  { return b.asyncCall("PreRestore", none) }
func (b *comBackup) PostRestore() (Async, error) { return b.asyncCall("PostRestore", none) }

func (b *comBackup) SetSelectedForRestoreEx(writer vss.ID, ct vss.ComponentType, lp, name string, sel bool, inst vss.ID) error {
	return b.call("SetSelectedForRestoreEx", func(a *callArgs) []uintptr {
		return append(append(key(a, writer, ct, lp, name), boolArg(sel)), a.guid(inst)...)
	}, nil)
}

func (b *comBackup) SetAuthoritativeRestore(writer vss.ID, ct vss.ComponentType, lp, name string, auth bool) error {
	return b.componentBool("SetAuthoritativeRestore", writer, ct, lp, name, auth)
}

func (b *comBackup) SetRollForward(writer vss.ID, ct vss.ComponentType, lp, name string, rt vss.RollForwardType, point string) error {
	return b.call("SetRollForward", func(a *callArgs) []uintptr { return append(key(a, writer, ct, lp, name), uintptr(rt), a.str(point)) }, nil)
}

func (b *comBackup) SetRestoreName(writer vss.ID, ct vss.ComponentType, lp, name, restoreName string) error {
	return b.componentString("SetRestoreName", writer, ct, lp, name, restoreName)
}

// comAsync is IVssAsync, called on its object's thread.
type comAsync struct {
	b    *comBackup
	this unsafe.Pointer
}

func (x *comAsync) Wait(timeout time.Duration) error {
	ms := uintptr(0xFFFFFFFF) // INFINITE
	if timeout >= 0 {
		ms = uintptr(min(timeout/time.Millisecond, 0xFFFFFFFE))
	}
	var hr vss.HRESULT
	if !x.b.run(func() { hr = vcall(x.this, slot(asyncSlots, "Wait"), ms) }) {
		return errReleased("IVssAsync::Wait")
	}
	return hrErr("IVssAsync::Wait", hr)
}

func (x *comAsync) QueryStatus() (vss.HRESULT, error) {
	var hr vss.HRESULT
	// A status the call never wrote must not read as S_OK (breeze #2999).
	status := new(uint32)
	*status = 0xFFFFFFFF
	if !x.b.run(func() { hr = vcall(x.this, slot(asyncSlots, "QueryStatus"), uintptr(unsafe.Pointer(status)), 0) }) {
		return 0, errReleased("IVssAsync::QueryStatus")
	}
	if err := hrErr("IVssAsync::QueryStatus", hr); err != nil {
		return 0, err
	}
	if *status == 0xFFFFFFFF {
		return 0, vss.Errorf(vss.VSS_E_UNEXPECTED, "IVssAsync::QueryStatus", "no status was written")
	}
	return vss.HRESULT(*status), nil
}

func (x *comAsync) Cancel() (vss.HRESULT, error) {
	var hr vss.HRESULT
	if !x.b.run(func() { hr = vcall(x.this, slot(asyncSlots, "Cancel")) }) {
		return 0, errReleased("IVssAsync::Cancel")
	}
	if hr.Failed() {
		return hr, hrErr("IVssAsync::Cancel", hr)
	}
	return hr, nil
}

// String describes the backend for logs.
func (b *comBackup) String() string { return fmt.Sprintf("VSS COM backend (object %p)", b.this) }

// releaseWriterComponents releases an IVssWriterComponentsExt. The class
// derives from IVssWriterComponents (no IUnknown) and IUnknown, so its
// IUnknown vtable pointer is the second pointer of the object (the MSVC
// layout of multiple inheritance).
func releaseWriterComponents(p unsafe.Pointer) {
	vcall(unsafe.Add(p, unsafe.Sizeof(uintptr(0))), 2)
}
