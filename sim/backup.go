package sim

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/vsssim/vsssim/requestor/vss"
)

// InitializeForBackup mirrors IVssBackupComponents::InitializeForBackup.
// A non-empty bcdXML is a saved BCD for transportable import; it must at
// least be a BACKUP_COMPONENTS document (VSS_E_INVALID_XML_DOCUMENT).
func (o *BackupComponents) InitializeForBackup(bcdXML string) (err error) {
	const m = "InitializeForBackup"
	defer o.enter(m, func() string {
		if bcdXML == "" {
			return ""
		}
		return fmt.Sprintf("bcd=%d bytes", len(bcdXML))
	}, &err)()
	if e := o.initializeChecks(m); e != nil {
		return e
	}
	if bcdXML != "" {
		if e := validBCD(bcdXML); e != nil {
			return hrErr(vss.VSS_E_INVALID_XML_DOCUMENT, m, "the supplied BCD cannot be loaded: %v", e)
		}
	}
	o.mode = modeBackup
	o.ex.importBCD = bcdXML
	return nil
}

// initializeChecks are the state checks InitializeForBackup and
// InitializeForRestore share (after their argument checks): a released or
// already initialised object is VSS_E_BAD_STATE (§2.3 row 2), a caller
// without the backup privilege E_ACCESSDENIED, then injected faults.
func (o *BackupComponents) initializeChecks(m string) error {
	switch {
	case o.released:
		return o.badState(m, "object released", "the object was released")
	case o.mode != modeNone:
		return o.badState(m, "§2.3#2", "the object is already initialised; one object serves exactly one backup or restore (REFERENCE §1.1)")
	case o.c.noAccess:
		return hrErr(vss.E_ACCESSDENIED, m, "the caller lacks the backup privilege or is not an administrator")
	}
	return o.injected()
}

// validContext checks a SetContext value: a base context, optionally OR'd
// with TRANSPORTABLE and one of DIFFERENTIAL or PLEX (not with
// CLIENT_ACCESSIBLE), plus the creation-only attribute bits qemu uses
// (REFERENCE §6.3).
func validContext(ctx vss.SnapshotContext) error {
	if ctx == vss.VSS_CTX_ALL {
		return nil
	}
	a := vss.VolumeSnapshotAttributes(ctx)
	const optional = vss.VSS_VOLSNAP_ATTR_TRANSPORTABLE | vss.VSS_VOLSNAP_ATTR_DIFFERENTIAL | vss.VSS_VOLSNAP_ATTR_PLEX |
		vss.VSS_VOLSNAP_ATTR_NO_AUTORECOVERY | vss.VSS_VOLSNAP_ATTR_TXF_RECOVERY | vss.VSS_VOLSNAP_ATTR_ROLLBACK_RECOVERY
	base := vss.SnapshotContext(a &^ optional)
	switch base {
	case vss.VSS_CTX_BACKUP, vss.VSS_CTX_FILE_SHARE_BACKUP, vss.VSS_CTX_NAS_ROLLBACK, vss.VSS_CTX_APP_ROLLBACK,
		vss.VSS_CTX_CLIENT_ACCESSIBLE, vss.VSS_CTX_CLIENT_ACCESSIBLE_WRITERS:
	default:
		return fmt.Errorf("0x%08X is not a VSS_SNAPSHOT_CONTEXT (base 0x%08X is none of the contexts)", uint32(ctx), uint32(base))
	}
	if a&vss.VSS_VOLSNAP_ATTR_DIFFERENTIAL != 0 && a&vss.VSS_VOLSNAP_ATTR_PLEX != 0 {
		return fmt.Errorf("DIFFERENTIAL and PLEX exclude each other")
	}
	if a&vss.VSS_VOLSNAP_ATTR_CLIENT_ACCESSIBLE != 0 && a&(vss.VSS_VOLSNAP_ATTR_DIFFERENTIAL|vss.VSS_VOLSNAP_ATTR_PLEX|vss.VSS_VOLSNAP_ATTR_TRANSPORTABLE) != 0 {
		return fmt.Errorf("CLIENT_ACCESSIBLE contexts take no TRANSPORTABLE, DIFFERENTIAL or PLEX")
	}
	return nil
}

// SetContext mirrors IVssBackupComponents::SetContext.
func (o *BackupComponents) SetContext(ctx vss.SnapshotContext) (err error) {
	const m = "SetContext"
	c := o.c
	defer o.enter(m, func() string { return ctx.String() }, &err)()
	if e := validContext(ctx); e != nil {
		return invalidArg(m, "%v", e)
	}
	if e := o.common(m, false); e != nil {
		return e
	}
	if o.ctxSet {
		return o.badState(m, "§2.3#5", "SetContext may be called only once per object (it was set to %v)", o.context)
	}
	if passed, what := o.deadlinePassed(c.opts.SetContextDeadline); passed {
		return o.badState(m, "§2.3#5/§8 C6", "SetContext must come before %v, and %s (Options.SetContextDeadline)", c.opts.SetContextDeadline, what)
	}
	if o.set != nil {
		return o.badState(m, "§2.3#5", "SetContext after StartSnapshotSet")
	}
	if e := o.injected(); e != nil {
		return e
	}
	if ctx != vss.VSS_CTX_ALL {
		if bad := vss.VolumeSnapshotAttributes(ctx) & c.opts.UnsupportedContextBits; bad != 0 {
			return hrErr(vss.VSS_E_UNSUPPORTED_CONTEXT, m, "attributes %v are not supported here (Options.UnsupportedContextBits)", bad)
		}
	}
	o.ctxSet, o.context = true, ctx
	return nil
}

// SetBackupState mirrors IVssBackupComponents::SetBackupState.
func (o *BackupComponents) SetBackupState(selectComponents, bootableSystemState bool, backupType vss.BackupType, partialFileSupport bool) (err error) {
	const m = "SetBackupState"
	defer o.enter(m, func() string {
		return fmt.Sprintf("selectComponents=%v, bootable=%v, %v, partial=%v", selectComponents, bootableSystemState, backupType, partialFileSupport)
	}, &err)()
	if backupType < vss.VSS_BT_FULL || backupType > vss.VSS_BT_OTHER {
		return invalidArg(m, "%v is not a valid backup type (VSS_BT_FULL is 1, VSS_BT_COPY is 5)", backupType)
	}
	if e, restore := o.restoreBackupState(m); restore {
		return e
	}
	if e := o.common(m, false); e != nil {
		return e
	}
	if o.prepare != notYet {
		return o.badState(m, "§1.4 SetBackupState", "SetBackupState must precede PrepareForBackup")
	}
	if e := o.injected(); e != nil {
		return e
	}
	o.backupStateSet = true
	o.selectComponents, o.bootable, o.backupType, o.partial = selectComponents, bootableSystemState, backupType, partialFileSupport
	return nil
}

// writerFilter implements Enable/DisableWriterClasses and
// DisableWriterInstances: before GatherWriterMetadata they filter Identify;
// afterwards they are accepted and do nothing (§2.3 row 24).
func (o *BackupComponents) writerFilter(m string, ids []vss.ID, apply func()) (err error) {
	c := o.c
	list := idList(ids)
	defer o.enter(m, func() string { return list }, &err)()
	if e := o.common(m, false); e != nil {
		return e
	}
	if e := o.privileged(); e != nil {
		return e
	}
	if e := o.injected(); e != nil {
		return e
	}
	if o.gather != notYet {
		c.trace.add(Entry{T: c.now, Object: o.num, Kind: KindNote, Text: m + " after GatherWriterMetadata has no effect (§2.3#24)"})
		return nil
	}
	apply()
	return nil
}

// EnableWriterClasses mirrors IVssBackupComponents::EnableWriterClasses:
// once called, only the enabled classes receive Identify.
func (o *BackupComponents) EnableWriterClasses(classIDs []vss.ID) error {
	return o.writerFilter("EnableWriterClasses", classIDs, func() {
		o.enableCalled = true
		o.enabledClasses = append(o.enabledClasses, classIDs...)
	})
}

// DisableWriterClasses mirrors IVssBackupComponents::DisableWriterClasses.
func (o *BackupComponents) DisableWriterClasses(classIDs []vss.ID) error {
	return o.writerFilter("DisableWriterClasses", classIDs, func() {
		o.disabledClasses = append(o.disabledClasses, classIDs...)
	})
}

// DisableWriterInstances mirrors IVssBackupComponents::DisableWriterInstances.
func (o *BackupComponents) DisableWriterInstances(instanceIDs []vss.ID) error {
	return o.writerFilter("DisableWriterInstances", instanceIDs, func() {
		o.disabledInstances = append(o.disabledInstances, instanceIDs...)
	})
}

// GatherWriterMetadata mirrors IVssBackupComponents::GatherWriterMetadata:
// it sends Identify to every enabled writer.
func (o *BackupComponents) GatherWriterMetadata() (a vss.Async, err error) {
	const m = "GatherWriterMetadata"
	c := o.c
	defer o.enter(m, nil, &err)()
	if e := o.common(m, false); e != nil {
		return nil, e
	}
	if o.gather != notYet {
		return nil, o.badState(m, "§2.3#6", "GatherWriterMetadata may be called only once per object (it is %v)", o.gather)
	}
	if o.mode == modeRestore && c.opts.GatherMetadataInRestoreIsBadState {
		return nil, o.badState(m, "§1.3 GatherWriterMetadata restore", "called during a restore operation (Options.GatherMetadataInRestoreIsBadState)")
	}
	if o.pending != nil {
		return nil, o.badState(m, "§2.3#21", "%s is still running on this object", o.pending.method)
	}
	if e := o.awaitObserved(m); e != nil {
		return nil, e
	}
	if e := o.privileged(); e != nil {
		return nil, e
	}
	if e := o.injected(); e != nil {
		return nil, e
	}
	op := c.newOp(o, m)
	o.gather = running
	o.startIdentify(op)
	c.settle()
	return &Async{op: op}, nil
}

func (o *BackupComponents) metadataReady(m string) error {
	// After the end only FreeWriterMetadata remains (§2.3 row 22).
	if e := o.common(m, m == "FreeWriterMetadata"); e != nil {
		return e
	}
	if e := o.awaitObserved(m, "GatherWriterMetadata"); e != nil {
		return e
	}
	switch {
	case o.gather != done:
		return o.badState(m, "§2.3#7", "writer metadata is available only after GatherWriterMetadata has completed (it is %v)", o.gather)
	case o.mdFreed:
		return o.badState(m, "§2.3#7", "FreeWriterMetadata was called; freed metadata cannot be regathered on this object")
	}
	return nil
}

// GetWriterMetadataCount mirrors IVssBackupComponents::GetWriterMetadataCount.
func (o *BackupComponents) GetWriterMetadataCount() (n uint32, err error) {
	const m = "GetWriterMetadataCount"
	defer o.enter(m, nil, &err)()
	if e := o.metadataReady(m); e != nil {
		return 0, e
	}
	if e := o.injected(); e != nil {
		return 0, e
	}
	nw := len(o.sessions)
	o.retFn = func() string { return fmt.Sprintf("%d writers", nw) }
	return uint32(len(o.sessions)), nil
}

// GetWriterMetadata mirrors IVssBackupComponents::GetWriterMetadata: the
// writer's instance id and a copy of its Writer Metadata Document.
func (o *BackupComponents) GetWriterMetadata(i uint32) (instance vss.ID, md *vss.WriterMetadata, err error) {
	return o.writerMetadata("GetWriterMetadata", i)
}

// writerMetadata is GetWriterMetadata and GetWriterMetadataEx.
func (o *BackupComponents) writerMetadata(m string, i uint32) (instance vss.ID, md *vss.WriterMetadata, err error) {
	defer o.enter(m, func() string { return strconv.FormatUint(uint64(i), 10) }, &err)()
	if e := o.metadataReady(m); e != nil {
		return vss.ID{}, nil, e
	}
	if int(i) >= len(o.sessions) {
		return vss.ID{}, nil, hrErr(vss.VSS_E_OBJECT_NOT_FOUND, m, "no writer at index %d (count %d; §8 C2)", i, len(o.sessions))
	}
	if e := o.injected(); e != nil {
		return vss.ID{}, nil, e
	}
	s := o.sessions[i]
	name, n := s.name(), len(s.md.Components)
	o.retFn = func() string { return name + ", " + strconv.Itoa(n) + " components" }
	return s.reg.instanceID, o.watchExcludes(s, s.md.Clone()), nil
}

// FreeWriterMetadata mirrors IVssBackupComponents::FreeWriterMetadata.
func (o *BackupComponents) FreeWriterMetadata() (err error) {
	const m = "FreeWriterMetadata"
	defer o.enter(m, nil, &err)()
	if e := o.metadataReady(m); e != nil {
		return e
	}
	if e := o.injected(); e != nil {
		return e
	}
	o.mdFreed = true
	return nil
}

// componentCall is the shared check of the calls that name a component
// before PrepareForBackup (AddComponent, SetBackupOptions,
// SetPreviousBackupStamp): §2.3 rows 12 and 14, §8 C3.
func (o *BackupComponents) componentCall(m string, ct vss.ComponentType, name string) error {
	if ct != vss.VSS_CT_DATABASE && ct != vss.VSS_CT_FILEGROUP {
		return invalidArg(m, "%v is not VSS_CT_DATABASE or VSS_CT_FILEGROUP", ct)
	}
	if name == "" {
		return invalidArg(m, "the component name is required")
	}
	if e := o.common(m, false); e != nil {
		return e
	}
	if !o.writerContext() {
		return o.badState(m, "§2.3#14", "context %v has no writers: components cannot be selected (REFERENCE §2.1 non-writer contexts)", o.context)
	}
	if e := o.awaitObserved(m, "GatherWriterMetadata"); e != nil {
		return e
	}
	if o.gather != done {
		return o.badState(m, "§1.4 AddComponent", "components are selected after GatherWriterMetadata has completed (it is %v)", o.gather)
	}
	if o.backupStateSet && !o.selectComponents {
		return o.badState(m, "§1.2 AddComponent", "SetBackupState chose non-component mode (bSelectComponents=false)")
	}
	if passed, what := o.deadlinePassed(o.c.opts.AddComponentDeadline); passed {
		return o.badState(m, "§2.3#12/§8 C3", "components must be chosen before %v, and %s (Options.AddComponentDeadline)", o.c.opts.AddComponentDeadline, what)
	}
	return nil
}

// AddComponent mirrors IVssBackupComponents::AddComponent.
func (o *BackupComponents) AddComponent(instanceID, writerID vss.ID, ct vss.ComponentType, logicalPath, componentName string) (err error) {
	const m = "AddComponent"
	c := o.c
	defer o.enter(m, func() string {
		return instanceID.String() + ", " + writerID.String() + ", " + ct.String() + ", " + quote(logicalPath) + ", " + quote(componentName)
	}, &err)()
	defer func() { o.checkAddComponent(instanceID, writerID, logicalPath, componentName, err) }()
	if e := o.componentCall(m, ct, componentName); e != nil {
		return e
	}
	if o.bcdFind(writerID, logicalPath, componentName) != nil {
		return hrErr(vss.VSS_E_OBJECT_ALREADY_EXISTS, m, "component %q of writer %v is already in the BCD", componentKey(logicalPath, componentName), writerID)
	}
	if e := o.injected(); e != nil {
		return e
	}
	if s := o.sessionByInstance(instanceID); s == nil || s.reg.cfg.ClassID != writerID {
		c.trace.add(Entry{T: c.now, Object: o.num, Kind: KindNote, Text: fmt.Sprintf("warning: AddComponent names writer instance %v / class %v, which is not in the writer metadata", instanceID, writerID)})
	} else if s.component(logicalPath, componentName) == nil {
		c.trace.add(Entry{T: c.now, Object: o.num, Kind: KindNote, Text: fmt.Sprintf("warning: writer %q declares no component %q", s.name(), componentKey(logicalPath, componentName))})
	}
	w := o.bcdWriter(writerID)
	if w == nil {
		w = &vss.WriterComponents{InstanceID: instanceID, WriterID: writerID}
		if s := o.sessionByInstance(instanceID); s != nil {
			w.InstanceName, w.BackupSchema = s.md.Identity.InstanceName, s.md.BackupSchema
		}
	}
	o.bcdAdd(w, &vss.BCDComponent{Type: ct, LogicalPath: logicalPath, Name: componentName})
	return nil
}

func componentKey(logicalPath, name string) string {
	if logicalPath == "" {
		return name
	}
	return logicalPath + `\` + name
}

func (o *BackupComponents) setComponentString(m string, writerID vss.ID, ct vss.ComponentType, logicalPath, name, value string, set func(*vss.BCDComponent)) (err error) {
	defer o.enter(m, func() string {
		return fmt.Sprintf("%v, %v, %s, %s, %s", writerID, ct, quote(logicalPath), quote(name), quote(value))
	}, &err)()
	if e := o.componentCall(m, ct, name); e != nil {
		return e
	}
	bc := o.bcdFind(writerID, logicalPath, name)
	if bc == nil {
		return hrErr(vss.VSS_E_OBJECT_NOT_FOUND, m, "component %q of writer %v is not in the BCD (AddComponent it first)", componentKey(logicalPath, name), writerID)
	}
	if e := o.injected(); e != nil {
		return e
	}
	set(bc)
	return nil
}

// SetBackupOptions mirrors IVssBackupComponents::SetBackupOptions.
func (o *BackupComponents) SetBackupOptions(writerID vss.ID, ct vss.ComponentType, logicalPath, componentName, options string) error {
	return o.setComponentString("SetBackupOptions", writerID, ct, logicalPath, componentName, options,
		func(bc *vss.BCDComponent) { bc.BackupOptions = options })
}

// SetPreviousBackupStamp mirrors IVssBackupComponents::SetPreviousBackupStamp.
func (o *BackupComponents) SetPreviousBackupStamp(writerID vss.ID, ct vss.ComponentType, logicalPath, componentName, stamp string) error {
	return o.setComponentString("SetPreviousBackupStamp", writerID, ct, logicalPath, componentName, stamp,
		func(bc *vss.BCDComponent) { bc.PreviousBackupStamp = stamp })
}

// StartSnapshotSet mirrors IVssBackupComponents::StartSnapshotSet. Only one
// shadow copy set can be in creation system-wide: while another object's
// set is, the call returns VSS_E_SNAPSHOT_SET_IN_PROGRESS.
func (o *BackupComponents) StartSnapshotSet() (id vss.ID, err error) {
	const m = "StartSnapshotSet"
	c := o.c
	defer o.enter(m, nil, &err)()
	if e := o.common(m, false); e != nil {
		return vss.ID{}, e
	}
	switch {
	case o.set != nil:
		return vss.ID{}, o.badState(m, "§2.3#10", "this object already started snapshot set %v; one object makes one set", o.set.id)
	case o.context == vss.VSS_CTX_ALL:
		return vss.ID{}, o.badState(m, "§6.3 VSS_CTX_ALL", "VSS_CTX_ALL is for queries and management, not for creating shadow copies")
	}
	if c.creator != nil {
		return vss.ID{}, hrErr(vss.VSS_E_SNAPSHOT_SET_IN_PROGRESS, m, "object #%d is creating a shadow copy set; only one creation runs at a time (REFERENCE §1.3)", c.creator.num)
	}
	if e := o.injected(); e != nil {
		return vss.ID{}, e
	}
	o.set = &snapshotSet{id: c.newID(), ctx: o.context}
	c.sets = append(c.sets, o.set)
	c.creator = o
	setID := o.set.id
	o.retFn = func() string { return "set " + setID.String() }
	return o.set.id, nil
}

// AddToSnapshotSet mirrors IVssBackupComponents::AddToSnapshotSet.
func (o *BackupComponents) AddToSnapshotSet(volume string, providerID vss.ID) (id vss.ID, err error) {
	const m = "AddToSnapshotSet"
	c := o.c
	defer o.enter(m, func() string { return fmt.Sprintf("%s, %v", quote(volume), providerID) }, &err)()
	if volume == "" {
		return vss.ID{}, invalidArg(m, "the volume name is required")
	}
	if e := o.common(m, false); e != nil {
		return vss.ID{}, e
	}
	switch {
	case o.set == nil:
		return vss.ID{}, o.badState(m, "§2.3#9", "StartSnapshotSet has not been called")
	case o.snap != notYet:
		return vss.ID{}, o.badState(m, "§2.3#9", "DoSnapshotSet was already called (%v)", o.snap)
	}
	if e := o.privileged(); e != nil {
		return vss.ID{}, e
	}
	if e := o.injected(); e != nil {
		return vss.ID{}, e
	}
	if len(o.set.snaps) >= c.opts.MaxVolumesPerSet {
		return vss.ID{}, hrErr(vss.VSS_E_MAXIMUM_NUMBER_OF_VOLUMES_REACHED, m, "the set already holds %d volumes", len(o.set.snaps))
	}
	if !strings.HasSuffix(volume, `\`) {
		return vss.ID{}, hrErr(vss.VSS_E_OBJECT_NOT_FOUND, m, "volume %q not found: volume names end in a backslash (\"C:\\\"), [Obs] breeze #2999", volume)
	}
	v := c.volume(volume)
	if v == nil {
		return vss.ID{}, hrErr(vss.VSS_E_OBJECT_NOT_FOUND, m, "volume %q does not exist", volume)
	}
	for _, s := range o.set.snaps {
		if s.volume == v {
			return vss.ID{}, hrErr(vss.VSS_E_OBJECT_ALREADY_EXISTS, m, "volume %q is already in the set ([Obs] FIELD §10)", volume)
		}
	}
	if v.Nested {
		return vss.ID{}, hrErr(vss.VSS_E_NESTED_VOLUME_LIMIT, m, "volume %q is nested too deeply in VHDs", volume)
	}
	var p *Provider
	if providerID.IsNull() {
		// GUID_NULL: hardware, then software, then system provider (REFERENCE §6.4).
		for _, typ := range []vss.ProviderType{vss.VSS_PROV_HARDWARE, vss.VSS_PROV_SOFTWARE, vss.VSS_PROV_SYSTEM} {
			for _, cand := range c.provs {
				if p == nil && cand.Type == typ && cand.supports(v) {
					p = cand
				}
			}
		}
		if p == nil {
			return vss.ID{}, hrErr(vss.VSS_E_VOLUME_NOT_SUPPORTED, m, "no provider supports volume %q", volume)
		}
	} else {
		p = c.provider(providerID)
		switch {
		case p == nil:
			return vss.ID{}, hrErr(vss.VSS_E_PROVIDER_NOT_REGISTERED, m, "provider %v is not registered", providerID)
		case !p.supports(v):
			return vss.ID{}, hrErr(vss.VSS_E_VOLUME_NOT_SUPPORTED_BY_PROVIDER, m, "provider %q does not support volume %q", p.Name, volume)
		}
	}
	if n := c.liveShadowCopies(v); n >= v.MaxShadowCopies {
		return vss.ID{}, hrErr(vss.VSS_E_MAXIMUM_NUMBER_OF_SNAPSHOTS_REACHED, m, "volume %q already has %d shadow copies (limit %d)", volume, n, v.MaxShadowCopies)
	}
	snap := &snapshot{volume: v}
	snap.prop = vss.SnapshotProp{SnapshotID: c.newID(), SnapshotSetID: o.set.id, OriginalVolumeName: v.GUIDName,
		OriginatingMachine: "vsssim", ServiceMachine: "vsssim", ProviderID: p.ID,
		SnapshotAttributes: vss.VolumeSnapshotAttributes(o.context), Status: vss.VSS_SS_PREPARING}
	o.set.snaps = append(o.set.snaps, snap)
	snapID, pname := snap.prop.SnapshotID, p.Name
	o.retFn = func() string { return fmt.Sprintf("snapshot %v, provider %q", snapID, pname) }
	return snap.prop.SnapshotID, nil
}

func (c *Coordinator) liveShadowCopies(v *Volume) int {
	n := 0
	for _, set := range c.sets {
		for _, s := range set.snaps {
			if s.volume == v && s.created && !s.deleted {
				n++
			}
		}
	}
	return n
}

// IsVolumeSupported mirrors IVssBackupComponents::IsVolumeSupported.
func (o *BackupComponents) IsVolumeSupported(providerID vss.ID, volume string) (ok bool, err error) {
	const m = "IsVolumeSupported"
	c := o.c
	defer o.enter(m, func() string { return fmt.Sprintf("%v, %s", providerID, quote(volume)) }, &err)()
	if volume == "" {
		return false, invalidArg(m, "the volume name is required")
	}
	if e := o.common(m, false); e != nil {
		return false, e
	}
	if e := o.privileged(); e != nil {
		return false, e
	}
	if e := o.injected(); e != nil {
		return false, e
	}
	v := c.volume(volume)
	if v == nil {
		return false, hrErr(vss.VSS_E_OBJECT_NOT_FOUND, m, "volume %q not found or unavailable", volume)
	}
	if v.Nested {
		return false, hrErr(vss.VSS_E_NESTED_VOLUME_LIMIT, m, "volume %q is nested too deeply", volume)
	}
	for _, p := range c.provs {
		if (providerID.IsNull() || p.ID == providerID) && p.supports(v) {
			o.ret = "supported"
			return true, nil
		}
	}
	o.ret = "not supported"
	return false, nil
}

// PrepareForBackup mirrors IVssBackupComponents::PrepareForBackup: it sends
// PrepareForBackup to the writers (REFERENCE §2.1 step 12).
func (o *BackupComponents) PrepareForBackup() (a vss.Async, err error) {
	const m = "PrepareForBackup"
	c := o.c
	defer o.enter(m, nil, &err)()
	if e := o.common(m, false); e != nil {
		return nil, e
	}
	switch {
	case !o.writerContext():
		return nil, o.badState(m, "§2.3#14", "context %v has no writers; PrepareForBackup fails there ([Obs] AlphaVSS #51)", o.context)
	case o.prepare != notYet:
		return nil, o.badState(m, "§2.3#11", "PrepareForBackup was already called (%v)", o.prepare)
	case o.pending != nil:
		return nil, o.badState(m, "§2.3#21", "%s is still running on this object", o.pending.method)
	case !o.backupStateSet:
		return nil, o.badState(m, "§2.3#11", "SetBackupState must be called before PrepareForBackup")
	case o.gather != done:
		return nil, o.badState(m, "§1.4 GatherWriterMetadata", "GatherWriterMetadata is required before any backup and must have completed (it is %v)", o.gather)
	case o.set == nil:
		return nil, o.badState(m, "§2.3#11", "StartSnapshotSet must precede PrepareForBackup")
	}
	if e := o.awaitObserved(m); e != nil {
		return nil, e
	}
	if e := o.injected(); e != nil {
		return nil, e
	}
	op := c.newOp(o, m)
	o.prepare = running
	o.startPrepare(op)
	c.settle()
	return &Async{op: op}, nil
}

// DoSnapshotSet mirrors IVssBackupComponents::DoSnapshotSet: PrepareForSnapshot,
// Freeze by application level, the provider commit, Thaw and PostSnapshot
// (REFERENCE §4.2, Appendix B rule 4).
func (o *BackupComponents) DoSnapshotSet() (a vss.Async, err error) {
	const m = "DoSnapshotSet"
	c := o.c
	defer o.enter(m, nil, &err)()
	if e := o.common(m, false); e != nil {
		return nil, e
	}
	switch {
	case o.set == nil:
		return nil, o.badState(m, "§2.3#13", "StartSnapshotSet has not been called")
	case o.snap != notYet:
		return nil, o.badState(m, "§2.3#13", "DoSnapshotSet was already called (%v)", o.snap)
	case o.pending != nil:
		return nil, o.badState(m, "§2.3#21", "%s is still running on this object", o.pending.method)
	case o.writerContext() && o.gather != done:
		return nil, o.badState(m, "§2.3#13", "in a writer context GatherWriterMetadata must have completed first (it is %v)", o.gather)
	case o.writerContext() && o.prepare != done:
		return nil, o.badState(m, "§2.3#13", "in a writer context PrepareForBackup must have completed first (it is %v)", o.prepare)
	}
	if e := o.awaitObserved(m); e != nil {
		return nil, e
	}
	if e := o.privileged(); e != nil {
		return nil, e
	}
	if e := o.injected(); e != nil {
		return nil, e
	}
	op := c.newOp(o, m)
	o.snap = running
	o.startSnapshot(op)
	c.settle()
	return &Async{op: op}, nil
}

// GatherWriterStatus mirrors IVssBackupComponents::GatherWriterStatus: it
// takes a snapshot of every identified writer's state and failure.
func (o *BackupComponents) GatherWriterStatus() (a vss.Async, err error) {
	const m = "GatherWriterStatus"
	c := o.c
	defer o.enter(m, nil, &err)()
	if e := o.common(m, true); e != nil {
		return nil, e
	}
	switch {
	case o.gather != done:
		return nil, o.badState(m, "§2.3#8", "GatherWriterStatus needs GatherWriterMetadata to have completed (it is %v)", o.gather)
	case o.pending != nil:
		return nil, o.badState(m, "§2.3#21", "%s is still running on this object", o.pending.method)
	}
	if e := o.awaitObserved(m); e != nil {
		return nil, e
	}
	if e := o.privileged(); e != nil {
		return nil, e
	}
	if e := o.injected(); e != nil {
		return nil, e
	}
	op := c.newOp(o, m)
	o.status = running
	o.statusFreed = false
	op.step = func() {
		if hr, ok := c.fault(o, m, true); ok {
			o.status = failed
			c.finish(op, hr, "injected fault")
			return
		}
		o.statusRows = o.statusRows[:0]
		for _, s := range o.sessions {
			o.statusRows = append(o.statusRows, vss.WriterStatus{InstanceID: s.reg.instanceID, WriterID: s.reg.cfg.ClassID,
				Name: s.name(), State: s.state, Failure: s.failure, ApplicationError: s.appError, ApplicationMessage: s.appMessage})
		}
		o.status = done
		c.finish(op, vss.VSS_S_ASYNC_FINISHED, fmt.Sprintf("%d writers", len(o.statusRows)))
	}
	c.settle()
	return &Async{op: op}, nil
}

func (o *BackupComponents) statusReady(m string) error {
	if e := o.common(m, true); e != nil {
		return e
	}
	if e := o.awaitObserved(m, "GatherWriterStatus"); e != nil {
		return e
	}
	switch {
	case o.status != done:
		return o.badState(m, "§2.3#8", "writer status is available only after GatherWriterStatus has completed (it is %v)", o.status)
	case o.statusFreed:
		return o.badState(m, "§2.3#8", "FreeWriterStatus was called; call GatherWriterStatus again")
	}
	return nil
}

// GetWriterStatusCount mirrors IVssBackupComponents::GetWriterStatusCount.
func (o *BackupComponents) GetWriterStatusCount() (n uint32, err error) {
	const m = "GetWriterStatusCount"
	defer o.enter(m, nil, &err)()
	if e := o.statusReady(m); e != nil {
		return 0, e
	}
	if e := o.injected(); e != nil {
		return 0, e
	}
	o.ret = fmt.Sprintf("%d writers", len(o.statusRows))
	return uint32(len(o.statusRows)), nil
}

func (o *BackupComponents) writerStatus(m string, i uint32, ex bool) (st vss.WriterStatus, err error) {
	defer o.enter(m, func() string { return strconv.FormatUint(uint64(i), 10) }, &err)()
	if e := o.statusReady(m); e != nil {
		return st, e
	}
	if int(i) >= len(o.statusRows) {
		return st, hrErr(vss.VSS_E_OBJECT_NOT_FOUND, m, "no writer at index %d (count %d)", i, len(o.statusRows))
	}
	if e := o.injected(); e != nil {
		return st, e
	}
	st = o.statusRows[i]
	row := st
	o.retFn = func() string { return row.Name + ", " + row.State.String() + ", " + row.Failure.String() }
	if !ex {
		st.ApplicationError, st.ApplicationMessage = vss.S_OK, ""
	}
	return st, nil
}

// GetWriterStatus mirrors IVssBackupComponents::GetWriterStatus. The call
// can succeed while the writer failed: check Failure and State.
func (o *BackupComponents) GetWriterStatus(i uint32) (vss.WriterStatus, error) {
	return o.writerStatus("GetWriterStatus", i, false)
}

// GetWriterStatusEx mirrors IVssBackupComponentsEx3::GetWriterStatusEx: as
// GetWriterStatus plus the application error and message.
func (o *BackupComponents) GetWriterStatusEx(i uint32) (vss.WriterStatus, error) {
	return o.writerStatus("GetWriterStatusEx", i, true)
}

// FreeWriterStatus mirrors IVssBackupComponents::FreeWriterStatus.
func (o *BackupComponents) FreeWriterStatus() (err error) {
	const m = "FreeWriterStatus"
	defer o.enter(m, nil, &err)()
	if e := o.statusReady(m); e != nil {
		return e
	}
	if e := o.injected(); e != nil {
		return e
	}
	o.statusFreed = true
	return nil
}

// SetBackupSucceeded mirrors IVssBackupComponents::SetBackupSucceeded.
func (o *BackupComponents) SetBackupSucceeded(instanceID, writerID vss.ID, ct vss.ComponentType, logicalPath, componentName string, succeeded bool) (err error) {
	const m = "SetBackupSucceeded"
	defer o.enter(m, func() string {
		return instanceID.String() + ", " + writerID.String() + ", " + ct.String() + ", " + quote(logicalPath) + ", " + quote(componentName) + ", " + strconv.FormatBool(succeeded)
	}, &err)()
	defer func() { o.checkSucceeded(writerID, logicalPath, componentName, succeeded, err) }()
	if ct != vss.VSS_CT_DATABASE && ct != vss.VSS_CT_FILEGROUP {
		return invalidArg(m, "%v is not VSS_CT_DATABASE or VSS_CT_FILEGROUP", ct)
	}
	if componentName == "" {
		return invalidArg(m, "the component name is required")
	}
	if e := o.common(m, false); e != nil {
		return e
	}
	if e := o.awaitObserved(m, "DoSnapshotSet"); e != nil {
		return e
	}
	switch {
	case o.snap != done:
		return o.badState(m, "§2.3#15", "SetBackupSucceeded comes after DoSnapshotSet succeeded (it is %v)", o.snap)
	case o.complete != notYet:
		return o.badState(m, "§1.4 SetBackupSucceeded", "SetBackupSucceeded must come before BackupComplete")
	}
	// The BCD identifies a component by writer class, logical path and
	// name (REFERENCE §1.2); a different instance id is only worth a note.
	bc := o.bcdFind(writerID, logicalPath, componentName)
	if bc == nil {
		return hrErr(vss.VSS_E_OBJECT_NOT_FOUND, m, "component %q of writer %v is not in the BCD", componentKey(logicalPath, componentName), writerID)
	}
	if e := o.injected(); e != nil {
		return e
	}
	if w := o.bcdWriter(writerID); w.InstanceID != instanceID {
		o.c.trace.add(Entry{T: o.c.now, Object: o.num, Kind: KindNote, Text: fmt.Sprintf("warning: SetBackupSucceeded names instance %v; the BCD has %v for writer %v", instanceID, w.InstanceID, writerID)})
	}
	bc.BackupSucceeded = succeeded
	return nil
}

// SaveAsXML mirrors IVssBackupComponents::SaveAsXML: the Backup Components
// Document.
func (o *BackupComponents) SaveAsXML() (xml string, err error) {
	const m = "SaveAsXML"
	c := o.c
	defer o.enter(m, nil, &err)()
	if e := o.common(m, true); e != nil {
		return "", e
	}
	if o.mode == modeBackup && o.prepare == notYet && o.writerContext() {
		return "", o.badState(m, "§2.3#17", "in a backup the BCD may not be saved before PrepareForBackup")
	}
	if e := o.injected(); e != nil {
		return "", e
	}
	s, e := o.bcdXML()
	if e != nil {
		return "", hrErr(c.unexpected(), m, "%v", e)
	}
	o.ret = fmt.Sprintf("%d bytes", len(s))
	return s, nil
}

// BackupComplete mirrors IVssBackupComponents::BackupComplete: it sends
// BackupComplete to the writers that took part.
func (o *BackupComponents) BackupComplete() (a vss.Async, err error) {
	const m = "BackupComplete"
	c := o.c
	defer o.enter(m, nil, &err)()
	if e := o.common(m, false); e != nil {
		return nil, e
	}
	switch {
	case !o.writerContext():
		return nil, o.badState(m, "§2.3#14", "context %v has no writers; BackupComplete fails there", o.context)
	case o.complete != notYet:
		return nil, o.badState(m, "§2.3#16", "BackupComplete was already called (%v)", o.complete)
	case o.pending != nil:
		return nil, o.badState(m, "§2.3#21", "%s is still running on this object", o.pending.method)
	case o.snap != done:
		return nil, o.badState(m, "§2.3#16", "BackupComplete only after DoSnapshotSet succeeded (it is %v) ([Obs] bareos#1923, cyphertite#9)", o.snap)
	}
	if e := o.awaitObserved(m); e != nil {
		return nil, e
	}
	if e := o.injected(); e != nil {
		return nil, e
	}
	op := c.newOp(o, m)
	o.complete = running
	o.startComplete(op)
	c.settle()
	return &Async{op: op}, nil
}

// AbortBackup mirrors IVssBackupComponents::AbortBackup: it sends Abort to
// the writers not yet past PostSnapshot and ends the backup. With nothing
// under way it is accepted and ignored (§2.3 row 23).
func (o *BackupComponents) AbortBackup() (err error) {
	const m = "AbortBackup"
	c := o.c
	defer o.enter(m, nil, &err)()
	switch {
	case o.released:
		return o.badState(m, "object released", "the object was released")
	case o.mode == modeNone:
		return o.badState(m, "§2.3#1", "the object is not initialised (the only BAD_STATE case the AbortBackup page gives)")
	}
	if e := o.injected(); e != nil {
		return e
	}
	if o.set == nil || o.ended() {
		c.trace.add(Entry{T: c.now, Object: o.num, Kind: KindNote, Text: "AbortBackup: nothing under way, ignored (§2.3#23)"})
		return nil
	}
	o.aborted = true
	// A cancelled operation still winding down ends first; a running one is
	// interrupted below (draining it would let it finish instead).
	c.drainIf(o, func(op *asyncOp) bool { return op.cancel })
	for _, op := range o.unseen {
		op.observed = true // the requestor gave the operation up
	}
	o.unseen = nil
	if op := o.pending; op != nil {
		op.observed = true
		// The running operation ends as failed-by-abort; its writers get
		// Abort once they have answered their current event.
		op.status = vss.VSS_S_ASYNC_CANCELLED
		op.cancel = true
		o.pending = nil
		c.trace.add(Entry{T: c.now, Object: o.num, Kind: KindNote, Text: op.method + " interrupted by AbortBackup"})
		o.onCancel(op)
		c.settle()
		c.drain(o)
		o.endCreation()
		return nil
	}
	o.sendAbort()
	o.endCreation()
	return nil
}

// Release mirrors IUnknown::Release on the last reference: BackupShutdown is
// sent to the writers that took part, and auto-release shadow copies are
// deleted (REFERENCE §1.1, Appendix B rule 7). Operations still running are
// first run to their end on the virtual clock.
func (o *BackupComponents) Release() (err error) {
	const m = "Release"
	c := o.c
	defer o.enter(m, nil, &err)()
	if o.released {
		return o.badState(m, "object released", "Release was already called")
	}
	if op := o.pending; op != nil {
		c.trace.add(Entry{T: c.now, Object: o.num, Kind: KindNote, Text: "Release while " + op.method + " is running: VSS finishes it first"})
	}
	c.drain(o)
	if o.set != nil && !o.ended() && o.snap != done && o.prepare == done {
		// Released after PrepareForBackup without AbortBackup (REFERENCE §2.1
		// abort path: before PrepareForBackup, or when it failed, a plain
		// Release is fine).
		c.trace.add(Entry{T: c.now, Object: o.num, Kind: KindNote, Text: "warning: released after PrepareForBackup without AbortBackup"})
		o.sendAbort()
	}
	o.endCreation()
	if o.mode == modeBackup && o.writerContext() {
		var shut []*session
		for _, s := range o.sessions {
			if s.prepared {
				shut = append(shut, s)
			}
		}
		setID := vss.ID{}
		if o.set != nil && o.snap == done {
			setID = o.set.id
		}
		o.syncEvent(EventBackupShutdown, shut, func(w Writer, ctx *WriterContext, s *session, _ []*Component) bool {
			return w.OnBackupShutdown(ctx, setID)
		})
	}
	// Transportable shadow copies are kept for ImportSnapshots ([Inf]: their
	// LUNs leave for another machine, which the object's Release cannot
	// reach).
	if o.set != nil && vss.VolumeSnapshotAttributes(o.set.ctx)&(vss.VSS_VOLSNAP_ATTR_NO_AUTO_RELEASE|vss.VSS_VOLSNAP_ATTR_TRANSPORTABLE) == 0 {
		n := 0
		for _, s := range o.set.snaps {
			if s.created && !s.deleted {
				s.deleted = true
				s.prop.Status = vss.VSS_SS_DELETED
				n++
			}
		}
		if n > 0 {
			c.trace.add(Entry{T: c.now, Object: o.num, Kind: KindNote, Text: fmt.Sprintf("%d auto-release shadow copies of set %v deleted", n, o.set.id)})
		}
	}
	if o.set != nil {
		o.set.released = true
		c.pruneSets()
	}
	o.released = true
	if !c.opts.Trace {
		delete(c.all, o.num) // no record is kept: see Coordinator.Check
	}
	return nil
}

// endCreation gives up the system-wide creation slot.
func (o *BackupComponents) endCreation() {
	if o.c.creator == o {
		o.c.creator = nil
	}
}
