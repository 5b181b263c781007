package vss

// The IVssExamineWriterMetadata (Ex, Ex2) view of a WriterMetadata
// (REFERENCE §5.3). Methods keep the SDK names; indexes out of range give
// VSS_E_OBJECT_NOT_FOUND as documented.

// GetIdentity mirrors IVssExamineWriterMetadata::GetIdentity.
func (m *WriterMetadata) GetIdentity() (instanceID, writerID ID, name string, usage UsageType, source SourceType) {
	id := m.Identity
	return id.InstanceID, id.WriterID, id.Name, id.Usage, id.Source
}

// GetIdentityEx mirrors IVssExamineWriterMetadataEx::GetIdentityEx.
func (m *WriterMetadata) GetIdentityEx() (instanceID, writerID ID, name, instanceName string, usage UsageType, source SourceType) {
	id := m.Identity
	return id.InstanceID, id.WriterID, id.Name, id.InstanceName, id.Usage, id.Source
}

// GetFileCounts mirrors IVssExamineWriterMetadata::GetFileCounts. The
// include count is reserved and reports what a loaded document carried.
func (m *WriterMetadata) GetFileCounts() (includeFiles, excludeFiles, components uint32) {
	return uint32(len(m.IncludeFiles)), uint32(len(m.ExcludeFiles)), uint32(len(m.Components))
}

func fileAt(method string, list []FileDesc, i uint32, what string) (FileDesc, error) {
	if int64(i) >= int64(len(list)) {
		return FileDesc{}, Errorf(VSS_E_OBJECT_NOT_FOUND, method, "no %s at index %d (count %d)", what, i, len(list))
	}
	return list[i], nil
}

// GetIncludeFile mirrors IVssExamineWriterMetadata::GetIncludeFile (reserved).
func (m *WriterMetadata) GetIncludeFile(i uint32) (FileDesc, error) {
	return fileAt("IVssExamineWriterMetadata::GetIncludeFile", m.IncludeFiles, i, "include file set")
}

// GetExcludeFile mirrors IVssExamineWriterMetadata::GetExcludeFile.
func (m *WriterMetadata) GetExcludeFile(i uint32) (FileDesc, error) {
	m.excludeRead(ExcludeFilesList)
	return fileAt("IVssExamineWriterMetadata::GetExcludeFile", m.ExcludeFiles, i, "exclude file set")
}

// GetExcludeFromSnapshotCount mirrors IVssExamineWriterMetadataEx2::GetExcludeFromSnapshotCount.
func (m *WriterMetadata) GetExcludeFromSnapshotCount() uint32 {
	return uint32(len(m.ExcludeFromSnapshot))
}

// GetExcludeFromSnapshotFile mirrors IVssExamineWriterMetadataEx2::GetExcludeFromSnapshotFile.
func (m *WriterMetadata) GetExcludeFromSnapshotFile(i uint32) (FileDesc, error) {
	m.excludeRead(ExcludeFromSnapshotList)
	return fileAt("IVssExamineWriterMetadataEx2::GetExcludeFromSnapshotFile", m.ExcludeFromSnapshot, i, "exclude-from-snapshot file set")
}

// GetComponent mirrors IVssExamineWriterMetadata::GetComponent.
func (m *WriterMetadata) GetComponent(i uint32) (*WMComponent, error) {
	if int64(i) >= int64(len(m.Components)) {
		return nil, Errorf(VSS_E_OBJECT_NOT_FOUND, "IVssExamineWriterMetadata::GetComponent", "no component at index %d (count %d)", i, len(m.Components))
	}
	return &WMComponent{c: &m.Components[i]}, nil
}

// GetRestoreMethod mirrors IVssExamineWriterMetadata::GetRestoreMethod. ok
// is false (the S_FALSE of the COM call) when the writer has no restore
// method.
func (m *WriterMetadata) GetRestoreMethod() (info RestoreMethodInfo, mappings uint32, ok bool) {
	if m.RestoreMethod == nil {
		return RestoreMethodInfo{}, 0, false
	}
	return *m.RestoreMethod, uint32(len(m.RestoreMethod.Mappings)), true
}

// GetAlternateLocationMapping mirrors IVssExamineWriterMetadata::GetAlternateLocationMapping.
func (m *WriterMetadata) GetAlternateLocationMapping(i uint32) (FileDesc, error) {
	var list []FileDesc
	if m.RestoreMethod != nil {
		list = m.RestoreMethod.Mappings
	}
	return fileAt("IVssExamineWriterMetadata::GetAlternateLocationMapping", list, i, "alternate location mapping")
}

// GetBackupSchema mirrors IVssExamineWriterMetadata::GetBackupSchema.
func (m *WriterMetadata) GetBackupSchema() BackupSchema { return m.BackupSchema }

// GetVersion mirrors IVssExamineWriterMetadataEx2::GetVersion.
func (m *WriterMetadata) GetVersion() (major, minor uint32) { return m.MajorVersion, m.MinorVersion }

// WMComponent mirrors IVssWMComponent.
type WMComponent struct {
	c *ComponentInfo
}

// ComponentInfoCounts is VSS_COMPONENTINFO: the component plus the counts
// of its file sets and dependencies.
type ComponentInfoCounts struct {
	ComponentInfo
	FileCount, Databases, LogFiles, Dependencies uint32
}

// GetComponentInfo mirrors IVssWMComponent::GetComponentInfo.
func (w *WMComponent) GetComponentInfo() ComponentInfoCounts {
	return ComponentInfoCounts{ComponentInfo: *w.c, FileCount: uint32(len(w.c.Files)), Databases: uint32(len(w.c.DatabaseFiles)),
		LogFiles: uint32(len(w.c.LogFiles)), Dependencies: uint32(len(w.c.Dependencies))}
}

// GetFile mirrors IVssWMComponent::GetFile.
func (w *WMComponent) GetFile(i uint32) (FileDesc, error) {
	return fileAt("IVssWMComponent::GetFile", w.c.Files, i, "file set")
}

// GetDatabaseFile mirrors IVssWMComponent::GetDatabaseFile.
func (w *WMComponent) GetDatabaseFile(i uint32) (FileDesc, error) {
	return fileAt("IVssWMComponent::GetDatabaseFile", w.c.DatabaseFiles, i, "database file set")
}

// GetDatabaseLogFile mirrors IVssWMComponent::GetDatabaseLogFile.
func (w *WMComponent) GetDatabaseLogFile(i uint32) (FileDesc, error) {
	return fileAt("IVssWMComponent::GetDatabaseLogFile", w.c.LogFiles, i, "log file set")
}

// GetDependency mirrors IVssWMComponent::GetDependency.
func (w *WMComponent) GetDependency(i uint32) (Dependency, error) {
	if int64(i) >= int64(len(w.c.Dependencies)) {
		return Dependency{}, Errorf(VSS_E_OBJECT_NOT_FOUND, "IVssWMComponent::GetDependency", "no dependency at index %d (count %d)", i, len(w.c.Dependencies))
	}
	return w.c.Dependencies[i], nil
}
