package vss

import (
	"strconv"
	"strings"

	"github.com/beevik/etree"
)

// BackupComponentsDocument is a Backup Components Document (BCD,
// REFERENCE §5.5): what a backup recorded, saved by
// IVssBackupComponents::SaveAsXML and fed back to InitializeForRestore.
type BackupComponentsDocument struct {
	// DocVersion is the version attribute ("1.2").
	DocVersion          string
	BootableSystemState bool
	SelectComponents    bool
	BackupType          BackupType
	PartialFileSupport  bool
	SnapshotSetID       ID
	Writers             []*WriterComponents
	Extra               Extra
}

// WriterComponents is one writer's part of the BCD (IVssWriterComponents).
type WriterComponents struct {
	InstanceID   ID
	WriterID     ID
	InstanceName string
	BackupSchema BackupSchema
	Components   []*BCDComponent
	Extra        Extra
}

// BCDComponent is one component in the BCD (IVssComponent's data).
type BCDComponent struct {
	Type                       ComponentType
	LogicalPath                string
	Name                       string
	BackupOptions              string
	PreviousBackupStamp        string
	BackupStamp                string
	BackupSucceeded            bool
	BackupMetadata             string
	RestoreMetadata            string
	PrepareForBackupFailureMsg string
	PostSnapshotFailureMsg     string

	// Restore-time items (REFERENCE §5.5 lists them as stored in the BCD;
	// their XML names are the simulator's own).
	SelectedForRestore    bool
	AdditionalRestores    bool
	RestoreOptions        string
	RestoreTarget         RestoreTarget
	FileRestoreStatus     FileRestoreStatus
	PreRestoreFailureMsg  string
	PostRestoreFailureMsg string
	// Subcomponents are AddRestoreSubcomponent's (logical path, name) pairs.
	Subcomponents []Subcomponent
	// The Ex/Ex2 restore calls.
	RestoreInstanceID    ID // SetSelectedForRestoreEx
	AuthoritativeRestore bool
	RollForwardType      RollForwardType
	RollForwardPoint     string
	RestoreName          string
	DirectedTargets      []DirectedTarget // IVssComponent::AddDirectedTarget (writer, PreRestore)
	// NewTargets are AddNewTarget's file sets (AlternateLocation is the
	// new path); RestoreMappings are AddAlternativeLocationMapping's.
	NewTargets, RestoreMappings []FileDesc

	Extra Extra
}

// DirectedTarget is one IVssComponent::AddDirectedTarget entry.
type DirectedTarget struct {
	SourcePath, SourceFilename, SourceRanges string
	DestPath, DestFilename, DestRanges       string
}

// Subcomponent is one AddRestoreSubcomponent entry.
type Subcomponent struct {
	LogicalPath, Name string
}

// Writer returns the part of writerID, or nil.
func (d *BackupComponentsDocument) Writer(writerID ID) *WriterComponents {
	for _, w := range d.Writers {
		if w.WriterID == writerID {
			return w
		}
	}
	return nil
}

// Find returns the component (writer class id, logical path, name), or
// nil. The BCD identifies a component by these three (REFERENCE §1.2); the
// type the calls also pass is not part of the identity.
func (d *BackupComponentsDocument) Find(writerID ID, logicalPath, name string) *BCDComponent {
	w := d.Writer(writerID)
	if w == nil {
		return nil
	}
	for _, c := range w.Components {
		if strings.EqualFold(c.LogicalPath, logicalPath) && strings.EqualFold(c.Name, name) {
			return c
		}
	}
	return nil
}

const bcdNamespace = "x-schema:#VssComponentMetadata"

var backupTypeXML = []enumXML{
	{int32(VSS_BT_UNDEFINED), "undefined"}, // [own]
	{int32(VSS_BT_FULL), "full"},
	{int32(VSS_BT_INCREMENTAL), "incremental"},   // unverified
	{int32(VSS_BT_DIFFERENTIAL), "differential"}, // unverified
	{int32(VSS_BT_LOG), "log"},                   // unverified
	{int32(VSS_BT_COPY), "copy"},                 // unverified
	{int32(VSS_BT_OTHER), "other"},               // unverified
}

var componentTypeXML = []enumXML{
	{int32(VSS_CT_DATABASE), "database"},
	{int32(VSS_CT_FILEGROUP), "filegroup"},
}

// LoadBackupComponents loads a BCD (UTF-8 or UTF-16). A malformed document
// gives VSS_E_INVALID_XML_DOCUMENT with the reason.
func LoadBackupComponents(data []byte) (*BackupComponentsDocument, error) {
	const method = "LoadBackupComponents"
	doc, err := parseXML(method, data)
	if err != nil {
		return nil, err
	}
	root := doc.Root()
	if root.Tag != "BACKUP_COMPONENTS" {
		return nil, xmlError(method, "root element is %s, not BACKUP_COMPONENTS", root.Tag)
	}
	r := newReader(method, root)
	d := &BackupComponentsDocument{
		DocVersion:          r.opt("version"),
		BootableSystemState: r.boolean("bootableSystemStateBackup", false),
		SelectComponents:    r.boolean("selectComponents", false),
		BackupType:          BackupType(r.enum("backupType", backupTypeXML, 0)),
		PartialFileSupport:  r.boolean("partialFileSupport", false),
		SnapshotSetID:       r.id("snapshotSetId", false),
	}
	if r.err != nil {
		return nil, r.err
	}
	d.Extra = r.extra()
	for _, we := range root.ChildElements() {
		if we.Tag != "WRITER_COMPONENTS" {
			keepElement(&d.Extra, we)
			continue
		}
		wr := newReader(method, we)
		w := &WriterComponents{InstanceID: wr.id("instanceId", false), WriterID: wr.id("writerId", true),
			InstanceName: wr.opt("instanceName"), BackupSchema: BackupSchema(wr.uint("backupSchema"))}
		if wr.err != nil {
			return nil, wr.err
		}
		w.Extra = wr.extra()
		seen := make(map[compKey]bool)
		for _, ce := range we.ChildElements() {
			if ce.Tag != "COMPONENT" {
				keepElement(&w.Extra, ce)
				continue
			}
			cr := newReader(method, ce)
			c := &BCDComponent{
				Type:                       ComponentType(cr.enum("componentType", componentTypeXML, int32(VSS_CT_FILEGROUP))),
				LogicalPath:                cr.opt("logicalPath"),
				Name:                       cr.req("componentName"),
				BackupStamp:                cr.opt("backupStamp"),
				PreviousBackupStamp:        cr.opt("previousBackupStamp"),
				BackupOptions:              cr.opt("backupOptions"),
				BackupSucceeded:            cr.boolean("backupSucceeded", false),
				PrepareForBackupFailureMsg: cr.opt("prepareForBackupFailureMsg"),
				PostSnapshotFailureMsg:     cr.opt("postSnapshotFailureMsg"),
				SelectedForRestore:         cr.boolean("selectedForRestore", false),
				AdditionalRestores:         cr.boolean("additionalRestores", false),
				RestoreOptions:             cr.opt("restoreOptions"),
				RestoreTarget:              RestoreTarget(cr.uint("restoreTarget")),
				FileRestoreStatus:          FileRestoreStatus(cr.uint("fileRestoreStatus")),
				PreRestoreFailureMsg:       cr.opt("preRestoreFailureMsg"),
				PostRestoreFailureMsg:      cr.opt("postRestoreFailureMsg"),
				RestoreInstanceID:          cr.id("restoreInstanceId", false),
				AuthoritativeRestore:       cr.boolean("authoritativeRestore", false),
				RollForwardType:            RollForwardType(cr.uint("rollForwardType")),
				RollForwardPoint:           cr.opt("rollForwardPoint"),
				RestoreName:                cr.opt("restoreName"),
			}
			if cr.err != nil {
				return nil, cr.err
			}
			c.Extra = cr.extra()
			for _, me := range ce.ChildElements() {
				switch me.Tag {
				case "RESTORE_SUBCOMPONENT":
					sr := newReader(method, me)
					sc := Subcomponent{LogicalPath: sr.opt("logicalPath"), Name: sr.req("componentName")}
					if sr.err != nil {
						return nil, sr.err
					}
					if x := sr.extra(); !x.IsZero() || len(me.ChildElements()) > 0 {
						keepElement(&c.Extra, me)
						continue
					}
					c.Subcomponents = append(c.Subcomponents, sc)
				case "DIRECTED_TARGET":
					dr := newReader(method, me)
					dt := DirectedTarget{SourcePath: dr.opt("sourcePath"), SourceFilename: dr.opt("sourceFilename"), SourceRanges: dr.opt("sourceRanges"),
						DestPath: dr.opt("destinationPath"), DestFilename: dr.opt("destinationFilename"), DestRanges: dr.opt("destinationRanges")}
					if x := dr.extra(); !x.IsZero() || len(me.ChildElements()) > 0 || dr.err != nil {
						keepElement(&c.Extra, me)
						continue
					}
					c.DirectedTargets = append(c.DirectedTargets, dt)
				case "NEW_TARGET", "ALTERNATE_LOCATION_MAPPING":
					fd, err := readFileDesc(method, me)
					if err != nil {
						return nil, err
					}
					if me.Tag == "NEW_TARGET" {
						c.NewTargets = append(c.NewTargets, fd)
					} else {
						c.RestoreMappings = append(c.RestoreMappings, fd)
					}
				case "BACKUP_METADATA", "RESTORE_METADATA":
					mr := newReader(method, me)
					v := mr.opt("metadata")
					if x := mr.extra(); !x.IsZero() || len(me.ChildElements()) > 0 {
						keepElement(&c.Extra, me)
						continue
					}
					if me.Tag == "BACKUP_METADATA" {
						c.BackupMetadata = v
					} else {
						c.RestoreMetadata = v
					}
				default:
					keepElement(&c.Extra, me)
				}
			}
			k := foldComp(c.LogicalPath, c.Name)
			if seen[k] {
				return nil, xmlError(method, "%s: component %q is listed twice", elemPath(ce), componentKey(c.LogicalPath, c.Name))
			}
			seen[k] = true
			w.Components = append(w.Components, c)
		}
		d.Writers = append(d.Writers, w)
	}
	return d, nil
}

// SaveAsXML writes the BCD as Windows does (REFERENCE §5.5; the names of
// items not seen in real dumps, such as backupOptions, are the
// simulator's own).
func (d *BackupComponentsDocument) SaveAsXML() (string, error) {
	doc := etree.NewDocument()
	root := doc.CreateElement("BACKUP_COMPONENTS")
	root.CreateAttr("xmlns", bcdNamespace)
	if d.DocVersion != "" {
		root.CreateAttr("version", d.DocVersion) // "1.2" in what Windows writes
	}
	root.CreateAttr("bootableSystemStateBackup", yesNo(d.BootableSystemState))
	root.CreateAttr("selectComponents", yesNo(d.SelectComponents))
	root.CreateAttr("backupType", enumToXML(backupTypeXML, int32(d.BackupType)))
	root.CreateAttr("partialFileSupport", yesNo(d.PartialFileSupport))
	if !d.SnapshotSetID.IsNull() {
		root.CreateAttr("snapshotSetId", d.SnapshotSetID.String())
	}
	for _, w := range d.Writers {
		we := root.CreateElement("WRITER_COMPONENTS")
		we.CreateAttr("instanceId", w.InstanceID.String())
		we.CreateAttr("writerId", w.WriterID.String())
		if w.InstanceName != "" {
			we.CreateAttr("instanceName", w.InstanceName)
		}
		we.CreateAttr("backupSchema", strconv.FormatUint(uint64(uint32(w.BackupSchema)), 10))
		for _, c := range w.Components {
			ce := we.CreateElement("COMPONENT")
			if c.LogicalPath != "" {
				ce.CreateAttr("logicalPath", c.LogicalPath)
			}
			ce.CreateAttr("componentName", c.Name)
			ce.CreateAttr("componentType", enumToXML(componentTypeXML, int32(c.Type)))
			for _, a := range [][2]string{{"backupStamp", c.BackupStamp}, {"previousBackupStamp", c.PreviousBackupStamp},
				{"backupOptions", c.BackupOptions}, {"prepareForBackupFailureMsg", c.PrepareForBackupFailureMsg},
				{"postSnapshotFailureMsg", c.PostSnapshotFailureMsg}, {"restoreOptions", c.RestoreOptions},
				{"preRestoreFailureMsg", c.PreRestoreFailureMsg}, {"postRestoreFailureMsg", c.PostRestoreFailureMsg},
				{"rollForwardPoint", c.RollForwardPoint}, {"restoreName", c.RestoreName}} {
				if a[1] != "" {
					ce.CreateAttr(a[0], a[1])
				}
			}
			ce.CreateAttr("backupSucceeded", yesNo(c.BackupSucceeded))
			if c.SelectedForRestore {
				ce.CreateAttr("selectedForRestore", "yes")
			}
			if c.AdditionalRestores {
				ce.CreateAttr("additionalRestores", "yes")
			}
			if !c.RestoreInstanceID.IsNull() {
				ce.CreateAttr("restoreInstanceId", c.RestoreInstanceID.String())
			}
			if c.AuthoritativeRestore {
				ce.CreateAttr("authoritativeRestore", "yes")
			}
			if c.RollForwardType != 0 {
				ce.CreateAttr("rollForwardType", strconv.Itoa(int(c.RollForwardType)))
			}
			for _, dt := range c.DirectedTargets {
				de := ce.CreateElement("DIRECTED_TARGET")
				for _, a := range [][2]string{{"sourcePath", dt.SourcePath}, {"sourceFilename", dt.SourceFilename}, {"sourceRanges", dt.SourceRanges},
					{"destinationPath", dt.DestPath}, {"destinationFilename", dt.DestFilename}, {"destinationRanges", dt.DestRanges}} {
					if a[1] != "" {
						de.CreateAttr(a[0], a[1])
					}
				}
			}
			if c.RestoreTarget != 0 {
				ce.CreateAttr("restoreTarget", strconv.Itoa(int(c.RestoreTarget)))
			}
			if c.FileRestoreStatus != 0 {
				ce.CreateAttr("fileRestoreStatus", strconv.Itoa(int(c.FileRestoreStatus)))
			}
			for _, sc := range c.Subcomponents {
				se := ce.CreateElement("RESTORE_SUBCOMPONENT")
				if sc.LogicalPath != "" {
					se.CreateAttr("logicalPath", sc.LogicalPath)
				}
				se.CreateAttr("componentName", sc.Name)
			}
			for _, f := range c.NewTargets {
				if err := writeFileDesc(ce, "NEW_TARGET", f, true); err != nil {
					return "", err
				}
			}
			for _, f := range c.RestoreMappings {
				if err := writeFileDesc(ce, "ALTERNATE_LOCATION_MAPPING", f, true); err != nil {
					return "", err
				}
			}
			for _, md := range [][2]string{{"BACKUP_METADATA", c.BackupMetadata}, {"RESTORE_METADATA", c.RestoreMetadata}} {
				if md[1] != "" {
					me := ce.CreateElement(md[0])
					me.CreateAttr("xmlns", "")
					me.CreateAttr("metadata", md[1])
				}
			}
			if err := writeExtra(ce, c.Extra); err != nil {
				return "", Errorf(VSS_E_UNEXPECTED, "SaveAsXML", "%v", err)
			}
		}
		if err := writeExtra(we, w.Extra); err != nil {
			return "", Errorf(VSS_E_UNEXPECTED, "SaveAsXML", "%v", err)
		}
	}
	if err := writeExtra(root, d.Extra); err != nil {
		return "", Errorf(VSS_E_UNEXPECTED, "SaveAsXML", "%v", err)
	}
	s, err := doc.WriteToString()
	if err != nil {
		return "", Errorf(VSS_E_UNEXPECTED, "SaveAsXML", "%v", err)
	}
	return s, nil
}
