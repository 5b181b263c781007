package requestor

import (
	"os"
	"path/filepath"
	"regexp"
	"testing"
	"unsafe"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"

	"github.com/vsssim/vsssim/internal/testenv"
)

func mingwInclude(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("VSSSIM_MINGW_INCLUDE")
	if dir == "" {
		dir = "/usr/share/mingw-w64/include"
	}
	if _, err := os.Stat(filepath.Join(dir, "vsbackup.h")); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("mingw-w64 headers missing in CI (%v); .ci/run installs mingw-w64-common", err)
		}
		t.Skipf("mingw-w64 headers not found in %s: apt-get install mingw-w64-common", dir)
	}
	return dir
}

// vtable reads the method order of a C vtable struct from a header.
func vtable(t *testing.T, file, name string) []string {
	t.Helper()
	data, err := os.ReadFile(file)
	require.NoError(t, err)
	block := regexp.MustCompile(`(?s)typedef struct ` + name + `Vtbl \{(.*?)\} ` + name + `Vtbl;`).FindSubmatch(data)
	require.NotNil(t, block, "%s: no %sVtbl", file, name)
	var out []string
	for _, m := range regexp.MustCompile(`STDMETHODCALLTYPE \*(\w+)\)`).FindAllSubmatch(block[1], -1) {
		out = append(out, string(m[1]))
	}
	require.NotEmpty(t, out)
	return out
}

// Every vtable slot the backend calls is where the mingw-w64 headers put
// it (breeze #2999: InitializeForBackup called at slot 3, QueryStatus at
// Wait's slot).
func TestVtableSlotsMatchHeaders(t *testing.T) {
	dir := mingwInclude(t)
	for _, tc := range []struct {
		file, iface string
		ours        []string
	}{
		{"vsbackup.h", "IVssBackupComponentsEx4", backupComponentsSlots},
		{"vss.h", "IVssAsync", asyncSlots},
		{"vsbackup.h", "IVssExamineWriterMetadata", examineSlots},
		{"vss.h", "IVssEnumObject", enumObjectSlots},
	} {
		got := vtable(t, filepath.Join(dir, tc.file), tc.iface)
		if len(got) > len(tc.ours) {
			got = got[:len(tc.ours)]
		}
		if d := cmp.Diff(got, tc.ours); d != "" {
			t.Errorf("%s vtable (-header +ours):\n%s", tc.iface, d)
		}
	}
	require.Equal(t, 5, slot(backupComponentsSlots, "InitializeForBackup"))
	require.Equal(t, 5, slot(asyncSlots, "QueryStatus"))
}

// VSS_SNAPSHOT_PROP is 128 bytes on 64-bit Windows with the offsets breeze
// pinned against live Windows (breeze #2999: a 112-byte buffer overran).
func TestSnapshotPropLayout(t *testing.T) {
	if unsafe.Sizeof(uintptr(0)) != 8 {
		t.Skip("the pinned layout is the 64-bit one")
	}
	var p snapshotPropRaw
	require.Equal(t, uintptr(128), unsafe.Sizeof(p))
	offsets := map[string]uintptr{
		"SnapshotID": unsafe.Offsetof(p.SnapshotID), "SnapshotSetID": unsafe.Offsetof(p.SnapshotSetID),
		"SnapshotsCount": unsafe.Offsetof(p.SnapshotsCount), "SnapshotDeviceObject": unsafe.Offsetof(p.SnapshotDeviceObject),
		"ExposedPath": unsafe.Offsetof(p.ExposedPath), "ProviderID": unsafe.Offsetof(p.ProviderID),
		"SnapshotAttributes": unsafe.Offsetof(p.SnapshotAttributes), "CreationTimestamp": unsafe.Offsetof(p.CreationTimestamp),
		"Status": unsafe.Offsetof(p.Status),
	}
	want := map[string]uintptr{"SnapshotID": 0, "SnapshotSetID": 16, "SnapshotsCount": 32, "SnapshotDeviceObject": 40,
		"ExposedPath": 80, "ProviderID": 88, "SnapshotAttributes": 104, "CreationTimestamp": 112, "Status": 120}
	if d := cmp.Diff(want, offsets); d != "" {
		t.Fatalf("VSS_SNAPSHOT_PROP offsets (-want +got):\n%s", d)
	}
}

// VSS_PROVIDER_PROP and VSS_OBJECT_PROP (Query's IVssEnumObject::Next
// fills an array of the latter): the union sits at offset 8 on every
// architecture because VSS_SNAPSHOT_PROP holds a LONGLONG.
func TestObjectPropLayout(t *testing.T) {
	var o objectPropRaw
	var p providerPropRaw
	require.Equal(t, uintptr(8), unsafe.Offsetof(o.Obj))
	got := map[string]uintptr{
		"VSS_SNAPSHOT_PROP": unsafe.Sizeof(o.Obj), "VSS_OBJECT_PROP": unsafe.Sizeof(o), "VSS_PROVIDER_PROP": unsafe.Sizeof(p),
		"m_pwszProviderName": unsafe.Offsetof(p.ProviderName), "m_eProviderType": unsafe.Offsetof(p.ProviderType),
		"m_pwszProviderVersion": unsafe.Offsetof(p.ProviderVersion), "m_ProviderVersionId": unsafe.Offsetof(p.ProviderVersionID),
		"m_ClassId": unsafe.Offsetof(p.ClassID),
	}
	// The C layouts: 64-bit (pointers 8) and 32-bit (pointers 4, MSVC
	// rounding VSS_SNAPSHOT_PROP up to its 8-byte alignment).
	want := map[string]uintptr{"VSS_SNAPSHOT_PROP": 128, "VSS_OBJECT_PROP": 136, "VSS_PROVIDER_PROP": 72,
		"m_pwszProviderName": 16, "m_eProviderType": 24, "m_pwszProviderVersion": 32, "m_ProviderVersionId": 40, "m_ClassId": 56}
	if unsafe.Sizeof(uintptr(0)) == 4 {
		want = map[string]uintptr{"VSS_SNAPSHOT_PROP": 96, "VSS_OBJECT_PROP": 104, "VSS_PROVIDER_PROP": 60,
			"m_pwszProviderName": 16, "m_eProviderType": 20, "m_pwszProviderVersion": 24, "m_ProviderVersionId": 28, "m_ClassId": 44}
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Fatalf("layouts (-want +got):\n%s", d)
	}
}

// Off Windows, and under Wine (whose vssapi returns E_NOTIMPL and lacks the
// x64 mangled export), NewWindows reports VSS unavailable. Under Wine
// (VSSSIM_WINE=1, set by .ci/wine-exec) that is required, not skipped.
func TestNewWindowsElsewhere(t *testing.T) {
	bc, err := NewWindows()
	if err == nil {
		if testenv.Wine() {
			t.Fatal("NewWindows succeeded under Wine")
		}
		require.NoError(t, bc.Release())
		t.Skip("real VSS is available here")
	}
	t.Log(err)
	require.Nil(t, bc)
	require.ErrorIs(t, err, ErrUnavailable)
}
