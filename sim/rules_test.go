package sim_test

import (
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"

	"github.com/vsssim/vsssim/sim"
)

// Every rule id the code passes to badState is in sim.Rules, and every
// listed rule is used.
func TestRulesTableIsComplete(t *testing.T) {
	files, err := filepath.Glob("*.go")
	require.NoError(t, err)
	re := regexp.MustCompile(`badState\([^,()]+, "([^"]+)"`)
	used := map[string]bool{}
	for _, f := range files {
		if filepath.Ext(f) != ".go" || len(f) > 8 && f[len(f)-8:] == "_test.go" {
			continue
		}
		src, err := os.ReadFile(f)
		require.NoError(t, err)
		for _, m := range re.FindAllStringSubmatch(string(src), -1) {
			used[m[1]] = true
		}
	}
	var got, want []string
	for id := range used {
		got = append(got, id)
	}
	for _, r := range sim.Rules {
		want = append(want, r.ID)
		require.Contains(t, []string{"D", "O", "I", "D+O", "O+I"}, r.Basis, r.ID)
		require.NotEmpty(t, r.Text, r.ID)
	}
	sort.Strings(got)
	sort.Strings(want)
	if d := cmp.Diff(want, got); d != "" {
		t.Fatalf("sim.Rules vs the rule ids in the code (-table +code):\n%s", d)
	}
	_, ok := sim.RuleByID("§2.3#6")
	require.True(t, ok)
}
