package scenarios_test

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/vsssim/vsssim/scenarios"
)

// rewrite writes the simulator's output back into the scenario files.
// Read the diff before committing it.
var rewrite = flag.Bool("rewrite", false, "rewrite expectations in testdata/scenarios from the simulator (review the diff)")

const catalog = "../testdata/scenarios"

// TestCatalog runs every scenario file of the catalog as a subtest.
func TestCatalog(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(catalog, "*.txt"))
	require.NoError(t, err)
	require.NotEmpty(t, files)
	start := time.Now()
	for _, f := range files {
		t.Run(strings.TrimSuffix(filepath.Base(f), ".txt"), func(t *testing.T) {
			res, err := scenarios.RunFile(f)
			require.NoError(t, err)
			if *rewrite && res.Skipped == "" {
				require.NoError(t, os.WriteFile(f, []byte(res.Rewritten()), 0o644))
				return
			}
			// Mismatches before a skip (a real backend stops at the first
			// simulator-only line) still fail the test.
			for _, fl := range res.Failures {
				t.Error(fl.String())
			}
			require.NoError(t, res.NothingChecked())
			if res.Skipped != "" {
				t.Skip(res.Skipped)
			}
		})
	}
	t.Logf("%d scenario files in %v", len(files), time.Since(start))
}

// uncoverable are rows no scenario can produce: the simulator models no
// partial files, so SetRangesFilePath never succeeds.
var uncoverable = []string{"SetRangesFilePath S_OK"}

// TestCatalogCoversEveryRow: every documented (method, HRESULT) row of
// REFERENCE §1.3 (call and async results) and every BAD_STATE rule is
// exercised by some catalog scenario, but for the uncoverable ones.
func TestCatalogCoversEveryRow(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(catalog, "*.txt"))
	require.NoError(t, err)
	var cov scenarios.Coverage
	for _, f := range files {
		res, err := scenarios.RunFile(f)
		require.NoError(t, err)
		cov.Add(res)
	}
	require.Equal(t, uncoverable, cov.Missing(), "rows no scenario exercises:\n%s", cov.String())
}

// On the Windows backend, files that need the simulator's world skip with
// the reason, and without real VSS (here) even backend-neutral files skip,
// saying why.
func TestWindowsBackendSkipsWithReasons(t *testing.T) {
	f, err := os.ReadFile(filepath.Join(catalog, "backup_happy_path.txt"))
	require.NoError(t, err)
	parsed, err := scenarios.Parse("backup_happy_path.txt", f)
	require.NoError(t, err)
	res, err := scenarios.RunOn(parsed, "windows")
	require.NoError(t, err)
	require.Contains(t, res.Skipped, "writer needs the simulator")

	f, err = os.ReadFile(filepath.Join(catalog, "backend_neutral_sequencing.txt"))
	require.NoError(t, err)
	parsed, err = scenarios.Parse("backend_neutral_sequencing.txt", f)
	require.NoError(t, err)
	res, err = scenarios.RunOn(parsed, "windows")
	require.NoError(t, err)
	if res.Skipped == "" {
		t.Skip("real VSS is available here: the file ran", res.Failures)
	}
	require.Contains(t, res.Skipped, "Windows VSS is not available")
}
