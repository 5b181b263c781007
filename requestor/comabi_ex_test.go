package requestor

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"

	"github.com/vsssim/vsssim/requestor/vss"
)

// The management and Ex–Ex4 calls sit at the slots REFERENCE §1.2 gives
// (and TestVtableSlotsMatchHeaders checks the whole table against
// IVssBackupComponentsEx4), and GetWriterMetadataEx's
// IVssExamineWriterMetadataEx starts with IVssExamineWriterMetadata's
// vtable, so the backend reads it through the same SaveAsXML slot.
func TestExVtableSlots(t *testing.T) {
	dir := mingwInclude(t)
	header := vtable(t, filepath.Join(dir, "vsbackup.h"), "IVssBackupComponentsEx4")
	want := map[string]int{"ImportSnapshots": 40, "BreakSnapshotSet": 41, "ExposeSnapshot": 48, "RevertToSnapshot": 49,
		"QueryRevertStatus": 50, "GetWriterMetadataEx": 51, "UnexposeSnapshot": 53, "BreakSnapshotSetEx": 57,
		"PreFastRecovery": 58, "FastRecovery": 59, "AddSnapshotToRecoverySet": 61, "RecoverSet": 62, "GetSessionId": 63,
		"GetRootAndLogicalPrefixPaths": 64}
	got := map[string]int{}
	inHeader := map[string]int{}
	for name := range want {
		got[name] = slot(backupComponentsSlots, name)
		for i, n := range header {
			if n == name {
				inHeader[name] = i
			}
		}
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("our slots (-REFERENCE +ours):\n%s", d)
	}
	if d := cmp.Diff(want, inHeader); d != "" {
		t.Errorf("header slots (-REFERENCE +mingw):\n%s", d)
	}
	ex := vtable(t, filepath.Join(dir, "vsbackup.h"), "IVssExamineWriterMetadataEx")
	require.GreaterOrEqual(t, len(ex), len(examineSlots))
	if d := cmp.Diff(examineSlots, ex[:len(examineSlots)]); d != "" {
		t.Errorf("IVssExamineWriterMetadataEx does not start with IVssExamineWriterMetadata (-ours +header):\n%s", d)
	}
}

// Each IVssBackupComponentsEx..Ex4 the backend queries has the IID of
// vsbackup.h and adds its slots right after its base's, starting with the
// method the backend takes as its first; every slot maps to the interface
// that declares it.
func TestExInterfaces(t *testing.T) {
	dir := mingwInclude(t)
	data, err := os.ReadFile(filepath.Join(dir, "vsbackup.h"))
	require.NoError(t, err)
	base := "IVssBackupComponents"
	for i, x := range backupComponentsEx {
		m := regexp.MustCompile(`DEFINE_GUID\(IID_` + x.Name + `, 0x(\w{8}), 0x(\w{4}), 0x(\w{4}), 0x(\w\w),0x(\w\w), 0x(\w\w),0x(\w\w),0x(\w\w),0x(\w\w),0x(\w\w),0x(\w\w)\);`).FindSubmatch(data)
		require.NotNil(t, m, "no IID_%s in vsbackup.h", x.Name)
		iid := fmt.Sprintf("%s-%s-%s-%s%s-%s%s%s%s%s%s", m[1], m[2], m[3], m[4], m[5], m[6], m[7], m[8], m[9], m[10], m[11])
		require.Equal(t, vss.MustParseID(iid), x.IID, x.Name)
		own := vtable(t, filepath.Join(dir, "vsbackup.h"), x.Name)
		inherited := len(vtable(t, filepath.Join(dir, "vsbackup.h"), base))
		require.Equal(t, x.First, own[inherited], "the first slot %s adds", x.Name)
		require.Equal(t, inherited, slot(backupComponentsSlots, x.First))
		require.Equal(t, i-1, exIface(inherited-1), "slot %d (%s) is %s's", inherited-1, own[inherited-1], base)
		require.Equal(t, i, exIface(inherited), "slot %d (%s) is %s's", inherited, x.First, x.Name)
		base = x.Name
	}
	require.Equal(t, len(backupComponentsEx)-1, exIface(len(backupComponentsSlots)-1))
	require.Equal(t, -1, exIface(slot(backupComponentsSlots, "QueryRevertStatus")))
}
