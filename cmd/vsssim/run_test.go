package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/beevik/etree"
	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"

	"github.com/vsssim/vsssim/internal/testenv"
	"github.com/vsssim/vsssim/scenarios"
)

func writeScenario(t *testing.T, dir, name, text string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	require.NoError(t, os.WriteFile(p, []byte(text), 0o644))
	return p
}

const goodScenario = `writer W
new
call InitializeForBackup
----
S_OK

call GatherWriterMetadata
----
S_OK

call GatherWriterMetadata
----
VSS_E_BAD_STATE rule=§2.3#6
`

// A file the backend cannot run is counted as skipped, never as passed
// (the good scenario declares a fake writer, which real VSS cannot have).
func TestRunCommandCountsSkips(t *testing.T) {
	t.Setenv("VSSSIM_BACKEND", "windows")
	dir := testenv.TempDir(t)
	good := writeScenario(t, dir, "good.txt", goodScenario)
	report := filepath.Join(dir, "junit.xml")
	code, out, stderr := runCLI(t, "run", "-report", "junit="+report, good)
	require.Equal(t, exitNothingRun, code, "a run that checked nothing fails: "+out+stderr)
	require.Contains(t, stderr, "nothing was checked: all 1 file(s) skipped on the windows backend")
	require.Contains(t, out, "SKIP  "+good)
	require.Contains(t, out, "0 passed, 1 skipped, 0 failed")
	code, _, _ = runCLI(t, "run", good, "-allow-skip", "-report", "junit="+report)
	require.Equal(t, exitOK, code)
	doc := etree.NewDocument()
	require.NoError(t, doc.ReadFromFile(report))
	require.Equal(t, "1", doc.Root().SelectAttrValue("skipped", ""))
}

// A mismatch seen before a file stops at its first simulator-only line
// (real backend) is a divergence, not a skip.
func TestOutcome(t *testing.T) {
	mismatch := []scenarios.Failure{{File: "f.txt", Line: 3, Cmd: "call X", Want: "S_OK", Got: "E_INVALIDARG"}}
	type out struct{ Status, Reason string }
	for _, tc := range []struct {
		name    string
		res     scenarios.Result
		backend string
		want    out
	}{
		{"pass", scenarios.Result{}, "sim", out{"pass", ""}},
		{"skip", scenarios.Result{Skipped: "line 9: inject needs the simulator"}, "windows", out{"skip", "line 9: inject needs the simulator"}},
		{"fail", scenarios.Result{Failures: mismatch}, "sim", out{"fail", ""}},
		{"divergence", scenarios.Result{Failures: mismatch}, "windows", out{"divergence", ""}},
		{"divergence then skip", scenarios.Result{Failures: mismatch, Skipped: "line 9: inject needs the simulator"}, "windows",
			out{"divergence", "then skipped: line 9: inject needs the simulator"}},
	} {
		var got out
		got.Status, got.Reason = outcome(&tc.res, tc.backend)
		if d := cmp.Diff(tc.want, got); d != "" {
			t.Errorf("%s (-want +got):\n%s", tc.name, d)
		}
	}
}

func TestRunCommand(t *testing.T) {
	dir := testenv.TempDir(t)
	good := writeScenario(t, dir, "good.txt", goodScenario)
	code, out, stderr := runCLI(t, "run", good)
	require.Equal(t, 0, code, out+stderr)
	require.Contains(t, out, "PASS  "+good)
	require.Contains(t, out, "1 passed, 0 skipped, 0 failed")

	// A deliberately wrong expectation fails with a readable diff.
	bad := writeScenario(t, dir, "bad.txt", strings.Replace(goodScenario, "rule=§2.3#6", "rule=§2.3#7", 1))
	code, out, _ = runCLI(t, "run", dir)
	require.Equal(t, 1, code)
	require.Contains(t, out, "FAIL  "+bad)
	require.Contains(t, out, bad+":11: call GatherWriterMetadata\n  want:\n    VSS_E_BAD_STATE rule=§2.3#7\n  got:\n    VSS_E_BAD_STATE rule=§2.3#6")
	require.Contains(t, out, "1 passed, 0 skipped, 1 failed")

	// JSON and JUnit for CI.
	report := filepath.Join(dir, "junit.xml")
	code, out, _ = runCLI(t, "run", "-json", "-report", "junit="+report, dir)
	require.Equal(t, 1, code)
	var sum struct {
		Files, Passed, Failed, ExitCode int
		Results                         []struct {
			File, Status string
			Failures     []string
			Expectations int
		}
	}
	require.NoError(t, json.Unmarshal([]byte(out), &sum))
	require.Equal(t, 2, sum.Files)
	require.Equal(t, 1, sum.Passed)
	require.Equal(t, 1, sum.Failed)
	require.Equal(t, exitFail, sum.ExitCode)
	results := sum.Results
	require.Len(t, results, 2)
	require.Equal(t, "fail", results[0].Status)
	require.Equal(t, "pass", results[1].Status)
	require.Equal(t, 3, results[1].Expectations)
	doc := etree.NewDocument()
	require.NoError(t, doc.ReadFromFile(report))
	require.Equal(t, "2", doc.Root().SelectAttrValue("tests", ""))
	require.Equal(t, "1", doc.Root().SelectAttrValue("failures", ""))
	fl := doc.FindElement("//testcase/failure")
	require.NotNil(t, fl)
	require.Equal(t, bad+":11: call GatherWriterMetadata: want VSS_E_BAD_STATE rule=§2.3#7, got VSS_E_BAD_STATE rule=§2.3#6", fl.SelectAttrValue("message", ""))
	require.Equal(t, "0", doc.Root().SelectAttrValue("skipped", ""))

	// -rewrite fixes the expectation.
	code, _, _ = runCLI(t, "run", "-rewrite", bad)
	require.Equal(t, 0, code)
	code, _, _ = runCLI(t, "run", bad)
	require.Equal(t, 0, code)

	// -trace prints the events, -status the final writer status.
	_, out, _ = runCLI(t, "run", "-trace", "-status", good)
	require.Contains(t, out, "event  Identify -> W")
	require.Contains(t, out, "#1:\nListing writer status ...\n- Number of writers that responded: 1\n\n* WRITER \"W\"\n   - Status: 1 (VSS_WS_STABLE)\n")
}

func TestRunCommandBadFiles(t *testing.T) {
	dir := testenv.TempDir(t)
	for _, tc := range []struct{ text, want string }{
		{"new\ncall NoSuchMethod\n", `:2: call: unknown method "NoSuchMethod"`},
		{"bogus\n", `:1: bogus: unknown command "bogus"`},
		{"writer W\nfault W Freeze fail=VSS_E_WRITERERROR_RETRYABEL\n", `VSS_E_WRITERERROR_RETRYABLE`},
		{"inject GatherWriterMetadata VSS_E_NOPE\n", `:1: inject:`},
		{"new\ncall AddToSnapshotSet\n", `:2: call: want: call AddToSnapshotSet VOLUME`},
		{"----\n", `:1: "----" without a command before it`},
		{"new\ncall SetContext \"unterminated\n", `:2: unterminated quote`},
		{"writer W\nfault W Freeze colour=red\n", `unknown argument colour=`},
		{"call InitializeForBackup\n", `no requestor object yet`},
		{"inject DoSnapshotSet VSS_E_BAD_STATE async\nnew\n", `:1: inject: sim: InjectFault: VSS_E_BAD_STATE is not a documented async result`},
		{"new\ncall InitializeForRestore bcd=nosuch.xml\n", `:2: call: bcd=nosuch.xml: open `},
		{"new\ncall InitializeForRestore bcd=weird\n", `bcd="weird": want saved, none, garbage or a FILE.xml next to the scenario`},
		{"writers nosuchdir\n", `:1: writers: `},
		{"writers\n", `want: writers PATH`},
	} {
		p := writeScenario(t, dir, "x.txt", tc.text)
		code, out, _ := runCLI(t, "run", p)
		require.Equal(t, exitBadFile, code, tc.text)
		require.Contains(t, out, tc.want, tc.text)
		require.Contains(t, out, p+":", "errors name file:line: %s", out)
	}
	code, _, stderr := runCLI(t, "run")
	require.Equal(t, 2, code)
	require.Contains(t, stderr, "usage")
	code, _, _ = runCLI(t, "run", "-report", "xml=foo", dir)
	require.Equal(t, 2, code)
	code, _, stderr = runCLI(t, "run", filepath.Join(dir, "missing.txt"))
	require.Equal(t, exitBadFile, code)
	require.NotEmpty(t, stderr)
}

func TestCoverageCommand(t *testing.T) {
	dir := testenv.TempDir(t)
	writeScenario(t, dir, "good.txt", goodScenario)
	code, out, _ := runCLI(t, "coverage", dir)
	require.Equal(t, 0, code)
	require.Contains(t, out, "covered  GatherWriterMetadata VSS_E_BAD_STATE")
	require.Contains(t, out, "covered  rule §2.3#6")
	require.Contains(t, out, "MISSING  DoSnapshotSet async VSS_E_PROVIDER_VETO")
	code, _, _ = runCLI(t, "coverage", "-strict", dir)
	require.Equal(t, 1, code)
}

func TestRunPerBackendDirectives(t *testing.T) {
	dir := testenv.TempDir(t)
	p := writeScenario(t, dir, "b.txt", "new\ncall InitializeForBackup only=windows\n----\nE_ACCESSDENIED\n\ncall InitializeForBackup skip=windows\n----\nS_OK\n")
	code, out, _ := runCLI(t, "run", p)
	require.Equal(t, 0, code, out)
	p = writeScenario(t, dir, "c.txt", "new only=mac\n")
	code, out, _ = runCLI(t, "run", p)
	require.Equal(t, exitBadFile, code)
	require.Contains(t, out, `only="mac": backends are sim and windows`)
}
