package main

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/beevik/etree"

	"github.com/vsssim/vsssim/sim"
)

// jsonFinding is a requestor conformance finding in vsssim run -json -check.
type jsonFinding struct {
	Object   int    `json:"object"`
	Check    string `json:"check"`
	Severity string `json:"severity"`
	Message  string `json:"message"`
	Rule     string `json:"rule"`
	Source   string `json:"source"`
}

func toJSONFindings(fs []sim.Finding) []jsonFinding {
	out := make([]jsonFinding, len(fs))
	for i, f := range fs {
		out[i] = jsonFinding{Object: f.Object, Check: f.Name, Severity: f.Severity.String(), Message: f.Message, Rule: f.Rule, Source: f.Source}
	}
	return out
}

// printFindings writes a file's findings under its result line.
func printFindings(w io.Writer, fs []sim.Finding) {
	if len(fs) == 0 {
		fmt.Fprintln(w, "      check: no findings")
		return
	}
	for _, f := range fs {
		fmt.Fprintf(w, "      check: %v\n", f)
	}
}

// fileFindings are the findings of one scenario file.
type fileFindings struct {
	file     string
	findings []sim.Finding
}

// addCheckCases adds one JUnit testcase per check (classname "checks") to
// suite: it fails when some file has an error or warning finding of that
// check, and lists information findings as output. It returns how many
// testcases and failures it added.
func addCheckCases(suite *etree.Element, files []fileFindings) (tests, failures int) {
	for _, ci := range sim.Checks {
		tc := suite.CreateElement("testcase")
		tc.CreateAttr("classname", "checks")
		tc.CreateAttr("name", ci.Name)
		var lines []string
		seen := map[string]bool{}
		for _, ff := range files {
			for _, f := range ff.findings {
				if f.Name == ci.Name {
					lines = append(lines, ff.file+": "+f.String())
					seen[ff.file] = true
				}
			}
		}
		tests++
		if len(lines) == 0 {
			continue
		}
		text := strings.Join(lines, "\n") + "\nrule: " + ci.Rule + "\nsource: " + ci.Source
		if ci.Severity == sim.SeverityInfo {
			tc.CreateElement("system-out").SetText(text)
			continue
		}
		failures++
		e := tc.CreateElement("failure")
		e.CreateAttr("message", fmt.Sprintf("%s %s: %d findings in %d files", ci.Severity, ci.Name, len(lines), len(seen)))
		e.SetText(text)
	}
	return tests, failures
}

// bumpAttr adds n to a numeric attribute of e.
func bumpAttr(e *etree.Element, name string, n int) {
	v, _ := strconv.Atoi(e.SelectAttrValue(name, "0"))
	e.CreateAttr(name, strconv.Itoa(v+n))
}

// listChecks prints the check catalog: name, severity, rule and source.
func listChecks(w io.Writer) {
	for _, ci := range sim.Checks {
		fmt.Fprintf(w, "%-38s %-7v %s\n%38s         source: %s\n", ci.Name, ci.Severity, ci.Rule, "", ci.Source)
	}
}
