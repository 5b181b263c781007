package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/vsssim/vsssim/internal/testenv"
)

// goTool finds the go command, or skips (failing in CI, where it must be
// there).
func goTool(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds and runs the go command (-short)")
	}
	if testenv.Wine() {
		t.Skip("known Wine limitation: the go command does not run inside Wine")
	}
	goBin := filepath.Join(runtime.GOROOT(), "bin", "go")
	if _, err := os.Stat(goBin); err != nil {
		if goBin, err = exec.LookPath("go"); err != nil {
			if os.Getenv("CI") == "true" {
				t.Fatalf("the go command is needed: %v", err)
			}
			t.Skipf("no go command: %v", err)
		}
	}
	return goBin
}

func goCmd(t *testing.T, goBin, dir string, env []string, args ...string) string {
	t.Helper()
	cmd := exec.Command(goBin, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "go %s in %s:\n%s", strings.Join(args, " "), dir, out)
	return string(out)
}

// The command works outside the repository: the presets and the catalog
// are built in (vsssim writers, vsssim coverage, preset=sqlserver).
func TestCommandOutsideTheRepository(t *testing.T) {
	goBin := goTool(t)
	repo, err := filepath.Abs("../..")
	require.NoError(t, err)
	bin := filepath.Join(testenv.TempDir(t), "vsssim")
	if runtime.GOOS == "windows" {
		bin += ".exe"
	}
	goCmd(t, goBin, repo, nil, "build", "-o", bin, "./cmd/vsssim")
	work := testenv.TempDir(t)
	// goodScenario with its writer from a built-in preset.
	sql := strings.Replace(goodScenario, "writer W\n", "writer SqlServerWriter preset=sqlserver\n", 1)
	require.Contains(t, sql, "preset=sqlserver")
	require.NoError(t, os.WriteFile(filepath.Join(work, "sql.txt"), []byte(sql), 0o644))
	vsssim := func(want int, args ...string) string {
		t.Helper()
		cmd := exec.Command(bin, args...)
		cmd.Dir = work
		cmd.Env = append(os.Environ(), "VSSSIM_BACKEND=")
		out, err := cmd.CombinedOutput()
		code := 0
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		} else {
			require.NoError(t, err)
		}
		require.Equal(t, want, code, "vsssim %s:\n%s", strings.Join(args, " "), out)
		return string(out)
	}
	require.Contains(t, vsssim(0, "writers"), "Writer name: 'SqlServerWriter'")
	require.Contains(t, vsssim(0, "run", "sql.txt"), "1 passed, 0 skipped, 0 failed")
	require.Contains(t, vsssim(0, "coverage"), "rows covered")
	require.Contains(t, vsssim(0, "backup", "-presets", "builtin"), "backup complete")
	require.Contains(t, vsssim(0, "version"), "vsssim ")
}

// A separate Go module uses the library through a replace directive,
// offline (GOFLAGS=-mod=mod, GOPROXY=off, the local module cache): a
// preset, fault injection and scenarios.RunDir from the user's own test.
func TestLibraryFromAnotherModule(t *testing.T) {
	goBin := goTool(t)
	repo, err := filepath.Abs("../..")
	require.NoError(t, err)
	sum, err := os.ReadFile(filepath.Join(repo, "go.sum"))
	require.NoError(t, err)
	user := testenv.TempDir(t)
	files := map[string]string{
		"go.mod": "module example.com/mybackup\n\ngo 1.26.0\n\nrequire github.com/vsssim/vsssim v0.0.0\n\nreplace github.com/vsssim/vsssim => " + filepath.ToSlash(repo) + "\n",
		"go.sum": string(sum),
		"backup_test.go": `package mybackup

import (
	"context"
	"errors"
	"testing"

	"github.com/vsssim/vsssim/fakewriter"
	"github.com/vsssim/vsssim/requestor"
	"github.com/vsssim/vsssim/requestor/vss"
	"github.com/vsssim/vsssim/scenarios"
	"github.com/vsssim/vsssim/sim"
)

func TestSQLVeto(t *testing.T) {
	c := sim.NewDefault()
	sql, err := fakewriter.Preset("sqlserver")
	if err != nil {
		t.Fatal(err)
	}
	sql.On(sim.EventFreeze, fakewriter.Retryable(0))
	if _, err := sql.Subscribe(c); err != nil {
		t.Fatal(err)
	}
	_, err = requestor.RunBackup(context.Background(), requestor.NewSim(c), requestor.BackupPlan{Volumes: []string{` + "`C:\\`" + `}, SelectAll: true})
	if !errors.Is(err, vss.VSS_E_WRITERERROR_RETRYABLE) {
		t.Fatalf("got %v", err)
	}
}

func TestScenarios(t *testing.T) { scenarios.RunDir(t, "testdata/vss") }
`,
		"testdata/vss/sql.txt": "writer SqlServerWriter preset=sqlserver\nnew\ncall InitializeForBackup\n----\nS_OK\n",
	}
	for name, text := range files {
		p := filepath.Join(user, filepath.FromSlash(name))
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		require.NoError(t, os.WriteFile(p, []byte(text), 0o644))
	}
	out := goCmd(t, goBin, user, []string{"GOFLAGS=-mod=mod", "GOPROXY=off", "GOSUMDB=off", "GOWORK=off", "VSSSIM_BACKEND="}, "test", "-count=1", "-v", ".")
	require.Contains(t, out, "--- PASS: TestSQLVeto")
	require.Contains(t, out, "--- PASS: TestScenarios/sql")
}
