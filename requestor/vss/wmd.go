package vss

import (
	"fmt"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// WriterMetadata is the content of a Writer Metadata Document (WMD,
// REFERENCE §5.1): what a writer declares in OnIdentify through
// IVssCreateWriterMetadata and what a requestor reads through
// IVssExamineWriterMetadata. It is plain data; the XML form is produced and
// parsed elsewhere.
type WriterMetadata struct {
	// DocVersion is the WRITER_METADATA version attribute ("1.2").
	DocVersion string
	Identity   WriterIdentity
	// RestoreMethod is nil until SetRestoreMethod is called.
	RestoreMethod       *RestoreMethodInfo
	BackupSchema        BackupSchema
	ExcludeFiles        []FileDesc
	ExcludeFromSnapshot []FileDesc
	Components          []ComponentInfo
	// IncludeFiles is the reserved include list (AddIncludeFiles is not
	// supported; kept only if a loaded document has one).
	IncludeFiles []FileDesc
	// MajorVersion and MinorVersion are the writer's version (GetVersion).
	MajorVersion, MinorVersion uint32
	// Extra and LocationsExtra keep unknown attributes and elements of
	// WRITER_METADATA and BACKUP_LOCATIONS from a loaded document.
	Extra, LocationsExtra Extra
}

// WriterIdentity is GetIdentityEx's result.
type WriterIdentity struct {
	InstanceID   ID
	WriterID     ID
	Name         string
	InstanceName string
	Usage        UsageType
	Source       SourceType
	Extra        Extra
}

// RestoreMethodInfo is what SetRestoreMethod records (GetRestoreMethod).
type RestoreMethodInfo struct {
	Method         RestoreMethod
	Service        string
	UserProcedure  string
	WriterRestore  WriterRestore
	RebootRequired bool
	// Mappings are the alternate location mappings (AddAlternateLocationMapping).
	Mappings []FileDesc
	Extra    Extra
}

// FileDesc mirrors IVssWMFiledesc.
type FileDesc struct {
	Path              string
	Filespec          string
	Recursive         bool
	AlternateLocation string
	BackupTypeMask    FileSpecBackupType
	Extra             Extra
}

// Dependency mirrors IVssWMDependency.
type Dependency struct {
	WriterID      ID
	LogicalPath   string
	ComponentName string
	Extra         Extra
}

// ComponentInfo mirrors VSS_COMPONENTINFO plus the component's file sets
// (IVssWMComponent).
type ComponentInfo struct {
	Type                   ComponentType
	LogicalPath            string
	Name                   string
	Caption                string
	Icon                   []byte
	RestoreMetadata        bool
	NotifyOnBackupComplete bool
	Selectable             bool
	SelectableForRestore   bool
	Flags                  ComponentFlags
	Files                  []FileDesc
	DatabaseFiles          []FileDesc
	LogFiles               []FileDesc
	Dependencies           []Dependency
	Extra                  Extra
}

// Component returns the component with this logical path and name, or nil.
func (m *WriterMetadata) Component(logicalPath, name string) *ComponentInfo {
	for i := range m.Components {
		c := &m.Components[i]
		if strings.EqualFold(c.LogicalPath, logicalPath) && strings.EqualFold(c.Name, name) {
			return c
		}
	}
	return nil
}

// Validate reports the first way in which m is not a document a real writer
// could produce (REFERENCE §5.2 "checks the simulator should apply"): a
// writer with components must have a restore method other than
// VSS_RME_UNDEFINED, and (logical path, name) pairs are unique.
func (m *WriterMetadata) Validate() error {
	if len(m.Components) > 0 && (m.RestoreMethod == nil || m.RestoreMethod.Method == VSS_RME_UNDEFINED) {
		return fmt.Errorf("writer %q declares %d component(s) but no restore method (VSS_RME_UNDEFINED is a writer error)", m.Identity.Name, len(m.Components))
	}
	seen := make(map[compKey]bool, len(m.Components))
	for i := range m.Components {
		a := &m.Components[i]
		k := foldComp(a.LogicalPath, a.Name)
		if seen[k] {
			return fmt.Errorf("writer %q declares component %q twice", m.Identity.Name, componentKey(a.LogicalPath, a.Name))
		}
		seen[k] = true
	}
	return nil
}

// compKey identifies a component the way the loaders and the builder
// compare them (strings.EqualFold on logical path and name), as a map key.
type compKey struct{ path, name string }

func foldComp(logicalPath, name string) compKey {
	return compKey{FoldKey(logicalPath), FoldKey(name)}
}

// fileKey identifies a component file set for AddAlternateLocationMapping
// (path and filespec compared with strings.EqualFold).
type fileKey struct {
	path, filespec string
	recursive      bool
}

// FoldKey maps s to a string that is equal for two strings exactly when
// strings.EqualFold says they are: each rune becomes the smallest rune of
// its simple case-folding orbit (invalid UTF-8 becomes U+FFFD, as
// EqualFold decodes it). Map keys built with it find, in O(1), what a scan
// with EqualFold finds (component names and logical paths compare without
// case).
func FoldKey(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= utf8.RuneSelf || 'a' <= c && c <= 'z' {
			ascii = false
			break
		}
	}
	if ascii {
		return s // already its own key (no lower-case letters)
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r < utf8.RuneSelf:
			if 'a' <= r && r <= 'z' {
				r -= 'a' - 'A'
			}
		default:
			m := r
			for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
				m = min(m, f)
			}
			r = m
		}
		b.WriteRune(r)
	}
	return b.String()
}

// Clone returns a deep copy of m.
func (m *WriterMetadata) Clone() *WriterMetadata {
	c := *m
	c.Identity.Extra = m.Identity.Extra.clone()
	if m.RestoreMethod != nil {
		rm := *m.RestoreMethod
		rm.Mappings = cloneFiles(rm.Mappings)
		rm.Extra = rm.Extra.clone()
		c.RestoreMethod = &rm
	}
	c.IncludeFiles = cloneFiles(m.IncludeFiles)
	c.ExcludeFiles = cloneFiles(m.ExcludeFiles)
	c.ExcludeFromSnapshot = cloneFiles(m.ExcludeFromSnapshot)
	c.Extra, c.LocationsExtra = m.Extra.clone(), m.LocationsExtra.clone()
	if m.Components != nil {
		c.Components = make([]ComponentInfo, len(m.Components))
	}
	for i, ci := range m.Components {
		ci.Icon = append([]byte(nil), ci.Icon...)
		ci.Files = cloneFiles(ci.Files)
		ci.DatabaseFiles = cloneFiles(ci.DatabaseFiles)
		ci.LogFiles = cloneFiles(ci.LogFiles)
		deps := ci.Dependencies
		ci.Dependencies = nil
		for _, d := range deps {
			d.Extra = d.Extra.clone()
			ci.Dependencies = append(ci.Dependencies, d)
		}
		ci.Extra = ci.Extra.clone()
		c.Components[i] = ci
	}
	return &c
}

func cloneFiles(fs []FileDesc) []FileDesc {
	if fs == nil {
		return nil
	}
	out := make([]FileDesc, len(fs))
	for i, f := range fs {
		f.Extra = f.Extra.clone()
		out[i] = f
	}
	return out
}

func (x Extra) clone() Extra {
	return Extra{Attrs: append([]XMLAttr(nil), x.Attrs...), Elements: append([]string(nil), x.Elements...)}
}

func componentKey(logicalPath, name string) string {
	if logicalPath == "" {
		return name
	}
	return logicalPath + `\` + name
}

// CreateWriterMetadata is the writer-side builder handed to OnIdentify
// (IVssCreateWriterMetadata, REFERENCE §5.2). Each method applies the
// documented argument checks and returns the documented HRESULT as an
// *Error. A writer uses it inside its own OnIdentify; its methods are
// nevertheless safe to call from any goroutine: a goroutine the writer left
// running that calls it after Seal gets VSS_E_BAD_STATE and never races
// with the coordinator reading the document. The cost of a call does not
// grow with the number of components already declared.
type CreateWriterMetadata struct {
	mu     sync.Mutex
	md     *WriterMetadata
	sealed bool
	// byKey indexes md.Components; files holds every component file set
	// (for AddAlternateLocationMapping).
	byKey map[compKey]int
	files map[fileKey]bool
}

func hasKey(m map[compKey]int, k compKey) bool {
	_, ok := m[k]
	return ok
}

// NewCreateWriterMetadata starts a WMD for a writer with this identity.
func NewCreateWriterMetadata(id WriterIdentity) *CreateWriterMetadata {
	return newBuilder(&WriterMetadata{DocVersion: "1.2", Identity: id})
}

func newBuilder(md *WriterMetadata) *CreateWriterMetadata {
	b := &CreateWriterMetadata{md: md, byKey: make(map[compKey]int, len(md.Components)), files: make(map[fileKey]bool)}
	for i := range md.Components {
		c := &md.Components[i]
		if k := foldComp(c.LogicalPath, c.Name); !hasKey(b.byKey, k) {
			b.byKey[k] = i // the first of equal keys, as WriterMetadata.Component finds it
		}
		for _, list := range [][]FileDesc{c.Files, c.DatabaseFiles, c.LogFiles} {
			for _, f := range list {
				b.files[fileKey{FoldKey(f.Path), FoldKey(f.Filespec), f.Recursive}] = true
			}
		}
	}
	return b
}

// Seal ends the builder's life (OnIdentify returned: the WMD is read-only
// from then on, REFERENCE §5.1) and returns the document. Every later call
// of a method that changes the document returns VSS_E_BAD_STATE. Seal
// waits for a call in progress to finish.
func (b *CreateWriterMetadata) Seal() *WriterMetadata {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.sealed = true
	return b.md
}

// lock takes the builder's lock for one call, or returns the sealed error
// (without holding the lock).
func (b *CreateWriterMetadata) lock(method string) *Error {
	b.mu.Lock()
	if b.sealed {
		b.mu.Unlock()
		return Errorf(VSS_E_BAD_STATE, method, "the writer metadata is read-only once OnIdentify has returned; "+
			"this call came after the writer's reply (for example from a goroutine the handler left running)")
	}
	return nil
}

// component returns the component (logical path, name), or nil.
func (b *CreateWriterMetadata) component(logicalPath, name string) *ComponentInfo {
	if i, ok := b.byKey[foldComp(logicalPath, name)]; ok {
		return &b.md.Components[i]
	}
	return nil
}

// AddComponent mirrors IVssCreateWriterMetadata::AddComponent.
func (b *CreateWriterMetadata) AddComponent(ct ComponentType, logicalPath, name, caption string, icon []byte,
	restoreMetadata, notifyOnBackupComplete, selectable, selectableForRestore bool, flags ComponentFlags) error {
	const method = "IVssCreateWriterMetadata::AddComponent"
	if err := b.lock(method); err != nil {
		return err
	}
	defer b.mu.Unlock()
	switch {
	case ct != VSS_CT_DATABASE && ct != VSS_CT_FILEGROUP:
		return Errorf(E_INVALIDARG, method, "component type %v is not VSS_CT_DATABASE or VSS_CT_FILEGROUP", ct)
	case name == "":
		return Errorf(E_INVALIDARG, method, "component name is required")
	case strings.Contains(name, `\`):
		return Errorf(E_INVALIDARG, method, "component name %q contains a backslash", name)
	case flags&^(VSS_CF_BACKUP_RECOVERY|VSS_CF_APP_ROLLBACK_RECOVERY|VSS_CF_NOT_SYSTEM_STATE) != 0:
		return Errorf(E_INVALIDARG, method, "unknown component flags %v", flags)
	}
	k := foldComp(logicalPath, name)
	if _, dup := b.byKey[k]; dup {
		return Errorf(VSS_E_OBJECT_ALREADY_EXISTS, method, "component %q already exists", componentKey(logicalPath, name))
	}
	b.byKey[k] = len(b.md.Components)
	b.md.Components = append(b.md.Components, ComponentInfo{
		Type: ct, LogicalPath: logicalPath, Name: name, Caption: caption, Icon: append([]byte(nil), icon...),
		RestoreMetadata: restoreMetadata, NotifyOnBackupComplete: notifyOnBackupComplete,
		Selectable: selectable, SelectableForRestore: selectableForRestore, Flags: flags,
	})
	return nil
}

func (b *CreateWriterMetadata) addFiles(method string, want ComponentType, logicalPath, name, path, filespec string,
	recursive bool, alt string, mask FileSpecBackupType, pick func(*ComponentInfo) *[]FileDesc) error {
	if err := b.lock(method); err != nil {
		return err
	}
	defer b.mu.Unlock()
	switch {
	case name == "", path == "", filespec == "":
		return Errorf(E_INVALIDARG, method, "component name, path and filespec are required")
	case strings.Contains(filespec, `\`):
		return Errorf(E_INVALIDARG, method, "filespec %q contains a backslash", filespec)
	}
	c := b.component(logicalPath, name)
	if c == nil {
		return Errorf(VSS_E_OBJECT_NOT_FOUND, method, "component %q does not exist", componentKey(logicalPath, name))
	}
	if c.Type != want {
		return Errorf(E_INVALIDARG, method, "component %q is %v, not %v", componentKey(logicalPath, name), c.Type, want)
	}
	list := pick(c)
	*list = append(*list, FileDesc{Path: path, Filespec: filespec, Recursive: recursive, AlternateLocation: alt, BackupTypeMask: mask})
	b.files[fileKey{FoldKey(path), FoldKey(filespec), recursive}] = true
	return nil
}

// AddFilesToFileGroup mirrors IVssCreateWriterMetadata::AddFilesToFileGroup.
func (b *CreateWriterMetadata) AddFilesToFileGroup(logicalPath, group, path, filespec string, recursive bool, alternateLocation string, mask FileSpecBackupType) error {
	return b.addFiles("IVssCreateWriterMetadata::AddFilesToFileGroup", VSS_CT_FILEGROUP, logicalPath, group, path, filespec,
		recursive, alternateLocation, mask, func(c *ComponentInfo) *[]FileDesc { return &c.Files })
}

// AddDatabaseFiles mirrors IVssCreateWriterMetadata::AddDatabaseFiles.
func (b *CreateWriterMetadata) AddDatabaseFiles(logicalPath, database, path, filespec string, mask FileSpecBackupType) error {
	return b.addFiles("IVssCreateWriterMetadata::AddDatabaseFiles", VSS_CT_DATABASE, logicalPath, database, path, filespec,
		false, "", mask, func(c *ComponentInfo) *[]FileDesc { return &c.DatabaseFiles })
}

// AddDatabaseLogFiles mirrors IVssCreateWriterMetadata::AddDatabaseLogFiles.
func (b *CreateWriterMetadata) AddDatabaseLogFiles(logicalPath, database, path, filespec string, mask FileSpecBackupType) error {
	return b.addFiles("IVssCreateWriterMetadata::AddDatabaseLogFiles", VSS_CT_DATABASE, logicalPath, database, path, filespec,
		false, "", mask, func(c *ComponentInfo) *[]FileDesc { return &c.LogFiles })
}

// AddExcludeFiles mirrors IVssCreateWriterMetadata::AddExcludeFiles.
func (b *CreateWriterMetadata) AddExcludeFiles(path, filespec string, recursive bool) error {
	const method = "IVssCreateWriterMetadata::AddExcludeFiles"
	if err := b.lock(method); err != nil {
		return err
	}
	defer b.mu.Unlock()
	if path == "" || filespec == "" {
		return Errorf(E_INVALIDARG, method, "path and filespec are required")
	}
	b.md.ExcludeFiles = append(b.md.ExcludeFiles, FileDesc{Path: path, Filespec: filespec, Recursive: recursive})
	return nil
}

// SetRestoreMethod mirrors IVssCreateWriterMetadata::SetRestoreMethod.
func (b *CreateWriterMetadata) SetRestoreMethod(method RestoreMethod, service, userProcedure string, writerRestore WriterRestore, rebootRequired bool) error {
	const name = "IVssCreateWriterMetadata::SetRestoreMethod"
	if err := b.lock(name); err != nil {
		return err
	}
	defer b.mu.Unlock()
	if method < VSS_RME_UNDEFINED || method > VSS_RME_RESTORE_STOP_START {
		return Errorf(E_INVALIDARG, name, "unknown restore method %v", method)
	}
	if writerRestore < VSS_WRE_UNDEFINED || writerRestore > VSS_WRE_ALWAYS {
		return Errorf(E_INVALIDARG, name, "unknown writer restore value %v", writerRestore)
	}
	if (method == VSS_RME_STOP_RESTORE_START || method == VSS_RME_RESTORE_STOP_START) && service == "" {
		return Errorf(E_INVALIDARG, name, "%v needs a service name", method)
	}
	b.md.RestoreMethod = &RestoreMethodInfo{Method: method, Service: service, UserProcedure: userProcedure,
		WriterRestore: writerRestore, RebootRequired: rebootRequired}
	return nil
}

// SetBackupSchema mirrors IVssCreateWriterMetadata::SetBackupSchema.
func (b *CreateWriterMetadata) SetBackupSchema(schema BackupSchema) error {
	const method = "IVssCreateWriterMetadata::SetBackupSchema"
	if err := b.lock(method); err != nil {
		return err
	}
	defer b.mu.Unlock()
	var known BackupSchema
	for _, v := range AllBackupSchemas() {
		known |= v
	}
	if schema&^known != 0 {
		return Errorf(E_INVALIDARG, method, "unknown VSS_BACKUP_SCHEMA bits %v", schema&^known)
	}
	b.md.BackupSchema = schema
	return nil
}

// AddIncludeFiles mirrors IVssCreateWriterMetadata::AddIncludeFiles, which
// the SDK documents as not supported and reserved (REFERENCE §5.2): it
// returns E_NOTIMPL and records nothing.
func (b *CreateWriterMetadata) AddIncludeFiles(path, filespec string, recursive bool, alternateLocation string) error {
	const method = "IVssCreateWriterMetadata::AddIncludeFiles"
	if err := b.lock(method); err != nil {
		return err
	}
	defer b.mu.Unlock()
	return Errorf(E_NOTIMPL, method, "include lists are not supported (reserved, REFERENCE §5.2)")
}

// AddExcludeFilesFromSnapshot mirrors
// IVssCreateWriterMetadataEx::AddExcludeFilesFromSnapshot: files deleted from
// the shadow copy after it is made.
func (b *CreateWriterMetadata) AddExcludeFilesFromSnapshot(path, filespec string, recursive bool) error {
	const method = "IVssCreateWriterMetadataEx::AddExcludeFilesFromSnapshot"
	if err := b.lock(method); err != nil {
		return err
	}
	defer b.mu.Unlock()
	if path == "" || filespec == "" {
		return Errorf(E_INVALIDARG, method, "path and filespec are required")
	}
	b.md.ExcludeFromSnapshot = append(b.md.ExcludeFromSnapshot, FileDesc{Path: path, Filespec: filespec, Recursive: recursive})
	return nil
}

// AddAlternateLocationMapping mirrors
// IVssCreateWriterMetadata::AddAlternateLocationMapping: (path, filespec,
// recursive) must be one of the writer's component file sets, and
// SetRestoreMethod must come first (VSS_E_OBJECT_NOT_FOUND otherwise).
func (b *CreateWriterMetadata) AddAlternateLocationMapping(path, filespec string, recursive bool, destination string) error {
	const method = "IVssCreateWriterMetadata::AddAlternateLocationMapping"
	if err := b.lock(method); err != nil {
		return err
	}
	defer b.mu.Unlock()
	if path == "" || filespec == "" || destination == "" {
		return Errorf(E_INVALIDARG, method, "path, filespec and destination are required")
	}
	if b.md.RestoreMethod == nil {
		return Errorf(VSS_E_OBJECT_NOT_FOUND, method, "SetRestoreMethod has not been called yet")
	}
	if !b.files[fileKey{FoldKey(path), FoldKey(filespec), recursive}] {
		return Errorf(E_INVALIDARG, method, "(%q, %q, recursive=%v) matches no component file set (REFERENCE §5.2)", path, filespec, recursive)
	}
	b.md.RestoreMethod.Mappings = append(b.md.RestoreMethod.Mappings,
		FileDesc{Path: path, Filespec: filespec, Recursive: recursive, AlternateLocation: destination})
	return nil
}

// AddComponentDependency mirrors IVssCreateWriterMetadata::AddComponentDependency:
// the "for" component must exist (VSS_E_OBJECT_NOT_FOUND), and a writer may
// not depend on its own components (E_INVALIDARG).
func (b *CreateWriterMetadata) AddComponentDependency(forLogicalPath, forName string, onWriterID ID, onLogicalPath, onName string) error {
	const method = "IVssCreateWriterMetadata::AddComponentDependency"
	if err := b.lock(method); err != nil {
		return err
	}
	defer b.mu.Unlock()
	switch {
	case forName == "" || onName == "" || onWriterID.IsNull():
		return Errorf(E_INVALIDARG, method, "component names and the writer id are required")
	case onWriterID == b.md.Identity.WriterID:
		return Errorf(E_INVALIDARG, method, "a writer cannot depend on its own components")
	}
	c := b.component(forLogicalPath, forName)
	if c == nil {
		return Errorf(VSS_E_OBJECT_NOT_FOUND, method, "component %q does not exist", componentKey(forLogicalPath, forName))
	}
	c.Dependencies = append(c.Dependencies, Dependency{WriterID: onWriterID, LogicalPath: onLogicalPath, ComponentName: onName})
	return nil
}

// SaveAsXML mirrors IVssCreateWriterMetadata::SaveAsXML.
func (b *CreateWriterMetadata) SaveAsXML() (string, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.md.SaveAsXML()
}

// Document returns the document built so far (a copy).
func (b *CreateWriterMetadata) Document() *WriterMetadata {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.md.Clone()
}

// NewCreateWriterMetadataFrom starts a builder holding a copy of md, for a
// writer that reproduces a saved document; its identity's instance id is
// replaced by instance.
func NewCreateWriterMetadataFrom(md *WriterMetadata, instance ID) *CreateWriterMetadata {
	c := md.Clone()
	c.Identity.InstanceID = instance
	return newBuilder(c)
}

// CopyUnmodelled copies from doc what no IVssCreateWriterMetadata call
// sets: the document version, the writer version and the unknown content a
// loaded document carried (Extra). Fake writers that reproduce a saved
// document use it after replaying the SDK calls. Once the builder is
// sealed it changes nothing and returns VSS_E_BAD_STATE.
func (b *CreateWriterMetadata) CopyUnmodelled(doc *WriterMetadata) error {
	if err := b.lock("CopyUnmodelled"); err != nil {
		return err
	}
	defer b.mu.Unlock()
	c := doc.Clone()
	src := make(map[compKey]*ComponentInfo, len(c.Components))
	for i := range c.Components {
		x := &c.Components[i]
		if k := foldComp(x.LogicalPath, x.Name); src[k] == nil {
			src[k] = x // the first of equal keys, as Component finds it
		}
	}
	b.md.DocVersion, b.md.MajorVersion, b.md.MinorVersion = c.DocVersion, c.MajorVersion, c.MinorVersion
	b.md.IncludeFiles = c.IncludeFiles
	b.md.Extra, b.md.LocationsExtra, b.md.Identity.Extra = c.Extra, c.LocationsExtra, c.Identity.Extra
	if b.md.RestoreMethod != nil && c.RestoreMethod != nil {
		b.md.RestoreMethod.Extra = c.RestoreMethod.Extra
	}
	copyFileExtras := func(dst, src []FileDesc) {
		for i := range dst {
			if i < len(src) {
				dst[i].Extra = src[i].Extra
			}
		}
	}
	for i := range b.md.Components {
		if x := src[foldComp(b.md.Components[i].LogicalPath, b.md.Components[i].Name)]; x != nil {
			bc := &b.md.Components[i]
			bc.Extra = x.Extra
			copyFileExtras(bc.Files, x.Files)
			copyFileExtras(bc.DatabaseFiles, x.DatabaseFiles)
			copyFileExtras(bc.LogFiles, x.LogFiles)
			for j := range bc.Dependencies {
				if j < len(x.Dependencies) {
					bc.Dependencies[j].Extra = x.Dependencies[j].Extra
				}
			}
		}
	}
	copyFileExtras(b.md.ExcludeFiles, c.ExcludeFiles)
	copyFileExtras(b.md.ExcludeFromSnapshot, c.ExcludeFromSnapshot)
	if b.md.RestoreMethod != nil && c.RestoreMethod != nil {
		copyFileExtras(b.md.RestoreMethod.Mappings, c.RestoreMethod.Mappings)
	}
	return nil
}
