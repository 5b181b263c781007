package sim

import (
	"fmt"

	"github.com/vsssim/vsssim/requestor/vss"
)

// visible reports whether a shadow copy of set is visible in the object's
// context (GetSnapshotProperties and Query see "the current context",
// REFERENCE §1.3; VSS_CTX_ALL sees every one).
func (o *BackupComponents) visible(set *snapshotSet) bool {
	return o.context == vss.VSS_CTX_ALL || set.ctx == o.context
}

// GetSnapshotProperties mirrors IVssBackupComponents::GetSnapshotProperties.
func (o *BackupComponents) GetSnapshotProperties(snapshotID vss.ID) (p vss.SnapshotProp, err error) {
	const m = "GetSnapshotProperties"
	c := o.c
	defer o.enter(m, func() string { return snapshotID.String() }, &err)()
	if snapshotID.IsNull() {
		return p, invalidArg(m, "the snapshot id is GUID_NULL")
	}
	if e := o.common(m, true); e != nil {
		return p, e
	}
	if e := o.privileged(); e != nil {
		return p, e
	}
	if e := o.injected(); e != nil {
		return p, e
	}
	for _, set := range c.sets {
		for _, s := range set.snaps {
			if s.prop.SnapshotID == snapshotID && s.created && !s.deleted && o.visible(set) {
				o.ret = s.prop.SnapshotDeviceObject
				return s.prop, nil
			}
		}
	}
	return p, hrErr(vss.VSS_E_OBJECT_NOT_FOUND, m, "no shadow copy %v in context %v (it exists only once DoSnapshotSet has committed it)", snapshotID, o.context)
}

// Query mirrors IVssBackupComponents::Query: the shadow copies (completed,
// in the current context; §8 C7) or the providers.
func (o *BackupComponents) Query(queriedID vss.ID, queried, returned vss.ObjectType) (props []vss.ObjectProp, err error) {
	const m = "Query"
	c := o.c
	defer o.enter(m, func() string { return fmt.Sprintf("%v, %v, %v", queriedID, queried, returned) }, &err)()
	switch {
	case !queriedID.IsNull():
		return nil, invalidArg(m, "QueriedObjectId must be GUID_NULL")
	case queried != vss.VSS_OBJECT_NONE:
		return nil, invalidArg(m, "eQueriedObjectType must be VSS_OBJECT_NONE")
	case returned != vss.VSS_OBJECT_SNAPSHOT && returned != vss.VSS_OBJECT_PROVIDER:
		return nil, invalidArg(m, "eReturnedObjectsType must be VSS_OBJECT_SNAPSHOT or VSS_OBJECT_PROVIDER")
	}
	if e := o.common(m, false); e != nil {
		return nil, e
	}
	if !o.ctxSet && c.opts.QueryNeedsSetContext {
		return nil, o.badState(m, "§1.4 Query", "Query needs SetContext first (Options.QueryNeedsSetContext)")
	}
	if e := o.privileged(); e != nil {
		return nil, e
	}
	if e := o.injected(); e != nil {
		return nil, e
	}
	props = []vss.ObjectProp{}
	if returned == vss.VSS_OBJECT_PROVIDER {
		for _, p := range c.provs {
			props = append(props, vss.ObjectProp{Type: vss.VSS_OBJECT_PROVIDER, Prov: vss.ProviderProp{
				ProviderID: p.ID, ProviderName: p.Name, ProviderType: p.Type, ProviderVersion: p.Version}})
		}
		o.ret = fmt.Sprintf("%d providers", len(props))
		return props, nil
	}
	for _, set := range c.sets {
		if !o.visible(set) {
			continue
		}
		for _, s := range set.snaps {
			if s.created && !s.deleted {
				props = append(props, vss.ObjectProp{Type: vss.VSS_OBJECT_SNAPSHOT, Snap: s.prop})
			}
		}
	}
	o.ret = fmt.Sprintf("%d shadow copies", len(props))
	return props, nil
}

// DeleteSnapshots mirrors IVssBackupComponents::DeleteSnapshots. Deletion
// goes in order and stops at the first failure, whose snapshot id is
// returned as nondeleted (REFERENCE §1.3).
func (o *BackupComponents) DeleteSnapshots(sourceID vss.ID, objectType vss.ObjectType, forceDelete bool) (deleted int32, nondeleted vss.ID, err error) {
	const m = "DeleteSnapshots"
	c := o.c
	defer o.enter(m, func() string { return fmt.Sprintf("%v, %v, force=%v", sourceID, objectType, forceDelete) }, &err)()
	if objectType != vss.VSS_OBJECT_SNAPSHOT && objectType != vss.VSS_OBJECT_SNAPSHOT_SET {
		return 0, vss.ID{}, invalidArg(m, "the object type must be VSS_OBJECT_SNAPSHOT or VSS_OBJECT_SNAPSHOT_SET")
	}
	switch {
	case o.released:
		return 0, vss.ID{}, o.badState(m, "object released", "the object was released")
	case o.mode == modeNone && c.opts.DeleteNeedsInitialize:
		return 0, vss.ID{}, o.badState(m, "§8 C14", "the object is not initialised (Options.DeleteNeedsInitialize)")
	}
	if e := o.privileged(); e != nil {
		return 0, vss.ID{}, e
	}
	var victims []*snapshot
	for _, set := range c.sets {
		if !o.visible(set) {
			continue
		}
		for _, s := range set.snaps {
			if !s.created || s.deleted {
				continue
			}
			if (objectType == vss.VSS_OBJECT_SNAPSHOT && s.prop.SnapshotID == sourceID) ||
				(objectType == vss.VSS_OBJECT_SNAPSHOT_SET && set.id == sourceID) {
				victims = append(victims, s)
			}
		}
	}
	if len(victims) == 0 {
		return 0, vss.ID{}, hrErr(vss.VSS_E_OBJECT_NOT_FOUND, m, "no %v %v in context %v", objectType, sourceID, o.context)
	}
	for _, s := range victims {
		if hr, ok := c.fault(o, m, false); ok {
			return deleted, s.prop.SnapshotID, hrErr(hr, m, "injected fault while deleting %v", s.prop.SnapshotID)
		}
		s.deleted = true
		s.prop.Status = vss.VSS_SS_DELETED
		deleted++
	}
	c.pruneSets()
	c.trace.add(Entry{T: c.now, Object: o.num, Kind: KindNote, Text: fmt.Sprintf("%d shadow copies deleted", deleted)})
	return deleted, vss.ID{}, nil
}
