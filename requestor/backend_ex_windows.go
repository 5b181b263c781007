//go:build windows

package requestor

import (
	"unsafe"

	"golang.org/x/sys/windows"

	"github.com/vsssim/vsssim/requestor/vss"
)

// The management and Ex–Ex4 calls (vtable slots 40–64, comabi.go). Those
// of slot 51 and beyond go through the IVssBackupComponentsEx..Ex4 pointer
// QueryInterface returns (comBackup.iface).

func (b *comBackup) ImportSnapshots() (Async, error) { return b.asyncCall("ImportSnapshots", none) }

func (b *comBackup) BreakSnapshotSet(setID vss.ID) error {
	return b.call("BreakSnapshotSet", func(a *callArgs) []uintptr { return a.guid(setID) }, nil)
}

// taskString copies a VSS_PWSZ the callee allocated and frees it with
// CoTaskMemFree.
func taskString(p unsafe.Pointer) string {
	if p == nil {
		return ""
	}
	s := windows.UTF16PtrToString((*uint16)(p))
	windows.CoTaskMemFree(p)
	return s
}

func (b *comBackup) ExposeSnapshot(snapshotID vss.ID, pathFromRoot string, attributes vss.VolumeSnapshotAttributes, expose string) (string, error) {
	var out *unsafe.Pointer
	var exposed string
	err := b.call("ExposeSnapshot", func(a *callArgs) []uintptr {
		p, pa := a.ptr()
		out = p
		return append(a.guid(snapshotID), a.str(pathFromRoot), uintptr(uint32(attributes)), a.str(expose), pa)
	}, func(*callArgs) { exposed = taskString(*out) })
	return exposed, err
}

func (b *comBackup) RevertToSnapshot(snapshotID vss.ID, forceDismount bool) error {
	return b.call("RevertToSnapshot", func(a *callArgs) []uintptr {
		return append(a.guid(snapshotID), boolArg(forceDismount))
	}, nil)
}

func (b *comBackup) QueryRevertStatus(volume string) (Async, error) {
	return b.asyncCall("QueryRevertStatus", func(a *callArgs) []uintptr { return []uintptr{a.str(volume)} })
}

func (b *comBackup) GetWriterMetadataEx(i uint32) (vss.ID, *vss.WriterMetadata, error) {
	return b.writerMetadata("GetWriterMetadataEx", i)
}

func (b *comBackup) UnexposeSnapshot(snapshotID vss.ID) error {
	return b.call("UnexposeSnapshot", func(a *callArgs) []uintptr { return a.guid(snapshotID) }, nil)
}

// setFlagsCall is BreakSnapshotSetEx, PreFastRecovery and FastRecovery:
// (VSS_ID, DWORD, IVssAsync**).
func (b *comBackup) setFlagsCall(method string, setID vss.ID, flags uint32) (Async, error) {
	return b.asyncCall(method, func(a *callArgs) []uintptr { return append(a.guid(setID), uintptr(flags)) })
}

func (b *comBackup) BreakSnapshotSetEx(setID vss.ID, flags vss.HardwareOptions) (Async, error) {
	return b.setFlagsCall("BreakSnapshotSetEx", setID, uint32(flags))
}

func (b *comBackup) PreFastRecovery(setID vss.ID, flags uint32) (Async, error) {
	return b.setFlagsCall("PreFastRecovery", setID, flags)
}

func (b *comBackup) FastRecovery(setID vss.ID, flags uint32) (Async, error) {
	return b.setFlagsCall("FastRecovery", setID, flags)
}

func (b *comBackup) AddSnapshotToRecoverySet(snapshotID vss.ID, flags uint32, destinationVolume string) error {
	return b.call("AddSnapshotToRecoverySet", func(a *callArgs) []uintptr {
		return append(a.guid(snapshotID), uintptr(flags), a.str(destinationVolume))
	}, nil)
}

func (b *comBackup) RecoverSet(flags vss.RecoveryOptions) (Async, error) {
	return b.asyncCall("RecoverSet", func(*callArgs) []uintptr { return []uintptr{uintptr(uint32(flags))} })
}

func (b *comBackup) GetSessionId() (vss.ID, error) { return b.idCall("GetSessionId") }

func (b *comBackup) GetRootAndLogicalPrefixPaths(filePath string, normalizeFQDN bool) (string, string, error) {
	var root, prefix *unsafe.Pointer
	var r, p string
	err := b.call("GetRootAndLogicalPrefixPaths", func(a *callArgs) []uintptr {
		pr, pra := a.ptr()
		pp, ppa := a.ptr()
		root, prefix = pr, pp
		return []uintptr{a.str(filePath), pra, ppa, boolArg(normalizeFQDN)}
	}, func(*callArgs) { r, p = taskString(*root), taskString(*prefix) })
	return r, p, err
}
