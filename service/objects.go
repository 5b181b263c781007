package service

import (
	"reflect"

	"github.com/vsssim/vsssim/requestor/vss"
	"github.com/vsssim/vsssim/service/comtable"
)

// srvObj is a server object a session holds for the DLL: the metadata
// readers (IVssExamineWriterMetadata over the very *vss.WriterMetadata the
// simulator returned, so that the simulator sees GetExcludeFile calls),
// their IVssWMComponent, IVssWMFiledesc and IVssWMDependency, and the
// IVssWriterComponentsExt / IVssComponent of GetWriterComponents.
type srvObj struct {
	iface comtable.Iface
	v     any
}

// objHandler is a remote method of a server object: its outputs and the
// HRESULT of a successful call (S_FALSE where the SDK page says so).
type objHandler func(v any, a *args) (outs, vss.HRESULT, error)

func ok(o ...any) (outs, vss.HRESULT, error) { return o, vss.S_OK, nil }

func b32(b bool) uint32 {
	if b {
		return 1
	}
	return 0
}

// obj returns v as an object output, or an error.
func obj[T any](v T, err error) (outs, vss.HRESULT, error) {
	if err != nil {
		return nil, vss.S_OK, err
	}
	return outs{v}, vss.S_OK, nil
}

// opt is an optional string: NULL when empty. [Inf] The IVssComponent and
// IVssWMFiledesc pages do not say what an absent item returns; VShadow
// tests each BSTR for NULL before printing, so NULL it is.
func opt(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func notFound(method string, i uint32, n int, what string) error {
	return vss.Errorf(vss.VSS_E_OBJECT_NOT_FOUND, method, "no %s at index %d (count %d)", what, i, n)
}

var examineHandlers = map[string]objHandler{
	"GetIdentity": func(v any, a *args) (outs, vss.HRESULT, error) {
		inst, w, name, usage, source := v.(*vss.WriterMetadata).GetIdentity()
		return ok(inst, w, name, uint32(usage), uint32(source))
	},
	"GetIdentityEx": func(v any, a *args) (outs, vss.HRESULT, error) {
		inst, w, name, instName, usage, source := v.(*vss.WriterMetadata).GetIdentityEx()
		return ok(inst, w, name, opt(instName), uint32(usage), uint32(source))
	},
	"GetFileCounts": func(v any, a *args) (outs, vss.HRESULT, error) {
		i, e, c := v.(*vss.WriterMetadata).GetFileCounts()
		return ok(i, e, c)
	},
	"GetIncludeFile": func(v any, a *args) (outs, vss.HRESULT, error) {
		return obj(v.(*vss.WriterMetadata).GetIncludeFile(a.u32()))
	},
	"GetExcludeFile": func(v any, a *args) (outs, vss.HRESULT, error) {
		return obj(v.(*vss.WriterMetadata).GetExcludeFile(a.u32()))
	},
	"GetExcludeFromSnapshotCount": func(v any, a *args) (outs, vss.HRESULT, error) {
		return ok(v.(*vss.WriterMetadata).GetExcludeFromSnapshotCount())
	},
	"GetExcludeFromSnapshotFile": func(v any, a *args) (outs, vss.HRESULT, error) {
		return obj(v.(*vss.WriterMetadata).GetExcludeFromSnapshotFile(a.u32()))
	},
	"GetComponent": func(v any, a *args) (outs, vss.HRESULT, error) {
		return obj(v.(*vss.WriterMetadata).GetComponent(a.u32()))
	},
	// GetRestoreMethod returns S_FALSE when the writer has none.
	"GetRestoreMethod": func(v any, a *args) (outs, vss.HRESULT, error) {
		info, n, found := v.(*vss.WriterMetadata).GetRestoreMethod()
		if !found {
			return nil, vss.S_FALSE, nil
		}
		return ok(uint32(info.Method), opt(info.Service), opt(info.UserProcedure), uint32(info.WriterRestore), b32(info.RebootRequired), n)
	},
	"GetAlternateLocationMapping": func(v any, a *args) (outs, vss.HRESULT, error) {
		return obj(v.(*vss.WriterMetadata).GetAlternateLocationMapping(a.u32()))
	},
	"GetBackupSchema": func(v any, a *args) (outs, vss.HRESULT, error) {
		return ok(uint32(v.(*vss.WriterMetadata).GetBackupSchema()))
	},
	"SaveAsXML": func(v any, a *args) (outs, vss.HRESULT, error) { return obj(v.(*vss.WriterMetadata).SaveAsXML()) },
	"LoadFromXML": func(v any, a *args) (outs, vss.HRESULT, error) {
		return nil, vss.S_OK, v.(*vss.WriterMetadata).LoadFromXML(a.str())
	},
	"GetVersion": func(v any, a *args) (outs, vss.HRESULT, error) {
		major, minor := v.(*vss.WriterMetadata).GetVersion()
		return ok(major, minor)
	},
}

var wmComponentHandlers = map[string]objHandler{
	"GetComponentInfo": func(v any, a *args) (outs, vss.HRESULT, error) { return ok(v.(*vss.WMComponent).GetComponentInfo()) },
	"GetFile":          func(v any, a *args) (outs, vss.HRESULT, error) { return obj(v.(*vss.WMComponent).GetFile(a.u32())) },
	"GetDatabaseFile": func(v any, a *args) (outs, vss.HRESULT, error) {
		return obj(v.(*vss.WMComponent).GetDatabaseFile(a.u32()))
	},
	"GetDatabaseLogFile": func(v any, a *args) (outs, vss.HRESULT, error) {
		return obj(v.(*vss.WMComponent).GetDatabaseLogFile(a.u32()))
	},
	"GetDependency": func(v any, a *args) (outs, vss.HRESULT, error) {
		return obj(v.(*vss.WMComponent).GetDependency(a.u32()))
	},
}

var filedescHandlers = map[string]objHandler{
	"GetPath":              func(v any, a *args) (outs, vss.HRESULT, error) { return ok(v.(vss.FileDesc).Path) },
	"GetFilespec":          func(v any, a *args) (outs, vss.HRESULT, error) { return ok(v.(vss.FileDesc).Filespec) },
	"GetRecursive":         func(v any, a *args) (outs, vss.HRESULT, error) { return ok(b32(v.(vss.FileDesc).Recursive)) },
	"GetAlternateLocation": func(v any, a *args) (outs, vss.HRESULT, error) { return ok(opt(v.(vss.FileDesc).AlternateLocation)) },
	"GetBackupTypeMask":    func(v any, a *args) (outs, vss.HRESULT, error) { return ok(uint32(v.(vss.FileDesc).BackupTypeMask)) },
}

var dependencyHandlers = map[string]objHandler{
	"GetWriterId":      func(v any, a *args) (outs, vss.HRESULT, error) { return ok(v.(vss.Dependency).WriterID) },
	"GetLogicalPath":   func(v any, a *args) (outs, vss.HRESULT, error) { return ok(opt(v.(vss.Dependency).LogicalPath)) },
	"GetComponentName": func(v any, a *args) (outs, vss.HRESULT, error) { return ok(v.(vss.Dependency).ComponentName) },
}

var writerComponentsHandlers = map[string]objHandler{
	"GetComponentCount": func(v any, a *args) (outs, vss.HRESULT, error) {
		return ok(uint32(len(v.(*vss.WriterComponents).Components)))
	},
	"GetWriterInfo": func(v any, a *args) (outs, vss.HRESULT, error) {
		w := v.(*vss.WriterComponents)
		return ok(w.InstanceID, w.WriterID)
	},
	"GetComponent": func(v any, a *args) (outs, vss.HRESULT, error) {
		w, i := v.(*vss.WriterComponents), a.u32()
		if int64(i) >= int64(len(w.Components)) {
			return nil, vss.S_OK, notFound("IVssWriterComponents::GetComponent", i, len(w.Components), "component")
		}
		return ok(w.Components[i])
	},
}

// componentGetter is an IVssComponent getter of one BSTR (NULL when
// empty).
func componentGetter(f func(c *vss.BCDComponent) string) objHandler {
	return func(v any, a *args) (outs, vss.HRESULT, error) { return ok(opt(f(v.(*vss.BCDComponent)))) }
}

func componentCount(f func(c *vss.BCDComponent) int) objHandler {
	return func(v any, a *args) (outs, vss.HRESULT, error) { return ok(uint32(f(v.(*vss.BCDComponent)))) }
}

func componentFile(method string, f func(c *vss.BCDComponent) []vss.FileDesc) objHandler {
	return func(v any, a *args) (outs, vss.HRESULT, error) {
		list, i := f(v.(*vss.BCDComponent)), a.u32()
		if int64(i) >= int64(len(list)) {
			return nil, vss.S_OK, notFound(method, i, len(list), "file set")
		}
		return ok(list[i])
	}
}

var componentHandlers = map[string]objHandler{
	"GetLogicalPath":                   componentGetter(func(c *vss.BCDComponent) string { return c.LogicalPath }),
	"GetComponentName":                 func(v any, a *args) (outs, vss.HRESULT, error) { return ok(v.(*vss.BCDComponent).Name) },
	"GetComponentType":                 func(v any, a *args) (outs, vss.HRESULT, error) { return ok(uint32(v.(*vss.BCDComponent).Type)) },
	"GetBackupSucceeded":               func(v any, a *args) (outs, vss.HRESULT, error) { return ok(b32(v.(*vss.BCDComponent).BackupSucceeded)) },
	"GetAlternateLocationMappingCount": componentCount(func(c *vss.BCDComponent) int { return len(c.RestoreMappings) }),
	"GetAlternateLocationMapping": componentFile("IVssComponent::GetAlternateLocationMapping",
		func(c *vss.BCDComponent) []vss.FileDesc { return c.RestoreMappings }),
	"GetBackupMetadata":   componentGetter(func(c *vss.BCDComponent) string { return c.BackupMetadata }),
	"GetPartialFileCount": componentCount(func(c *vss.BCDComponent) int { return 0 }),
	"GetPartialFile": func(v any, a *args) (outs, vss.HRESULT, error) {
		return nil, vss.S_OK, notFound("IVssComponent::GetPartialFile", a.u32(), 0, "partial file")
	},
	"IsSelectedForRestore": func(v any, a *args) (outs, vss.HRESULT, error) {
		return ok(b32(v.(*vss.BCDComponent).SelectedForRestore))
	},
	"GetAdditionalRestores": func(v any, a *args) (outs, vss.HRESULT, error) {
		return ok(b32(v.(*vss.BCDComponent).AdditionalRestores))
	},
	"GetNewTargetCount": componentCount(func(c *vss.BCDComponent) int { return len(c.NewTargets) }),
	"GetNewTarget": componentFile("IVssComponent::GetNewTarget",
		func(c *vss.BCDComponent) []vss.FileDesc { return c.NewTargets }),
	"GetDirectedTargetCount": componentCount(func(c *vss.BCDComponent) int { return len(c.DirectedTargets) }),
	"GetDirectedTarget": func(v any, a *args) (outs, vss.HRESULT, error) {
		c, i := v.(*vss.BCDComponent), a.u32()
		if int64(i) >= int64(len(c.DirectedTargets)) {
			return nil, vss.S_OK, notFound("IVssComponent::GetDirectedTarget", i, len(c.DirectedTargets), "directed target")
		}
		t := c.DirectedTargets[i]
		return ok(t.SourcePath, t.SourceFilename, t.SourceRanges, t.DestPath, t.DestFilename, t.DestRanges)
	},
	"GetRestoreMetadata": componentGetter(func(c *vss.BCDComponent) string { return c.RestoreMetadata }),
	"GetRestoreTarget": func(v any, a *args) (outs, vss.HRESULT, error) {
		return ok(uint32(v.(*vss.BCDComponent).RestoreTarget))
	},
	"GetPreRestoreFailureMsg": componentGetter(func(c *vss.BCDComponent) string { return c.PreRestoreFailureMsg }),
	"GetPostRestoreFailureMsg": componentGetter(func(c *vss.BCDComponent) string {
		return c.PostRestoreFailureMsg
	}),
	"GetBackupStamp":              componentGetter(func(c *vss.BCDComponent) string { return c.BackupStamp }),
	"GetPreviousBackupStamp":      componentGetter(func(c *vss.BCDComponent) string { return c.PreviousBackupStamp }),
	"GetBackupOptions":            componentGetter(func(c *vss.BCDComponent) string { return c.BackupOptions }),
	"GetRestoreOptions":           componentGetter(func(c *vss.BCDComponent) string { return c.RestoreOptions }),
	"GetRestoreSubcomponentCount": componentCount(func(c *vss.BCDComponent) int { return len(c.Subcomponents) }),
	"GetRestoreSubcomponent": func(v any, a *args) (outs, vss.HRESULT, error) {
		c, i := v.(*vss.BCDComponent), a.u32()
		if int64(i) >= int64(len(c.Subcomponents)) {
			return nil, vss.S_OK, notFound("IVssComponent::GetRestoreSubcomponent", i, len(c.Subcomponents), "subcomponent")
		}
		return ok(opt(c.Subcomponents[i].LogicalPath), c.Subcomponents[i].Name, uint32(0))
	},
	"GetFileRestoreStatus": func(v any, a *args) (outs, vss.HRESULT, error) {
		return ok(uint32(v.(*vss.BCDComponent).FileRestoreStatus))
	},
	"GetDifferencedFilesCount": componentCount(func(c *vss.BCDComponent) int { return 0 }),
	"GetPrepareForBackupFailureMsg": componentGetter(func(c *vss.BCDComponent) string {
		return c.PrepareForBackupFailureMsg
	}),
	"GetPostSnapshotFailureMsg": componentGetter(func(c *vss.BCDComponent) string { return c.PostSnapshotFailureMsg }),
	"GetAuthoritativeRestore": func(v any, a *args) (outs, vss.HRESULT, error) {
		return ok(b32(v.(*vss.BCDComponent).AuthoritativeRestore))
	},
	"GetRollForward": func(v any, a *args) (outs, vss.HRESULT, error) {
		c := v.(*vss.BCDComponent)
		return ok(uint32(c.RollForwardType), opt(c.RollForwardPoint))
	},
	"GetRestoreName": componentGetter(func(c *vss.BCDComponent) string { return c.RestoreName }),
}

// objHandlers are the remote methods of the server objects, by interface
// (a test checks they match the table's remote methods).
var objHandlers = map[comtable.Iface]map[string]objHandler{
	comtable.ExamineWriterMetadata: examineHandlers,
	comtable.WMComponent:           wmComponentHandlers,
	comtable.WMFiledesc:            filedescHandlers,
	comtable.WMDependency:          dependencyHandlers,
	comtable.WriterComponents:      writerComponentsHandlers,
	comtable.Component:             componentHandlers,
}

// isNil reports whether v is nil or a nil pointer.
func isNil(v any) bool {
	if v == nil {
		return true
	}
	rv := reflect.ValueOf(v)
	return rv.Kind() == reflect.Pointer && rv.IsNil()
}
