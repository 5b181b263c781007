package scenarios_test

import (
	"io/fs"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/vsssim/vsssim/scenarios"
)

// A customer's documents replayed: writers from a diskshadow folder and
// from vshadow -wm3 output, a restore from their saved BCD (bcd=FILE).
func TestRunDirCustomerReplay(t *testing.T) {
	scenarios.RunDir(t, "testdata/customer")
}

// The embedded catalog is the catalog on disk, and runs from the embedded
// files (preset=FILE next to a scenario found in the embedded tree).
func TestEmbeddedCatalog(t *testing.T) {
	cat := scenarios.Catalog()
	names, err := fs.Glob(cat, "*.txt")
	require.NoError(t, err)
	disk, _, err := scenarios.Files(catalog)
	require.NoError(t, err)
	require.Equal(t, len(disk), len(names))
	for _, n := range names {
		if n != "restore_events_stop_restore_start.txt" && n != "backup_happy_path.txt" {
			continue
		}
		res, err := scenarios.RunFS(cat, n)
		require.NoError(t, err, n)
		require.Empty(t, res.Failures, n)
	}
}
