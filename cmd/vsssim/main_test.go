package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"
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
	require.Equal(t, 3, strings.Count(out, "VSS_WS_STABLE                        S_OK"))
	_, again, _ := runCLI(t, "backup", "-writers", "3", "-volumes", `C:\,D:\`)
	if d := cmp.Diff(out, again); d != "" {
		t.Fatalf("output is not deterministic (-first +second):\n%s", d)
	}
}

func TestBackupCommandVeto(t *testing.T) {
	code, out, _ := runCLI(t, "backup", "-writers", "2", "-veto", "2:Freeze")
	require.Equal(t, 1, code)
	require.Contains(t, out, "backup failed: DoSnapshotSet: requestor: async operation failed: VSS_E_WRITERERROR_RETRYABLE")
	require.Contains(t, out, "event  Abort -> Writer 01")
}

func TestBadUsage(t *testing.T) {
	for _, args := range [][]string{
		{},
		{"restore"},
		{"backup", "-writers", "-1"},
		{"backup", "-veto", "9:Freeze"},
		{"backup", "-veto", "nonsense"},
		{"backup", "extra"},
		{"backup", "-nosuchflag"},
	} {
		code, _, stderr := runCLI(t, args...)
		require.Equal(t, 2, code, "%q", args)
		require.NotEmpty(t, stderr, "%q must explain itself", args)
	}
	code, _, stderr := runCLI(t, "help")
	require.Equal(t, 0, code)
	require.Contains(t, stderr, "usage: vsssim backup")
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
