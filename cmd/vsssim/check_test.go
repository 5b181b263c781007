package main

import (
	"encoding/json"
	"path/filepath"
	"testing"

	"github.com/beevik/etree"
	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"

	"github.com/vsssim/vsssim/internal/testenv"
	"github.com/vsssim/vsssim/sim"
)

// goodScenario's object is never released, never gets past
// GatherWriterMetadata and never reads its result: release-missing,
// async-status-not-queried and free-writer-metadata-missing.
func TestRunCheckReportsFindings(t *testing.T) {
	dir := testenv.TempDir(t)
	good := writeScenario(t, dir, "good.txt", goodScenario)

	code, out, stderr := runCLI(t, "run", "-check", good)
	require.Equal(t, 0, code, out+stderr) // findings do not change the exit status
	require.Contains(t, out, "      check: #1 error release-missing: the object was never released\n")
	require.Contains(t, out, "      check: #1 info free-writer-metadata-missing:")

	code, out, stderr = runCLI(t, "run", "-check", "-json", good)
	require.Equal(t, 0, code, stderr)
	var sum struct {
		Results []struct {
			Findings []jsonFinding `json:"findings"`
		} `json:"results"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &sum))
	res := sum.Results
	require.Len(t, res, 1)
	var names []string
	for _, f := range res[0].Findings {
		names = append(names, f.Check+" "+f.Severity)
		require.NotEmpty(t, f.Rule)
		require.NotEmpty(t, f.Source)
		require.Equal(t, 1, f.Object)
	}
	if d := cmp.Diff([]string{"release-missing error", "async-status-not-queried warning", "free-writer-metadata-missing info"}, names); d != "" {
		t.Errorf("findings (-want +got):\n%s", d)
	}

	// JUnit: one testcase per check; errors and warnings fail it.
	report := filepath.Join(dir, "junit.xml")
	code, out, stderr = runCLI(t, "run", "-check", "-report", "junit="+report, good)
	require.Equal(t, 0, code, out+stderr)
	doc := etree.NewDocument()
	require.NoError(t, doc.ReadFromFile(report))
	suite := doc.Root()
	require.Equal(t, "2", suite.SelectAttrValue("failures", ""))
	cases := suite.FindElements("testcase[@classname='checks']")
	require.Len(t, cases, len(sim.Checks))
	require.Equal(t, len(sim.Checks)+1, len(suite.FindElements("testcase")))
	for _, tc := range cases {
		name := tc.SelectAttrValue("name", "")
		fail := tc.SelectElement("failure")
		switch name {
		case "release-missing":
			require.NotNil(t, fail)
			require.Equal(t, "error release-missing: 1 findings in 1 files", fail.SelectAttrValue("message", ""))
			require.Contains(t, fail.Text(), good+": #1 error release-missing:")
		case "async-status-not-queried":
			require.NotNil(t, fail)
		case "free-writer-metadata-missing":
			require.Nil(t, fail, "information does not fail")
			require.Contains(t, tc.SelectElement("system-out").Text(), "free-writer-metadata-missing")
		default:
			require.Nil(t, fail, name)
		}
	}
}

// vsssim checks lists every check with its rule and source.
func TestChecksCommand(t *testing.T) {
	code, out, stderr := runCLI(t, "checks")
	require.Equal(t, 0, code, stderr)
	for _, ci := range sim.Checks {
		require.Contains(t, out, ci.Name)
		require.Contains(t, out, "source: "+ci.Source)
	}
}
