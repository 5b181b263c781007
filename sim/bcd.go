package sim

import (
	"strconv"
	"strings"
	"sync/atomic"

	"github.com/beevik/etree"

	"github.com/vsssim/vsssim/requestor/vss"
)

// bcd is an object's Backup Components Document (REFERENCE §5.5): created
// by InitializeForBackup, edited by the requestor until PrepareForBackup,
// by writers in PrepareForBackup and PostSnapshot, read-only from the
// BackupComplete event on.
type bcd struct {
	writers []*bcdWriter
}

type bcdWriter struct {
	instanceID vss.ID
	writerID   vss.ID
	comps      []*bcdComponent
}

type bcdComponent struct {
	ct                  vss.ComponentType
	logicalPath, name   string
	backupOptions       string
	previousBackupStamp string
	backupStamp         string
	backupMetadata      string
	succeeded           bool
	prepareFailureMsg   string
	postSnapshotMsg     string
}

func (d *bcd) writer(writerID vss.ID) *bcdWriter {
	for _, w := range d.writers {
		if w.writerID == writerID {
			return w
		}
	}
	return nil
}

// find returns the component with this key (writer class id, logical path,
// name; REFERENCE §1.2 "component key"), or nil.
func (d *bcd) find(writerID vss.ID, ct vss.ComponentType, logicalPath, name string) *bcdComponent {
	w := d.writer(writerID)
	if w == nil {
		return nil
	}
	for _, c := range w.comps {
		if c.ct == ct && strings.EqualFold(c.logicalPath, logicalPath) && strings.EqualFold(c.name, name) {
			return c
		}
	}
	return nil
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

var backupTypeXML = map[vss.BackupType]string{
	vss.VSS_BT_UNDEFINED:    "undefined",
	vss.VSS_BT_FULL:         "full",
	vss.VSS_BT_INCREMENTAL:  "incremental",
	vss.VSS_BT_DIFFERENTIAL: "differential",
	vss.VSS_BT_LOG:          "log",
	vss.VSS_BT_COPY:         "copy",
	vss.VSS_BT_OTHER:        "other",
}

// xml renders the BCD as Windows writes it (REFERENCE §5.5; element and
// attribute names beyond those seen in real dumps are the simulator's own).
func (o *BackupComponents) bcdXML() (string, error) {
	doc := etree.NewDocument()
	root := doc.CreateElement("BACKUP_COMPONENTS")
	root.CreateAttr("xmlns", "x-schema:#VssComponentMetadata")
	root.CreateAttr("version", "1.2")
	root.CreateAttr("bootableSystemStateBackup", yesNo(o.bootable))
	root.CreateAttr("selectComponents", yesNo(o.selectComponents))
	root.CreateAttr("backupType", backupTypeXML[o.backupType])
	root.CreateAttr("partialFileSupport", yesNo(o.partial))
	if o.set != nil {
		root.CreateAttr("snapshotSetId", o.set.id.String())
	}
	for _, w := range o.doc.writers {
		we := root.CreateElement("WRITER_COMPONENTS")
		we.CreateAttr("instanceId", w.instanceID.String())
		we.CreateAttr("writerId", w.writerID.String())
		if s := o.sessionByClass(w.writerID); s != nil && s.md != nil {
			if s.md.Identity.InstanceName != "" {
				we.CreateAttr("instanceName", s.md.Identity.InstanceName)
			}
			we.CreateAttr("backupSchema", strconv.FormatUint(uint64(uint32(s.md.BackupSchema)), 10))
		}
		for _, c := range w.comps {
			ce := we.CreateElement("COMPONENT")
			if c.logicalPath != "" {
				ce.CreateAttr("logicalPath", c.logicalPath)
			}
			ce.CreateAttr("componentName", c.name)
			if c.ct == vss.VSS_CT_DATABASE {
				ce.CreateAttr("componentType", "database")
			} else {
				ce.CreateAttr("componentType", "filegroup")
			}
			if c.backupStamp != "" {
				ce.CreateAttr("backupStamp", c.backupStamp)
			}
			if c.previousBackupStamp != "" {
				ce.CreateAttr("previousBackupStamp", c.previousBackupStamp)
			}
			if c.backupOptions != "" {
				ce.CreateAttr("backupOptions", c.backupOptions)
			}
			ce.CreateAttr("backupSucceeded", yesNo(c.succeeded))
			if c.backupMetadata != "" {
				me := ce.CreateElement("BACKUP_METADATA")
				me.CreateAttr("xmlns", "")
				me.CreateAttr("metadata", c.backupMetadata)
			}
		}
	}
	return doc.WriteToString()
}

// validBCD reports whether s is a BACKUP_COMPONENTS document (for
// InitializeForBackup's transportable-import form).
func validBCD(s string) bool {
	doc := etree.NewDocument()
	if err := doc.ReadFromString(s); err != nil {
		return false
	}
	r := doc.Root()
	return r != nil && r.Tag == "BACKUP_COMPONENTS"
}

// Component is the writer-side view of one component of the BCD
// (IVssComponent), handed to OnPrepareBackup, OnPostSnapshot and
// OnBackupComplete. What may be changed depends on the event
// (REFERENCE §4.6); a change outside its window returns VSS_E_BAD_STATE.
type Component struct {
	c     *bcdComponent
	event Event
	live  *atomic.Bool
}

// LogicalPath mirrors IVssComponent::GetLogicalPath.
func (c *Component) LogicalPath() string { return c.c.logicalPath }

// ComponentName mirrors IVssComponent::GetComponentName.
func (c *Component) ComponentName() string { return c.c.name }

// ComponentType mirrors IVssComponent::GetComponentType.
func (c *Component) ComponentType() vss.ComponentType { return c.c.ct }

// BackupOptions mirrors IVssComponent::GetBackupOptions.
func (c *Component) BackupOptions() string { return c.c.backupOptions }

// PreviousBackupStamp mirrors IVssComponent::GetPreviousBackupStamp.
func (c *Component) PreviousBackupStamp() string { return c.c.previousBackupStamp }

// BackupStamp mirrors IVssComponent::GetBackupStamp.
func (c *Component) BackupStamp() string { return c.c.backupStamp }

// BackupMetadata mirrors IVssComponent::GetBackupMetadata.
func (c *Component) BackupMetadata() string { return c.c.backupMetadata }

// BackupSucceeded mirrors IVssComponent::GetBackupSucceeded.
func (c *Component) BackupSucceeded() bool { return c.c.succeeded }

func (c *Component) writable(method string, events ...Event) error {
	if c.live != nil && !c.live.Load() {
		return vss.Errorf(vss.VSS_E_BAD_STATE, method, "On%s is over: VSS has its reply (or gave up waiting)", c.event)
	}
	for _, e := range events {
		if c.event == e {
			return nil
		}
	}
	return vss.Errorf(vss.VSS_E_BAD_STATE, method, "the BCD is not writable in On%s (REFERENCE §4.6)", c.event)
}

// SetBackupMetadata mirrors IVssComponent::SetBackupMetadata (PrepareForBackup
// and PostSnapshot only).
func (c *Component) SetBackupMetadata(s string) error {
	if err := c.writable("IVssComponent::SetBackupMetadata", EventPrepareForBackup, EventPostSnapshot); err != nil {
		return err
	}
	c.c.backupMetadata = s
	return nil
}

// SetBackupStamp mirrors IVssComponent::SetBackupStamp (PostSnapshot only).
func (c *Component) SetBackupStamp(s string) error {
	if err := c.writable("IVssComponent::SetBackupStamp", EventPostSnapshot); err != nil {
		return err
	}
	c.c.backupStamp = s
	return nil
}

// SetPrepareForBackupFailureMsg mirrors IVssComponentEx::SetPrepareForBackupFailureMsg.
func (c *Component) SetPrepareForBackupFailureMsg(s string) error {
	if err := c.writable("IVssComponentEx::SetPrepareForBackupFailureMsg", EventPrepareForBackup); err != nil {
		return err
	}
	c.c.prepareFailureMsg = s
	return nil
}

// SetPostSnapshotFailureMsg mirrors IVssComponentEx::SetPostSnapshotFailureMsg.
func (c *Component) SetPostSnapshotFailureMsg(s string) error {
	if err := c.writable("IVssComponentEx::SetPostSnapshotFailureMsg", EventPostSnapshot); err != nil {
		return err
	}
	c.c.postSnapshotMsg = s
	return nil
}
