package comtable_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"

	"github.com/vsssim/vsssim/internal/testenv"
	"github.com/vsssim/vsssim/service/comtable"
)

const root = "../.."

// The generated C file is what the table says (run go generate
// ./service/comtable after changing the table).
func TestGeneratedFileUpToDate(t *testing.T) {
	got, err := os.ReadFile(filepath.Join(root, comtable.GeneratedFile))
	require.NoError(t, err)
	if d := cmp.Diff(string(comtable.GenerateC()), string(got)); d != "" {
		t.Errorf("%s is stale: run go generate ./service/comtable (-want +got):\n%s", comtable.GeneratedFile, d)
	}
}

// The DLL compiles against mingw-w64's headers: the compiler checks every
// slot of the table (offsetof in the vtable structs), the struct layouts
// and every stub's prototype (-Werror on incompatible pointer types).
func TestDLLBuildsAgainstMingwHeaders(t *testing.T) {
	if testenv.Wine() {
		t.Skip("the DLL is built by the native test run, not by the Windows build under Wine")
	}
	cc, err := exec.LookPath("x86_64-w64-mingw32-gcc")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("x86_64-w64-mingw32-gcc missing in CI (.ci/run installs gcc-mingw-w64-x86-64)")
		}
		t.Skip("x86_64-w64-mingw32-gcc not installed (apt-get install gcc-mingw-w64-x86-64)")
	}
	out := filepath.Join(testenv.TempDir(t), "vssapi.dll")
	cmd := exec.Command("make", "-s", "-C", filepath.Join(root, "vssapi"), "CC="+cc, "OUT="+out)
	msg, err := cmd.CombinedOutput()
	require.NoError(t, err, "%s", msg)
	st, err := os.Stat(out)
	require.NoError(t, err)
	require.Positive(t, st.Size())
}

func TestTable(t *testing.T) {
	for _, i := range comtable.Ifaces {
		slots := comtable.Slots(i)
		if i.HasIUnknown() {
			require.Equal(t, []string{"QueryInterface", "AddRef", "Release"}, slots[:3], "%v", i)
		}
		for n, name := range slots {
			m, ok := comtable.Lookup(i, n)
			require.True(t, ok)
			require.Equal(t, name, m.Name)
			byName, ok := comtable.ByName(i, name)
			require.True(t, ok)
			require.Equal(t, n, byName.Slot, "%v has two slots called %s", i, name)
		}
	}
	require.Len(t, comtable.Slots(comtable.BackupComponents), 65)
	m, ok := comtable.ByName(comtable.BackupComponents, "DisableWriterClasses")
	require.True(t, ok)
	require.Equal(t, []comtable.Kind{comtable.GUIDArray, comtable.Count}, []comtable.Kind{m.Params[0].Kind, m.Params[1].Kind})
	require.Len(t, m.Ins(), 1)
	m, _ = comtable.ByName(comtable.BackupComponents, "GetWriterStatusEx")
	require.Len(t, m.Outs(), 7)
	require.Equal(t, "caller: SysFreeString", m.Outs()[2].Kind.Owner())
	for _, m := range comtable.Methods {
		if m.Impl != comtable.Remote {
			continue
		}
		for _, p := range m.Params {
			require.NotEqual(t, comtable.Opaque, p.Kind, "%v: %s", &m, p.Name)
		}
	}
}
