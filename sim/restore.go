package sim

import (
	"fmt"
	"strings"

	"github.com/vsssim/vsssim/requestor/vss"
)

// The restore sequence (REFERENCE §2.2): InitializeForRestore(BCD) →
// GatherWriterMetadata → selection → PreRestore → file copy with
// SetFileRestoreStatus / AddAlternativeLocationMapping → PostRestore →
// Release.

func (o *BackupComponents) expectedRestore() string {
	switch {
	case o.pending != nil:
		return "IVssAsync.Wait on " + o.pending.method
	case o.unobserved() != nil:
		return "IVssAsync.Wait on " + o.unobserved().method
	case o.ended():
		return "Release"
	case o.gather == notYet:
		return "GatherWriterMetadata"
	case o.preRestore == notYet:
		return "SetSelectedForRestore, then PreRestore"
	case o.postRestore == notYet:
		return "SetFileRestoreStatus, then PostRestore"
	}
	return "Release"
}

// restoreCommon is common() for the restore-only methods: §2.3 rows 1, 4
// and 22.
func (o *BackupComponents) restoreCommon(m string) error {
	switch {
	case o.released:
		return o.badState(m, "object released", "the object was released; one IVssBackupComponents serves one restore (REFERENCE §1.1)")
	case o.mode == modeNone:
		return o.badState(m, "§2.3#1", "the object is not initialised: InitializeForRestore must be the first call")
	case o.mode == modeBackup:
		return o.badState(m, "§2.3#4", "%s is a restore method and this object was initialised for backup", m)
	case o.ended():
		return o.badState(m, "§2.3#22", "the restore is over (PostRestore finished); only writer status, SaveAsXML and Release remain")
	}
	return nil
}

// InitializeForRestore mirrors IVssBackupComponents::InitializeForRestore:
// the BCD saved at backup time (VSS_E_INVALID_XML_DOCUMENT if it cannot be
// loaded; E_INVALIDARG if empty).
func (o *BackupComponents) InitializeForRestore(bcdXML string) (err error) {
	const m = "InitializeForRestore"
	defer o.enter(m, func() string { return fmt.Sprintf("bcd=%d bytes", len(bcdXML)) }, &err)()
	if bcdXML == "" {
		return invalidArg(m, "the saved Backup Components Document is required")
	}
	if e := o.initializeChecks(m); e != nil {
		return e
	}
	d, e := vss.LoadBackupComponents([]byte(bcdXML))
	if e != nil {
		return hrErr(vss.VSS_E_INVALID_XML_DOCUMENT, m, "the saved BCD cannot be loaded: %v", e)
	}
	o.mode, o.doc, o.bcdIdx = modeRestore, *d, bcdIndex{}
	o.selectComponents, o.bootable, o.backupType, o.partial = d.SelectComponents, d.BootableSystemState, d.BackupType, d.PartialFileSupport
	return nil
}

// SetRestoreState mirrors IVssBackupComponents::SetRestoreState.
func (o *BackupComponents) SetRestoreState(t vss.RestoreType) (err error) {
	const m = "SetRestoreState"
	defer o.enter(m, func() string { return t.String() }, &err)()
	if t < vss.VSS_RTYPE_UNDEFINED || t > vss.VSS_RTYPE_OTHER {
		return invalidArg(m, "%v is not a VSS_RESTORE_TYPE", t)
	}
	if e := o.restoreCommon(m); e != nil {
		return e
	}
	if o.preRestore != notYet {
		return o.badState(m, "§2.3#18", "SetRestoreState must come before PreRestore")
	}
	if e := o.injected(); e != nil {
		return e
	}
	o.restoreType = t
	return nil
}

// GetWriterComponentsCount mirrors IVssBackupComponents::GetWriterComponentsCount:
// the writers with at least one component in the BCD.
func (o *BackupComponents) GetWriterComponentsCount() (n uint32, err error) {
	const m = "GetWriterComponentsCount"
	defer o.enter(m, nil, &err)()
	if e := o.common(m, true); e != nil {
		return 0, e
	}
	if e := o.injected(); e != nil {
		return 0, e
	}
	for _, w := range o.doc.Writers {
		if len(w.Components) > 0 {
			n++
		}
	}
	return n, nil
}

// GetWriterComponents mirrors IVssBackupComponents::GetWriterComponents: a
// copy of one writer's part of the BCD (call again after PreRestore or
// PostRestore for what the writers changed, REFERENCE §1.2).
func (o *BackupComponents) GetWriterComponents(i uint32) (wc *vss.WriterComponents, err error) {
	const m = "GetWriterComponents"
	defer o.enter(m, func() string { return fmt.Sprint(i) }, &err)()
	if e := o.common(m, true); e != nil {
		return nil, e
	}
	var ws []*vss.WriterComponents
	for _, w := range o.doc.Writers {
		if len(w.Components) > 0 {
			ws = append(ws, w)
		}
	}
	if int(i) >= len(ws) {
		return nil, hrErr(vss.VSS_E_OBJECT_NOT_FOUND, m, "no writer at index %d (count %d; §8 C2)", i, len(ws))
	}
	if e := o.injected(); e != nil {
		return nil, e
	}
	cp := *ws[i]
	cp.Components = nil
	for _, c := range ws[i].Components {
		cc := *c
		cc.Subcomponents = append([]vss.Subcomponent(nil), c.Subcomponents...)
		cc.NewTargets = append([]vss.FileDesc(nil), c.NewTargets...)
		cc.RestoreMappings = append([]vss.FileDesc(nil), c.RestoreMappings...)
		cp.Components = append(cp.Components, &cc)
	}
	return &cp, nil
}

// restoreComponent is the shared check of the calls that name a component
// on a restore object: arguments, §2.3 rows 4 and 22, the window the call
// belongs to, the component in the BCD.
func (o *BackupComponents) restoreComponent(m string, ct vss.ComponentType, writerID vss.ID, lp, name string, window func() error) (*vss.BCDComponent, error) {
	if ct != vss.VSS_CT_DATABASE && ct != vss.VSS_CT_FILEGROUP {
		return nil, invalidArg(m, "%v is not VSS_CT_DATABASE or VSS_CT_FILEGROUP", ct)
	}
	if name == "" {
		return nil, invalidArg(m, "the component name is required")
	}
	if e := o.restoreCommon(m); e != nil {
		return nil, e
	}
	if e := window(); e != nil {
		return nil, e
	}
	bc := o.bcdFind(writerID, lp, name)
	if bc == nil {
		return nil, hrErr(vss.VSS_E_OBJECT_NOT_FOUND, m, "component %q of writer %v is not in the BCD (only components added at backup time can be restored)", componentKey(lp, name), writerID)
	}
	if e := o.injected(); e != nil {
		return nil, e
	}
	return bc, nil
}

// beforePreRestore is the window of the selection calls (§2.3 row 18).
func (o *BackupComponents) beforePreRestore(m string) func() error {
	return func() error {
		if e := o.awaitObserved(m, "GatherWriterMetadata"); e != nil {
			return e
		}
		switch {
		case o.preRestore != notYet:
			return o.badState(m, "§2.3#18", "%s must come before PreRestore", m)
		case o.gather != done:
			return o.badState(m, "§2.2 GatherWriterMetadata", "the restore needs GatherWriterMetadata completed before the selection (it is %v)", o.gather)
		}
		return nil
	}
}

// betweenRestores is the window of SetFileRestoreStatus and friends (§2.3
// row 19).
func (o *BackupComponents) betweenRestores(m string) func() error {
	return func() error {
		if e := o.awaitObserved(m, "PreRestore"); e != nil {
			return e
		}
		switch {
		case o.preRestore != done:
			return o.badState(m, "§2.3#19", "%s comes after PreRestore has completed (it is %v)", m, o.preRestore)
		case o.postRestore != notYet:
			return o.badState(m, "§2.3#19", "%s comes before PostRestore", m)
		}
		return nil
	}
}

// SetSelectedForRestore mirrors IVssBackupComponents::SetSelectedForRestore.
// The component must be in the BCD and its writer running now
// (VSS_E_OBJECT_NOT_FOUND otherwise, REFERENCE §2.2).
func (o *BackupComponents) SetSelectedForRestore(writerID vss.ID, ct vss.ComponentType, logicalPath, name string, selected bool) (err error) {
	const m = "SetSelectedForRestore"
	defer o.enter(m, func() string {
		return fmt.Sprintf("%v, %v, %s, %s, %v", writerID, ct, quote(logicalPath), quote(name), selected)
	}, &err)()
	bc, e := o.restoreComponent(m, ct, writerID, logicalPath, name, o.beforePreRestore(m))
	if e != nil {
		return e
	}
	if o.sessionByClassID(writerID) == nil {
		return hrErr(vss.VSS_E_OBJECT_NOT_FOUND, m, "writer %v is not running now (not in the writer metadata)", writerID)
	}
	bc.SelectedForRestore = selected
	return nil
}

// AddRestoreSubcomponent mirrors IVssBackupComponents::AddRestoreSubcomponent:
// its parent must have been selected first (REFERENCE §1.4).
func (o *BackupComponents) AddRestoreSubcomponent(writerID vss.ID, ct vss.ComponentType, logicalPath, name, subLogicalPath, subName string) (err error) {
	const m = "AddRestoreSubcomponent"
	defer o.enter(m, func() string {
		return fmt.Sprintf("%v, %v, %s, %s, %s, %s", writerID, ct, quote(logicalPath), quote(name), quote(subLogicalPath), quote(subName))
	}, &err)()
	if subLogicalPath == "" || subName == "" {
		return invalidArg(m, "the subcomponent's logical path and name are required")
	}
	bc, e := o.restoreComponent(m, ct, writerID, logicalPath, name, o.beforePreRestore(m))
	if e != nil {
		return e
	}
	if !bc.SelectedForRestore {
		return o.badState(m, "§1.4 AddRestoreSubcomponent", "the parent component %q must be selected with SetSelectedForRestore first", componentKey(logicalPath, name))
	}
	bc.Subcomponents = append(bc.Subcomponents, vss.Subcomponent{LogicalPath: subLogicalPath, Name: subName})
	return nil
}

// SetRestoreOptions mirrors IVssBackupComponents::SetRestoreOptions.
func (o *BackupComponents) SetRestoreOptions(writerID vss.ID, ct vss.ComponentType, logicalPath, name, options string) (err error) {
	const m = "SetRestoreOptions"
	defer o.enter(m, func() string {
		return fmt.Sprintf("%v, %v, %s, %s, %s", writerID, ct, quote(logicalPath), quote(name), quote(options))
	}, &err)()
	bc, e := o.restoreComponent(m, ct, writerID, logicalPath, name, o.beforePreRestore(m))
	if e != nil {
		return e
	}
	bc.RestoreOptions = options
	return nil
}

// SetAdditionalRestores mirrors IVssBackupComponents::SetAdditionalRestores.
func (o *BackupComponents) SetAdditionalRestores(writerID vss.ID, ct vss.ComponentType, logicalPath, name string, additional bool) (err error) {
	const m = "SetAdditionalRestores"
	defer o.enter(m, func() string {
		return fmt.Sprintf("%v, %v, %s, %s, %v", writerID, ct, quote(logicalPath), quote(name), additional)
	}, &err)()
	bc, e := o.restoreComponent(m, ct, writerID, logicalPath, name, o.beforePreRestore(m))
	if e != nil {
		return e
	}
	bc.AdditionalRestores = additional
	return nil
}

// AddNewTarget mirrors IVssBackupComponents::AddNewTarget: (path, filespec,
// recursive) must match one of the component's file sets in the writer's
// metadata (VSS_E_OBJECT_NOT_FOUND otherwise).
func (o *BackupComponents) AddNewTarget(writerID vss.ID, ct vss.ComponentType, logicalPath, name, path, fileName string, recursive bool, alternatePath string) (err error) {
	const m = "AddNewTarget"
	defer o.enter(m, func() string {
		return fmt.Sprintf("%v, %v, %s, %s, %s, %s, %v, %s", writerID, ct, quote(logicalPath), quote(name), quote(path), quote(fileName), recursive, quote(alternatePath))
	}, &err)()
	if path == "" || fileName == "" || alternatePath == "" {
		return invalidArg(m, "path, file name and alternate path are required")
	}
	bc, e := o.restoreComponent(m, ct, writerID, logicalPath, name, o.beforePreRestore(m))
	if e != nil {
		return e
	}
	s := o.sessionByClassID(writerID)
	var ci *vss.ComponentInfo
	if s != nil {
		ci = s.component(logicalPath, name)
	}
	found := false
	if ci != nil {
		for _, list := range [][]vss.FileDesc{ci.Files, ci.DatabaseFiles, ci.LogFiles} {
			for _, f := range list {
				found = found || strings.EqualFold(f.Path, path) && strings.EqualFold(f.Filespec, fileName) && f.Recursive == recursive
			}
		}
	}
	if !found {
		return hrErr(vss.VSS_E_OBJECT_NOT_FOUND, m, "(%s, %s, recursive=%v) matches none of the file sets of %q", path, fileName, recursive, componentKey(logicalPath, name))
	}
	bc.NewTargets = append(bc.NewTargets, vss.FileDesc{Path: path, Filespec: fileName, Recursive: recursive, AlternateLocation: alternatePath})
	return nil
}

// SetFileRestoreStatus mirrors IVssBackupComponents::SetFileRestoreStatus.
func (o *BackupComponents) SetFileRestoreStatus(writerID vss.ID, ct vss.ComponentType, logicalPath, name string, status vss.FileRestoreStatus) (err error) {
	const m = "SetFileRestoreStatus"
	defer o.enter(m, func() string {
		return fmt.Sprintf("%v, %v, %s, %s, %v", writerID, ct, quote(logicalPath), quote(name), status)
	}, &err)()
	if status < vss.VSS_RS_UNDEFINED || status > vss.VSS_RS_FAILED {
		return invalidArg(m, "%v is not a VSS_FILE_RESTORE_STATUS", status)
	}
	bc, e := o.restoreComponent(m, ct, writerID, logicalPath, name, o.betweenRestores(m))
	if e != nil {
		return e
	}
	bc.FileRestoreStatus = status
	return nil
}

// AddAlternativeLocationMapping mirrors
// IVssBackupComponents::AddAlternativeLocationMapping ([Inf] between
// PreRestore and PostRestore).
func (o *BackupComponents) AddAlternativeLocationMapping(writerID vss.ID, ct vss.ComponentType, logicalPath, name, path, filespec string, recursive bool, destination string) (err error) {
	const m = "AddAlternativeLocationMapping"
	defer o.enter(m, func() string {
		return fmt.Sprintf("%v, %v, %s, %s, %s, %s, %v, %s", writerID, ct, quote(logicalPath), quote(name), quote(path), quote(filespec), recursive, quote(destination))
	}, &err)()
	if path == "" || filespec == "" || destination == "" {
		return invalidArg(m, "path, filespec and destination are required")
	}
	bc, e := o.restoreComponent(m, ct, writerID, logicalPath, name, o.betweenRestores(m))
	if e != nil {
		return e
	}
	bc.RestoreMappings = append(bc.RestoreMappings, vss.FileDesc{Path: path, Filespec: filespec, Recursive: recursive, AlternateLocation: destination})
	return nil
}

// SetRangesFilePath mirrors IVssBackupComponents::SetRangesFilePath. The
// simulator models no partial files, so every index is out of range
// (E_INVALIDARG, "iPartialFile ≥ GetPartialFileCount").
func (o *BackupComponents) SetRangesFilePath(writerID vss.ID, ct vss.ComponentType, logicalPath, name string, partialFile uint32, rangesFile string) (err error) {
	const m = "SetRangesFilePath"
	defer o.enter(m, func() string {
		return fmt.Sprintf("%v, %v, %s, %s, %d, %s", writerID, ct, quote(logicalPath), quote(name), partialFile, quote(rangesFile))
	}, &err)()
	if rangesFile == "" {
		return invalidArg(m, "the ranges file is required")
	}
	if _, e := o.restoreComponent(m, ct, writerID, logicalPath, name, o.betweenRestores(m)); e != nil {
		return e
	}
	return invalidArg(m, "partial file %d does not exist (the component has 0 partial files)", partialFile)
}

// restoreParticipants are the writers that get a restore event, by their
// VSS_WRITERRESTORE_ENUM (REFERENCE §2.2: VSS_WRE_NEVER gets none).
// PreRestore goes to every running writer with components in the BCD, like
// PrepareForBackup at backup time ("such writers still receive
// PrepareForBackup/PreRestore themselves", §4.2); only writers with a
// selected component get PostRestore (§2.2 step 8).
func (o *BackupComponents) restoreParticipants(ev Event) []*session {
	var out []*session
	for _, s := range o.sessions {
		w := o.bcdWriter(s.reg.cfg.ClassID)
		if w == nil || s.out {
			continue
		}
		selected, failedCopy := false, false
		for _, c := range w.Components {
			if c.SelectedForRestore || len(c.Subcomponents) > 0 {
				selected = true
				failedCopy = failedCopy || c.FileRestoreStatus == vss.VSS_RS_FAILED || c.FileRestoreStatus == vss.VSS_RS_NONE
			}
		}
		if !selected && ev == EventPostRestore {
			continue
		}
		var wre vss.WriterRestore
		var method vss.RestoreMethod
		if rm := s.md.RestoreMethod; rm != nil {
			wre, method = rm.WriterRestore, rm.Method
		}
		switch {
		case wre == vss.VSS_WRE_NEVER:
			continue
		case ev == EventPostRestore && wre == vss.VSS_WRE_IF_REPLACE_FAILS && !failedCopy:
			continue // PostRestore only if the replace failed
		case ev == EventPostRestore && method == vss.VSS_RME_STOP_RESTORE_START:
			continue // its instance went away with the stopped service
		}
		out = append(out, s)
	}
	return out
}

// PreRestore mirrors IVssBackupComponents::PreRestore.
func (o *BackupComponents) PreRestore() (a vss.Async, err error) {
	return o.restoreEvent("PreRestore", EventPreRestore, &o.preRestore, func() error {
		switch {
		case o.preRestore != notYet:
			return o.badState("PreRestore", "§2.3#20", "PreRestore was already called (%v)", o.preRestore)
		case o.gather != done:
			return o.badState("PreRestore", "§2.2 GatherWriterMetadata", "the restore needs GatherWriterMetadata completed (it is %v)", o.gather)
		}
		return nil
	})
}

// PostRestore mirrors IVssBackupComponents::PostRestore.
func (o *BackupComponents) PostRestore() (a vss.Async, err error) {
	return o.restoreEvent("PostRestore", EventPostRestore, &o.postRestore, func() error {
		switch {
		case o.preRestore != done:
			return o.badState("PostRestore", "§2.3#20", "PostRestore comes after PreRestore has completed (it is %v)", o.preRestore)
		case o.postRestore != notYet:
			return o.badState("PostRestore", "§2.3#20", "PostRestore was already called (%v)", o.postRestore)
		}
		return nil
	})
}

func (o *BackupComponents) restoreEvent(m string, ev Event, phase *progress, check func() error) (a vss.Async, err error) {
	c := o.c
	defer o.enter(m, nil, &err)()
	if e := o.restoreCommon(m); e != nil {
		return nil, e
	}
	if e := check(); e != nil {
		return nil, e
	}
	if o.pending != nil {
		return nil, o.badState(m, "§2.3#21", "%s is still running on this object", o.pending.method)
	}
	if e := o.awaitObserved(m); e != nil {
		return nil, e
	}
	if ev == EventPostRestore {
		if e := o.privileged(); e != nil { // only PostRestore's page lists E_ACCESSDENIED
			return nil, e
		}
	}
	if e := o.injected(); e != nil {
		return nil, e
	}
	op := c.newOp(o, m)
	*phase = running
	op.step = func() {
		if hr, ok := c.fault(o, m, true); ok {
			*phase = failed
			c.finish(op, hr, "injected fault")
			return
		}
		flights := o.eventLimit(c.call(o, ev, o.restoreParticipants(ev), o.info(), func(w Writer, ctx *WriterContext, s *session, comps []*Component) bool {
			if ev == EventPreRestore {
				return w.OnPreRestore(ctx, comps)
			}
			return w.OnPostRestore(ctx, comps)
		}))
		o.await(op, flights, func() {
			if op.cancel {
				*phase = cancelled
				c.finish(op, vss.VSS_S_ASYNC_CANCELLED, "")
				return
			}
			*phase = done
			c.finish(op, vss.VSS_S_ASYNC_FINISHED, "")
		})
	}
	c.settle()
	return &Async{op: op}, nil
}

// schemaAllows checks that the writer's backup schema enables an Ex/Ex2
// restore call (REFERENCE §1.2 and §6.6: VSS_BS_WRITER_SUPPORTS_RESTORE_WITH_MOVE
// for SetSelectedForRestoreEx, VSS_BS_AUTHORITATIVE_RESTORE,
// VSS_BS_ROLLFORWARD_RESTORE, VSS_BS_RESTORE_RENAME). The error code for a
// writer that does not support the call is not documented; the simulator
// uses VSS_E_NOT_SUPPORTED ([Inf]).
func (o *BackupComponents) schemaAllows(m string, writerID vss.ID, bit vss.BackupSchema) error {
	s := o.sessionByClassID(writerID)
	if s == nil || s.md.BackupSchema&bit == 0 {
		return hrErr(vss.VSS_E_NOT_SUPPORTED, m, "the writer's backup schema lacks %v", bit)
	}
	return nil
}

// SetSelectedForRestoreEx mirrors IVssBackupComponentsEx::SetSelectedForRestoreEx.
func (o *BackupComponents) SetSelectedForRestoreEx(writerID vss.ID, ct vss.ComponentType, logicalPath, name string, selected bool, instanceID vss.ID) (err error) {
	const m = "SetSelectedForRestoreEx"
	defer o.enter(m, func() string {
		return fmt.Sprintf("%v, %v, %s, %s, %v, %v", writerID, ct, quote(logicalPath), quote(name), selected, instanceID)
	}, &err)()
	bc, e := o.restoreComponent(m, ct, writerID, logicalPath, name, o.beforePreRestore(m))
	if e != nil {
		return e
	}
	if e := o.schemaAllows(m, writerID, vss.VSS_BS_WRITER_SUPPORTS_RESTORE_WITH_MOVE); e != nil {
		return e
	}
	bc.SelectedForRestore, bc.RestoreInstanceID = selected, instanceID
	return nil
}

// SetAuthoritativeRestore mirrors IVssBackupComponentsEx2::SetAuthoritativeRestore.
func (o *BackupComponents) SetAuthoritativeRestore(writerID vss.ID, ct vss.ComponentType, logicalPath, name string, authoritative bool) (err error) {
	const m = "SetAuthoritativeRestore"
	defer o.enter(m, func() string {
		return fmt.Sprintf("%v, %v, %s, %s, %v", writerID, ct, quote(logicalPath), quote(name), authoritative)
	}, &err)()
	bc, e := o.restoreComponent(m, ct, writerID, logicalPath, name, o.beforePreRestore(m))
	if e != nil {
		return e
	}
	if e := o.schemaAllows(m, writerID, vss.VSS_BS_AUTHORITATIVE_RESTORE); e != nil {
		return e
	}
	bc.AuthoritativeRestore = authoritative
	return nil
}

// SetRollForward mirrors IVssBackupComponentsEx2::SetRollForward.
func (o *BackupComponents) SetRollForward(writerID vss.ID, ct vss.ComponentType, logicalPath, name string, rt vss.RollForwardType, point string) (err error) {
	const m = "SetRollForward"
	defer o.enter(m, func() string {
		return fmt.Sprintf("%v, %v, %s, %s, %v, %s", writerID, ct, quote(logicalPath), quote(name), rt, quote(point))
	}, &err)()
	if rt < vss.VSS_RF_UNDEFINED || rt > vss.VSS_RF_PARTIAL {
		return invalidArg(m, "%v is not a VSS_ROLLFORWARD_TYPE", rt)
	}
	bc, e := o.restoreComponent(m, ct, writerID, logicalPath, name, o.beforePreRestore(m))
	if e != nil {
		return e
	}
	if e := o.schemaAllows(m, writerID, vss.VSS_BS_ROLLFORWARD_RESTORE); e != nil {
		return e
	}
	bc.RollForwardType, bc.RollForwardPoint = rt, point
	return nil
}

// SetRestoreName mirrors IVssBackupComponentsEx2::SetRestoreName.
func (o *BackupComponents) SetRestoreName(writerID vss.ID, ct vss.ComponentType, logicalPath, name, restoreName string) (err error) {
	const m = "SetRestoreName"
	defer o.enter(m, func() string {
		return fmt.Sprintf("%v, %v, %s, %s, %s", writerID, ct, quote(logicalPath), quote(name), quote(restoreName))
	}, &err)()
	if restoreName == "" {
		return invalidArg(m, "the restore name is required")
	}
	bc, e := o.restoreComponent(m, ct, writerID, logicalPath, name, o.beforePreRestore(m))
	if e != nil {
		return e
	}
	if e := o.schemaAllows(m, writerID, vss.VSS_BS_RESTORE_RENAME); e != nil {
		return e
	}
	bc.RestoreName = restoreName
	return nil
}
