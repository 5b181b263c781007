package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"
)

// The samples in testdata/formats are written in the real tools' layouts
// (vshadow's writer.cpp format strings, vssadmin list writers and
// diskshadow captures published by Microsoft), for vsssim's documents.
// vsssim's output must equal them once what only the real machine has is
// normalised: instance ids VSS assigns and volume GUID paths. Lines vsssim
// adds are marked "(vsssim)" and dropped.
var (
	instanceID = regexp.MustCompile(`(?m)^(\s+- (?:InstanceId =|Instance ID:)|\s+Writer Instance Id:) \{[0-9a-f-]{36}\}$`)
	volumeLine = regexp.MustCompile(`(?m)^(\s+- )(?:\\\\\?\\Volume\{[0-9a-f-]{36}\}\\|[A-Z]:\\ \(vsssim: [^)]*\)) (\[[A-Z]:\\\])$`)
	ownLine    = regexp.MustCompile(`(?m)^.*\(vsssim\).*\n`)
)

func normaliseFormat(s string) string {
	s = instanceID.ReplaceAllString(s, "$1 {INSTANCE}")
	s = volumeLine.ReplaceAllString(s, "${1}VOLUME $2")
	return ownLine.ReplaceAllString(s, "")
}

func sample(t *testing.T, name string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "formats", name))
	require.NoError(t, err)
	return string(data)
}

func TestFormatsMatchTheRealTools(t *testing.T) {
	wm3 := "../../scenarios/testdata/customer/vshadow-wm3.out"
	for _, tc := range []struct {
		sample string
		args   []string
		cut    func(string) string
	}{
		{"vshadow-wm2.txt", []string{"metadata", "testdata/formats/ledger-wmd.xml"}, nil},
		{"vshadow-ws.txt", []string{"backup", "-presets", wm3, "-veto", "SqlServerWriter:Freeze"}, func(out string) string {
			i := strings.Index(out, "Listing writer status ...")
			j := strings.Index(out, "\nbackup failed")
			require.True(t, i >= 0 && j > i, out)
			return out[i:j]
		}},
		{"vssadmin-list-writers.txt", []string{"writers", "-dir", wm3, "-veto", "SqlServerWriter:Freeze:VSS_E_WRITERERROR_TIMEOUT"}, nil},
	} {
		code, out, stderr := runCLI(t, tc.args...)
		require.Equal(t, 1-boolInt(tc.sample != "vshadow-ws.txt"), code, stderr)
		if tc.cut != nil {
			out = tc.cut(out)
		}
		want := normaliseFormat(sample(t, tc.sample))
		if d := cmp.Diff(want, normaliseFormat(out)); d != "" {
			t.Errorf("vsssim %s does not match %s (-sample +vsssim):\n%s", strings.Join(tc.args, " "), tc.sample, d)
		}
		require.NotEqual(t, want, normaliseFormat(strings.Replace(out, "\n", "\n ", 1)), "the comparison sees a changed indentation")
	}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
