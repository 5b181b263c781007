// Command vsssim runs VSS requestor sequences against the simulator and
// prints what happened.
//
//	vsssim backup [-writers N] [-presets builtin|PATH] [-volumes C:\,D:\] [-veto WRITER:EVENT[:HRESULT]] [-keep-going]
//	vsssim run [-trace] [-status] [-check] [-json] [-report junit=PATH] [-rewrite] [-allow-skip] FILE|DIR...
//	vsssim coverage [-strict] [DIR...]
//	vsssim metadata [-json] FILE.xml|PATH
//	vsssim writers [-dir PATH] [-veto WRITER:EVENT[:HRESULT]]
//	vsssim rules [ID]
//	vsssim checks
//	vsssim version
//
// backup runs a complete component-mode backup with N fake writers (or the
// built-in writer presets) and prints the trace: every call, result, writer
// event, reply and state change on the virtual clock, then the writer
// status as vshadow -ws lists it. run runs scenario files (see package
// scenarios); coverage lists the documented return codes and sequencing
// rules the scenarios exercise. metadata prints a Writer Metadata Document
// as vshadow -wm2 does (or as JSON), or summarises a Backup Components
// Document. writers lists the writers as vssadmin list writers does. rules
// lists the sequencing rules behind every VSS_E_BAD_STATE, or explains one;
// checks lists the requestor conformance checks of run -check.
//
// Flags may come before or after the file arguments. Every command takes
// -h. Exit codes (see exitCodes): 0 success, 1 a check failed (an
// expectation, a backup, a writer), 2 bad usage, 3 a file that cannot be
// read or parsed, 4 nothing was checked.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strings"
)

// Exit codes.
const (
	exitOK         = 0 // everything checked passed
	exitFail       = 1 // an expectation did not hold, a backup or a writer failed
	exitUsage      = 2 // bad command line or environment (VSSSIM_BACKEND)
	exitBadFile    = 3 // a file could not be read, parsed or run (error at file:line)
	exitNothingRun = 4 // nothing was checked: a file without expectations, or every file skipped
)

// exitCodes documents the exit codes (vsssim help, docs/cli.md).
var exitCodes = []struct {
	Code int
	Text string
}{
	{exitOK, "success: every file ran and every expectation held"},
	{exitFail, "a check failed: an expectation did not hold (or real VSS diverged), the backup failed, or a writer failed"},
	{exitUsage, "bad usage: unknown command or flag, bad flag value, unknown VSSSIM_BACKEND"},
	{exitBadFile, "a file could not be read or parsed, or used the scenario language wrongly (reported at file:line)"},
	{exitNothingRun, "nothing was checked: a scenario file without expectations, or every file skipped (see run -allow-skip)"},
}

// command is one subcommand. To add one, append a line to commands (or
// call register from an init function in the command's own file).
type command struct {
	Name     string
	Args     string // the synopsis after the name
	Summary  string // one line
	Example  string
	Run      func(args []string, stdout, stderr io.Writer) int
	Describe string // optional: more text for -h
}

// commands is set in init (the commands' Run functions use the table).
var commands []*command

func init() {
	commands = append([]*command{
		{Name: "backup", Args: `[-writers N] [-presets builtin|PATH] [-volumes C:\,D:\] [-veto WRITER:EVENT[:HRESULT]] [-keep-going [-allow-failed-writers]]`,
			Summary: "run a simulated component-mode backup and print its trace and the writer status",
			Example: "vsssim backup -presets builtin -veto SqlServerWriter:PostSnapshot -keep-going", Run: backup,
			Describe: "PATH for -presets is a directory of Writer Metadata Documents, a file of vshadow -wm3 output, or a diskshadow metadata folder (Manifest.xml, WM*.xml).\nWith -keep-going a failed writer does not abort the backup, but the command still exits 1 (use -allow-failed-writers for 0)."},
		{Name: "run", Args: "[-trace] [-status] [-check] [-json] [-report junit=PATH] [-rewrite] [-allow-skip] FILE|DIR...",
			Summary: "run scenario files; exit 0 only if every expectation holds",
			Example: "vsssim run -report junit=report.xml testdata/scenarios", Run: runScenarios,
			Describe: "A directory is searched recursively for *.txt files; other files are listed as ignored.\nVSSSIM_BACKEND=windows runs the files against the real VSS service (sim is the default)."},
		{Name: "coverage", Args: "[-strict] [DIR...]",
			Summary: "list the documented return codes and sequencing rules the scenarios exercise (default: the built-in catalog)",
			Example: "vsssim coverage -strict", Run: coverage},
		{Name: "metadata", Args: "[-json] FILE.xml|PATH",
			Summary:  "print a Writer Metadata Document as vshadow -wm2 does, or summarise a Backup Components Document",
			Describe: "PATH is a customer's writers: a directory of Writer Metadata Documents, vshadow -wm3 output or a diskshadow metadata folder; each is listed.",
			Example:  "vsssim metadata testdata/writers/sqlserver.xml -json", Run: metadata},
		{Name: "writers", Args: "[-dir PATH] [-veto WRITER:EVENT[:HRESULT]]",
			Summary: "list the writers (the built-in presets by default) as vssadmin list writers does",
			Example: "vsssim writers -veto SqlServerWriter:Freeze:VSS_E_WRITERERROR_TIMEOUT", Run: writers,
			Describe: "With -veto, a simulated backup runs first with that writer failing the event, so the failed state shows."},
		{Name: "rules", Args: "[ID]",
			Summary: "list the sequencing rules behind every VSS_E_BAD_STATE, or explain one (text, basis, source)",
			Example: "vsssim rules §2.3#13", Run: rules},
		{Name: "checks", Args: "",
			Summary: "list the requestor conformance checks of run -check, with their rule and source",
			Example: "vsssim checks", Run: checks},
		{Name: "serve", Args: "[-addr 127.0.0.1:PORT] [-world FILE] [-trace FILE] [-env FILE] [-quiet]",
			Summary: "run the simulator as the VSS service of one machine, for vsssim's vssapi.dll under Wine",
			Example: "vsssim serve -world world.txt -trace trace.txt", Run: serve,
			Describe: "Listens on loopback only and prints VSSSIM_ADDR and VSSSIM_TOKEN; clients must present the token."},
		{Name: "ctl", Args: "trace|status|findings|world LINE|reset",
			Summary: "talk to a running vsssim serve (at VSSSIM_ADDR, with VSSSIM_TOKEN): its trace, writer status, findings, world",
			Example: "vsssim ctl findings", Run: ctl},
		{Name: "version", Args: "",
			Summary: "print the vsssim version (module version and VCS revision)",
			Example: "vsssim version", Run: version},
	}, commands...)
}

// register adds a subcommand (for commands defined in their own file).
func register(c *command) { commands = append(commands, c) }

func lookup(name string) *command {
	for _, c := range commands {
		if c.Name == name {
			return c
		}
	}
	return nil
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "vsssim simulates the Windows Volume Shadow Copy Service for testing VSS backup programs.")
	fmt.Fprintln(w)
	for i, c := range commands {
		prefix := "usage: "
		if i > 0 {
			prefix = "       "
		}
		fmt.Fprintf(w, "%svsssim %s %s\n", prefix, c.Name, c.Args)
	}
	fmt.Fprintln(w)
	for _, c := range commands {
		fmt.Fprintf(w, "  %-9s %s\n", c.Name, c.Summary)
	}
	fmt.Fprintln(w, "\nFlags may follow the file arguments. vsssim COMMAND -h describes a command.\nExit codes:")
	for _, e := range exitCodes {
		fmt.Fprintf(w, "  %d  %s\n", e.Code, e.Text)
	}
}

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		usage(stderr)
		return exitUsage
	}
	switch args[0] {
	case "-h", "-help", "--help", "help":
		if len(args) > 1 {
			if c := lookup(args[1]); c != nil {
				return c.Run([]string{"-h"}, stdout, stdout)
			}
		}
		usage(stdout)
		return exitOK
	case "-version", "--version":
		return version(nil, stdout, stderr)
	}
	if c := lookup(args[0]); c != nil {
		return c.Run(args[1:], stdout, stderr)
	}
	fmt.Fprintf(stderr, "vsssim: unknown command %q\n\n", args[0])
	usage(stderr)
	return exitUsage
}

// newFlags makes the flag set of a command, whose -h prints the synopsis,
// the description, an example and the flags.
func newFlags(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		c := lookup(name)
		w := fs.Output()
		if c == nil {
			fmt.Fprintf(w, "usage: vsssim %s\n", name)
		} else {
			fmt.Fprintf(w, "usage: vsssim %s %s\n\n%s.\n", c.Name, c.Args, strings.ToUpper(c.Summary[:1])+c.Summary[1:])
			if c.Describe != "" {
				fmt.Fprintf(w, "%s\n", c.Describe)
			}
			fmt.Fprintf(w, "\nExample:\n  %s\n", c.Example)
		}
		n := 0
		fs.VisitAll(func(*flag.Flag) { n++ })
		if n > 0 {
			fmt.Fprintln(w, "\nFlags:")
			fs.PrintDefaults()
		}
	}
	return fs
}

// parseFlags parses flags found anywhere among args (the standard flag
// package stops at the first non-flag); "--" ends the flags. It returns
// the positional arguments, or the exit code to return: 0 after -h (the
// usage went to stdout), 2 for a bad flag.
func parseFlags(fs *flag.FlagSet, args []string, stdout io.Writer) ([]string, int, bool) {
	var pos []string
	usage := fs.Usage
	fs.Usage = func() {} // printed below: -h to stdout, once
	defer func() { fs.Usage = usage }()
	for {
		err := fs.Parse(args)
		if errors.Is(err, flag.ErrHelp) {
			fs.SetOutput(stdout)
			usage()
			return nil, exitOK, false
		}
		if err != nil {
			usage() // after flag's own message, on stderr
			return nil, exitUsage, false
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, 0, true
		}
		if consumed := len(args) - len(rest); consumed > 0 && args[consumed-1] == "--" {
			return append(pos, rest...), 0, true
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

// version prints the module version and the VCS revision the binary was
// built from.
func version(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("version", stderr)
	pos, code, ok := parseFlags(fs, args, stdout)
	if !ok {
		return code
	}
	if len(pos) > 0 {
		fmt.Fprintf(stderr, "vsssim version: unexpected arguments %q\n", pos)
		return exitUsage
	}
	fmt.Fprintln(stdout, versionString())
	return exitOK
}

func versionString() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "vsssim (unknown version: built without module information)"
	}
	v := bi.Main.Version
	if v == "" {
		v = "(devel)"
	}
	s := "vsssim " + v
	var rev, modified string
	for _, kv := range bi.Settings {
		switch kv.Key {
		case "vcs.revision":
			rev = kv.Value
		case "vcs.modified":
			if kv.Value == "true" {
				modified = "+dirty"
			}
		}
	}
	if rev != "" {
		s += " " + rev + modified
	}
	return s + " " + bi.GoVersion
}

// checks lists the requestor conformance checks.
func checks(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("checks", stderr)
	pos, code, ok := parseFlags(fs, args, stdout)
	if !ok {
		return code
	}
	if len(pos) > 0 {
		fmt.Fprintf(stderr, "vsssim checks: unexpected arguments %q\n", pos)
		return exitUsage
	}
	listChecks(stdout)
	return exitOK
}
