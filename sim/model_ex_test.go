package sim_test

// The management and Ex–Ex4 calls in the model-based test
// (TestModelRandomSequences): ExposeSnapshot, UnexposeSnapshot,
// BreakSnapshotSet, GetWriterMetadataEx (with GetWriterMetadata in
// model_test.go), GetSessionId, GetRootAndLogicalPrefixPaths and the
// reserved PreFastRecovery / FastRecovery, predicted from their Learn pages
// (REFERENCE §1.2 slots 40–64), the win32 page "Exposing and Surfacing
// Shadow Copied Volumes" and the defaults of sim.ExOptions. The model's
// world has only the system provider, so no set can be broken.

import (
	"fmt"
	"strings"

	"github.com/vsssim/vsssim/requestor/vss"
)

// modelEx is what the model knows of exposures and session ids.
type modelEx struct {
	exposed  map[vss.ID]string // snapshot id -> exposed name
	sessions map[*modelObj]vss.ID
}

var modelRootPaths = []string{`C:\Windows\System32`, `D:\data`, `Q:\nowhere`, `relative\path`, `\\srv\share\dir`}

func (r *modelRun) genEx(c *modelCall) {
	switch c.method {
	case "ExposeSnapshot":
		r.genSnapID(c)
		c.ctx = vss.SnapshotContext(vss.VSS_VOLSNAP_ATTR_EXPOSED_REMOTELY)
		c.name = fmt.Sprintf("Share%d", r.step)
		if r.pick(2) == 0 {
			c.ctx = vss.SnapshotContext(vss.VSS_VOLSNAP_ATTR_EXPOSED_LOCALLY)
			c.name = fmt.Sprintf(`C:\mnt\m%d`, r.step)
		}
		if r.pick(8) == 0 {
			c.ctx = []vss.SnapshotContext{0, vss.SnapshotContext(vss.VSS_VOLSNAP_ATTR_EXPOSED_LOCALLY | vss.VSS_VOLSNAP_ATTR_EXPOSED_REMOTELY)}[r.pick(2)]
		}
	case "UnexposeSnapshot", "BreakSnapshotSet", "PreFastRecovery", "FastRecovery":
		r.genSnapID(c)
	case "GetRootAndLogicalPrefixPaths":
		c.path = modelRootPaths[r.pick(len(modelRootPaths))]
		c.succ = r.pick(2) == 0
	}
}

func (r *modelRun) describeEx(c *modelCall) string {
	switch c.method {
	case "ExposeSnapshot":
		return fmt.Sprintf("%s, NULL, %v, %q", r.idName(c.id), vss.VolumeSnapshotAttributes(c.ctx), c.name)
	case "UnexposeSnapshot", "BreakSnapshotSet", "PreFastRecovery", "FastRecovery":
		return r.idName(c.id)
	case "GetRootAndLogicalPrefixPaths":
		return fmt.Sprintf("%q, fqdn=%v", c.path, c.succ)
	}
	return ""
}

func (r *modelRun) execEx(c *modelCall, res *modelResult) error {
	o := c.obj.o
	var err error
	switch c.method {
	case "ExposeSnapshot":
		res.xml, err = o.ExposeSnapshot(c.id, "", vss.VolumeSnapshotAttributes(c.ctx), c.name)
	case "UnexposeSnapshot":
		err = o.UnexposeSnapshot(c.id)
	case "BreakSnapshotSet":
		err = o.BreakSnapshotSet(c.id)
	case "GetSessionId":
		res.id, err = o.GetSessionId()
	case "GetRootAndLogicalPrefixPaths":
		var root, prefix string
		root, prefix, err = o.GetRootAndLogicalPrefixPaths(c.path, c.succ)
		res.xml = root + "|" + prefix
	case "PreFastRecovery":
		res.async, err = o.PreFastRecovery(c.id, 0)
	case "FastRecovery":
		res.async, err = o.FastRecovery(c.id, 0)
	}
	return err
}

// predictEx predicts the management and Ex–Ex4 calls; false for other
// methods.
func (r *modelRun) predictEx(c *modelCall) (modelPred, bool) {
	m := c.obj
	switch c.method {
	case "PreFastRecovery", "FastRecovery":
		return modelReject(vss.E_NOTIMPL, "Learn: reserved, not supported ([Inf] E_NOTIMPL)"), true

	case "GetSessionId":
		if p, bad := m.gate(true); bad {
			return p, true
		}
		return modelOK(), true

	case "GetRootAndLogicalPrefixPaths":
		if !strings.Contains(c.path, `:\`) && !strings.HasPrefix(c.path, `\\`) {
			return r.argReject(m, true, "[Inf] neither a local absolute nor a UNC path"), true
		}
		if p, bad := m.gate(true); bad {
			return p, true
		}
		if strings.HasPrefix(c.path, `Q:`) {
			return modelReject(vss.VSS_E_OBJECT_NOT_FOUND, "[Inf] no volume holds the path"), true
		}
		return modelOK(), true

	case "ExposeSnapshot":
		attrs := vss.VolumeSnapshotAttributes(c.ctx)
		local := attrs == vss.VSS_VOLSNAP_ATTR_EXPOSED_LOCALLY
		switch {
		case c.id.IsNull():
			return r.argReject(m, true, "§1.3 GUID_NULL snapshot id"), true
		case !local && attrs != vss.VSS_VOLSNAP_ATTR_EXPOSED_REMOTELY:
			return r.argReject(m, true, "Learn: lAttributes must be EXPOSED_LOCALLY or EXPOSED_REMOTELY"), true
		}
		if p, done := r.exposePrelude(m, c, vss.E_INVALIDARG); done {
			return p, true
		}
		s := r.snaps[c.id]
		sa := vss.VolumeSnapshotAttributes(s.ctx)
		switch {
		case local && sa&vss.VSS_VOLSNAP_ATTR_PERSISTENT == 0:
			return modelReject(vss.E_INVALIDARG, "win32: only persistent shadow copies are exposed locally ([Obs] hobocopy#15)"), true
		case sa&vss.VSS_VOLSNAP_ATTR_CLIENT_ACCESSIBLE != 0:
			return modelReject(vss.E_INVALIDARG, "VShadow sample: client-accessible shadow copies are not exposable"), true
		case r.ex.exposed[c.id] != "":
			return modelReject(vss.E_INVALIDARG, "already exposed"), true
		}
		return modelOK(), true

	case "UnexposeSnapshot":
		if c.id.IsNull() {
			return r.argReject(m, true, "GUID_NULL snapshot id"), true
		}
		if p, done := r.exposePrelude(m, c, vss.VSS_E_OBJECT_NOT_FOUND); done {
			return p, true
		}
		if r.ex.exposed[c.id] == "" {
			return modelReject(vss.VSS_E_OBJECT_NOT_FOUND, "Learn: the shadow copy is not exposed"), true
		}
		return modelOK(), true

	case "BreakSnapshotSet":
		if c.id.IsNull() {
			return r.argReject(m, true, "GUID_NULL set id"), true
		}
		switch {
		case m.released:
			return modelReject(vss.VSS_E_BAD_STATE, "object released"), true
		case !m.inited:
			return modelReject(vss.VSS_E_BAD_STATE, "§8 C14 management (Options.Ex.ManagementNeedsInitialize)"), true
		}
		vis := visNo
		for _, s := range r.sortedSnaps() {
			if s.set == c.id {
				vis = max(vis, r.snapVisible(m, s, false))
			}
		}
		switch vis {
		case visYes:
			return modelReject(vss.VSS_E_PROVIDER_VETO, "Learn: made by the system provider, it cannot be broken"), true
		case visMaybe:
			return modelOneOf("the set may exist", vss.VSS_E_PROVIDER_VETO, vss.VSS_E_OBJECT_NOT_FOUND), true
		}
		return modelReject(vss.VSS_E_OBJECT_NOT_FOUND, "Learn: no such set"), true
	}
	return modelPred{}, false
}

// exposePrelude is what ExposeSnapshot and UnexposeSnapshot share after
// their argument checks: the object's state, then whether the shadow copy
// is there; when it may be, the call may also fail with other.
func (r *modelRun) exposePrelude(m *modelObj, c *modelCall, other vss.HRESULT) (modelPred, bool) {
	if p, bad := m.gate(true); bad {
		return p, true
	}
	switch r.visible(m, c.id, false) {
	case visNo:
		return modelReject(vss.VSS_E_OBJECT_NOT_FOUND, "Learn: no such shadow copy"), true
	case visMaybe:
		return modelOneOf("the shadow copy may exist", vss.S_OK, vss.VSS_E_OBJECT_NOT_FOUND, other), true
	}
	return modelPred{}, false
}

func (r *modelRun) effectEx(c *modelCall, res modelResult) {
	m := c.obj
	if r.ex.exposed == nil {
		r.ex.exposed, r.ex.sessions = map[vss.ID]string{}, map[*modelObj]vss.ID{}
	}
	switch c.method {
	case "ExposeSnapshot":
		want := c.name
		if vss.VolumeSnapshotAttributes(c.ctx) == vss.VSS_VOLSNAP_ATTR_EXPOSED_LOCALLY {
			want += `\`
		}
		if res.xml != want {
			r.outputFail(c, res, fmt.Sprintf("exposed as %q, want %q", res.xml, want))
		}
		r.ex.exposed[c.id] = res.xml
	case "UnexposeSnapshot":
		delete(r.ex.exposed, c.id)
	case "GetSessionId":
		if res.id.IsNull() {
			r.outputFail(c, res, "GetSessionId returned GUID_NULL")
		}
		if old, ok := r.ex.sessions[m]; ok && old != res.id {
			r.outputFail(c, res, fmt.Sprintf("the session id changed from %v to %v", old, res.id))
		}
		r.ex.sessions[m] = res.id
	case "GetRootAndLogicalPrefixPaths":
		root, prefix, _ := strings.Cut(res.xml, "|")
		want := c.path[:3]
		if strings.HasPrefix(c.path, `\\`) {
			want = `\\srv\share\`
			if c.succ {
				want = `\\srv.vsssim.test\share\`
			}
		}
		if root != want || prefix == "" {
			r.outputFail(c, res, fmt.Sprintf("root %q prefix %q, want root %q", root, prefix, want))
		}
	}
}
