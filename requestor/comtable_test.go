package requestor

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/vsssim/vsssim/service/comtable"
)

// The backend's slot pins agree with the method table vsssim's vssapi.dll
// is generated from (one source of truth for every vtable slot).
func TestVtableSlotsMatchMethodTable(t *testing.T) {
	for _, tc := range []struct {
		iface comtable.Iface
		ours  []string
	}{
		// examineSlots is the IVssExamineWriterMetadata part of the
		// table's IVssExamineWriterMetadataEx2 vtable: the start.
		{comtable.BackupComponents, backupComponentsSlots},
		{comtable.Async, asyncSlots},
		{comtable.EnumObject, enumObjectSlots},
		{comtable.ExamineWriterMetadata, examineSlots},
	} {
		table := comtable.Slots(tc.iface)
		if tc.iface == comtable.ExamineWriterMetadata && len(table) > len(tc.ours) {
			table = table[:len(tc.ours)]
		}
		if d := cmp.Diff(table, tc.ours); d != "" {
			t.Errorf("%v (-table +requestor):\n%s", tc.iface, d)
		}
	}
}

func TestExamineEx2SlotMatchesMethodTable(t *testing.T) {
	m, ok := comtable.ByName(comtable.ExamineWriterMetadata, "GetExcludeFromSnapshotFile")
	if !ok {
		t.Fatal("the method table has no GetExcludeFromSnapshotFile")
	}
	if m.Slot != slotGetExcludeFromSnapshotFile {
		t.Errorf("GetExcludeFromSnapshotFile: table slot %d, requestor %d", m.Slot, slotGetExcludeFromSnapshotFile)
	}
}
