package fakewriter_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"

	"github.com/vsssim/vsssim/fakewriter"
	"github.com/vsssim/vsssim/internal/testenv"
)

const customer = "../scenarios/testdata/customer"

func names(ws []*fakewriter.Writer) []string {
	var out []string
	for _, w := range ws {
		out = append(out, w.Config.Name)
	}
	return out
}

// The three forms of a customer's documents make the same writers.
func TestLoadCustomerDocuments(t *testing.T) {
	want := []string{"SqlServerWriter", "System Writer"}
	ds, bcd, err := fakewriter.FromDiskshadow(filepath.Join(customer, "diskshadow"))
	require.NoError(t, err)
	require.Equal(t, filepath.Join(customer, "diskshadow", "BCDocument.xml"), bcd)
	for _, p := range []string{filepath.Join(customer, "diskshadow"), filepath.Join(customer, "vshadow-wm3.out")} {
		ws, err := fakewriter.Load(p)
		require.NoError(t, err, p)
		if d := cmp.Diff(want, names(ws)); d != "" {
			t.Errorf("%s (-want +got):\n%s", p, d)
		}
		for i := range ws {
			require.Equal(t, ds[i].Config, ws[i].Config, p)
		}
	}
	// A directory of WMDs: the presets; BCDs in it are skipped.
	dir := testenv.TempDir(t)
	for _, f := range []string{"WM0.xml", "WM1.xml", "BCDocument.xml"} {
		data, err := os.ReadFile(filepath.Join(customer, "diskshadow", f))
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(filepath.Join(dir, f), data, 0o644))
	}
	ws, err := fakewriter.Load(dir)
	require.NoError(t, err)
	require.Equal(t, want, names(ws))
	// One WMD.
	ws, err = fakewriter.Load(filepath.Join(customer, "diskshadow", "WM1.xml"))
	require.NoError(t, err)
	require.Equal(t, []string{"System Writer"}, names(ws))
}

func utf16le(s string, bom bool) []byte {
	var b []byte
	if bom {
		b = []byte{0xFF, 0xFE}
	}
	for _, u := range utf16.Encode([]rune(s)) {
		b = append(b, byte(u), byte(u>>8))
	}
	return b
}

// vshadow -wm3 output redirected by PowerShell is UTF-16 with a BOM.
func TestVShadowWM3UTF16AndCRLF(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(customer, "vshadow-wm3.out"))
	require.NoError(t, err)
	ws, err := fakewriter.FromVShadowWM3(utf16le(strings.ReplaceAll(string(data), "\n", "\r\n"), true))
	require.NoError(t, err)
	require.Equal(t, []string{"SqlServerWriter", "System Writer"}, names(ws))
}

func TestBadCustomerDocuments(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(customer, "vshadow-wm3.out"))
	require.NoError(t, err)
	text := string(data)
	for _, tc := range []struct{ name, text, want string }{
		{"cut off", strings.Replace(text, "--[end of data]--\n", "", 1), `without its "--[end of data]--" line`},
		{"no writers", "VSHADOW.EXE 3.0\n--[end of data]--\n", `without any "--[Writer N]--" section`},
		{"bad writer", "--[Writer 0]--\n<WRITER_METADATA>\n--[end of data]--\n", "writer at line 1:"},
	} {
		_, err := fakewriter.FromVShadowWM3([]byte(tc.text))
		require.ErrorContains(t, err, tc.want, tc.name)
	}
	dir := testenv.TempDir(t)
	manifest := `<Manifest ><Writers Count = '1' ><Writer Name = 'Gone%sWriter' MetadataFile = 'C:\Temp\WM7.xml' ></Writer></Writers></Manifest>`
	require.NoError(t, os.WriteFile(filepath.Join(dir, "Manifest.xml"), utf16le(manifest, false), 0o644))
	_, err = fakewriter.Load(dir)
	require.ErrorContains(t, err, `writer "Gone Writer"`)
	require.ErrorContains(t, err, "WM7.xml")
	require.NoError(t, os.WriteFile(filepath.Join(dir, "Manifest.xml"), utf16le("<Other/>", true), 0o644))
	_, err = fakewriter.Load(dir)
	require.ErrorContains(t, err, "not a diskshadow manifest")
	_, err = fakewriter.Load(filepath.Join(dir, "missing"))
	require.Error(t, err)
	_, err = fakewriter.FromDir(testenv.TempDir(t))
	require.ErrorContains(t, err, "no writer metadata documents")
}
