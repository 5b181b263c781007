package sim

import (
	"sync/atomic"

	"github.com/vsssim/vsssim/requestor/vss"
)

// bcdXML renders the object's Backup Components Document (REFERENCE §5.5):
// created by InitializeForBackup, edited by the requestor until
// PrepareForBackup, by writers in PrepareForBackup and PostSnapshot,
// read-only from the BackupComplete event on.
func (o *BackupComponents) bcdXML() (string, error) {
	d := o.doc
	d.BootableSystemState, d.SelectComponents, d.BackupType, d.PartialFileSupport = o.bootable, o.selectComponents, o.backupType, o.partial
	if o.set != nil {
		d.SnapshotSetID = o.set.id
	}
	return d.SaveAsXML()
}

// validBCD reports whether s is a Backup Components Document (for
// InitializeForBackup's transportable-import form).
func validBCD(s string) error {
	_, err := vss.LoadBackupComponents([]byte(s))
	return err
}

// Component is the writer-side view of one component of the BCD
// (IVssComponent), handed to OnPrepareBackup, OnPostSnapshot and
// OnBackupComplete. What may be changed depends on the event
// (REFERENCE §4.6); a change outside its window returns VSS_E_BAD_STATE.
type Component struct {
	c     *vss.BCDComponent
	event Event
	live  *atomic.Bool
}

// LogicalPath mirrors IVssComponent::GetLogicalPath.
func (c *Component) LogicalPath() string { return c.c.LogicalPath }

// ComponentName mirrors IVssComponent::GetComponentName.
func (c *Component) ComponentName() string { return c.c.Name }

// ComponentType mirrors IVssComponent::GetComponentType.
func (c *Component) ComponentType() vss.ComponentType { return c.c.Type }

// BackupOptions mirrors IVssComponent::GetBackupOptions.
func (c *Component) BackupOptions() string { return c.c.BackupOptions }

// PreviousBackupStamp mirrors IVssComponent::GetPreviousBackupStamp.
func (c *Component) PreviousBackupStamp() string { return c.c.PreviousBackupStamp }

// BackupStamp mirrors IVssComponent::GetBackupStamp.
func (c *Component) BackupStamp() string { return c.c.BackupStamp }

// BackupMetadata mirrors IVssComponent::GetBackupMetadata.
func (c *Component) BackupMetadata() string { return c.c.BackupMetadata }

// BackupSucceeded mirrors IVssComponent::GetBackupSucceeded.
func (c *Component) BackupSucceeded() bool { return c.c.BackupSucceeded }

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
	c.c.BackupMetadata = s
	return nil
}

// SetBackupStamp mirrors IVssComponent::SetBackupStamp (PostSnapshot only).
func (c *Component) SetBackupStamp(s string) error {
	if err := c.writable("IVssComponent::SetBackupStamp", EventPostSnapshot); err != nil {
		return err
	}
	c.c.BackupStamp = s
	return nil
}

// SetPrepareForBackupFailureMsg mirrors IVssComponentEx::SetPrepareForBackupFailureMsg.
func (c *Component) SetPrepareForBackupFailureMsg(s string) error {
	if err := c.writable("IVssComponentEx::SetPrepareForBackupFailureMsg", EventPrepareForBackup); err != nil {
		return err
	}
	c.c.PrepareForBackupFailureMsg = s
	return nil
}

// SetPostSnapshotFailureMsg mirrors IVssComponentEx::SetPostSnapshotFailureMsg.
func (c *Component) SetPostSnapshotFailureMsg(s string) error {
	if err := c.writable("IVssComponentEx::SetPostSnapshotFailureMsg", EventPostSnapshot); err != nil {
		return err
	}
	c.c.PostSnapshotFailureMsg = s
	return nil
}

// RestoreMetadata mirrors IVssComponent::GetRestoreMetadata.
func (c *Component) RestoreMetadata() string { return c.c.RestoreMetadata }

// IsSelectedForRestore mirrors IVssComponent::IsSelectedForRestore.
func (c *Component) IsSelectedForRestore() bool { return c.c.SelectedForRestore }

// RestoreOptions mirrors IVssComponent::GetRestoreOptions.
func (c *Component) RestoreOptions() string { return c.c.RestoreOptions }

// AdditionalRestores mirrors IVssComponent::GetAdditionalRestores.
func (c *Component) AdditionalRestores() bool { return c.c.AdditionalRestores }

// FileRestoreStatus mirrors IVssComponent::GetFileRestoreStatus.
func (c *Component) FileRestoreStatus() vss.FileRestoreStatus { return c.c.FileRestoreStatus }

// RestoreTarget mirrors IVssComponent::GetRestoreTarget.
func (c *Component) RestoreTarget() vss.RestoreTarget { return c.c.RestoreTarget }

// SetRestoreTarget mirrors IVssComponent::SetRestoreTarget (PreRestore,
// REFERENCE §4.6).
func (c *Component) SetRestoreTarget(t vss.RestoreTarget) error {
	if err := c.writable("IVssComponent::SetRestoreTarget", EventPreRestore); err != nil {
		return err
	}
	if t < vss.VSS_RT_UNDEFINED || t > vss.VSS_RT_ORIGINAL_LOCATION {
		return vss.Errorf(vss.E_INVALIDARG, "IVssComponent::SetRestoreTarget", "%v is not a VSS_RESTORE_TARGET", t)
	}
	c.c.RestoreTarget = t
	return nil
}

// AddDirectedTarget mirrors IVssComponent::AddDirectedTarget (PreRestore).
func (c *Component) AddDirectedTarget(sourcePath, sourceFilename, sourceRanges, destPath, destFilename, destRanges string) error {
	const m = "IVssComponent::AddDirectedTarget"
	if err := c.writable(m, EventPreRestore); err != nil {
		return err
	}
	if sourcePath == "" || sourceFilename == "" || destPath == "" || destFilename == "" {
		return vss.Errorf(vss.E_INVALIDARG, m, "source and destination path and file name are required")
	}
	c.c.DirectedTargets = append(c.c.DirectedTargets, vss.DirectedTarget{SourcePath: sourcePath, SourceFilename: sourceFilename,
		SourceRanges: sourceRanges, DestPath: destPath, DestFilename: destFilename, DestRanges: destRanges})
	return nil
}

// RestoreName mirrors IVssComponentEx::GetRestoreName.
func (c *Component) RestoreName() string { return c.c.RestoreName }

// IsAuthoritativeRestore mirrors IVssComponentEx::IsAuthoritativeRestore.
func (c *Component) IsAuthoritativeRestore() bool { return c.c.AuthoritativeRestore }

// RollForward mirrors IVssComponentEx::GetRollForward.
func (c *Component) RollForward() (vss.RollForwardType, string) {
	return c.c.RollForwardType, c.c.RollForwardPoint
}

// SetPreRestoreFailureMsg mirrors IVssComponent::SetPreRestoreFailureMsg.
func (c *Component) SetPreRestoreFailureMsg(s string) error {
	if err := c.writable("IVssComponent::SetPreRestoreFailureMsg", EventPreRestore); err != nil {
		return err
	}
	c.c.PreRestoreFailureMsg = s
	return nil
}

// SetPostRestoreFailureMsg mirrors IVssComponent::SetPostRestoreFailureMsg
// (the one write allowed in PostRestore, where the BCD is otherwise
// read-only: §8 C5).
func (c *Component) SetPostRestoreFailureMsg(s string) error {
	if err := c.writable("IVssComponent::SetPostRestoreFailureMsg", EventPostRestore); err != nil {
		return err
	}
	c.c.PostRestoreFailureMsg = s
	return nil
}

// SetRestoreMetadata mirrors IVssComponent::SetRestoreMetadata
// (PrepareForBackup at backup time, PreRestore at restore time, REFERENCE
// §4.6).
func (c *Component) SetRestoreMetadata(s string) error {
	if err := c.writable("IVssComponent::SetRestoreMetadata", EventPrepareForBackup, EventPreRestore); err != nil {
		return err
	}
	c.c.RestoreMetadata = s
	return nil
}
