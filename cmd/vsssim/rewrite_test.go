package main

import (
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/vsssim/vsssim/internal/testenv"
)

// -rewrite of commands not separated by blank lines gives a file that
// passes (it used to swallow each next command into the expectation).
func TestRunRewriteSeparatesCommands(t *testing.T) {
	dir := testenv.TempDir(t)
	f := writeScenario(t, dir, "s.txt", "new\ncall InitializeForBackup\ncall GatherWriterMetadata\n")
	code, out, stderr := runCLI(t, "run", "-rewrite", f)
	require.Equal(t, 0, code, out+stderr)
	code, out, stderr = runCLI(t, "run", f)
	require.Equal(t, 0, code, out+stderr)
	got, err := os.ReadFile(f)
	require.NoError(t, err)
	require.Equal(t, "new\ncall InitializeForBackup\n----\nS_OK\n\ncall GatherWriterMetadata\n----\nS_OK\n", string(got))
}

// A file with more failed expectations than MaxFailures stops, and says
// where.
func TestRunStopsAfterTooManyFailures(t *testing.T) {
	dir := testenv.TempDir(t)
	f := writeScenario(t, dir, "s.txt", "new\n"+strings.Repeat("call InitializeForBackup\n----\nS_FALSE\n\n", 1000))
	code, out, _ := runCLI(t, "run", f)
	require.Equal(t, 1, code)
	require.Contains(t, out, f+":398: stopped after 100 failed expectations")
	require.Equal(t, 100, strings.Count(out, "  want:"))
}
