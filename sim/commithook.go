package sim

import "github.com/vsssim/vsssim/requestor/vss"

// ShadowCommit is one shadow copy at the instant its provider commits it:
// the writers are frozen (between Freeze and Thaw, REFERENCE §4.2), the
// copy exists, and nothing has been reported to the requestor yet.
type ShadowCommit struct {
	// SnapshotID and SnapshotSetID identify the shadow copy.
	SnapshotID, SnapshotSetID vss.ID
	// Volume is the original volume (its Root, if the world gave one, is
	// the host directory a hook can freeze).
	Volume Volume
	// DeviceObject is the shadow copy's device object
	// (\\?\GLOBALROOT\Device\HarddiskVolumeShadowCopyN). A hook may replace
	// it with a name the requestor can open (vsssim serve gives a path to
	// its frozen copy of Volume.Root); GetSnapshotProperties, Query and the
	// trace then show that name, as they show a real provider's device.
	DeviceObject string
}

// CommitHook is called for each shadow copy of a set at its commit
// instant, in the set's order. It runs while the coordinator is locked (the
// commit instant is atomic for the simulator): it must not call the
// Coordinator or its objects. A hook is the place for side effects outside
// the model, such as freezing a copy of a directory.
type CommitHook func(*ShadowCommit)

// SetCommitHook installs h (nil removes it).
func (c *Coordinator) SetCommitHook(h CommitHook) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.onCommit = h
}

// committed runs the commit hook for s (c.mu held).
func (c *Coordinator) committed(s *snapshot) {
	if c.onCommit == nil {
		return
	}
	sc := &ShadowCommit{SnapshotID: s.prop.SnapshotID, SnapshotSetID: s.prop.SnapshotSetID, Volume: *s.volume,
		DeviceObject: s.prop.SnapshotDeviceObject}
	c.onCommit(sc)
	s.prop.SnapshotDeviceObject = sc.DeviceObject
}
