package vss

import (
	"encoding/base64"
	"slices"
	"strconv"

	"github.com/beevik/etree"
)

// XML spellings of the WMD enums (REFERENCE §5.4). "Seen" spellings come
// from real documents; the others are the simulator's choice where no real
// document was available (marked [own]).
var (
	usageXML = []enumXML{
		{int32(VSS_UT_UNDEFINED), "UNDEFINED"}, // [own]
		{int32(VSS_UT_BOOTABLESYSTEMSTATE), "BOOTABLE_SYSTEM_STATE"},
		{int32(VSS_UT_SYSTEMSERVICE), "SYSTEM_SERVICE"},
		{int32(VSS_UT_USERDATA), "USER_DATA"},
		{int32(VSS_UT_OTHER), "OTHER"}, // unverified
	}
	sourceXML = []enumXML{
		{int32(VSS_ST_UNDEFINED), "UNDEFINED"}, // [own]
		{int32(VSS_ST_TRANSACTEDDB), "TRANSACTION_DB"},
		{int32(VSS_ST_NONTRANSACTEDDB), "NONTRANSACTION_DB"}, // unverified
		{int32(VSS_ST_OTHER), "OTHER"},
	}
	restoreMethodXML = []enumXML{
		{int32(VSS_RME_UNDEFINED), "UNDEFINED"}, // [own]
		{int32(VSS_RME_RESTORE_IF_NOT_THERE), "RESTORE_IF_NONE_THERE"},
		{int32(VSS_RME_RESTORE_IF_CAN_REPLACE), "RESTORE_IF_CAN_BE_REPLACED"},
		{int32(VSS_RME_STOP_RESTORE_START), "STOP_RESTART_SERVICE"},
		{int32(VSS_RME_RESTORE_TO_ALTERNATE_LOCATION), "RESTORE_TO_ALTERNATE_LOCATION"},
		{int32(VSS_RME_RESTORE_AT_REBOOT), "REPLACE_AT_REBOOT"},
		{int32(VSS_RME_RESTORE_AT_REBOOT_IF_CANNOT_REPLACE), "REPLACE_AT_REBOOT_IF_CANNOT_REPLACE"},
		{int32(VSS_RME_CUSTOM), "CUSTOM"},
		{int32(VSS_RME_RESTORE_STOP_START), "RESTORE_STOP_START"}, // [own]
	}
	writerRestoreXML = []enumXML{
		{int32(VSS_WRE_UNDEFINED), "undefined"}, // [own]
		{int32(VSS_WRE_NEVER), "never"},
		{int32(VSS_WRE_IF_REPLACE_FAILS), "ifReplaceFails"}, // [own], not seen
		{int32(VSS_WRE_ALWAYS), "always"},
	}
)

const wmdNamespace = "x-schema:#VssWriterMetadataInfo"

// CreateVssExamineWriterMetadata mirrors the vssapi.dll function: it loads
// a saved WMD (REFERENCE §5.3) for offline examination. Malformed XML, or a
// document that is not a WMD, gives VSS_E_INVALID_XML_DOCUMENT with the
// reason (the line of a syntax error, or the element path).
func CreateVssExamineWriterMetadata(xml string) (*WriterMetadata, error) {
	return loadWMD("CreateVssExamineWriterMetadata", []byte(xml))
}

// LoadWriterMetadata loads a WMD from the bytes of a file (UTF-8 or
// UTF-16, with or without a byte order mark).
func LoadWriterMetadata(data []byte) (*WriterMetadata, error) {
	return loadWMD("LoadFromXML", data)
}

// LoadFromXML mirrors IVssExamineWriterMetadata::LoadFromXML: it replaces
// m's content with the document. On failure m is unchanged.
func (m *WriterMetadata) LoadFromXML(xml string) error {
	n, err := loadWMD("IVssExamineWriterMetadata::LoadFromXML", []byte(xml))
	if err != nil {
		return err
	}
	*m = *n
	return nil
}

func loadWMD(method string, data []byte) (*WriterMetadata, error) {
	doc, err := parseXML(method, data)
	if err != nil {
		return nil, err
	}
	root := doc.Root()
	if root.Tag != "WRITER_METADATA" {
		return nil, xmlError(method, "root element is %s, not WRITER_METADATA", root.Tag)
	}
	m := &WriterMetadata{}
	r := newReader(method, root)
	m.DocVersion = r.opt("version")
	m.BackupSchema = BackupSchema(r.uint("backupSchema"))
	if r.err != nil {
		return nil, r.err
	}
	m.Extra = r.extra()
	seenID := false
	for _, c := range root.ChildElements() {
		var err error
		switch c.Tag {
		case "IDENTIFICATION":
			if seenID {
				return nil, xmlError(method, "%s: a WMD has one IDENTIFICATION", elemPath(c))
			}
			seenID = true
			err = readIdentity(method, c, m)
		case "RESTORE_METHOD":
			if m.RestoreMethod != nil {
				return nil, xmlError(method, "%s: a WMD has one RESTORE_METHOD", elemPath(c))
			}
			m.RestoreMethod, err = readRestoreMethod(method, c)
		case "BACKUP_LOCATIONS":
			err = readLocations(method, c, m)
		default:
			keepElement(&m.Extra, c)
		}
		if err != nil {
			return nil, err
		}
	}
	if !seenID {
		return nil, xmlError(method, "/WRITER_METADATA has no IDENTIFICATION element")
	}
	return m, nil
}

func readIdentity(method string, e *etree.Element, m *WriterMetadata) error {
	r := newReader(method, e)
	id := &m.Identity
	id.WriterID = r.id("writerId", true)
	id.InstanceID = r.id("instanceId", false)
	id.InstanceName = r.opt("instanceName")
	id.Name = r.req("friendlyName")
	id.Usage = UsageType(r.enum("usage", usageXML, 0))
	id.Source = SourceType(r.enum("dataSource", sourceXML, 0))
	m.MajorVersion = r.uint("majorVersion")
	m.MinorVersion = r.uint("minorVersion")
	if r.err != nil {
		return r.err
	}
	id.Extra = r.extra()
	for _, c := range e.ChildElements() {
		keepElement(&id.Extra, c)
	}
	return nil
}

func readRestoreMethod(method string, e *etree.Element) (*RestoreMethodInfo, error) {
	r := newReader(method, e)
	rm := &RestoreMethodInfo{
		Method:         RestoreMethod(r.enum("method", restoreMethodXML, 0)),
		Service:        r.opt("service"),
		UserProcedure:  r.opt("userProcedure"),
		WriterRestore:  WriterRestore(r.enum("writerRestore", writerRestoreXML, 0)),
		RebootRequired: r.boolean("rebootRequired", false),
	}
	if r.err != nil {
		return nil, r.err
	}
	rm.Extra = r.extra()
	for _, c := range e.ChildElements() {
		if c.Tag == "ALTERNATE_LOCATION_MAPPING" {
			f, err := readFileDesc(method, c)
			if err != nil {
				return nil, err
			}
			rm.Mappings = append(rm.Mappings, f)
			continue
		}
		keepElement(&rm.Extra, c)
	}
	return rm, nil
}

// readFileDesc reads a file set; a component file set without
// filespecBackupType gets the AddFilesToFileGroup default (0xF0F).
func readFileDesc(method string, e *etree.Element) (FileDesc, error) {
	r := newReader(method, e)
	f := FileDesc{
		Path:              r.req("path"),
		Filespec:          r.req("filespec"),
		Recursive:         r.boolean("recursive", false),
		AlternateLocation: r.opt("alternatePath"),
	}
	if _, ok := r.str("filespecBackupType"); ok {
		f.BackupTypeMask = FileSpecBackupType(r.uint("filespecBackupType"))
	} else if e.Tag == "FILE_LIST" || e.Tag == "DATABASE_FILES" || e.Tag == "DATABASE_LOGFILES" {
		// The AddFilesToFileGroup default (REFERENCE §5.2).
		f.BackupTypeMask = VSS_FSBT_ALL_BACKUP_REQUIRED | VSS_FSBT_ALL_SNAPSHOT_REQUIRED
	}
	if r.err != nil {
		return f, r.err
	}
	f.Extra = r.extra()
	for _, c := range e.ChildElements() {
		keepElement(&f.Extra, c)
	}
	return f, nil
}

func readLocations(method string, e *etree.Element, m *WriterMetadata) error {
	x := newReader(method, e)
	m.LocationsExtra.Attrs = append(m.LocationsExtra.Attrs, x.extra().Attrs...)
	children := e.ChildElements()
	n := len(m.Components)
	for _, c := range children {
		if c.Tag == "FILE_GROUP" || c.Tag == "DATABASE" {
			n++
		}
	}
	m.Components = slices.Grow(m.Components, n-len(m.Components)) // see readComponent
	seen := make(map[compKey]bool, n)
	for i := range m.Components { // an earlier BACKUP_LOCATIONS
		seen[foldComp(m.Components[i].LogicalPath, m.Components[i].Name)] = true
	}
	for _, c := range children {
		switch c.Tag {
		case "FILE_GROUP", "DATABASE":
			comp, err := readComponent(method, c)
			if err != nil {
				return err
			}
			k := foldComp(comp.LogicalPath, comp.Name)
			if seen[k] {
				return xmlError(method, "%s: component %q is declared twice", elemPath(c), componentKey(comp.LogicalPath, comp.Name))
			}
			seen[k] = true
			m.Components = append(m.Components, comp)
		case "EXCLUDE_FILES", "EXCLUDE_FILES_FROM_SNAPSHOT", "INCLUDE_FILES":
			f, err := readFileDesc(method, c)
			if err != nil {
				return err
			}
			switch c.Tag {
			case "EXCLUDE_FILES":
				m.ExcludeFiles = append(m.ExcludeFiles, f)
			case "EXCLUDE_FILES_FROM_SNAPSHOT":
				m.ExcludeFromSnapshot = append(m.ExcludeFromSnapshot, f)
			default:
				m.IncludeFiles = append(m.IncludeFiles, f)
			}
		default:
			keepElement(&m.LocationsExtra, c)
		}
	}
	return nil
}

// makeFiles returns an empty list with room for n file sets (nil for 0,
// as appending to nothing gives).
func makeFiles(n int) []FileDesc {
	if n == 0 {
		return nil
	}
	return make([]FileDesc, 0, n)
}

func readComponent(method string, e *etree.Element) (ComponentInfo, error) {
	r := newReader(method, e)
	c := ComponentInfo{
		Type:                   VSS_CT_FILEGROUP,
		LogicalPath:            r.opt("logicalPath"),
		Name:                   r.req("componentName"),
		Caption:                r.opt("caption"),
		RestoreMetadata:        r.boolean("restoreMetadata", false),
		NotifyOnBackupComplete: r.boolean("notifyOnBackupComplete", false),
		Selectable:             r.boolean("selectable", false),
		SelectableForRestore:   r.boolean("selectableForRestore", false),
		Flags:                  ComponentFlags(r.uint("componentFlags")),
	}
	if e.Tag == "DATABASE" {
		c.Type = VSS_CT_DATABASE
	}
	if icon := r.opt("icon"); icon != "" {
		b, err := base64.StdEncoding.DecodeString(icon)
		if err != nil {
			r.fail("icon", "not base64")
		}
		c.Icon = b
	}
	if r.err != nil {
		return c, r.err
	}
	c.Extra = r.extra()
	children := e.ChildElements()
	// Size the file-set lists first: growing them by appending costs
	// several times their final size on large documents.
	var nFiles, nDB, nLog int
	for _, ch := range children {
		switch ch.Tag {
		case "FILE_LIST":
			nFiles++
		case "DATABASE_FILES":
			nDB++
		case "DATABASE_LOGFILES":
			nLog++
		}
	}
	c.Files, c.DatabaseFiles, c.LogFiles = makeFiles(nFiles), makeFiles(nDB), makeFiles(nLog)
	for _, ch := range children {
		var list *[]FileDesc
		switch {
		case ch.Tag == "FILE_LIST" && c.Type == VSS_CT_FILEGROUP:
			list = &c.Files
		case ch.Tag == "DATABASE_FILES" && c.Type == VSS_CT_DATABASE:
			list = &c.DatabaseFiles
		case ch.Tag == "DATABASE_LOGFILES" && c.Type == VSS_CT_DATABASE:
			list = &c.LogFiles
		case ch.Tag == "FILE_LIST" || ch.Tag == "DATABASE_FILES" || ch.Tag == "DATABASE_LOGFILES":
			return c, xmlError(method, "%s: a %s cannot hold %s (file-set type must match the component type, REFERENCE §5.2)", elemPath(ch), e.Tag, ch.Tag)
		case ch.Tag == "DEPENDENCY":
			dr := newReader(method, ch)
			d := Dependency{WriterID: dr.id("writerId", true), LogicalPath: dr.opt("logicalPath"), ComponentName: dr.req("componentName")}
			if dr.err != nil {
				return c, dr.err
			}
			d.Extra = dr.extra()
			c.Dependencies = append(c.Dependencies, d)
			continue
		default:
			keepElement(&c.Extra, ch)
			continue
		}
		f, err := readFileDesc(method, ch)
		if err != nil {
			return c, err
		}
		*list = append(*list, f)
	}
	return c, nil
}

// SaveAsXML mirrors IVssExamineWriterMetadata::SaveAsXML (and
// IVssCreateWriterMetadata::SaveAsXML): the document as Windows writes it
// (REFERENCE §5.4), plus whatever a loaded document carried that the model
// does not know.
func (m *WriterMetadata) SaveAsXML() (string, error) {
	doc := etree.NewDocument()
	root := doc.CreateElement("WRITER_METADATA")
	root.CreateAttr("xmlns", wmdNamespace)
	if m.DocVersion != "" {
		root.CreateAttr("version", m.DocVersion) // "1.2" in what Windows writes
	}
	if m.BackupSchema != 0 {
		root.CreateAttr("backupSchema", strconv.FormatUint(uint64(uint32(m.BackupSchema)), 10))
	}
	id := root.CreateElement("IDENTIFICATION")
	id.CreateAttr("writerId", m.Identity.WriterID.String())
	id.CreateAttr("instanceId", m.Identity.InstanceID.String())
	if m.Identity.InstanceName != "" {
		id.CreateAttr("instanceName", m.Identity.InstanceName)
	}
	id.CreateAttr("friendlyName", m.Identity.Name)
	id.CreateAttr("usage", enumToXML(usageXML, int32(m.Identity.Usage)))
	id.CreateAttr("dataSource", enumToXML(sourceXML, int32(m.Identity.Source)))
	id.CreateAttr("majorVersion", strconv.FormatUint(uint64(m.MajorVersion), 10))
	id.CreateAttr("minorVersion", strconv.FormatUint(uint64(m.MinorVersion), 10))
	if err := writeExtra(id, m.Identity.Extra); err != nil {
		return "", Errorf(VSS_E_UNEXPECTED, "SaveAsXML", "%v", err)
	}
	if rm := m.RestoreMethod; rm != nil {
		e := root.CreateElement("RESTORE_METHOD")
		e.CreateAttr("method", enumToXML(restoreMethodXML, int32(rm.Method)))
		if rm.Service != "" {
			e.CreateAttr("service", rm.Service)
		}
		if rm.UserProcedure != "" {
			e.CreateAttr("userProcedure", rm.UserProcedure)
		}
		e.CreateAttr("writerRestore", enumToXML(writerRestoreXML, int32(rm.WriterRestore)))
		e.CreateAttr("rebootRequired", yesNo(rm.RebootRequired))
		for _, f := range rm.Mappings {
			if err := writeFileDesc(e, "ALTERNATE_LOCATION_MAPPING", f, true); err != nil {
				return "", err
			}
		}
		if err := writeExtra(e, rm.Extra); err != nil {
			return "", Errorf(VSS_E_UNEXPECTED, "SaveAsXML", "%v", err)
		}
	}
	loc := root.CreateElement("BACKUP_LOCATIONS")
	for _, f := range m.IncludeFiles {
		if err := writeFileDesc(loc, "INCLUDE_FILES", f, true); err != nil {
			return "", err
		}
	}
	for i := range m.Components {
		if err := writeComponent(loc, &m.Components[i]); err != nil {
			return "", err
		}
	}
	for _, f := range m.ExcludeFiles {
		if err := writeFileDesc(loc, "EXCLUDE_FILES", f, true); err != nil {
			return "", err
		}
	}
	for _, f := range m.ExcludeFromSnapshot {
		if err := writeFileDesc(loc, "EXCLUDE_FILES_FROM_SNAPSHOT", f, true); err != nil {
			return "", err
		}
	}
	if err := writeExtra(loc, m.LocationsExtra); err != nil {
		return "", Errorf(VSS_E_UNEXPECTED, "SaveAsXML", "%v", err)
	}
	if err := writeExtra(root, m.Extra); err != nil {
		return "", Errorf(VSS_E_UNEXPECTED, "SaveAsXML", "%v", err)
	}
	s, err := doc.WriteToString()
	if err != nil {
		return "", Errorf(VSS_E_UNEXPECTED, "SaveAsXML", "%v", err)
	}
	return s, nil
}

// writeFileDesc writes a file set. recursive is written always for
// excludes and mappings, and only when true for component file lists (as
// real writers do).
func writeFileDesc(parent *etree.Element, tag string, f FileDesc, alwaysRecursive bool) error {
	e := parent.CreateElement(tag)
	e.CreateAttr("path", f.Path)
	e.CreateAttr("filespec", f.Filespec)
	if alwaysRecursive || f.Recursive {
		e.CreateAttr("recursive", yesNo(f.Recursive))
	}
	if f.AlternateLocation != "" {
		e.CreateAttr("alternatePath", f.AlternateLocation)
	}
	switch tag {
	case "FILE_LIST", "DATABASE_FILES", "DATABASE_LOGFILES":
		e.CreateAttr("filespecBackupType", strconv.FormatUint(uint64(uint32(f.BackupTypeMask)), 10))
	}
	if err := writeExtra(e, f.Extra); err != nil {
		return Errorf(VSS_E_UNEXPECTED, "SaveAsXML", "%v", err)
	}
	return nil
}

func writeComponent(parent *etree.Element, c *ComponentInfo) error {
	tag := "FILE_GROUP"
	if c.Type == VSS_CT_DATABASE {
		tag = "DATABASE"
	}
	e := parent.CreateElement(tag)
	if c.LogicalPath != "" {
		e.CreateAttr("logicalPath", c.LogicalPath)
	}
	e.CreateAttr("componentName", c.Name)
	if c.Caption != "" {
		e.CreateAttr("caption", c.Caption)
	}
	if len(c.Icon) > 0 {
		e.CreateAttr("icon", base64.StdEncoding.EncodeToString(c.Icon))
	}
	e.CreateAttr("restoreMetadata", yesNo(c.RestoreMetadata))
	e.CreateAttr("notifyOnBackupComplete", yesNo(c.NotifyOnBackupComplete))
	e.CreateAttr("selectable", yesNo(c.Selectable))
	e.CreateAttr("selectableForRestore", yesNo(c.SelectableForRestore))
	e.CreateAttr("componentFlags", strconv.FormatUint(uint64(uint32(c.Flags)), 10))
	lists := []struct {
		tag  string
		list []FileDesc
	}{{"FILE_LIST", c.Files}, {"DATABASE_FILES", c.DatabaseFiles}, {"DATABASE_LOGFILES", c.LogFiles}}
	for _, l := range lists {
		for _, f := range l.list {
			if err := writeFileDesc(e, l.tag, f, false); err != nil {
				return err
			}
		}
	}
	for _, d := range c.Dependencies {
		de := e.CreateElement("DEPENDENCY")
		de.CreateAttr("writerId", d.WriterID.String())
		if d.LogicalPath != "" {
			de.CreateAttr("logicalPath", d.LogicalPath)
		}
		de.CreateAttr("componentName", d.ComponentName)
		if err := writeExtra(de, d.Extra); err != nil {
			return Errorf(VSS_E_UNEXPECTED, "SaveAsXML", "%v", err)
		}
	}
	if err := writeExtra(e, c.Extra); err != nil {
		return Errorf(VSS_E_UNEXPECTED, "SaveAsXML", "%v", err)
	}
	return nil
}
