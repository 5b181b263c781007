package requestor

import (
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"
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
