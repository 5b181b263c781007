package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"

	"github.com/vsssim/vsssim/internal/testenv"
)

func runCLI(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(args, &out, &errb)
	return code, out.String(), errb.String()
}

func TestBackupCommand(t *testing.T) {
	code, out, stderr := runCLI(t, "backup", "-writers", "3", "-volumes", `C:\,D:\`)
	require.Equal(t, 0, code, stderr)
	require.Contains(t, out, "call   DoSnapshotSet()")
	require.Contains(t, out, "async  DoSnapshotSet = VSS_S_ASYNC_FINISHED")
	require.Contains(t, out, "backup complete: snapshot set")
	require.Contains(t, out, "2 shadow copies")
	require.Equal(t, 3, strings.Count(out, "   - Status: 1 (VSS_WS_STABLE)\n   - Writer Failure code: 0x00000000 (S_OK)\n"))
	require.Contains(t, out, "Listing writer status ...\n- Number of writers that responded: 3\n")
	_, again, _ := runCLI(t, "backup", "-writers", "3", "-volumes", `C:\,D:\`)
	if d := cmp.Diff(out, again); d != "" {
		t.Fatalf("output is not deterministic (-first +second):\n%s", d)
	}
}

func TestBackupCommandVeto(t *testing.T) {
	code, out, _ := runCLI(t, "backup", "-writers", "2", "-veto", "2:Freeze")
	require.Equal(t, 1, code)
	require.Contains(t, out, "backup failed: DoSnapshotSet: requestor: async operation failed: VSS_E_WRITERERROR_RETRYABLE")
	require.Contains(t, out, "* WRITER \"Writer 02\"\n   - Status: 9 (VSS_WS_FAILED_AT_FREEZE)\n   - Writer Failure code: 0x800423f3 (VSS_E_WRITERERROR_RETRYABLE)\n")
	require.Contains(t, out, "event  Abort -> Writer 01")
}

func TestBadUsage(t *testing.T) {
	for _, args := range [][]string{
		{},
		{"restore"},
		{"backup", "-writers", "-1"},
		{"backup", "-veto", "9:Freeze"},
		{"backup", "-veto", "nonsense"},
		{"backup", "-veto", "1:Frieze"},
		{"backup", "extra"},
		{"backup", "-nosuchflag"},
	} {
		code, _, stderr := runCLI(t, args...)
		require.Equal(t, 2, code, "%q", args)
		require.NotEmpty(t, stderr, "%q must explain itself", args)
	}
	code, out, _ := runCLI(t, "help")
	require.Equal(t, 0, code)
	require.Contains(t, out, "usage: vsssim backup")
}

func TestUnknownVolumeIsAClearError(t *testing.T) {
	code, out, _ := runCLI(t, "backup", "-writers", "1", "-volumes", "C:")
	require.Equal(t, 1, code)
	require.Contains(t, out, `backup failed: AddToSnapshotSet("C:")`)
	require.Contains(t, out, "VSS_E_OBJECT_NOT_FOUND")
}

func TestRulesCommand(t *testing.T) {
	code, out, _ := runCLI(t, "rules")
	require.Equal(t, 0, code)
	require.Contains(t, out, "§2.3#6")
	require.Contains(t, out, "GatherWriterMetadata only once per object")
}

func TestMetadataCommand(t *testing.T) {
	code, out, stderr := runCLI(t, "metadata", "../../testdata/writers/sqlserver.xml")
	require.Equal(t, 0, code, stderr)
	require.Contains(t, out, `* WRITER "SqlServerWriter"`)
	require.Contains(t, out, `- Component "SqlServerWriter:\SQLHOST01\master"`)
	require.Contains(t, out, "       - Is top level: 'TRUE'\n")
	require.Contains(t, out, "Restore method = VSS_RME_RESTORE_IF_CAN_REPLACE")

	code, out, _ = runCLI(t, "metadata", "-json", "../../testdata/writers/shadowcopyoptimization.xml")
	require.Equal(t, 0, code)
	var v struct {
		Name                string `json:"name"`
		RestoreMethod       *struct{}
		ExcludeFromSnapshot []struct {
			Path string `json:"path"`
		} `json:"excludeFromSnapshot"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &v))
	require.Equal(t, "Shadow Copy Optimization Writer", v.Name)
	require.Nil(t, v.RestoreMethod)
	require.NotEmpty(t, v.ExcludeFromSnapshot)
}

func TestMetadataCommandBCD(t *testing.T) {
	dir := testenv.TempDir(t)
	bcd := filepath.Join(dir, "bcd.xml")
	require.NoError(t, os.WriteFile(bcd, []byte(`<BACKUP_COMPONENTS xmlns="x-schema:#VssComponentMetadata" version="1.2" bootableSystemStateBackup="no" selectComponents="yes" backupType="full" partialFileSupport="no" snapshotSetId="a65faa63-5ea8-4ebc-9dbd-a0c4db26912a"><WRITER_COMPONENTS instanceId="a65faa63-5ea8-4ebc-9dbd-a0c4db26912a" writerId="a65faa63-5ea8-4ebc-9dbd-a0c4db26912a" backupSchema="0"><COMPONENT logicalPath="HOST" componentName="master" componentType="filegroup" backupStamp="s1" backupSucceeded="yes"/></WRITER_COMPONENTS></BACKUP_COMPONENTS>`), 0o644))
	code, out, stderr := runCLI(t, "metadata", bcd)
	require.Equal(t, 0, code, stderr)
	require.Contains(t, out, "* BACKUP COMPONENTS DOCUMENT")
	require.Contains(t, out, `Component \HOST\master [VSS_CT_FILEGROUP] succeeded=TRUE stamp="s1"`)
	code, out, _ = runCLI(t, "metadata", "-json", bcd)
	require.Equal(t, 0, code)
	require.Contains(t, out, `"backupType": "VSS_BT_FULL"`)
}

func TestMetadataCommandBadFiles(t *testing.T) {
	dir := testenv.TempDir(t)
	bad := filepath.Join(dir, "bad.xml")
	require.NoError(t, os.WriteFile(bad, []byte("<WRITER_METADATA><IDENTIFICATION writerId=\"x\" friendlyName=\"w\"/></WRITER_METADATA>"), 0o644))
	for _, args := range [][]string{{"metadata", bad}, {"metadata", filepath.Join(dir, "missing.xml")}} {
		code, out, stderr := runCLI(t, args...)
		require.Equal(t, exitBadFile, code, "%q", args)
		require.Empty(t, out)
		require.Equal(t, 1, strings.Count(stderr, "\n"), "one clear line: %q", stderr)
	}
	_, _, stderr := runCLI(t, "metadata", bad)
	require.Contains(t, stderr, `VSS_E_INVALID_XML_DOCUMENT`)
	require.Contains(t, stderr, `/WRITER_METADATA/IDENTIFICATION: attribute writerId: "x" is not a GUID`)
	code, _, _ := runCLI(t, "metadata")
	require.Equal(t, 2, code)
}

// vsssim metadata refuses a document larger than the limit from its size,
// before reading it, and says what the limit is.
func TestMetadataCommandHugeFile(t *testing.T) {
	huge := testenv.SparseFile(t, "huge.xml", 1<<30)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	code, out, stderr := runCLI(t, "metadata", huge)
	runtime.ReadMemStats(&after)
	require.Equal(t, exitBadFile, code)
	require.Empty(t, out)
	require.Equal(t, 1, strings.Count(stderr, "\n"), "one clear line: %q", stderr)
	require.Contains(t, stderr, "huge.xml is 1073741824 bytes; the limit is 16 MiB, eight times the largest real writer metadata seen")
	// Reading would cost at least the 1 MiB head isWM3 sniffs; the error
	// text alone costs up to ≈120 KiB under -race (its regexps' pooled
	// state, which the race detector's sync.Pool drops at random).
	require.Less(t, after.TotalAlloc-before.TotalAlloc, uint64(512<<10), "refused before reading")
}

func TestWritersCommand(t *testing.T) {
	code, out, stderr := runCLI(t, "writers", "-dir", "../../testdata/writers")
	require.Equal(t, 0, code, stderr)
	_, builtin, _ := runCLI(t, "writers")
	require.Equal(t, out, builtin, "the built-in presets are testdata/writers")
	require.True(t, strings.HasPrefix(out, vssadminBanner))
	require.Contains(t, out, "Writer name: 'System Writer'\n   Writer Id: {e8132975-6f93-4464-a53e-1050253ae220}\n")
	require.Contains(t, out, "   State: [1] Stable\n   Last error: No error\n")
	require.GreaterOrEqual(t, strings.Count(out, "Writer name:"), 9)
	code, _, stderr = runCLI(t, "writers", "-dir", testenv.TempDir(t))
	require.Equal(t, exitBadFile, code)
	require.Contains(t, stderr, "no writer metadata documents (*.xml)")
}

// The README's first command: preset writers, one failing after the shadow
// copy exists, the backup finishing anyway.
func TestReadmeBackupCommand(t *testing.T) {
	code, out, stderr := runCLI(t, "backup", "-presets", "builtin", "-veto", "SqlServerWriter:PostSnapshot", "-keep-going")
	require.Equal(t, exitFail, code, "a failed writer fails the command, -keep-going or not")
	require.Contains(t, stderr, "a writer failed")
	require.Contains(t, out, "* WRITER \"SqlServerWriter\"\n   - Status: 11 (VSS_WS_FAILED_AT_POST_SNAPSHOT)\n   - Writer Failure code: 0x800423f3 (VSS_E_WRITERERROR_RETRYABLE)\n")
	require.Contains(t, out, "* WRITER \"System Writer\"\n   - Status: 1 (VSS_WS_STABLE)\n")
	require.Contains(t, out, `backup completed with 1 failed writer(s), -keep-going: "SqlServerWriter" is VSS_WS_FAILED_AT_POST_SNAPSHOT (VSS_E_WRITERERROR_RETRYABLE)`)
	code, again, _ := runCLI(t, "backup", "-presets", "../../testdata/writers", "-veto", "SqlServerWriter:PostSnapshot", "-keep-going", "-allow-failed-writers")
	require.Equal(t, exitOK, code)
	require.Equal(t, out, again, "the built-in presets are testdata/writers")
	require.NotContains(t, out, "Writer 01", "-presets alone means no generic writers")
	code, out, _ = runCLI(t, "backup", "-writers", "0", "-presets", "../../testdata/writers", "-veto", "SqlServerWriter:PostSnapshot")
	require.Equal(t, 1, code, "without -keep-going the requestor aborts")
	require.Contains(t, out, "requestor: writer failed")
}
