package sim

import (
	"sync"

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
// (IVssComponent), handed to OnPrepareBackup, OnPostSnapshot,
// OnBackupComplete, OnPreRestore and OnPostRestore. What may be changed
// depends on the event (REFERENCE §4.6); a change outside its window
// returns VSS_E_BAD_STATE. A view is live only while its handler runs:
// once the handler has returned (or was abandoned by the hang guard) it
// shows the component as it was then and refuses every change with
// VSS_E_BAD_STATE, so a goroutine the handler left behind never races with
// the requestor reading the BCD. Views are safe for concurrent use.
type Component struct {
	c     *vss.BCDComponent
	event Event
	gate  *viewGate
	// open (guarded by gate.mu) is true while the handler runs; once it
	// is false, snap is what the view shows.
	open bool
	snap *vss.BCDComponent
}

// viewGate serialises the Component views of one event delivery with the
// coordinator closing them. Two writer instances of one class share their
// BCD components, so the gate is per delivery, not per writer.
type viewGate struct {
	mu sync.Mutex
}

// close ends the live period of a handler's views: from now on they show
// a private copy and refuse changes. It runs on the coordinator's
// goroutine before VSS reads the BCD again.
func (g *viewGate) close(comps []*Component) {
	if len(comps) == 0 {
		return
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	for _, c := range comps {
		if c.open {
			snap := *c.c
			// The views show no list: drop the shared backing arrays.
			snap.DirectedTargets, snap.Subcomponents = nil, nil
			c.snap = &snap
			c.open = false
		}
	}
}

// get reads the component through the view.
func get[T any](c *Component, f func(*vss.BCDComponent) T) T {
	c.gate.mu.Lock()
	defer c.gate.mu.Unlock()
	if c.open {
		return f(c.c)
	}
	return f(c.snap)
}

// LogicalPath mirrors IVssComponent::GetLogicalPath.
func (c *Component) LogicalPath() string {
	return get(c, func(b *vss.BCDComponent) string { return b.LogicalPath })
}

// ComponentName mirrors IVssComponent::GetComponentName.
func (c *Component) ComponentName() string {
	return get(c, func(b *vss.BCDComponent) string { return b.Name })
}

// ComponentType mirrors IVssComponent::GetComponentType.
func (c *Component) ComponentType() vss.ComponentType {
	return get(c, func(b *vss.BCDComponent) vss.ComponentType { return b.Type })
}

// BackupOptions mirrors IVssComponent::GetBackupOptions.
func (c *Component) BackupOptions() string {
	return get(c, func(b *vss.BCDComponent) string { return b.BackupOptions })
}

// PreviousBackupStamp mirrors IVssComponent::GetPreviousBackupStamp.
func (c *Component) PreviousBackupStamp() string {
	return get(c, func(b *vss.BCDComponent) string { return b.PreviousBackupStamp })
}

// BackupStamp mirrors IVssComponent::GetBackupStamp.
func (c *Component) BackupStamp() string {
	return get(c, func(b *vss.BCDComponent) string { return b.BackupStamp })
}

// BackupMetadata mirrors IVssComponent::GetBackupMetadata.
func (c *Component) BackupMetadata() string {
	return get(c, func(b *vss.BCDComponent) string { return b.BackupMetadata })
}

// BackupSucceeded mirrors IVssComponent::GetBackupSucceeded.
func (c *Component) BackupSucceeded() bool {
	return get(c, func(b *vss.BCDComponent) bool { return b.BackupSucceeded })
}

// change applies set to the component if the view is live and the event
// allows method.
func (c *Component) change(method string, set func(*vss.BCDComponent) error, events ...Event) error {
	c.gate.mu.Lock()
	defer c.gate.mu.Unlock()
	if !c.open {
		return vss.Errorf(vss.VSS_E_BAD_STATE, method, "On%s has returned: a component can be changed only while its handler runs (VSS has the reply, or gave up waiting for it)", c.event)
	}
	for _, e := range events {
		if c.event == e {
			return set(c.c)
		}
	}
	return vss.Errorf(vss.VSS_E_BAD_STATE, method, "the BCD is not writable in On%s (REFERENCE §4.6)", c.event)
}

// SetBackupMetadata mirrors IVssComponent::SetBackupMetadata (PrepareForBackup
// and PostSnapshot only).
func (c *Component) SetBackupMetadata(s string) error {
	return c.change("IVssComponent::SetBackupMetadata", func(b *vss.BCDComponent) error {
		b.BackupMetadata = s
		return nil
	}, EventPrepareForBackup, EventPostSnapshot)
}

// SetBackupStamp mirrors IVssComponent::SetBackupStamp (PostSnapshot only).
func (c *Component) SetBackupStamp(s string) error {
	return c.change("IVssComponent::SetBackupStamp", func(b *vss.BCDComponent) error {
		b.BackupStamp = s
		return nil
	}, EventPostSnapshot)
}

// SetPrepareForBackupFailureMsg mirrors IVssComponentEx::SetPrepareForBackupFailureMsg.
func (c *Component) SetPrepareForBackupFailureMsg(s string) error {
	return c.change("IVssComponentEx::SetPrepareForBackupFailureMsg", func(b *vss.BCDComponent) error {
		b.PrepareForBackupFailureMsg = s
		return nil
	}, EventPrepareForBackup)
}

// SetPostSnapshotFailureMsg mirrors IVssComponentEx::SetPostSnapshotFailureMsg.
func (c *Component) SetPostSnapshotFailureMsg(s string) error {
	return c.change("IVssComponentEx::SetPostSnapshotFailureMsg", func(b *vss.BCDComponent) error {
		b.PostSnapshotFailureMsg = s
		return nil
	}, EventPostSnapshot)
}

// RestoreMetadata mirrors IVssComponent::GetRestoreMetadata.
func (c *Component) RestoreMetadata() string {
	return get(c, func(b *vss.BCDComponent) string { return b.RestoreMetadata })
}

// IsSelectedForRestore mirrors IVssComponent::IsSelectedForRestore.
func (c *Component) IsSelectedForRestore() bool {
	return get(c, func(b *vss.BCDComponent) bool { return b.SelectedForRestore })
}

// RestoreOptions mirrors IVssComponent::GetRestoreOptions.
func (c *Component) RestoreOptions() string {
	return get(c, func(b *vss.BCDComponent) string { return b.RestoreOptions })
}

// AdditionalRestores mirrors IVssComponent::GetAdditionalRestores.
func (c *Component) AdditionalRestores() bool {
	return get(c, func(b *vss.BCDComponent) bool { return b.AdditionalRestores })
}

// FileRestoreStatus mirrors IVssComponent::GetFileRestoreStatus.
func (c *Component) FileRestoreStatus() vss.FileRestoreStatus {
	return get(c, func(b *vss.BCDComponent) vss.FileRestoreStatus { return b.FileRestoreStatus })
}

// RestoreTarget mirrors IVssComponent::GetRestoreTarget.
func (c *Component) RestoreTarget() vss.RestoreTarget {
	return get(c, func(b *vss.BCDComponent) vss.RestoreTarget { return b.RestoreTarget })
}

// SetRestoreTarget mirrors IVssComponent::SetRestoreTarget (PreRestore,
// REFERENCE §4.6).
func (c *Component) SetRestoreTarget(t vss.RestoreTarget) error {
	const m = "IVssComponent::SetRestoreTarget"
	return c.change(m, func(b *vss.BCDComponent) error {
		if t < vss.VSS_RT_UNDEFINED || t > vss.VSS_RT_ORIGINAL_LOCATION {
			return vss.Errorf(vss.E_INVALIDARG, m, "%v is not a VSS_RESTORE_TARGET", t)
		}
		b.RestoreTarget = t
		return nil
	}, EventPreRestore)
}

// AddDirectedTarget mirrors IVssComponent::AddDirectedTarget (PreRestore).
func (c *Component) AddDirectedTarget(sourcePath, sourceFilename, sourceRanges, destPath, destFilename, destRanges string) error {
	const m = "IVssComponent::AddDirectedTarget"
	return c.change(m, func(b *vss.BCDComponent) error {
		if sourcePath == "" || sourceFilename == "" || destPath == "" || destFilename == "" {
			return vss.Errorf(vss.E_INVALIDARG, m, "source and destination path and file name are required")
		}
		b.DirectedTargets = append(b.DirectedTargets, vss.DirectedTarget{SourcePath: sourcePath, SourceFilename: sourceFilename,
			SourceRanges: sourceRanges, DestPath: destPath, DestFilename: destFilename, DestRanges: destRanges})
		return nil
	}, EventPreRestore)
}

// RestoreName mirrors IVssComponentEx::GetRestoreName.
func (c *Component) RestoreName() string {
	return get(c, func(b *vss.BCDComponent) string { return b.RestoreName })
}

// IsAuthoritativeRestore mirrors IVssComponentEx::IsAuthoritativeRestore.
func (c *Component) IsAuthoritativeRestore() bool {
	return get(c, func(b *vss.BCDComponent) bool { return b.AuthoritativeRestore })
}

// RollForward mirrors IVssComponentEx::GetRollForward.
func (c *Component) RollForward() (vss.RollForwardType, string) {
	c.gate.mu.Lock()
	defer c.gate.mu.Unlock()
	b := c.c
	if !c.open {
		b = c.snap
	}
	return b.RollForwardType, b.RollForwardPoint
}

// SetPreRestoreFailureMsg mirrors IVssComponent::SetPreRestoreFailureMsg.
func (c *Component) SetPreRestoreFailureMsg(s string) error {
	return c.change("IVssComponent::SetPreRestoreFailureMsg", func(b *vss.BCDComponent) error {
		b.PreRestoreFailureMsg = s
		return nil
	}, EventPreRestore)
}

// SetPostRestoreFailureMsg mirrors IVssComponent::SetPostRestoreFailureMsg
// (the one write allowed in PostRestore, where the BCD is otherwise
// read-only: §8 C5).
func (c *Component) SetPostRestoreFailureMsg(s string) error {
	return c.change("IVssComponent::SetPostRestoreFailureMsg", func(b *vss.BCDComponent) error {
		b.PostRestoreFailureMsg = s
		return nil
	}, EventPostRestore)
}

// SetRestoreMetadata mirrors IVssComponent::SetRestoreMetadata
// (PrepareForBackup at backup time, PreRestore at restore time, REFERENCE
// §4.6).
func (c *Component) SetRestoreMetadata(s string) error {
	return c.change("IVssComponent::SetRestoreMetadata", func(b *vss.BCDComponent) error {
		b.RestoreMetadata = s
		return nil
	}, EventPrepareForBackup, EventPreRestore)
}
