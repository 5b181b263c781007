//go:build windows && amd64

package service_test

import (
	"strings"
	"syscall"
	"testing"
	"unsafe"

	"github.com/stretchr/testify/require"
	"golang.org/x/sys/windows"

	"github.com/vsssim/vsssim/requestor/vss"
	"github.com/vsssim/vsssim/service/comtable"
)

// The DLL's IUnknown, straight through the vtables: QueryInterface for
// every IID an object answers to (the same pointer, counted), AddRef and
// Release with real counts, the last Release the modelled one (once), and
// an IVssAsync that outlives its object (restic never releases them).

func vtcall(this unsafe.Pointer, iface comtable.Iface, name string, args ...uintptr) uintptr {
	m, ok := comtable.ByName(iface, name)
	if !ok {
		panic(name)
	}
	vtbl := *(**[64]uintptr)(this)
	r, _, _ := syscall.SyscallN(vtbl[m.Slot], append([]uintptr{uintptr(this)}, args...)...)
	return r
}

func iid(s string) *windows.GUID {
	g, err := windows.GUIDFromString("{" + s + "}")
	if err != nil {
		panic(err)
	}
	return &g
}

func TestIUnknownThroughDLL(t *testing.T) {
	ctl := served(t, "writer App")
	dll := windows.NewLazySystemDLL("vssapi.dll")
	create := dll.NewProc("CreateVssBackupComponentsInternal")
	require.NoError(t, create.Find())
	var this unsafe.Pointer
	r, _, _ := create.Call(uintptr(unsafe.Pointer(&this)))
	require.Equal(t, vss.S_OK, vss.HRESULT(uint32(r)))
	require.NotNil(t, this)

	bc := comtable.BackupComponents
	require.Equal(t, uintptr(2), vtcall(this, bc, "AddRef"))
	require.Equal(t, uintptr(1), vtcall(this, bc, "Release"))
	for _, id := range []string{
		"00000000-0000-0000-C000-000000000046", // IUnknown
		"665c1d5f-c218-414d-a05d-7fef5f9d5c86", // IVssBackupComponents
		"963f03ad-9e4c-4a34-ac15-e4b6174e5036", // Ex
		"acfe2b3a-22c9-4ef8-bd03-2f9ca230084e", // Ex2
		"c191bfbc-b602-4675-8bd1-67d642f529d5", // Ex3
		"f434c2fd-b553-4961-a9f9-a8e90b673e53", // Ex4
	} {
		var p unsafe.Pointer
		hr := vtcall(this, bc, "QueryInterface", uintptr(unsafe.Pointer(iid(id))), uintptr(unsafe.Pointer(&p)))
		require.Equal(t, vss.S_OK, vss.HRESULT(uint32(hr)), id)
		require.Equal(t, this, p, id)
		require.Equal(t, uintptr(1), vtcall(this, bc, "Release"), id)
	}
	p := unsafe.Pointer(&this)
	hr := vtcall(this, bc, "QueryInterface", uintptr(unsafe.Pointer(iid("507c37b4-cf5b-4e95-b0af-14eb9767467e"))), uintptr(unsafe.Pointer(&p)))
	require.Equal(t, vss.E_NOINTERFACE, vss.HRESULT(uint32(hr)))
	require.Nil(t, p)

	// An IVssAsync that outlives the object.
	require.Equal(t, vss.S_OK, vss.HRESULT(uint32(vtcall(this, bc, "InitializeForBackup", 0))))
	var async unsafe.Pointer
	require.Equal(t, vss.S_OK, vss.HRESULT(uint32(vtcall(this, bc, "GatherWriterMetadata", uintptr(unsafe.Pointer(&async))))))
	require.Equal(t, uintptr(0), vtcall(this, bc, "Release"), "the last Release")
	tr, err := ctl.Control("trace")
	require.NoError(t, err)
	require.Equal(t, 1, strings.Count(tr, "#1 call   Release()"), tr)
	as := comtable.Async
	require.Equal(t, uintptr(2), vtcall(async, as, "AddRef"))
	var st uint32
	require.Equal(t, vss.S_OK, vss.HRESULT(uint32(vtcall(async, as, "QueryStatus", uintptr(unsafe.Pointer(&st)), 0))))
	require.Equal(t, uintptr(1), vtcall(async, as, "Release"))
	require.Equal(t, uintptr(0), vtcall(async, as, "Release"))
}
