// Package comtable is the one method table behind vsssim's vssapi.dll: for
// every vtable slot of IVssBackupComponents (through Ex4), IVssAsync,
// IVssEnumObject, IVssExamineWriterMetadata (through Ex2), IVssWMComponent,
// IVssWMFiledesc, IVssWMDependency, IVssWriterComponentsExt and
// IVssComponent (through Ex2), its name, interface, slot,
// C parameters, how each parameter travels on the wire and who frees what
// comes back.
//
// The table drives three things: the C stubs of the DLL (vssapi/
// vssapi_gen.h, written by the generator in ./gen; a test fails when the
// file is stale), the dispatcher of the server (package service decodes a
// call by its interface and slot and the parameter kinds here), and the
// slot pins of the Go COM backend (package requestor checks its slot
// names against this table). The C build static-asserts every slot
// against mingw-w64's vsbackup.h.
package comtable

import (
	"fmt"
	"strings"
)

// Iface is a COM interface of the DLL.
type Iface uint8

// The interfaces, in wire numbering (0 is the service itself).
const (
	// BackupComponents is IVssBackupComponents, with its Ex..Ex4 slots
	// (one object answers all five IIDs; the vtable is IVssBackupComponentsEx4Vtbl).
	BackupComponents Iface = 1
	// Async is IVssAsync.
	Async Iface = 2
	// EnumObject is IVssEnumObject (Query's result; lives in the DLL).
	EnumObject Iface = 3
	// ExamineWriterMetadata is IVssExamineWriterMetadata with its Ex and
	// Ex2 slots: a server object holding the very metadata the simulator
	// returned (so the simulator sees which lists a requestor reads).
	ExamineWriterMetadata Iface = 4
	// WMFiledesc is IVssWMFiledesc (a server object).
	WMFiledesc Iface = 5
	// WMDependency is IVssWMDependency (a server object).
	WMDependency Iface = 6
	// WMComponent is IVssWMComponent (a server object).
	WMComponent Iface = 7
	// WriterComponents is IVssWriterComponentsExt (a server object). Its
	// vtable here is IVssWriterComponents' (no IUnknown slots): in the
	// layout of the Windows SDK the class derives from IVssWriterComponents
	// and IUnknown, so the object holds a second vtable pointer, IUnknown's,
	// right after the first (vssapi.c builds it).
	WriterComponents Iface = 8
	// Component is IVssComponent with its Ex and Ex2 slots (a server object
	// over one component of the Backup Components Document).
	Component Iface = 9
)

// Ifaces lists the interfaces in wire order.
var Ifaces = []Iface{BackupComponents, Async, EnumObject, ExamineWriterMetadata, WMFiledesc, WMDependency, WMComponent, WriterComponents, Component}

// Object reports whether the interface's objects are server objects
// reached by handle, with the DLL's generic IUnknown (all but
// IVssBackupComponents, IVssAsync and the DLL-local IVssEnumObject).
func (i Iface) Object() bool { return i >= ExamineWriterMetadata }

// HasIUnknown reports whether the interface's vtable starts with IUnknown.
func (i Iface) HasIUnknown() bool { return i != WriterComponents }

// CName is the interface's C name (its vtable struct is CName+"Vtbl").
func (i Iface) CName() string {
	switch i {
	case BackupComponents:
		return "IVssBackupComponentsEx4"
	case Async:
		return "IVssAsync"
	case EnumObject:
		return "IVssEnumObject"
	case ExamineWriterMetadata:
		return "IVssExamineWriterMetadataEx2"
	case WMFiledesc:
		return "IVssWMFiledesc"
	case WMDependency:
		return "IVssWMDependency"
	case WMComponent:
		return "IVssWMComponent"
	case WriterComponents:
		return "IVssWriterComponentsExt"
	case Component:
		return "IVssComponentEx2"
	}
	return fmt.Sprintf("Iface(%d)", uint8(i))
}

// String is the interface's SDK name.
func (i Iface) String() string {
	switch i {
	case BackupComponents:
		return "IVssBackupComponents"
	case ExamineWriterMetadata:
		return "IVssExamineWriterMetadata"
	case WriterComponents:
		return "IVssWriterComponents"
	case Component:
		return "IVssComponent"
	}
	return i.CName()
}

// prefix is the C identifier prefix of the interface's stubs.
func (i Iface) prefix() string {
	switch i {
	case BackupComponents:
		return "bc"
	case Async:
		return "as"
	case EnumObject:
		return "en"
	case ExamineWriterMetadata:
		return "ex"
	case WMFiledesc:
		return "wf"
	case WMDependency:
		return "wd"
	case WMComponent:
		return "wm"
	case WriterComponents:
		return "wc"
	case Component:
		return "co"
	}
	return "x"
}

// Impl says where a method is implemented.
type Impl uint8

const (
	// Remote methods are forwarded to the server, which runs them on the
	// simulator.
	Remote Impl = iota + 1
	// Local methods are implemented in the DLL's C code (IUnknown, the
	// enumerator, the metadata reader).
	Local
	// NotModelled methods return E_NOTIMPL and log their name (the DLL on
	// stderr, the server in its log).
	NotModelled
)

func (i Impl) String() string {
	switch i {
	case Remote:
		return "remote"
	case Local:
		return "local"
	case NotModelled:
		return "not modelled"
	}
	return fmt.Sprintf("Impl(%d)", uint8(i))
}

// Kind is how a parameter travels (in the request for inputs, in the reply
// for outputs) and, for outputs, who owns the memory.
type Kind uint8

// The parameter kinds.
const (
	// Opaque parameters are not marshalled (methods that are not remote).
	Opaque Kind = iota
	// U32 is any 32-bit value passed by value (UINT, LONG, DWORD, WINBOOL,
	// enums): a little-endian uint32.
	U32
	// Bool is a C++ bool / MIDL boolean (one byte): a uint32 0 or 1.
	Bool
	// GUID is a VSS_ID by value: its 16 bytes in memory order.
	GUID
	// String is LPCWSTR, VSS_PWSZ or BSTR in: a uint32 count of UTF-16 code
	// units (0xFFFFFFFF for NULL) and the units.
	String
	// GUIDArray is a const VSS_ID* followed by its UINT count (the next
	// parameter, of kind Count): a uint32 count and the GUIDs.
	GUIDArray
	// Count is the element count of the GUIDArray before it (not sent alone).
	Count
	// OutU32 is a pointer to a 32-bit value the call writes.
	OutU32
	// OutGUID is a VSS_ID* the call writes.
	OutGUID
	// OutBSTR is a BSTR* the call allocates (SysAllocString); the caller
	// frees it with SysFreeString. Encoded like String.
	OutBSTR
	// OutCoTaskString is a VSS_PWSZ* the call allocates with
	// CoTaskMemAlloc; the caller frees it with CoTaskMemFree.
	OutCoTaskString
	// OutAsync is an IVssAsync** (the reply carries the server's handle, 0
	// for NULL); the caller releases it.
	OutAsync
	// OutObject is a pointer to a server object of interface Param.Obj
	// (IVssExamineWriterMetadata**, IVssWMFiledesc**, IVssComponent**,
	// IVssWriterComponentsExt**...): the reply carries its handle (0 for
	// NULL); the caller releases it (an IVssWriterComponentsExt through its
	// IUnknown, the second vtable pointer).
	OutObject
	// OutEnum is an IVssEnumObject** (the reply carries every
	// VSS_OBJECT_PROP); the caller releases it, and frees each element's
	// strings (VssFreeSnapshotProperties, or CoTaskMemFree for a provider).
	OutEnum
	// OutSnapshotProp is a caller-allocated VSS_SNAPSHOT_PROP the call
	// fills; its strings are CoTaskMemAlloc'ed and the caller frees them
	// with VssFreeSnapshotProperties.
	OutSnapshotProp
	// OutBool is a boolean* (one byte) the call writes: a uint32 0 or 1
	// on the wire.
	OutBool
	// OutComponentInfo is a PVSSCOMPONENTINFO* (IVssWMComponent::
	// GetComponentInfo): the DLL allocates the structure and its BSTRs;
	// the caller frees them with IVssWMComponent::FreeComponentInfo. On the
	// wire: type, logical path, name, caption, icon (a uint32 count and the
	// bytes), restore-metadata, notify-on-backup-complete, selectable,
	// selectable-for-restore, flags, then the file, database, log and
	// dependency counts (uint32 each, strings as String).
	OutComponentInfo
	// Reserved is a reserved pointer (IVssAsync::QueryStatus's pReserved):
	// not sent, not written.
	Reserved
)

var kindNames = [...]string{"opaque", "u32", "bool", "guid", "string", "guid-array", "count", "out-u32", "out-guid",
	"out-bstr", "out-cotask-string", "out-async", "out-object", "out-enum", "out-snapshot-prop", "out-bool", "out-component-info", "reserved"}

func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("Kind(%d)", uint8(k))
}

// Out reports whether the kind is an output.
func (k Kind) Out() bool { return k >= OutU32 && k <= OutComponentInfo }

// Owner says who frees what an output parameter returns ("" when the kind
// returns nothing to free).
func (k Kind) Owner() string {
	switch k {
	case OutBSTR:
		return "caller: SysFreeString"
	case OutCoTaskString:
		return "caller: CoTaskMemFree"
	case OutAsync, OutObject, OutEnum:
		return "caller: Release"
	case OutSnapshotProp:
		return "caller: VssFreeSnapshotProperties"
	case OutComponentInfo:
		return "caller: IVssWMComponent::FreeComponentInfo"
	}
	return ""
}

// Param is one C parameter (after This).
type Param struct {
	CType string
	Name  string
	Kind  Kind
	// Obj is the interface of an OutObject.
	Obj Iface
}

// Method is one vtable slot.
type Method struct {
	Iface  Iface
	Slot   int
	Name   string
	Impl   Impl
	Params []Param
	// Ret is the C return type (HRESULT but for AddRef and Release).
	Ret string
}

// Ins are the parameters sent in the request, in order.
func (m *Method) Ins() []Param {
	var out []Param
	for _, p := range m.Params {
		if !p.Kind.Out() && p.Kind != Count && p.Kind != Reserved && p.Kind != Opaque {
			out = append(out, p)
		}
	}
	return out
}

// Outs are the parameters the reply fills, in order.
func (m *Method) Outs() []Param {
	var out []Param
	for _, p := range m.Params {
		if p.Kind.Out() {
			out = append(out, p)
		}
	}
	return out
}

// String is "IVssBackupComponents::AddComponent (slot 13)".
func (m *Method) String() string {
	return fmt.Sprintf("%v::%s (slot %d)", m.Iface, m.Name, m.Slot)
}

// spec is one row as written below: impl, name, then the C parameter list.
type spec struct {
	impl   Impl
	name   string
	params string
}

const (
	r = Remote
	l = Local
	n = NotModelled
)

var iunknown = []spec{
	{l, "QueryInterface", "REFIID riid, void **ppvObject"},
	{l, "AddRef", ""},
	{l, "Release", ""},
}

// backupComponents is IVssBackupComponentsEx4Vtbl in order (vsbackup.h,
// REFERENCE §1.2). Release is local (reference counting) in the DLL, and
// the last Release is forwarded: it is the modelled Release.
var backupComponents = []spec{
	{r, "GetWriterComponentsCount", "UINT *pcComponents"},
	{r, "GetWriterComponents", "UINT iWriter, IVssWriterComponentsExt **ppWriter"},
	{r, "InitializeForBackup", "BSTR bstrXML"},
	{r, "SetBackupState", "boolean bSelectComponents, boolean bBackupBootableSystemState, VSS_BACKUP_TYPE backupType, boolean bPartialFileSupport"},
	{r, "InitializeForRestore", "BSTR bstrXML"},
	{r, "SetRestoreState", "VSS_RESTORE_TYPE restoreType"},
	{r, "GatherWriterMetadata", "IVssAsync **pAsync"},
	{r, "GetWriterMetadataCount", "UINT *pcWriters"},
	{r, "GetWriterMetadata", "UINT iWriter, VSS_ID *pidInstance, IVssExamineWriterMetadata **ppMetadata"},
	{r, "FreeWriterMetadata", ""},
	{r, "AddComponent", "VSS_ID instanceId, VSS_ID writerId, VSS_COMPONENT_TYPE ct, LPCWSTR wszLogicalPath, LPCWSTR wszComponentName"},
	{r, "PrepareForBackup", "IVssAsync **ppAsync"},
	{r, "AbortBackup", ""},
	{r, "GatherWriterStatus", "IVssAsync **pAsync"},
	{r, "GetWriterStatusCount", "UINT *pcWriters"},
	{r, "FreeWriterStatus", ""},
	{r, "GetWriterStatus", "UINT iWriter, VSS_ID *pidInstance, VSS_ID *pidWriter, BSTR *pbstrWriter, VSS_WRITER_STATE *pnStatus, HRESULT *phResultFailure"},
	{r, "SetBackupSucceeded", "VSS_ID instanceId, VSS_ID writerId, VSS_COMPONENT_TYPE ct, LPCWSTR wszLogicalPath, LPCWSTR wszComponentName, boolean bSucceded"},
	{r, "SetBackupOptions", "VSS_ID writerId, VSS_COMPONENT_TYPE ct, LPCWSTR wszLogicalPath, LPCWSTR wszComponentName, LPCWSTR wszBackupOptions"},
	{r, "SetSelectedForRestore", "VSS_ID writerId, VSS_COMPONENT_TYPE ct, LPCWSTR wszLogicalPath, LPCWSTR wszComponentName, boolean bSelectedForRestore"},
	{r, "SetRestoreOptions", "VSS_ID writerId, VSS_COMPONENT_TYPE ct, LPCWSTR wszLogicalPath, LPCWSTR wszComponentName, LPCWSTR wszRestoreOptions"},
	{r, "SetAdditionalRestores", "VSS_ID writerId, VSS_COMPONENT_TYPE ct, LPCWSTR wszLogicalPath, LPCWSTR wszComponentName, boolean bAdditionalRestores"},
	{r, "SetPreviousBackupStamp", "VSS_ID writerId, VSS_COMPONENT_TYPE ct, LPCWSTR wszLogicalPath, LPCWSTR wszComponentName, LPCWSTR wszPreviousBackupStamp"},
	{r, "SaveAsXML", "BSTR *pbstrXML"},
	{r, "BackupComplete", "IVssAsync **ppAsync"},
	{r, "AddAlternativeLocationMapping", "VSS_ID writerId, VSS_COMPONENT_TYPE componentType, LPCWSTR wszLogicalPath, LPCWSTR wszComponentName, LPCWSTR wszPath, LPCWSTR wszFilespec, boolean bRecursive, LPCWSTR wszDestination"},
	{r, "AddRestoreSubcomponent", "VSS_ID writerId, VSS_COMPONENT_TYPE componentType, LPCWSTR wszLogicalPath, LPCWSTR wszComponentName, LPCWSTR wszSubComponentLogicalPath, LPCWSTR wszSubComponentName, boolean bRepair"},
	{r, "SetFileRestoreStatus", "VSS_ID writerId, VSS_COMPONENT_TYPE ct, LPCWSTR wszLogicalPath, LPCWSTR wszComponentName, VSS_FILE_RESTORE_STATUS status"},
	{r, "AddNewTarget", "VSS_ID writerId, VSS_COMPONENT_TYPE ct, LPCWSTR wszLogicalPath, LPCWSTR wszComponentName, LPCWSTR wszPath, LPCWSTR wszFileName, boolean bRecursive, LPCWSTR wszAlternatePath"},
	{r, "SetRangesFilePath", "VSS_ID writerId, VSS_COMPONENT_TYPE ct, LPCWSTR wszLogicalPath, LPCWSTR wszComponentName, UINT iPartialFile, LPCWSTR wszRangesFile"},
	{r, "PreRestore", "IVssAsync **ppAsync"},
	{r, "PostRestore", "IVssAsync **ppAsync"},
	{r, "SetContext", "LONG lContext"},
	{r, "StartSnapshotSet", "VSS_ID *pSnapshotSetId"},
	{r, "AddToSnapshotSet", "VSS_PWSZ pwszVolumeName, VSS_ID ProviderId, VSS_ID *pidSnapshot"},
	{r, "DoSnapshotSet", "IVssAsync **ppAsync"},
	{r, "DeleteSnapshots", "VSS_ID SourceObjectId, VSS_OBJECT_TYPE eSourceObjectType, WINBOOL bForceDelete, LONG *plDeletedSnapshots, VSS_ID *pNondeletedSnapshotID"},
	{r, "ImportSnapshots", "IVssAsync **ppAsync"},
	{r, "BreakSnapshotSet", "VSS_ID SnapshotSetId"},
	{r, "GetSnapshotProperties", "VSS_ID SnapshotId, VSS_SNAPSHOT_PROP *pProp"},
	{r, "Query", "VSS_ID QueriedObjectId, VSS_OBJECT_TYPE eQueriedObjectType, VSS_OBJECT_TYPE eReturnedObjectsType, IVssEnumObject **ppEnum"},
	{r, "IsVolumeSupported", "VSS_ID ProviderId, VSS_PWSZ pwszVolumeName, WINBOOL *pbSupportedByThisProvider"},
	{r, "DisableWriterClasses", "const VSS_ID *rgWriterClassId, UINT cClassId"},
	{r, "EnableWriterClasses", "const VSS_ID *rgWriterClassId, UINT cClassId"},
	{r, "DisableWriterInstances", "const VSS_ID *rgWriterInstanceId, UINT cInstanceId"},
	{r, "ExposeSnapshot", "VSS_ID SnapshotId, VSS_PWSZ wszPathFromRoot, LONG lAttributes, VSS_PWSZ wszExpose, VSS_PWSZ *pwszExposed"},
	{r, "RevertToSnapshot", "VSS_ID SnapshotId, WINBOOL bForceDismount"},
	{r, "QueryRevertStatus", "VSS_PWSZ pwszVolume, IVssAsync **ppAsync"},
	// IVssBackupComponentsEx
	{r, "GetWriterMetadataEx", "UINT iWriter, VSS_ID *pidInstance, IVssExamineWriterMetadataEx **ppMetadata"},
	{r, "SetSelectedForRestoreEx", "VSS_ID writerId, VSS_COMPONENT_TYPE ct, LPCWSTR wszLogicalPath, LPCWSTR wszComponentName, boolean bSelectedForRestore, VSS_ID instanceId"},
	// IVssBackupComponentsEx2
	{r, "UnexposeSnapshot", "VSS_ID snapshotId"},
	{r, "SetAuthoritativeRestore", "VSS_ID writerId, VSS_COMPONENT_TYPE ct, LPCWSTR wszLogicalPath, LPCWSTR wszComponentName, boolean bAuth"},
	{r, "SetRollForward", "VSS_ID writerId, VSS_COMPONENT_TYPE ct, LPCWSTR wszLogicalPath, LPCWSTR wszComponentName, VSS_ROLLFORWARD_TYPE rollType, LPCWSTR wszRollForwardPoint"},
	{r, "SetRestoreName", "VSS_ID writerId, VSS_COMPONENT_TYPE ct, LPCWSTR wszLogicalPath, LPCWSTR wszComponentName, LPCWSTR wszRestoreName"},
	{r, "BreakSnapshotSetEx", "VSS_ID SnapshotSetID, DWORD dwBreakFlags, IVssAsync **ppAsync"},
	{r, "PreFastRecovery", "VSS_ID SnapshotSetID, DWORD dwPreFastRecoveryFlags, IVssAsync **ppAsync"},
	{r, "FastRecovery", "VSS_ID SnapshotSetID, DWORD dwFastRecoveryFlags, IVssAsync **ppAsync"},
	// IVssBackupComponentsEx3
	{r, "GetWriterStatusEx", "UINT iWriter, VSS_ID *pidInstance, VSS_ID *pidWriter, BSTR *pbstrWriter, VSS_WRITER_STATE *pnStatus, HRESULT *phrFailureWriter, HRESULT *phrApplication, BSTR *pbstrApplicationMessage"},
	{r, "AddSnapshotToRecoverySet", "VSS_ID snapshotId, DWORD dwFlags, VSS_PWSZ pwszDestinationVolume"},
	{r, "RecoverSet", "DWORD dwFlags, IVssAsync **ppAsync"},
	{r, "GetSessionId", "VSS_ID *idSession"},
	// IVssBackupComponentsEx4
	{r, "GetRootAndLogicalPrefixPaths", "VSS_PWSZ pwszFilePath, VSS_PWSZ *ppwszRootPath, VSS_PWSZ *ppwszLogicalPrefix, WINBOOL bNormalizeFQDNforRootPath"},
}

// async is IVssAsync (vss.h, REFERENCE §3). Its last Release frees the
// server's handle.
var async = []spec{
	{r, "Cancel", ""},
	{r, "Wait", "DWORD dwMilliseconds"},
	{r, "QueryStatus", "HRESULT *pHrResult, INT *pReserved"},
}

// enumObject is IVssEnumObject (vss.h): the DLL holds Query's result.
var enumObject = []spec{
	{l, "Next", "ULONG celt, VSS_OBJECT_PROP *rgelt, ULONG *pceltFetched"},
	{l, "Skip", "ULONG celt"},
	{l, "Reset", ""},
	{l, "Clone", "IVssEnumObject **ppenum"},
}

// examine is IVssExamineWriterMetadataEx2 (vsbackup.h): a server object
// over the writer's metadata (GetDocument, an MSXML object, is not
// modelled).
var examine = []spec{
	{r, "GetIdentity", "VSS_ID *pidInstance, VSS_ID *pidWriter, BSTR *pbstrWriterName, VSS_USAGE_TYPE *pUsage, VSS_SOURCE_TYPE *pSource"},
	{r, "GetFileCounts", "UINT *pcIncludeFiles, UINT *pcExcludeFiles, UINT *pcComponents"},
	{r, "GetIncludeFile", "UINT iFile, IVssWMFiledesc **ppFiledesc"},
	{r, "GetExcludeFile", "UINT iFile, IVssWMFiledesc **ppFiledesc"},
	{r, "GetComponent", "UINT iComponent, IVssWMComponent **ppComponent"},
	{r, "GetRestoreMethod", "VSS_RESTOREMETHOD_ENUM *pMethod, BSTR *pbstrService, BSTR *pbstrUserProcedure, VSS_WRITERRESTORE_ENUM *pwriterRestore, boolean *pbRebootRequired, UINT *pcMappings"},
	{r, "GetAlternateLocationMapping", "UINT iMapping, IVssWMFiledesc **ppFiledesc"},
	{r, "GetBackupSchema", "DWORD *pdwSchemaMask"},
	{n, "GetDocument", "IXMLDOMDocument **pDoc"},
	{r, "SaveAsXML", "BSTR *pbstrXML"},
	{r, "LoadFromXML", "BSTR bstrXML"},
	// IVssExamineWriterMetadataEx
	{r, "GetIdentityEx", "VSS_ID *pidInstance, VSS_ID *pidWriter, BSTR *pbstrWriterName, BSTR *pbstrInstanceName, VSS_USAGE_TYPE *pUsage, VSS_SOURCE_TYPE *pSource"},
	// IVssExamineWriterMetadataEx2
	{r, "GetVersion", "DWORD *pdwMajorVersion, DWORD *pdwMinorVersion"},
	{r, "GetExcludeFromSnapshotCount", "UINT *pcExcludedFromSnapshot"},
	{r, "GetExcludeFromSnapshotFile", "UINT iFile, IVssWMFiledesc **ppFiledesc"},
}

// wmFiledesc is IVssWMFiledesc (vswriter.h).
var wmFiledesc = []spec{
	{r, "GetPath", "BSTR *pbstrPath"},
	{r, "GetFilespec", "BSTR *pbstrFilespec"},
	{r, "GetRecursive", "boolean *pbRecursive"},
	{r, "GetAlternateLocation", "BSTR *pbstrAlternateLocation"},
	{r, "GetBackupTypeMask", "DWORD *pdwTypeMask"},
}

// wmDependency is IVssWMDependency (vswriter.h).
var wmDependency = []spec{
	{r, "GetWriterId", "VSS_ID *pWriterId"},
	{r, "GetLogicalPath", "BSTR *pbstrLogicalPath"},
	{r, "GetComponentName", "BSTR *pbstrComponentName"},
}

// wmComponent is IVssWMComponent (vsbackup.h). FreeComponentInfo frees
// what GetComponentInfo allocated, in the DLL.
var wmComponent = []spec{
	{r, "GetComponentInfo", "PVSSCOMPONENTINFO *ppInfo"},
	{l, "FreeComponentInfo", "PVSSCOMPONENTINFO pInfo"},
	{r, "GetFile", "UINT iFile, IVssWMFiledesc **ppFiledesc"},
	{r, "GetDatabaseFile", "UINT iDBFile, IVssWMFiledesc **ppFiledesc"},
	{r, "GetDatabaseLogFile", "UINT iDbLogFile, IVssWMFiledesc **ppFiledesc"},
	{r, "GetDependency", "UINT iDependency, IVssWMDependency **ppDependency"},
}

// writerComponents is IVssWriterComponents (vswriter.h), the first base
// of IVssWriterComponentsExt: no IUnknown slots.
var writerComponents = []spec{
	{r, "GetComponentCount", "UINT *pcComponents"},
	{r, "GetWriterInfo", "VSS_ID *pidInstance, VSS_ID *pidWriter"},
	{r, "GetComponent", "UINT iComponent, IVssComponent **ppComponent"},
}

// component is IVssComponentEx2 (vswriter.h) as a requestor sees it: the
// getters. The setters are the writer's (a requestor has no use for
// them) and the differenced-file calls carry a FILETIME: not modelled.
var component = []spec{
	{r, "GetLogicalPath", "BSTR *pbstrPath"},
	{r, "GetComponentType", "VSS_COMPONENT_TYPE *pct"},
	{r, "GetComponentName", "BSTR *pbstrName"},
	{r, "GetBackupSucceeded", "boolean *pbSucceeded"},
	{r, "GetAlternateLocationMappingCount", "UINT *pcMappings"},
	{r, "GetAlternateLocationMapping", "UINT iMapping, IVssWMFiledesc **ppFiledesc"},
	{n, "SetBackupMetadata", "LPCWSTR wszData"},
	{r, "GetBackupMetadata", "BSTR *pbstrData"},
	{n, "AddPartialFile", "LPCWSTR wszPath, LPCWSTR wszFilename, LPCWSTR wszRanges, LPCWSTR wszMetadata"},
	{r, "GetPartialFileCount", "UINT *pcPartialFiles"},
	{r, "GetPartialFile", "UINT iPartialFile, BSTR *pbstrPath, BSTR *pbstrFilename, BSTR *pbstrRange, BSTR *pbstrMetadata"},
	{r, "IsSelectedForRestore", "boolean *pbSelectedForRestore"},
	{r, "GetAdditionalRestores", "boolean *pbAdditionalRestores"},
	{r, "GetNewTargetCount", "UINT *pcNewTarget"},
	{r, "GetNewTarget", "UINT iNewTarget, IVssWMFiledesc **ppFiledesc"},
	{n, "AddDirectedTarget", "LPCWSTR wszSourcePath, LPCWSTR wszSourceFilename, LPCWSTR wszSourceRangeList, LPCWSTR wszDestinationPath, LPCWSTR wszDestinationFilename, LPCWSTR wszDestinationRangeList"},
	{r, "GetDirectedTargetCount", "UINT *pcDirectedTarget"},
	{r, "GetDirectedTarget", "UINT iDirectedTarget, BSTR *pbstrSourcePath, BSTR *pbstrSourceFileName, BSTR *pbstrSourceRangeList, BSTR *pbstrDestinationPath, BSTR *pbstrDestinationFilename, BSTR *pbstrDestinationRangeList"},
	{n, "SetRestoreMetadata", "LPCWSTR wszRestoreMetadata"},
	{r, "GetRestoreMetadata", "BSTR *pbstrRestoreMetadata"},
	{n, "SetRestoreTarget", "VSS_RESTORE_TARGET target"},
	{r, "GetRestoreTarget", "VSS_RESTORE_TARGET *pTarget"},
	{n, "SetPreRestoreFailureMsg", "LPCWSTR wszPreRestoreFailureMsg"},
	{r, "GetPreRestoreFailureMsg", "BSTR *pbstrPreRestoreFailureMsg"},
	{n, "SetPostRestoreFailureMsg", "LPCWSTR wszPostRestoreFailureMsg"},
	{r, "GetPostRestoreFailureMsg", "BSTR *pbstrPostRestoreFailureMsg"},
	{n, "SetBackupStamp", "LPCWSTR wszBackupStamp"},
	{r, "GetBackupStamp", "BSTR *pbstrBackupStamp"},
	{r, "GetPreviousBackupStamp", "BSTR *pbstrBackupStamp"},
	{r, "GetBackupOptions", "BSTR *pbstrBackupOptions"},
	{r, "GetRestoreOptions", "BSTR *pbstrRestoreOptions"},
	{r, "GetRestoreSubcomponentCount", "UINT *pcRestoreSubcomponent"},
	{r, "GetRestoreSubcomponent", "UINT iComponent, BSTR *pbstrLogicalPath, BSTR *pbstrComponentName, boolean *pbRepair"},
	{r, "GetFileRestoreStatus", "VSS_FILE_RESTORE_STATUS *pStatus"},
	{n, "AddDifferencedFilesByLastModifyTime", "LPCWSTR wszPath, LPCWSTR wszFilespec, WINBOOL bRecursive, FILETIME ftLastModifyTime"},
	{n, "AddDifferencedFilesByLastModifyLSN", "LPCWSTR wszPath, LPCWSTR wszFilespec, WINBOOL bRecursive, BSTR bstrLsnString"},
	{r, "GetDifferencedFilesCount", "UINT *pcDifferencedFiles"},
	{n, "GetDifferencedFile", "UINT iDifferencedFile, BSTR *pbstrPath, BSTR *pbstrFilespec, WINBOOL *pbRecursive, BSTR *pbstrLsnString, FILETIME *pftLastModifyTime"},
	// IVssComponentEx
	{n, "SetPrepareForBackupFailureMsg", "LPCWSTR wszFailureMsg"},
	{n, "SetPostSnapshotFailureMsg", "LPCWSTR wszFailureMsg"},
	{r, "GetPrepareForBackupFailureMsg", "BSTR *pbstrFailureMsg"},
	{r, "GetPostSnapshotFailureMsg", "BSTR *pbstrFailureMsg"},
	{r, "GetAuthoritativeRestore", "boolean *pbAuth"},
	{r, "GetRollForward", "VSS_ROLLFORWARD_TYPE *pRollType, BSTR *pbstrPoint"},
	{r, "GetRestoreName", "BSTR *pbstrName"},
	// IVssComponentEx2
	{n, "SetFailure", "HRESULT hr, HRESULT hrApplication, LPCWSTR wszApplicationMessage, DWORD dwReserved"},
	{n, "GetFailure", "HRESULT *phr, HRESULT *phrApplication, BSTR *pbstrApplicationMessage, DWORD *pdwReserved"},
}

// kinds maps a C parameter type to its wire kind for remote methods.
var kinds = map[string]Kind{
	"UINT": U32, "LONG": U32, "DWORD": U32, "ULONG": U32, "WINBOOL": U32,
	"VSS_BACKUP_TYPE": U32, "VSS_RESTORE_TYPE": U32, "VSS_COMPONENT_TYPE": U32, "VSS_OBJECT_TYPE": U32,
	"VSS_FILE_RESTORE_STATUS": U32, "VSS_ROLLFORWARD_TYPE": U32, "VSS_RESTORE_TARGET": U32, "HRESULT": U32,
	"boolean": Bool,
	"VSS_ID":  GUID,
	"LPCWSTR": String, "VSS_PWSZ": String, "BSTR": String,
	"const VSS_ID *": GUIDArray,
	"UINT *":         OutU32, "LONG *": OutU32, "WINBOOL *": OutU32, "VSS_WRITER_STATE *": OutU32, "HRESULT *": OutU32,
	"VSS_ID *":             OutGUID,
	"BSTR *":               OutBSTR,
	"VSS_PWSZ *":           OutCoTaskString,
	"IVssAsync **":         OutAsync,
	"IVssEnumObject **":    OutEnum,
	"VSS_SNAPSHOT_PROP *":  OutSnapshotProp,
	"INT *":                Reserved,
	"boolean *":            OutBool,
	"DWORD *":              OutU32,
	"VSS_COMPONENT_TYPE *": OutU32, "VSS_RESTORE_TARGET *": OutU32, "VSS_FILE_RESTORE_STATUS *": OutU32,
	"VSS_ROLLFORWARD_TYPE *": OutU32, "VSS_USAGE_TYPE *": OutU32, "VSS_SOURCE_TYPE *": OutU32,
	"VSS_RESTOREMETHOD_ENUM *": OutU32, "VSS_WRITERRESTORE_ENUM *": OutU32,
	"PVSSCOMPONENTINFO *": OutComponentInfo,
}

// objects maps an out-pointer C type to the interface of the server
// object it receives (kind OutObject).
var objects = map[string]Iface{
	"IVssExamineWriterMetadata **":   ExamineWriterMetadata,
	"IVssExamineWriterMetadataEx **": ExamineWriterMetadata,
	"IVssWMFiledesc **":              WMFiledesc,
	"IVssWMDependency **":            WMDependency,
	"IVssWMComponent **":             WMComponent,
	"IVssWriterComponentsExt **":     WriterComponents,
	"IVssComponent **":               Component,
}

// Methods is the table: every slot of every interface, in interface then
// slot order.
var Methods = build()

func build() []Method {
	var out []Method
	for _, t := range []struct {
		iface Iface
		specs []spec
	}{{BackupComponents, backupComponents}, {Async, async}, {EnumObject, enumObject}, {ExamineWriterMetadata, examine},
		{WMFiledesc, wmFiledesc}, {WMDependency, wmDependency}, {WMComponent, wmComponent},
		{WriterComponents, writerComponents}, {Component, component}} {
		all := t.specs
		if t.iface.HasIUnknown() {
			all = append(append([]spec(nil), iunknown...), t.specs...)
		}
		for slot, s := range all {
			m := Method{Iface: t.iface, Slot: slot, Name: s.name, Impl: s.impl, Ret: "HRESULT"}
			if s.name == "AddRef" || s.name == "Release" {
				m.Ret = "ULONG"
			}
			m.Params = parseParams(s.params, s.impl == Remote)
			out = append(out, m)
		}
	}
	return out
}

// parseParams splits "TYPE name, TYPE *name" into Params. For remote
// methods every type must have a wire kind (a typo panics at init, which
// every test of the module would show).
func parseParams(list string, remote bool) []Param {
	if list == "" {
		return nil
	}
	var out []Param
	for _, p := range strings.Split(list, ", ") {
		i := strings.LastIndexAny(p, " *")
		ctype, name := strings.TrimSpace(p[:i+1]), p[i+1:]
		// "T *" and "T **": one space before the stars.
		ctype = strings.Replace(strings.ReplaceAll(ctype, " *", "*"), "*", " *", 1)
		k := Opaque
		var obj Iface
		if remote {
			var ok bool
			if obj, ok = objects[ctype]; ok {
				k = OutObject
			} else if k, ok = kinds[ctype]; !ok {
				panic(fmt.Sprintf("comtable: no wire kind for C type %q (%s)", ctype, p))
			}
			if k == U32 && len(out) > 0 && out[len(out)-1].Kind == GUIDArray {
				k = Count
			}
		}
		out = append(out, Param{CType: ctype, Name: name, Kind: k, Obj: obj})
	}
	return out
}

// Lookup returns the method at (iface, slot).
func Lookup(iface Iface, slot int) (*Method, bool) {
	for i := range Methods {
		if Methods[i].Iface == iface && Methods[i].Slot == slot {
			return &Methods[i], true
		}
	}
	return nil, false
}

// ByName returns the method of iface called name.
func ByName(iface Iface, name string) (*Method, bool) {
	for i := range Methods {
		if Methods[i].Iface == iface && Methods[i].Name == name {
			return &Methods[i], true
		}
	}
	return nil, false
}

// Slots lists the method names of iface in slot order (what
// requestor's slot pins are checked against).
func Slots(iface Iface) []string {
	var out []string
	for _, m := range Methods {
		if m.Iface == iface {
			out = append(out, m.Name)
		}
	}
	return out
}

// Struct layouts the DLL and the Go backend share (x64; REFERENCE §6.5),
// static-asserted in the C build against mingw's vss.h.
const (
	SnapshotPropSize = 128 // sizeof(VSS_SNAPSHOT_PROP)
	ObjectPropSize   = 136 // sizeof(VSS_OBJECT_PROP)
	ObjectUnionAt    = 8   // offsetof(VSS_OBJECT_PROP, Obj)
	ProviderPropSize = 72  // sizeof(VSS_PROVIDER_PROP)
)

// SnapshotPropOffsets are the x64 field offsets of VSS_SNAPSHOT_PROP.
var SnapshotPropOffsets = []struct {
	Field  string
	Offset int
}{
	{"m_SnapshotId", 0}, {"m_SnapshotSetId", 16}, {"m_lSnapshotsCount", 32}, {"m_pwszSnapshotDeviceObject", 40},
	{"m_pwszOriginalVolumeName", 48}, {"m_pwszOriginatingMachine", 56}, {"m_pwszServiceMachine", 64},
	{"m_pwszExposedName", 72}, {"m_pwszExposedPath", 80}, {"m_ProviderId", 88}, {"m_lSnapshotAttributes", 104},
	{"m_tsCreationTimestamp", 112}, {"m_eStatus", 120},
}
