package scenarios_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/vsssim/vsssim/scenarios"
	"github.com/vsssim/vsssim/sim"
)

// TestEveryCheckHasATripAndAPass: for every requestor conformance check,
// the catalog file check_<name>.txt runs clean, one of its check commands
// reports the check and another one reports nothing at all (the requestor
// that does it right).
func TestEveryCheckHasATripAndAPass(t *testing.T) {
	for _, ci := range sim.Checks {
		t.Run(ci.Name, func(t *testing.T) {
			f := filepath.Join(catalog, "check_"+strings.ReplaceAll(ci.Name, "-", "_")+".txt")
			_, err := os.Stat(f)
			require.NoError(t, err, "every check needs a catalog scenario")
			res, err := scenarios.RunFile(f)
			require.NoError(t, err)
			require.Empty(t, res.Failures)
			tripped, passed := false, false
			for _, d := range res.Parsed.Directives {
				if d.Cmd != "check" {
					continue
				}
				out := res.Outputs[d]
				tripped = tripped || strings.Contains(out, " "+ci.Name+": ")
				passed = passed || out == "no findings"
			}
			require.True(t, tripped, "no check command in %s reports %s", f, ci.Name)
			require.True(t, passed, "no check command in %s shows a requestor with no findings", f)
		})
	}
}

// The check command's arguments are checked.
func TestCheckCommandErrors(t *testing.T) {
	for _, src := range []string{"new\ncheck 2\n", "new\ncheck ignore=nonsense\n", "new\ncheck 1 2\n"} {
		parsed, err := scenarios.Parse("bad.txt", []byte(src))
		require.NoError(t, err)
		_, err = scenarios.Run(parsed)
		require.Error(t, err, "%q", src)
		require.Contains(t, err.Error(), "bad.txt:2: check")
	}
}
