package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/beevik/etree"

	"github.com/vsssim/vsssim/scenarios"
)

// scenarioFiles expands FILE|DIR arguments to scenario files (*.txt in a
// directory, sorted).
func scenarioFiles(args []string) ([]string, error) {
	var files []string
	for _, a := range args {
		st, err := os.Stat(a)
		if err != nil {
			return nil, err
		}
		if !st.IsDir() {
			files = append(files, a)
			continue
		}
		m, err := filepath.Glob(filepath.Join(a, "*.txt"))
		if err != nil {
			return nil, err
		}
		if len(m) == 0 {
			return nil, fmt.Errorf("%s: no *.txt scenario files", a)
		}
		sort.Strings(m)
		files = append(files, m...)
	}
	return files, nil
}

// run runs scenario files on the simulator.
func runScenarios(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	fs.SetOutput(stderr)
	trace := fs.Bool("trace", false, "print each scenario's event trace")
	status := fs.Bool("status", false, "print each scenario's final writer status (vshadow -ws style)")
	asJSON := fs.Bool("json", false, "print the results as JSON")
	report := fs.String("report", "", "write a report: junit=PATH")
	rewrite := fs.Bool("rewrite", false, "write the simulator's output back into the files as expectations (review the diff)")
	check := fs.Bool("check", false, "report each file's requestor conformance findings (one JUnit testcase per check); they do not change the exit status")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() == 0 {
		fmt.Fprintln(stderr, "usage: vsssim run [-trace] [-status] [-check] [-json] [-report junit=PATH] [-rewrite] FILE|DIR...")
		return 2
	}
	var junit string
	if *report != "" {
		kind, path, ok := strings.Cut(*report, "=")
		if !ok || kind != "junit" || path == "" {
			fmt.Fprintf(stderr, "vsssim run: -report %q: want junit=PATH\n", *report)
			return 2
		}
		junit = path
	}
	files, err := scenarioFiles(fs.Args())
	if err != nil {
		fmt.Fprintf(stderr, "vsssim run: %v\n", err)
		return 1
	}
	type jsonResult struct {
		File      string        `json:"file"`
		Status    string        `json:"status"`
		Reason    string        `json:"reason,omitempty"`
		Failures  []string      `json:"failures,omitempty"`
		ElapsedMS float64       `json:"elapsedMs"`
		Findings  []jsonFinding `json:"findings,omitempty"`
	}
	var results []jsonResult
	var checked []fileFindings
	failed, skipped := 0, 0
	start := time.Now()
	for _, f := range files {
		res, err := scenarios.RunFile(f)
		if err != nil {
			failed++
			results = append(results, jsonResult{File: f, Status: "error", Reason: err.Error()})
			if !*asJSON {
				fmt.Fprintf(stdout, "ERROR %s\n", err)
			}
			continue
		}
		jr := jsonResult{File: f, ElapsedMS: float64(res.Elapsed.Microseconds()) / 1000}
		jr.Status, jr.Reason = outcome(res, scenarios.BackendFromEnv())
		for _, fl := range res.Failures {
			jr.Failures = append(jr.Failures, fl.String())
		}
		if *check && res.Skipped == "" {
			jr.Findings = toJSONFindings(res.Findings)
			checked = append(checked, fileFindings{f, res.Findings})
		}
		switch {
		case *rewrite && res.Skipped == "":
			if err := os.WriteFile(f, []byte(res.Rewritten()), 0o644); err != nil {
				fmt.Fprintf(stderr, "vsssim run: %v\n", err)
				return 1
			}
			jr.Status, jr.Failures = "rewritten", nil
		case jr.Status == "skip":
			skipped++
		case jr.Status != "pass":
			failed++
		}
		results = append(results, jr)
		if !*asJSON {
			fmt.Fprintf(stdout, "%-5s %s (%s)\n", strings.ToUpper(jr.Status), f, res.Elapsed.Round(time.Microsecond))
			for _, fl := range jr.Failures {
				fmt.Fprintln(stdout, fl)
			}
			if jr.Reason != "" {
				fmt.Fprintf(stdout, "      %s\n", jr.Reason)
			}
			if *trace {
				fmt.Fprint(stdout, res.Trace)
			}
			if *status {
				fmt.Fprint(stdout, res.FinalStatus)
			}
			if *check && res.Skipped == "" {
				printFindings(stdout, res.Findings)
			}
		}
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(results); err != nil {
			fmt.Fprintf(stderr, "vsssim run: %v\n", err)
			return 1
		}
	} else {
		fmt.Fprintf(stdout, "%d passed, %d skipped, %d failed\n", len(files)-failed-skipped, skipped, failed)
	}
	if junit != "" {
		doc := etree.NewDocument()
		doc.CreateProcInst("xml", `version="1.0" encoding="UTF-8"`)
		suite := doc.CreateElement("testsuite")
		suite.CreateAttr("name", "vsssim scenarios")
		suite.CreateAttr("tests", strconv.Itoa(len(results)))
		suite.CreateAttr("failures", strconv.Itoa(failed))
		suite.CreateAttr("skipped", strconv.Itoa(skipped))
		suite.CreateAttr("time", fmt.Sprintf("%.3f", time.Since(start).Seconds()))
		for _, r := range results {
			tc := suite.CreateElement("testcase")
			tc.CreateAttr("classname", "scenarios")
			tc.CreateAttr("name", r.File)
			tc.CreateAttr("time", fmt.Sprintf("%.3f", r.ElapsedMS/1000))
			switch r.Status {
			case "fail", "error", "divergence":
				e := tc.CreateElement("failure")
				msg := r.Reason
				if len(r.Failures) > 0 {
					msg = fmt.Sprintf("%d expectation(s) did not hold", len(r.Failures))
				}
				e.CreateAttr("message", msg)
				e.SetText(strings.Join(append(r.Failures, r.Reason), "\n"))
			case "skip":
				tc.CreateElement("skipped").CreateAttr("message", r.Reason)
			}
		}
		if *check {
			tests, failures := addCheckCases(suite, checked)
			bumpAttr(suite, "tests", tests)
			bumpAttr(suite, "failures", failures)
		}
		doc.Indent(2)
		if err := doc.WriteToFile(junit); err != nil {
			fmt.Fprintf(stderr, "vsssim run: %v\n", err)
			return 1
		}
	}
	if failed > 0 {
		return 1
	}
	return 0
}

// coverage lists which documented (method, HRESULT) rows and BAD_STATE
// rules the scenarios exercise.
func coverage(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("coverage", flag.ContinueOnError)
	fs.SetOutput(stderr)
	strict := fs.Bool("strict", false, "exit 1 when a row is not covered")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	dirs := fs.Args()
	if len(dirs) == 0 {
		dirs = []string{filepath.Join(filepath.Dir(findPresets()), "scenarios")}
	}
	files, err := scenarioFiles(dirs)
	if err != nil {
		fmt.Fprintf(stderr, "vsssim coverage: %v\n", err)
		return 1
	}
	var cov scenarios.Coverage
	for _, f := range files {
		res, err := scenarios.RunFile(f)
		if err != nil {
			fmt.Fprintf(stderr, "vsssim coverage: %v\n", err)
			return 1
		}
		cov.Add(res)
	}
	cov.Write(stdout)
	if *strict && len(cov.Missing()) > 0 {
		return 1
	}
	return 0
}

// outcome is a file's status: a mismatch is a failure (a divergence on a
// real backend) even when the file was skipped later on, at its first
// simulator-only line, so nothing compared before the skip is dropped.
func outcome(res *scenarios.Result, backend string) (status, reason string) {
	if !res.OK() {
		status = "fail"
		if backend != "sim" {
			status = "divergence" // real VSS answered differently from the expectation
		}
		if res.Skipped != "" {
			reason = "then skipped: " + res.Skipped
		}
		return status, reason
	}
	if res.Skipped != "" {
		return "skip", res.Skipped
	}
	return "pass", ""
}
