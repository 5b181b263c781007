package sim_test

import (
	"fmt"
	"math/rand/v2"

	"github.com/vsssim/vsssim/requestor/vss"
)

// exStep is TestModelReferenceSequences' prediction for ExposeSnapshot,
// UnexposeSnapshot and GetSessionId on one of the shadow copies the
// reference knows (live: those visible in the object's context): the
// ExposeSnapshot and UnexposeSnapshot pages' codes, local exposure for
// persistent shadow copies only (win32 "Exposing and Surfacing Shadow
// Copied Volumes"; E_INVALIDARG by default, [Obs] hobocopy#15), one exposure
// at a time.
func (m *refModel) exStep(rng *rand.Rand, o *refObj, target vss.ID, live []*refSnap,
	common func(bool) (vss.HRESULT, bool), ok func(string, vss.HRESULT, func() error, func()) step) step {
	bc := o.bc
	var snap *refSnap
	for _, s := range live {
		if s.id == target {
			snap = s
		}
	}
	m.exposures++
	switch rng.IntN(3) {
	case 0:
		local := rng.IntN(2) == 0
		attrs, name := vss.VSS_VOLSNAP_ATTR_EXPOSED_REMOTELY, fmt.Sprintf("Share%d", m.exposures)
		if local {
			attrs, name = vss.VSS_VOLSNAP_ATTR_EXPOSED_LOCALLY, fmt.Sprintf(`C:\mnt\s%d`, m.exposures)
		}
		want := vss.S_OK
		if h, rej := common(true); rej {
			want = h
		} else if snap == nil {
			want = vss.VSS_E_OBJECT_NOT_FOUND
		} else if snap.exposed || local && snap.ctx&vss.SnapshotContext(vss.VSS_VOLSNAP_ATTR_PERSISTENT) == 0 {
			want = vss.E_INVALIDARG
		}
		return ok(fmt.Sprintf("ExposeSnapshot(%v)", attrs), want, func() error {
			_, err := bc.ExposeSnapshot(target, "", attrs, name)
			return err
		}, func() { snap.exposed = true })
	case 1:
		want := vss.S_OK
		if h, rej := common(true); rej {
			want = h
		} else if snap == nil || !snap.exposed {
			want = vss.VSS_E_OBJECT_NOT_FOUND
		}
		return ok("UnexposeSnapshot", want, func() error { return bc.UnexposeSnapshot(target) }, func() { snap.exposed = false })
	}
	want := vss.S_OK
	if h, rej := common(true); rej {
		want = h
	}
	return ok("GetSessionId", want, func() error { _, err := bc.GetSessionId(); return err }, func() {})
}
