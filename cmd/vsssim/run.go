package main

import (
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/beevik/etree"

	"github.com/vsssim/vsssim/scenarios"
	"github.com/vsssim/vsssim/sim"
)

// scenarioFiles expands FILE|DIR arguments to scenario files: a directory
// is walked (subdirectories included) for *.txt files; the other files
// found there are returned as ignored.
func scenarioFiles(args []string) (files, ignored []string, err error) {
	for _, a := range args {
		st, err := os.Stat(a)
		if err != nil {
			return nil, nil, err
		}
		if !st.IsDir() {
			files = append(files, a)
			continue
		}
		m, ign, err := scenarios.Files(a)
		if err != nil {
			return nil, nil, err
		}
		if len(m) == 0 {
			return nil, nil, fmt.Errorf("%s: no *.txt scenario files", a)
		}
		files = append(files, m...)
		ignored = append(ignored, ign...)
	}
	return files, ignored, nil
}

// fileResult is one scenario file's outcome (the JSON "results" entries).
type fileResult struct {
	File         string   `json:"file"`
	Status       string   `json:"status"` // pass, fail, divergence, skip, error, empty, rewritten
	Reason       string   `json:"reason,omitempty"`
	Failures     []string `json:"failures,omitempty"`
	Expectations int      `json:"expectations"`
	ElapsedMS    float64  `json:"elapsedMs"`
	Trace        string   `json:"trace,omitempty"`
	FinalStatus  string   `json:"finalStatus,omitempty"`
	// Findings are the requestor conformance findings (-check).
	Findings []jsonFinding `json:"findings,omitempty"`

	findings []sim.Finding // with -check, for the text output and JUnit
	checked  bool
}

// runSummary is the JSON output of vsssim run -json.
type runSummary struct {
	Backend   string       `json:"backend"`
	Files     int          `json:"files"`
	Passed    int          `json:"passed"`
	Failed    int          `json:"failed"` // fail and divergence
	Errors    int          `json:"errors"` // files that could not be read or parsed
	Empty     int          `json:"empty"`  // files without expectations
	Skipped   int          `json:"skipped"`
	Rewritten int          `json:"rewritten,omitempty"`
	Ignored   []string     `json:"ignored,omitempty"`
	ElapsedMS float64      `json:"elapsedMs"`
	ExitCode  int          `json:"exitCode"`
	Results   []fileResult `json:"results"`
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// runScenarios runs scenario files.
func runScenarios(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("run", stderr)
	trace := fs.Bool("trace", false, "print each scenario's event trace")
	status := fs.Bool("status", false, "print each scenario's final writer status (vshadow -ws layout)")
	asJSON := fs.Bool("json", false, "print a JSON summary with the per-file results")
	report := fs.String("report", "", "write a report: junit=PATH")
	rewrite := fs.Bool("rewrite", false, "write the simulator's output back into the files as expectations (review the diff)")
	check := fs.Bool("check", false, "report each file's requestor conformance findings (one JUnit testcase per check); they do not change the exit status")
	allowSkip := fs.Bool("allow-skip", false, "exit 0 when every file was skipped (by default a run that checked nothing exits 4)")
	pos, code, ok := parseFlags(fs, args, stdout)
	if !ok {
		return code
	}
	if len(pos) == 0 {
		fmt.Fprintln(stderr, "usage: vsssim run [-trace] [-status] [-check] [-json] [-report junit=PATH] [-rewrite] [-allow-skip] FILE|DIR...")
		return exitUsage
	}
	var junit string
	if *report != "" {
		kind, path, ok := strings.Cut(*report, "=")
		if !ok || kind != "junit" || path == "" {
			fmt.Fprintf(stderr, "vsssim run: -report %q: want junit=PATH\n", *report)
			return exitUsage
		}
		junit = path
	}
	backend, err := scenarios.BackendEnv()
	if err != nil {
		fmt.Fprintf(stderr, "vsssim run: %v\n", err)
		return exitUsage
	}
	files, ignored, err := scenarioFiles(pos)
	if err != nil {
		fmt.Fprintf(stderr, "vsssim run: %v\n", err)
		return exitBadFile
	}
	if len(ignored) > 0 {
		fmt.Fprintf(stderr, "vsssim run: ignored %d file(s) that are not *.txt scenarios: %s\n", len(ignored), strings.Join(ignored, ", "))
	}
	sum := runSummary{Backend: backend, Files: len(files), Ignored: ignored, Results: []fileResult{}}
	start := time.Now()
	for _, f := range files {
		fileStart := time.Now()
		jr := runOne(f, backend, *rewrite)
		if !*check {
			jr.checked, jr.findings = false, nil
		} else if jr.checked {
			jr.Findings = toJSONFindings(jr.findings)
		}
		jr.ElapsedMS = ms(time.Since(fileStart))
		if !*trace {
			jr.Trace = ""
		}
		if !*status {
			jr.FinalStatus = ""
		}
		switch jr.Status {
		case "pass":
			sum.Passed++
		case "fail", "divergence":
			sum.Failed++
		case "error":
			sum.Errors++
		case "empty":
			sum.Empty++
		case "skip":
			sum.Skipped++
		case "rewritten":
			sum.Rewritten++
		}
		sum.Results = append(sum.Results, jr)
		if !*asJSON {
			printResult(stdout, jr)
		}
	}
	sum.ElapsedMS = ms(time.Since(start))
	switch {
	case sum.Errors > 0:
		sum.ExitCode = exitBadFile
	case sum.Failed > 0:
		sum.ExitCode = exitFail
	case sum.Empty > 0:
		sum.ExitCode = exitNothingRun
	case sum.Skipped == sum.Files && !*allowSkip:
		sum.ExitCode = exitNothingRun
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(sum); err != nil {
			fmt.Fprintf(stderr, "vsssim run: %v\n", err)
			return exitFail
		}
	} else {
		fmt.Fprintf(stdout, "%d passed, %d skipped, %d failed", sum.Passed, sum.Skipped, sum.Failed)
		if sum.Errors > 0 {
			fmt.Fprintf(stdout, ", %d could not be parsed", sum.Errors)
		}
		if sum.Empty > 0 {
			fmt.Fprintf(stdout, ", %d without expectations", sum.Empty)
		}
		if sum.Rewritten > 0 {
			fmt.Fprintf(stdout, ", %d rewritten", sum.Rewritten)
		}
		fmt.Fprintf(stdout, " (%s backend)\n", backend)
	}
	if sum.ExitCode == exitNothingRun && sum.Empty == 0 {
		fmt.Fprintf(stderr, "vsssim run: nothing was checked: all %d file(s) skipped on the %s backend (-allow-skip exits 0)\n", sum.Files, backend)
	}
	if junit != "" {
		if err := writeJUnit(junit, sum, *check); err != nil {
			fmt.Fprintf(stderr, "vsssim run: %v\n", err)
			return exitFail
		}
	}
	return sum.ExitCode
}

// runOne parses and runs one file (scenarios.RunFile: reading, decoding and
// validating the file is the scenarios package's; backend is what
// scenarios.BackendEnv checked, the one RunFile runs on).
func runOne(path, backend string, rewrite bool) fileResult {
	jr := fileResult{File: path}
	res, err := scenarios.RunFile(path)
	if err != nil {
		jr.Status, jr.Reason = "error", err.Error()
		return jr
	}
	jr.Expectations = expectations(res.Parsed)
	jr.Status, jr.Reason = outcome(res, backend)
	for _, fl := range res.Failures {
		jr.Failures = append(jr.Failures, fl.String())
	}
	jr.Trace, jr.FinalStatus = res.Trace, res.FinalStatus
	jr.checked, jr.findings = res.Skipped == "", res.Findings
	if rewrite && res.Skipped == "" {
		if err := res.Rewrite(path); err != nil {
			jr.Status, jr.Reason = "error", err.Error()
			return jr
		}
		jr.Status, jr.Failures, jr.Reason = "rewritten", nil, ""
		return jr
	}
	if jr.Expectations == 0 && (jr.Status == "pass" || jr.Status == "skip") {
		jr.Status, jr.Reason = "empty", "no expectations: the file checks nothing (add ---- and the expected output after a command, or run with -rewrite)"
	}
	return jr
}

// expectations counts a file's expectations. (Swappable for the scenario
// package's own count once it reports files without expectations itself.)
func expectations(f *scenarios.File) int { return scenarios.Expectations(f) }

func printResult(w io.Writer, jr fileResult) {
	label := strings.ToUpper(jr.Status)
	if jr.Status == "rewritten" {
		label = "REWRT"
	}
	fmt.Fprintf(w, "%-5s %s (%s)\n", label, jr.File, time.Duration(jr.ElapsedMS*float64(time.Millisecond)).Round(time.Microsecond))
	for _, fl := range jr.Failures {
		fmt.Fprintln(w, fl)
	}
	if jr.Reason != "" {
		fmt.Fprintf(w, "      %s\n", jr.Reason)
	}
	fmt.Fprint(w, jr.Trace)
	fmt.Fprint(w, jr.FinalStatus)
	if jr.checked {
		printFindings(w, jr.findings)
	}
}

// writeJUnit writes the JUnit XML report: one testcase per scenario file,
// a failure with the first failing expectation as its message, files that
// could not be parsed as errors, real durations.
func writeJUnit(path string, sum runSummary, check bool) error {
	doc := etree.NewDocument()
	doc.CreateProcInst("xml", `version="1.0" encoding="UTF-8"`)
	suite := doc.CreateElement("testsuite")
	suite.CreateAttr("name", "vsssim scenarios ("+sum.Backend+")")
	suite.CreateAttr("tests", strconv.Itoa(len(sum.Results)))
	suite.CreateAttr("failures", strconv.Itoa(sum.Failed+sum.Empty))
	suite.CreateAttr("errors", strconv.Itoa(sum.Errors))
	suite.CreateAttr("skipped", strconv.Itoa(sum.Skipped))
	suite.CreateAttr("time", fmt.Sprintf("%.3f", sum.ElapsedMS/1000))
	for _, r := range sum.Results {
		tc := suite.CreateElement("testcase")
		tc.CreateAttr("classname", "scenarios")
		tc.CreateAttr("name", r.File)
		tc.CreateAttr("time", fmt.Sprintf("%.3f", r.ElapsedMS/1000))
		switch r.Status {
		case "fail", "divergence":
			e := tc.CreateElement("failure")
			msg := r.Reason
			if len(r.Failures) > 0 {
				msg = firstLines(r.Failures[0])
				if len(r.Failures) > 1 {
					msg += fmt.Sprintf(" (and %d more)", len(r.Failures)-1)
				}
			}
			e.CreateAttr("message", msg)
			e.CreateAttr("type", r.Status)
			e.SetText(strings.Join(append(r.Failures, r.Reason), "\n"))
		case "empty":
			e := tc.CreateElement("failure")
			e.CreateAttr("message", r.Reason)
			e.CreateAttr("type", "empty")
		case "error":
			e := tc.CreateElement("error")
			e.CreateAttr("message", r.Reason)
			e.SetText(r.Reason)
		case "skip":
			tc.CreateElement("skipped").CreateAttr("message", r.Reason)
		}
		if r.Trace != "" || r.FinalStatus != "" {
			tc.CreateElement("system-out").SetText(r.Trace + r.FinalStatus)
		}
	}
	if check {
		var checked []fileFindings
		for _, r := range sum.Results {
			if r.checked {
				checked = append(checked, fileFindings{r.File, r.findings})
			}
		}
		tests, failures := addCheckCases(suite, checked)
		bumpAttr(suite, "tests", tests)
		bumpAttr(suite, "failures", failures)
	}
	doc.Indent(2)
	return doc.WriteToFile(path)
}

// firstLines turns a failure ("file:line: cmd\n  want:\n    X\n  got:\n    Y")
// into one line: "file:line: cmd: want X, got Y".
func firstLines(f string) string {
	lines := strings.Split(f, "\n")
	var want, got []string
	var cur *[]string
	for _, l := range lines[1:] {
		switch strings.TrimSpace(l) {
		case "want:":
			cur = &want
			continue
		case "got:":
			cur = &got
			continue
		}
		if cur != nil {
			*cur = append(*cur, strings.TrimSpace(l))
		}
	}
	if want == nil && got == nil {
		return lines[0]
	}
	return fmt.Sprintf("%s: want %s, got %s", lines[0], strings.Join(want, " / "), strings.Join(got, " / "))
}

// coverage lists which documented (method, HRESULT) rows and BAD_STATE
// rules the scenarios exercise.
func coverage(args []string, stdout, stderr io.Writer) int {
	fset := newFlags("coverage", stderr)
	strict := fset.Bool("strict", false, "exit 1 when a row is not covered")
	dirs, code, ok := parseFlags(fset, args, stdout)
	if !ok {
		return code
	}
	var cov scenarios.Coverage
	if len(dirs) == 0 {
		// The catalog built into vsssim.
		cat := scenarios.Catalog()
		names, err := fs.Glob(cat, "*.txt")
		if err != nil || len(names) == 0 {
			fmt.Fprintf(stderr, "vsssim coverage: the built-in catalog is empty (%v)\n", err)
			return exitBadFile
		}
		for _, n := range names {
			res, err := scenarios.RunFS(cat, n)
			if err != nil {
				fmt.Fprintf(stderr, "vsssim coverage: built-in catalog: %v\n", err)
				return exitBadFile
			}
			cov.Add(res)
		}
	} else {
		files, _, err := scenarioFiles(dirs)
		if err != nil {
			fmt.Fprintf(stderr, "vsssim coverage: %v\n", err)
			return exitBadFile
		}
		for _, f := range files {
			res, err := scenarios.RunFile(f)
			if err != nil {
				fmt.Fprintf(stderr, "vsssim coverage: %v\n", err)
				return exitBadFile
			}
			cov.Add(res)
		}
	}
	cov.Write(stdout)
	if *strict && len(cov.Missing()) > 0 {
		return exitFail
	}
	return exitOK
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
		if res.Stopped != "" {
			reason = res.Stopped
		}
		return status, reason
	}
	if res.Skipped != "" {
		return "skip", res.Skipped
	}
	return "pass", ""
}
