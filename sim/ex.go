package sim

import (
	"fmt"
	"strings"
	"time"

	"github.com/vsssim/vsssim/requestor/vss"
)

// The IVssBackupComponents methods past slot 39 and the Ex–Ex4 additions
// (REFERENCE §1.2 slots 40–64, issue 10): import, break, expose, revert,
// LUN resynchronisation, the session id and path normalisation. Their
// return codes come from their Microsoft Learn pages (sdk-api
// nf-vsbackup-ivssbackupcomponents*-<method>.md); the choices the pages
// leave open are the fields of ExOptions.

// ExOptions are the model's choices for the management and Ex–Ex4 methods
// (a field of Options; DefaultExOptions gives the documented defaults).
type ExOptions struct {
	// ManagementNeedsInitialize makes BreakSnapshotSet, BreakSnapshotSetEx,
	// RevertToSnapshot and QueryRevertStatus on an uninitialised object
	// return VSS_E_BAD_STATE, as DeleteSnapshots does (§8 C14: their pages
	// list no VSS_E_BAD_STATE; every known caller, VShadow included,
	// initialises first). Default true.
	ManagementNeedsInitialize bool

	// ExposeNonPersistentIsBadState makes ExposeSnapshot of a
	// non-persistent shadow copy as a local drive letter or folder return
	// VSS_E_BAD_STATE. Default false: E_INVALIDARG, as hobocopy saw
	// exposing a VSS_CTX_BACKUP shadow copy locally ([Obs]
	// candera/hobocopy#15). Either way only persistent shadow copies can be
	// exposed locally (win32 "Exposing and Surfacing Shadow Copied
	// Volumes").
	ExposeNonPersistentIsBadState bool

	// RevertDuration is how long a revert runs on the virtual clock before
	// the volume holds the shadow copy's contents ([Inf]; the pages say
	// only that it goes on across reboots and cannot be cancelled).
	// QueryRevertStatus returns an IVssAsync that finishes then. Default
	// 10 s.
	RevertDuration time.Duration

	// RevertProviders are the provider types whose shadow copies
	// RevertToSnapshot can revert to; for others it returns E_NOTIMPL ("the
	// provider for the volume does not support revert operations"; which
	// providers do is not published, [Inf]). Default system and hardware.
	RevertProviders []vss.ProviderType

	// ImportDuration is how long ImportSnapshots takes on the virtual
	// clock (surfacing the LUNs; [Inf], not published). Default 0.
	ImportDuration time.Duration

	// RevertKeepsSnapshot keeps the shadow copy a volume was reverted to.
	// Default false: it is deleted when the revert completes (its
	// differences were written back to the volume, [Inf]).
	RevertKeepsSnapshot bool
}

// DefaultExOptions returns the documented defaults of ExOptions.
func DefaultExOptions() ExOptions {
	return ExOptions{
		ManagementNeedsInitialize: true,
		RevertDuration:            10 * time.Second,
		RevertProviders:           []vss.ProviderType{vss.VSS_PROV_SYSTEM, vss.VSS_PROV_HARDWARE},
	}
}

// exState is the coordinator's state for these methods.
type exState struct {
	reverts   []*revert
	inUse     map[string]bool // lower-case volume names locked by other programs
	importer  *BackupComponents
	resyncing *BackupComponents
	clock     *BackupComponents // owns background operations (reverts)
}

// revert is one volume revert in progress (RevertToSnapshot).
type revert struct {
	volume *Volume
	snap   *snapshot
	end    time.Duration
	done   bool
}

// objectEx is one object's state for these methods.
type objectEx struct {
	importBCD   string // the BCD given to InitializeForBackup
	session     vss.ID
	recoverySet []*snapshot
	recovered   progress
	imported    progress
}

// The methods of this file that a restore object takes too (mode B/R or M
// in REFERENCE §1.2).
func init() {
	for _, m := range []string{"GetWriterMetadataEx", "GetSessionId", "GetRootAndLogicalPrefixPaths",
		"BreakSnapshotSet", "BreakSnapshotSetEx", "RevertToSnapshot", "QueryRevertStatus",
		"AddSnapshotToRecoverySet", "RecoverSet", "PreFastRecovery", "FastRecovery"} {
		bothModes[m] = true
	}
	for _, m := range []string{"BreakSnapshotSetEx", "RecoverSet", "PreFastRecovery", "FastRecovery"} {
		asyncMethods[m] = true
	}
}

// SetVolumeInUse says whether another program holds volume open, so that
// RevertToSnapshot without bForceDismount cannot lock it
// (VSS_E_VOLUME_IN_USE). A simulator-only control.
func (c *Coordinator) SetVolumeInUse(volume string, inUse bool) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	v := c.volume(volume)
	if v == nil {
		return fmt.Errorf("sim: no volume %q", volume)
	}
	if c.ex.inUse == nil {
		c.ex.inUse = map[string]bool{}
	}
	c.ex.inUse[strings.ToLower(v.Name)] = inUse
	return nil
}

// manage applies the state checks of the management calls whose pages
// list no VSS_E_BAD_STATE (ExOptions.ManagementNeedsInitialize), then the
// privilege check and injected faults.
func (o *BackupComponents) manage(m string) error {
	switch {
	case o.released:
		return o.badState(m, "object released", "the object was released")
	case o.mode == modeNone && o.c.opts.Ex.ManagementNeedsInitialize:
		return o.badState(m, "§8 C14 management", "the object is not initialised (Options.Ex.ManagementNeedsInitialize)")
	}
	return o.access(m)
}

// access is E_ACCESSDENIED for a caller without the backup privilege, then
// the injected fault, if any.
func (o *BackupComponents) access(m string) error {
	if o.c.noAccess {
		return hrErr(vss.E_ACCESSDENIED, m, "the caller lacks the backup privilege or is not an administrator")
	}
	return o.injected()
}

// liveSnapshot finds a created, not deleted shadow copy visible in the
// object's context.
func (o *BackupComponents) liveSnapshot(id vss.ID) (*snapshot, *snapshotSet) {
	for _, set := range o.c.sets {
		if !o.visible(set) {
			continue
		}
		for _, s := range set.snaps {
			if s.prop.SnapshotID == id && s.created && !s.deleted {
				return s, set
			}
		}
	}
	return nil, nil
}

// liveSet returns the created, not deleted shadow copies of set id visible
// in the object's context.
func (o *BackupComponents) liveSet(id vss.ID) []*snapshot {
	var out []*snapshot
	for _, set := range o.c.sets {
		if set.id != id || !o.visible(set) {
			continue
		}
		for _, s := range set.snaps {
			if s.created && !s.deleted {
				out = append(out, s)
			}
		}
	}
	return out
}

func (c *Coordinator) providerType(id vss.ID) vss.ProviderType {
	if p := c.provider(id); p != nil {
		return p.Type
	}
	return vss.VSS_PROV_UNKNOWN
}

// ImportSnapshots mirrors IVssBackupComponents::ImportSnapshots: it
// imports the transportable shadow copy set the BCD given to
// InitializeForBackup describes. The shadow copies then carry
// VSS_VOLSNAP_ATTR_IMPORTED. Only hardware providers make transportable
// shadow copies; only one import runs at a time.
func (o *BackupComponents) ImportSnapshots() (a vss.Async, err error) {
	const m = "ImportSnapshots"
	c := o.c
	defer o.enter(m, nil, &err)()
	if e := o.common(m, true); e != nil {
		return nil, e
	}
	var set *snapshotSet
	if o.ex.importBCD != "" {
		if d, e := vss.LoadBackupComponents([]byte(o.ex.importBCD)); e == nil {
			for _, s := range c.sets {
				if s.id == d.SnapshotSetID && !d.SnapshotSetID.IsNull() {
					set = s
				}
			}
		}
	}
	switch {
	case o.ex.importBCD == "":
		return nil, o.badState(m, "§1.2 ImportSnapshots", "ImportSnapshots needs an object initialised with InitializeForBackup(BCD of a transportable shadow copy set)")
	case set == nil || vss.VolumeSnapshotAttributes(set.ctx)&vss.VSS_VOLSNAP_ATTR_TRANSPORTABLE == 0 || !setCreated(set):
		return nil, o.badState(m, "§1.2 ImportSnapshots", "the BCD describes no created transportable shadow copy set")
	case o.ex.imported != notYet:
		return nil, o.badState(m, "§1.2 ImportSnapshots", "this object already imported its set (%v)", o.ex.imported)
	case o.pending != nil:
		return nil, o.badState(m, "§2.3#21", "%s is still running on this object", o.pending.method)
	case o.unobserved() != nil:
		return nil, o.awaitObserved(m)
	case c.ex.importer != nil:
		return nil, o.badState(m, "§1.4 ImportSnapshots", "object #%d is importing a shadow copy set; only one import runs at a time", c.ex.importer.num)
	}
	if e := o.access(m); e != nil {
		return nil, e
	}
	c.ex.importer = o
	return o.simpleOp(m, c.opts.Ex.ImportDuration, &o.ex.imported, func() (vss.HRESULT, string) {
		for _, s := range set.snaps {
			s.prop.SnapshotAttributes |= vss.VSS_VOLSNAP_ATTR_IMPORTED
		}
		return vss.VSS_S_ASYNC_FINISHED, fmt.Sprintf("set %v imported (%d shadow copies)", set.id, len(set.snaps))
	}, func() { c.ex.importer = nil }), nil
}

// simpleOp starts the IVssAsync operation of m that ends after d: with an
// injected async fault, else with body's status. phase (if not nil)
// follows it; cleanup runs at its end either way.
func (o *BackupComponents) simpleOp(m string, d time.Duration, phase *progress, body func() (vss.HRESULT, string), cleanup func()) *Async {
	c := o.c
	var dummy progress
	if phase == nil {
		phase = &dummy
	}
	op := c.newOp(o, m)
	*phase = running
	op.at = c.now + d
	op.step = func() {
		if cleanup != nil {
			cleanup()
		}
		if hr, ok := c.fault(o, m, true); ok {
			*phase = failed
			c.finish(op, hr, "injected fault")
			return
		}
		hr, text := body()
		*phase = done
		if hr.Failed() {
			*phase = failed
		}
		c.finish(op, hr, text)
	}
	c.settle()
	return &Async{op: op}
}

func setCreated(set *snapshotSet) bool {
	for _, s := range set.snaps {
		if !s.created || s.deleted {
			return false
		}
	}
	return len(set.snaps) > 0
}

// BreakSnapshotSet mirrors IVssBackupComponents::BreakSnapshotSet: VSS
// forgets a hardware shadow copy set; its shadow copies become plain
// volumes (read-only). A set made by a software or the system provider
// cannot be broken (VSS_E_PROVIDER_VETO).
func (o *BackupComponents) BreakSnapshotSet(snapshotSetID vss.ID) (err error) {
	const m = "BreakSnapshotSet"
	defer o.enter(m, func() string { return snapshotSetID.String() }, &err)()
	if snapshotSetID.IsNull() {
		return invalidArg(m, "the snapshot set id is GUID_NULL")
	}
	if e := o.manage(m); e != nil {
		return e
	}
	snaps, e := o.breakable(m, snapshotSetID)
	if e != nil {
		return e
	}
	o.breakSet(snaps, 0)
	return nil
}

// breakable finds the set to break: it exists in this context and its
// provider is a hardware provider.
func (o *BackupComponents) breakable(m string, id vss.ID) ([]*snapshot, error) {
	snaps := o.liveSet(id)
	if len(snaps) == 0 {
		return nil, hrErr(vss.VSS_E_OBJECT_NOT_FOUND, m, "no shadow copy set %v in context %v", id, o.context)
	}
	for _, s := range snaps {
		if t := o.c.providerType(s.prop.ProviderID); t != vss.VSS_PROV_HARDWARE {
			return nil, hrErr(vss.VSS_E_PROVIDER_VETO, m, "shadow copy %v was made by a %v provider; only hardware shadow copies can be broken", s.prop.SnapshotID, t)
		}
	}
	return snaps, nil
}

// breakSet turns the shadow copies into plain volumes, unless their LUNs
// are masked (VSS_BREAKEX_FLAG_MASK_LUNS).
func (o *BackupComponents) breakSet(snaps []*snapshot, flags vss.HardwareOptions) {
	c := o.c
	for _, s := range snaps {
		s.deleted = true
		s.prop.Status = vss.VSS_SS_DELETED
	}
	mode := "read-only"
	if flags&vss.VSS_BREAKEX_FLAG_MAKE_READ_WRITE != 0 {
		mode = "read-write"
	}
	if flags&vss.VSS_BREAKEX_FLAG_MASK_LUNS != 0 {
		c.trace.add(Entry{T: c.now, Object: o.num, Kind: KindNote, Text: fmt.Sprintf("set broken: %d shadow copy LUNs masked", len(snaps))})
		return
	}
	for _, s := range snaps {
		v := &Volume{Name: s.prop.SnapshotDeviceObject + `\`, GUIDName: `\\?\Volume{` + c.newID().String() + `}\`, MaxShadowCopies: 512}
		c.volumes = append(c.volumes, v)
	}
	c.trace.add(Entry{T: c.now, Object: o.num, Kind: KindNote, Text: fmt.Sprintf("set broken: %d shadow copies are now %s volumes", len(snaps), mode)})
}

// BreakSnapshotSetEx mirrors IVssBackupComponentsEx2::BreakSnapshotSetEx:
// BreakSnapshotSet with VSS_HARDWARE_OPTIONS and an IVssAsync. Reverting
// the disk identities (VSS_BREAKEX_FLAG_REVERT_IDENTITY_ALL) fails with
// VSS_E_BREAK_REVERT_ID_FAILED while the original LUNs are visible, that
// is for a set that was not imported from another machine ([Inf]).
func (o *BackupComponents) BreakSnapshotSetEx(snapshotSetID vss.ID, flags vss.HardwareOptions) (a vss.Async, err error) {
	const m = "BreakSnapshotSetEx"
	defer o.enter(m, func() string { return fmt.Sprintf("%v, %v", snapshotSetID, flags) }, &err)()
	const valid = vss.VSS_BREAKEX_FLAG_MASK_LUNS | vss.VSS_BREAKEX_FLAG_MAKE_READ_WRITE |
		vss.VSS_BREAKEX_FLAG_REVERT_IDENTITY_ALL | vss.VSS_BREAKEX_FLAG_REVERT_IDENTITY_NONE
	switch {
	case snapshotSetID.IsNull():
		return nil, invalidArg(m, "the snapshot set id is GUID_NULL")
	case flags&^valid != 0:
		return nil, invalidArg(m, "%v are not VSS_BREAKEX_FLAG_* bits", flags&^valid)
	case flags&vss.VSS_BREAKEX_FLAG_REVERT_IDENTITY_ALL != 0 && flags&vss.VSS_BREAKEX_FLAG_REVERT_IDENTITY_NONE != 0:
		return nil, invalidArg(m, "REVERT_IDENTITY_ALL and REVERT_IDENTITY_NONE exclude each other")
	}
	if e := o.manage(m); e != nil {
		return nil, e
	}
	if o.pending != nil {
		return nil, o.badState(m, "§2.3#21", "%s is still running on this object", o.pending.method)
	}
	if e := o.awaitObserved(m); e != nil {
		return nil, e
	}
	snaps, e := o.breakable(m, snapshotSetID)
	if e != nil {
		return nil, e
	}
	return o.simpleOp(m, 0, nil, func() (vss.HRESULT, string) {
		if flags&vss.VSS_BREAKEX_FLAG_REVERT_IDENTITY_ALL != 0 {
			for _, s := range snaps {
				if s.prop.SnapshotAttributes&vss.VSS_VOLSNAP_ATTR_IMPORTED == 0 {
					return vss.VSS_E_BREAK_REVERT_ID_FAILED, "the original LUNs are visible on this machine: reverting the disk identities would collide"
				}
			}
		}
		o.breakSet(snaps, flags)
		return vss.VSS_S_ASYNC_FINISHED, fmt.Sprintf("set %v broken", snapshotSetID)
	}, nil), nil
}

// ExposeSnapshot mirrors IVssBackupComponents::ExposeSnapshot: locally as
// a drive letter ("X:") or a mounted folder, or remotely as a share. The
// exposed name (and for a share the path from the root) then show in
// VSS_SNAPSHOT_PROP (GetSnapshotProperties, Query) with
// VSS_VOLSNAP_ATTR_EXPOSED_LOCALLY or _REMOTELY.
func (o *BackupComponents) ExposeSnapshot(snapshotID vss.ID, pathFromRoot string, attributes vss.VolumeSnapshotAttributes, expose string) (exposed string, err error) {
	const m = "ExposeSnapshot"
	c := o.c
	defer o.enter(m, func() string {
		return fmt.Sprintf("%v, %s, %v, %s", snapshotID, quote(pathFromRoot), attributes, quote(expose))
	}, &err)()
	local := attributes == vss.VSS_VOLSNAP_ATTR_EXPOSED_LOCALLY
	switch {
	case snapshotID.IsNull():
		return "", invalidArg(m, "the snapshot id is GUID_NULL")
	case !local && attributes != vss.VSS_VOLSNAP_ATTR_EXPOSED_REMOTELY:
		return "", invalidArg(m, "lAttributes must be VSS_VOLSNAP_ATTR_EXPOSED_LOCALLY or VSS_VOLSNAP_ATTR_EXPOSED_REMOTELY, not %v", attributes)
	case local && pathFromRoot != "":
		return "", invalidArg(m, "wszPathFromRoot must be NULL when exposing locally")
	case strings.ContainsAny(pathFromRoot, "%*?"):
		return "", invalidArg(m, "wszPathFromRoot %q holds an environment variable or a wildcard", pathFromRoot)
	case local && !localExposeName(expose):
		return "", invalidArg(m, "%q is neither a drive letter followed by a colon (\"X:\") nor a mounted folder path", expose)
	case !local && strings.ContainsAny(expose, `\/:*?"<>|`):
		return "", invalidArg(m, "%q is not a share name", expose)
	}
	if e := o.common(m, true); e != nil {
		return "", e
	}
	s, set := o.liveSnapshot(snapshotID)
	if s != nil && local && vss.VolumeSnapshotAttributes(set.ctx)&vss.VSS_VOLSNAP_ATTR_PERSISTENT == 0 && c.opts.Ex.ExposeNonPersistentIsBadState {
		return "", o.badState(m, "§1.2 ExposeSnapshot", "only persistent shadow copies can be exposed locally (Options.Ex.ExposeNonPersistentIsBadState)")
	}
	if e := o.access(m); e != nil {
		return "", e
	}
	if s == nil {
		return "", hrErr(vss.VSS_E_OBJECT_NOT_FOUND, m, "no shadow copy %v in context %v", snapshotID, o.context)
	}
	attrs := vss.VolumeSnapshotAttributes(set.ctx)
	switch {
	case local && attrs&vss.VSS_VOLSNAP_ATTR_PERSISTENT == 0:
		return "", invalidArg(m, "only persistent shadow copies can be exposed locally; %v was made in %v ([Obs] hobocopy#15)", snapshotID, set.ctx)
	case attrs&vss.VSS_VOLSNAP_ATTR_CLIENT_ACCESSIBLE != 0:
		return "", invalidArg(m, "client-accessible shadow copies cannot be exposed (VShadow sample)")
	case s.prop.ExposedName != "":
		return "", invalidArg(m, "shadow copy %v is already exposed as %q", snapshotID, s.prop.ExposedName)
	}
	if !local && expose == "" {
		expose = fmt.Sprintf("ShadowCopy%s", strings.TrimPrefix(s.prop.SnapshotDeviceObject, `\\?\GLOBALROOT\Device\HarddiskVolumeShadowCopy`))
	}
	if local && len(expose) > 2 && !strings.HasSuffix(expose, `\`) {
		expose += `\`
	}
	if local && c.volume(expose) != nil || local && len(expose) == 2 && c.volume(expose+`\`) != nil {
		return "", invalidArg(m, "%q is in use by a volume", expose)
	}
	if local && len(expose) > 2 && c.volume(expose[:3]) == nil {
		return "", invalidArg(m, "the mounted folder %q is on no volume", expose)
	}
	for _, set := range c.sets {
		for _, x := range set.snaps {
			if !x.deleted && strings.EqualFold(x.prop.ExposedName, expose) {
				return "", invalidArg(m, "%q already exposes shadow copy %v", expose, x.prop.SnapshotID)
			}
		}
	}
	s.prop.ExposedName, s.prop.ExposedPath = expose, pathFromRoot
	s.prop.SnapshotAttributes |= attributes
	o.ret = "exposed as " + quote(expose)
	return expose, nil
}

// localExposeName reports whether name is a drive letter with a colon or
// a mounted folder path ("Y:\MountX"); "X:\" is neither ([Obs]
// hobocopy#15 got E_INVALIDARG for "N:\").
func localExposeName(name string) bool {
	if len(name) < 2 || name[1] != ':' || !('a' <= name[0]|0x20 && name[0]|0x20 <= 'z') {
		return false
	}
	if len(name) == 2 {
		return true
	}
	return len(name) > 3 && name[2] == '\\' && !strings.ContainsAny(name[3:], `/:*?"<>|`)
}

// UnexposeSnapshot mirrors IVssBackupComponentsEx2::UnexposeSnapshot.
func (o *BackupComponents) UnexposeSnapshot(snapshotID vss.ID) (err error) {
	const m = "UnexposeSnapshot"
	defer o.enter(m, func() string { return snapshotID.String() }, &err)()
	if snapshotID.IsNull() {
		return invalidArg(m, "the snapshot id is GUID_NULL")
	}
	if e := o.common(m, true); e != nil {
		return e
	}
	if e := o.access(m); e != nil {
		return e
	}
	s, _ := o.liveSnapshot(snapshotID)
	switch {
	case s == nil:
		return hrErr(vss.VSS_E_OBJECT_NOT_FOUND, m, "no shadow copy %v in context %v", snapshotID, o.context)
	case s.prop.ExposedName == "":
		return hrErr(vss.VSS_E_OBJECT_NOT_FOUND, m, "shadow copy %v is not exposed", snapshotID)
	}
	o.ret = "was " + quote(s.prop.ExposedName)
	s.prop.ExposedName, s.prop.ExposedPath = "", ""
	s.prop.SnapshotAttributes &^= vss.VSS_VOLSNAP_ATTR_EXPOSED_LOCALLY | vss.VSS_VOLSNAP_ATTR_EXPOSED_REMOTELY
	return nil
}

// RevertToSnapshot mirrors IVssBackupComponents::RevertToSnapshot: the
// volume starts going back to a persistent shadow copy; the revert runs
// for ExOptions.RevertDuration and cannot be cancelled. QueryRevertStatus
// follows it.
func (o *BackupComponents) RevertToSnapshot(snapshotID vss.ID, forceDismount bool) (err error) {
	const m = "RevertToSnapshot"
	c := o.c
	defer o.enter(m, func() string { return fmt.Sprintf("%v, force=%v", snapshotID, forceDismount) }, &err)()
	if snapshotID.IsNull() {
		return invalidArg(m, "the snapshot id is GUID_NULL")
	}
	if e := o.manage(m); e != nil {
		return e
	}
	s, set := o.liveSnapshot(snapshotID)
	if s == nil {
		return hrErr(vss.VSS_E_OBJECT_NOT_FOUND, m, "no shadow copy %v in context %v", snapshotID, o.context)
	}
	p := c.provider(s.prop.ProviderID)
	switch {
	case vss.VolumeSnapshotAttributes(set.ctx)&vss.VSS_VOLSNAP_ATTR_PERSISTENT == 0:
		return hrErr(vss.VSS_E_UNSUPPORTED_CONTEXT, m, "revert is only for persistent shadow copies; %v was made in %v", snapshotID, set.ctx)
	case p == nil:
		return hrErr(vss.VSS_E_PROVIDER_NOT_REGISTERED, m, "provider %v is not registered", s.prop.ProviderID)
	case !containsType(c.opts.Ex.RevertProviders, p.Type):
		return hrErr(vss.E_NOTIMPL, m, "the %v provider %q does not support revert (Options.Ex.RevertProviders)", p.Type, p.Name)
	case s.volume.Unsupported || s.volume.Nested:
		return hrErr(vss.VSS_E_VOLUME_NOT_SUPPORTED, m, "revert is not supported on volume %q", s.volume.Name)
	case c.reverting(s.volume) != nil:
		return hrErr(vss.VSS_E_REVERT_IN_PROGRESS, m, "volume %q is already being reverted", s.volume.Name)
	case !forceDismount && c.ex.inUse[strings.ToLower(s.volume.Name)]:
		return hrErr(vss.VSS_E_VOLUME_IN_USE, m, "volume %q is in use and cannot be locked (bForceDismount is FALSE)", s.volume.Name)
	}
	rv := &revert{volume: s.volume, snap: s, end: c.now + c.opts.Ex.RevertDuration}
	c.ex.reverts = append(c.ex.reverts, rv)
	if c.ex.clock == nil {
		c.ex.clock = &BackupComponents{c: c}
	}
	c.opSeq++
	bg := &asyncOp{id: c.opSeq, o: c.ex.clock, method: "revert", status: vss.VSS_S_ASYNC_PENDING, at: rv.end}
	bg.step = func() {
		rv.done = true
		if !c.opts.Ex.RevertKeepsSnapshot && !rv.snap.deleted {
			rv.snap.deleted = true
			rv.snap.prop.Status = vss.VSS_SS_DELETED
		}
		c.trace.add(Entry{T: c.now, Object: o.num, Kind: KindNote, Text: fmt.Sprintf("revert of %s to shadow copy %v complete", rv.volume.Name, rv.snap.prop.SnapshotID)})
		c.dropOp(bg)
	}
	c.ops = append(c.ops, bg)
	o.ret = fmt.Sprintf("reverting %s", quote(s.volume.Name))
	c.settle()
	return nil
}

// dropOp removes a background operation from the clock.
func (c *Coordinator) dropOp(op *asyncOp) {
	for i, x := range c.ops {
		if x == op {
			c.ops = append(c.ops[:i:i], c.ops[i+1:]...)
			return
		}
	}
}

func containsType(list []vss.ProviderType, t vss.ProviderType) bool {
	for _, x := range list {
		if x == t {
			return true
		}
	}
	return false
}

// reverting returns the revert running on v, if any.
func (c *Coordinator) reverting(v *Volume) *revert {
	for _, rv := range c.ex.reverts {
		if rv.volume == v && !rv.done {
			return rv
		}
	}
	return nil
}

// QueryRevertStatus mirrors IVssBackupComponents::QueryRevertStatus: an
// IVssAsync that finishes when the volume's revert does. It cannot be
// cancelled (its QueryStatus never reports VSS_S_ASYNC_CANCELLED). With no
// revert running on the volume it returns VSS_E_OBJECT_NOT_FOUND, which
// VShadow takes as "nothing left to track" ([Inf] from the VShadow
// sample).
func (o *BackupComponents) QueryRevertStatus(volume string) (a vss.Async, err error) {
	const m = "QueryRevertStatus"
	c := o.c
	defer o.enter(m, func() string { return quote(volume) }, &err)()
	if volume == "" || !strings.HasSuffix(volume, `\`) {
		return nil, invalidArg(m, "the volume name %q must end with a backslash", volume)
	}
	if e := o.manage(m); e != nil {
		return nil, e
	}
	v := c.volume(volume)
	switch {
	case v == nil:
		return nil, hrErr(vss.VSS_E_OBJECT_NOT_FOUND, m, "%q is not a volume", volume)
	case v.Unsupported || v.Nested:
		return nil, hrErr(vss.VSS_E_VOLUME_NOT_SUPPORTED, m, "revert is not supported on volume %q", volume)
	case o.pending != nil:
		return nil, o.badState(m, "§2.3#21", "%s is still running on this object", o.pending.method)
	case o.unobserved() != nil:
		return nil, o.awaitObserved(m)
	}
	rv := c.reverting(v)
	if rv == nil {
		return nil, hrErr(vss.VSS_E_OBJECT_NOT_FOUND, m, "no revert is running on %q", volume)
	}
	a = o.simpleOp(m, rv.end-c.now, nil, func() (vss.HRESULT, string) {
		return vss.VSS_S_ASYNC_FINISHED, fmt.Sprintf("%s reverted", v.Name)
	}, nil)
	a.(*Async).op.noCancel = true
	return a, nil
}

// GetWriterMetadataEx mirrors IVssBackupComponentsEx::GetWriterMetadataEx:
// GetWriterMetadata through IVssExamineWriterMetadataEx (the WMD with its
// instance name).
func (o *BackupComponents) GetWriterMetadataEx(i uint32) (vss.ID, *vss.WriterMetadata, error) {
	return o.writerMetadata("GetWriterMetadataEx", i)
}

// PreFastRecovery mirrors IVssBackupComponentsEx2::PreFastRecovery, which
// its page calls "not supported, reserved for future use": it returns
// E_NOTIMPL ([Inf]: the standard COM code for a method with no
// implementation).
func (o *BackupComponents) PreFastRecovery(snapshotSetID vss.ID, flags uint32) (a vss.Async, err error) {
	return o.reserved("PreFastRecovery", snapshotSetID, flags)
}

// FastRecovery mirrors IVssBackupComponentsEx2::FastRecovery: reserved,
// E_NOTIMPL like PreFastRecovery.
func (o *BackupComponents) FastRecovery(snapshotSetID vss.ID, flags uint32) (a vss.Async, err error) {
	return o.reserved("FastRecovery", snapshotSetID, flags)
}

func (o *BackupComponents) reserved(m string, id vss.ID, flags uint32) (a vss.Async, err error) {
	defer o.enter(m, func() string { return fmt.Sprintf("%v, 0x%X", id, flags) }, &err)()
	return nil, hrErr(vss.E_NOTIMPL, m, "reserved for future use (its page: not supported)")
}

// AddSnapshotToRecoverySet mirrors
// IVssBackupComponentsEx3::AddSnapshotToRecoverySet: it names a hardware
// shadow copy of the restore BCD's set whose LUN RecoverSet resynchronises
// to its original volume (or to destinationVolume). dwFlags is reserved
// and must be 0.
func (o *BackupComponents) AddSnapshotToRecoverySet(snapshotID vss.ID, flags uint32, destinationVolume string) (err error) {
	const m = "AddSnapshotToRecoverySet"
	c := o.c
	defer o.enter(m, func() string { return fmt.Sprintf("%v, 0x%X, %s", snapshotID, flags, quote(destinationVolume)) }, &err)()
	switch {
	case snapshotID.IsNull():
		return invalidArg(m, "the snapshot id is GUID_NULL")
	case flags != 0:
		return invalidArg(m, "dwFlags is reserved and must be 0")
	}
	if e := o.resyncState(m); e != nil {
		return e
	}
	if o.ex.recovered != notYet {
		return o.badState(m, "§1.2 RecoverSet", "RecoverSet was already called (%v)", o.ex.recovered)
	}
	if e := o.injected(); e != nil {
		return e
	}
	if c.ex.resyncing != nil {
		return hrErr(vss.VSS_E_RESYNC_IN_PROGRESS, m, "object #%d is resynchronising LUNs", c.ex.resyncing.num)
	}
	var s *snapshot
	for _, set := range c.sets {
		for _, x := range set.snaps {
			if x.prop.SnapshotID == snapshotID && x.created && !x.deleted {
				s = x
			}
		}
	}
	if s == nil || c.providerType(s.prop.ProviderID) != vss.VSS_PROV_HARDWARE {
		return hrErr(vss.VSS_E_OBJECT_NOT_FOUND, m, "no hardware provider owns shadow copy %v", snapshotID)
	}
	if o.doc.SnapshotSetID != s.prop.SnapshotSetID {
		return hrErr(vss.VSS_E_SNAPSHOT_NOT_IN_SET, m, "shadow copy %v is not in the Backup Components Document's set %v", snapshotID, o.doc.SnapshotSetID)
	}
	if destinationVolume != "" {
		v := c.volume(destinationVolume)
		if v == nil || v.Unsupported || v.Nested {
			return hrErr(vss.VSS_E_VOLUME_NOT_SUPPORTED, m, "LUN resynchronisation is not supported to %q", destinationVolume)
		}
	}
	for _, x := range o.ex.recoverySet {
		if x == s {
			o.ret = "already in the recovery set"
			return nil
		}
	}
	o.ex.recoverySet = append(o.ex.recoverySet, s)
	o.ret = fmt.Sprintf("%d in the recovery set", len(o.ex.recoverySet))
	return nil
}

// resyncState is the shared state check of AddSnapshotToRecoverySet and
// RecoverSet: LUN resynchronisation runs on an object initialised with
// InitializeForRestore (RecoverSet page) and needs a hardware provider.
func (o *BackupComponents) resyncState(m string) error {
	if e := o.common(m, false); e != nil {
		return e
	}
	if o.mode != modeRestore {
		return o.badState(m, "§1.2 RecoverSet", "LUN resynchronisation needs an object initialised with InitializeForRestore")
	}
	for _, p := range o.c.provs {
		if p.Type == vss.VSS_PROV_HARDWARE {
			return nil
		}
	}
	return o.badState(m, "§1.2 RecoverSet", "no hardware provider is registered to resynchronise LUNs")
}

// RecoverSet mirrors IVssBackupComponentsEx3::RecoverSet: the LUN
// resynchronisation of the shadow copies added with
// AddSnapshotToRecoverySet.
func (o *BackupComponents) RecoverSet(flags vss.RecoveryOptions) (a vss.Async, err error) {
	const m = "RecoverSet"
	c := o.c
	defer o.enter(m, func() string { return flags.String() }, &err)()
	if flags&^(vss.VSS_RECOVERY_REVERT_IDENTITY_ALL|vss.VSS_RECOVERY_NO_VOLUME_CHECK) != 0 {
		return nil, invalidArg(m, "%v are not VSS_RECOVERY_OPTIONS bits", flags)
	}
	if e := o.resyncState(m); e != nil {
		return nil, e
	}
	switch {
	case len(o.ex.recoverySet) == 0:
		return nil, o.badState(m, "§1.2 RecoverSet", "no shadow copy was added to the recovery set (AddSnapshotToRecoverySet)")
	case o.ex.recovered != notYet:
		return nil, o.badState(m, "§1.2 RecoverSet", "RecoverSet was already called (%v)", o.ex.recovered)
	case o.pending != nil:
		return nil, o.badState(m, "§2.3#21", "%s is still running on this object", o.pending.method)
	case o.unobserved() != nil:
		return nil, o.awaitObserved(m)
	}
	if e := o.injected(); e != nil {
		return nil, e
	}
	if c.ex.resyncing != nil {
		return nil, hrErr(vss.VSS_E_RESYNC_IN_PROGRESS, m, "object #%d is resynchronising LUNs", c.ex.resyncing.num)
	}
	c.ex.resyncing = o
	return o.simpleOp(m, 0, &o.ex.recovered, func() (vss.HRESULT, string) {
		return vss.VSS_S_ASYNC_FINISHED, fmt.Sprintf("%d LUNs resynchronised", len(o.ex.recoverySet))
	}, func() { c.ex.resyncing = nil }), nil
}

// GetSessionId mirrors IVssBackupComponentsEx3::GetSessionId: the id of
// this backup or restore session, drawn from the coordinator's ids on the
// first request ([Inf]: the page says only that it is opaque and unique).
func (o *BackupComponents) GetSessionId() (id vss.ID, err error) {
	const m = "GetSessionId"
	defer o.enter(m, nil, &err)()
	if e := o.common(m, true); e != nil {
		return vss.ID{}, e
	}
	if e := o.injected(); e != nil {
		return vss.ID{}, e
	}
	if o.ex.session.IsNull() {
		o.ex.session = o.c.newID()
	}
	sid := o.ex.session
	o.retFn = func() string { return "session " + sid.String() }
	return sid, nil
}

// GetRootAndLogicalPrefixPaths mirrors
// IVssBackupComponentsEx4::GetRootAndLogicalPrefixPaths: a local path
// splits into its volume's mount point (GetVolumePathName) and volume GUID
// name (GetVolumeNameForVolumeMountPoint); a UNC path into its share root
// and the share path, with the server as a fully qualified name when
// normalizeFQDN (the simulated machine's domain is "vsssim.test", [Inf]).
// A path on no known volume is VSS_E_OBJECT_NOT_FOUND and an empty or
// relative one E_INVALIDARG ([Inf]: the page lists only S_OK and
// E_OUTOFMEMORY).
func (o *BackupComponents) GetRootAndLogicalPrefixPaths(filePath string, normalizeFQDN bool) (root, prefix string, err error) {
	const m = "GetRootAndLogicalPrefixPaths"
	c := o.c
	defer o.enter(m, func() string { return fmt.Sprintf("%s, fqdn=%v", quote(filePath), normalizeFQDN) }, &err)()
	unc := strings.HasPrefix(filePath, `\\`) && !strings.HasPrefix(filePath, `\\?\`)
	if !unc && !localExposeName(strings.TrimSuffix(filePath, `\`)) && !(len(filePath) == 3 && localExposeName(filePath[:2]) && filePath[2] == '\\') {
		return "", "", invalidArg(m, "%q is neither a local absolute path nor a UNC path", filePath)
	}
	if e := o.common(m, true); e != nil {
		return "", "", e
	}
	if e := o.injected(); e != nil {
		return "", "", e
	}
	if unc {
		parts := strings.SplitN(strings.TrimPrefix(filePath, `\\`), `\`, 3)
		if len(parts) < 2 || parts[0] == "" || parts[1] == "" {
			return "", "", invalidArg(m, "%q names no share", filePath)
		}
		server := parts[0]
		if normalizeFQDN && !strings.Contains(server, ".") {
			server += ".vsssim.test"
		}
		root = `\\` + server + `\` + parts[1] + `\`
		prefix = `\\` + parts[0] + `\` + parts[1] + `\`
	} else {
		path := filePath
		if !strings.HasSuffix(path, `\`) {
			path += `\`
		}
		var best *Volume
		for _, v := range c.volumes {
			if len(v.Name) <= len(path) && strings.EqualFold(path[:len(v.Name)], v.Name) && (best == nil || len(v.Name) > len(best.Name)) {
				best = v
			}
		}
		if best == nil {
			return "", "", hrErr(vss.VSS_E_OBJECT_NOT_FOUND, m, "no volume holds %q", filePath)
		}
		root, prefix = best.Name, best.GUIDName
	}
	o.ret = fmt.Sprintf("root %s, prefix %s", quote(root), quote(prefix))
	return root, prefix, nil
}

// The documented results of these methods (their Learn pages; [Inf] marks
// codes the model adds where a page is silent), and the rules behind their
// VSS_E_BAD_STATEs.
func init() {
	for m, codes := range map[string][]vss.HRESULT{
		"ImportSnapshots":  {vss.S_OK, vss.E_ACCESSDENIED, vss.E_INVALIDARG, hrOOM, vss.VSS_E_BAD_STATE, hrUnex},
		"BreakSnapshotSet": {vss.S_OK, vss.E_ACCESSDENIED, vss.E_INVALIDARG, hrOOM, vss.VSS_E_OBJECT_NOT_FOUND, vss.VSS_E_PROVIDER_VETO, hrUnex, vss.VSS_E_BAD_STATE}, // BAD_STATE: Ex.ManagementNeedsInitialize
		"ExposeSnapshot": {vss.S_OK, vss.E_ACCESSDENIED, vss.E_INVALIDARG, hrOOM, vss.VSS_E_BAD_STATE, vss.VSS_E_OBJECT_NOT_FOUND,
			vss.VSS_E_PROVIDER_VETO, hrUnex, vss.VSS_E_UNEXPECTED_PROVIDER_ERROR},
		"RevertToSnapshot": {vss.S_OK, vss.E_ACCESSDENIED, vss.E_FAIL, vss.E_INVALIDARG, vss.E_NOTIMPL, hrOOM, vss.VSS_E_OBJECT_NOT_FOUND,
			vss.VSS_E_PROVIDER_NOT_REGISTERED, vss.VSS_E_REVERT_IN_PROGRESS, vss.VSS_E_UNSUPPORTED_CONTEXT, vss.VSS_E_VOLUME_IN_USE,
			vss.VSS_E_VOLUME_NOT_SUPPORTED, vss.VSS_E_BAD_STATE}, // BAD_STATE: Ex.ManagementNeedsInitialize
		"QueryRevertStatus": {vss.S_OK, vss.E_ACCESSDENIED, vss.E_FAIL, vss.E_INVALIDARG, vss.E_NOTIMPL, hrOOM, vss.E_POINTER,
			vss.VSS_E_OBJECT_NOT_FOUND, vss.VSS_E_VOLUME_NOT_SUPPORTED, vss.VSS_E_BAD_STATE}, // BAD_STATE: Ex.ManagementNeedsInitialize, §2.3#21
		"GetWriterMetadataEx": {vss.S_OK, vss.E_INVALIDARG, hrOOM, vss.VSS_E_BAD_STATE, vss.VSS_E_INVALID_XML_DOCUMENT, vss.VSS_E_OBJECT_NOT_FOUND, hrUnex},
		"UnexposeSnapshot": {vss.S_OK, vss.E_ACCESSDENIED, vss.E_INVALIDARG, hrOOM, vss.VSS_E_BAD_STATE, vss.VSS_E_OBJECT_NOT_FOUND,
			vss.VSS_E_PROVIDER_VETO, hrUnex, vss.VSS_E_UNEXPECTED_PROVIDER_ERROR},
		"BreakSnapshotSetEx": {vss.S_OK, vss.E_ACCESSDENIED, vss.E_INVALIDARG, hrOOM, vss.VSS_E_BREAK_REVERT_ID_FAILED,
			vss.VSS_E_OBJECT_NOT_FOUND, vss.VSS_E_PROVIDER_VETO, hrUnex, vss.VSS_E_BAD_STATE}, // BAD_STATE: Ex.ManagementNeedsInitialize, §2.3#21
		"PreFastRecovery": {vss.E_NOTIMPL}, // [Inf] "not supported"
		"FastRecovery":    {vss.E_NOTIMPL}, // [Inf] "not supported"
		// E_INVALIDARG (dwFlags not 0, GUID_NULL) [Inf]: the page says both are required.
		"AddSnapshotToRecoverySet": {vss.S_OK, vss.VSS_E_BAD_STATE, vss.VSS_E_LEGACY_PROVIDER, vss.VSS_E_OBJECT_NOT_FOUND,
			vss.VSS_E_RESYNC_IN_PROGRESS, vss.VSS_E_SNAPSHOT_NOT_IN_SET, vss.VSS_E_VOLUME_NOT_SUPPORTED, vss.E_INVALIDARG},
		// E_INVALIDARG (unknown flags) and VSS_E_RESYNC_IN_PROGRESS [Inf].
		"RecoverSet": {vss.S_OK, vss.E_NOTIMPL, vss.VSS_E_BAD_STATE, vss.VSS_E_LEGACY_PROVIDER, vss.VSS_E_PROVIDER_VETO,
			vss.VSS_E_UNSELECTED_VOLUME, vss.VSS_E_CANNOT_REVERT_DISKID, vss.E_INVALIDARG, vss.VSS_E_RESYNC_IN_PROGRESS},
		// The page: "S_OK, otherwise an HRESULT error code" [Inf] generic rows.
		"GetSessionId": {vss.S_OK, hrOOM, vss.VSS_E_BAD_STATE, hrUnex},
		// The page lists S_OK and E_OUTOFMEMORY; the rest [Inf].
		"GetRootAndLogicalPrefixPaths": {vss.S_OK, hrOOM, vss.E_INVALIDARG, vss.VSS_E_BAD_STATE, vss.VSS_E_OBJECT_NOT_FOUND},
	} {
		ReturnCodes[m] = codes
	}
	for m, codes := range map[string][]vss.HRESULT{
		"ImportSnapshots":    {hrOOM, hrUnex},
		"QueryRevertStatus":  {vss.E_FAIL, hrOOM},
		"BreakSnapshotSetEx": {vss.VSS_E_BREAK_REVERT_ID_FAILED, hrOOM, hrUnex},
		"RecoverSet":         {vss.VSS_E_CANNOT_REVERT_DISKID, vss.VSS_E_UNSELECTED_VOLUME, vss.VSS_E_PROVIDER_VETO},
	} {
		AsyncResults[m] = codes
	}
	Rules = append(Rules,
		Rule{"§1.2 ImportSnapshots", "D", "ImportSnapshots needs an object initialised with the BCD of a created transportable shadow copy set, once"},
		Rule{"§1.4 ImportSnapshots", "I", "only one ImportSnapshots runs at a time, system-wide"},
		Rule{"§1.2 ExposeSnapshot", "I", "only persistent shadow copies are exposed locally (Options.Ex.ExposeNonPersistentIsBadState)"},
		Rule{"§1.2 RecoverSet", "D", "AddSnapshotToRecoverySet and RecoverSet need InitializeForRestore and a hardware provider; RecoverSet needs a recovery set, once"},
		Rule{"§8 C14 management", "I", "BreakSnapshotSet(Ex), RevertToSnapshot and QueryRevertStatus need an initialised object (Options.Ex.ManagementNeedsInitialize)"},
	)
}
