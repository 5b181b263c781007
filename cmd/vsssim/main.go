// Command vsssim runs VSS requestor sequences against the simulator and
// prints what happened.
//
//	vsssim backup [-writers N] [-volumes C:\,D:\] [-veto WRITER:EVENT]
//	vsssim run [-trace] [-status] [-check] [-json] [-report junit=PATH] [-rewrite] FILE|DIR...
//	vsssim coverage [-strict] [DIR...]
//	vsssim metadata [-json] FILE.xml
//	vsssim writers [-dir DIR]
//	vsssim rules
//	vsssim checks
//
// backup runs a complete component-mode backup (REFERENCE §2.1) with N fake
// writers and prints the trace: every call, result, writer event, reply and
// state change on the virtual clock, then the writer status table.
// run runs scenario files (see package scenarios) and exits 0 only if
// every expectation holds; with -check it also reports each file's
// requestor conformance findings (sim.Checks), which do not change the
// exit status. coverage lists the REFERENCE rows and rules the
// scenarios exercise. metadata prints a Writer Metadata Document in the style of vshadow -wm2
// (or as JSON), or summarises a Backup Components Document. writers lists
// the preset in-box writers (testdata/writers) as vssadmin list writers
// does. rules lists the sequencing rules behind every VSS_E_BAD_STATE; checks
// lists the requestor conformance checks with their rule and source.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/vsssim/vsssim/fakewriter"
	"github.com/vsssim/vsssim/requestor"
	"github.com/vsssim/vsssim/scenarios"
	"github.com/vsssim/vsssim/sim"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func usage(w io.Writer) {
	fmt.Fprintln(w, `usage: vsssim backup [-writers N] [-presets DIR] [-volumes C:\,D:\] [-veto WRITER:EVENT] [-keep-going]
       vsssim run [-trace] [-status] [-check] [-json] [-report junit=PATH] [-rewrite] FILE|DIR...
       vsssim coverage [-strict] [DIR...] (REFERENCE rows and rules the scenarios exercise)
       vsssim metadata [-json] FILE.xml   (a writer metadata or backup components document)
       vsssim writers [-dir DIR]          (the preset writers, as vssadmin list writers)
       vsssim rules                       (the VSS_E_BAD_STATE rules the simulator enforces)
       vsssim checks                      (the requestor conformance checks of run -check)
       vsssim serve [-addr 127.0.0.1:PORT] [-world FILE] [-trace FILE] (the simulator as a VSS service, for vssapi.dll)
       vsssim ctl trace|status|findings|world LINE|reset  (a running vsssim serve, at VSSSIM_ADDR)`)
}

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "help" || args[0] == "--help" {
		usage(stderr)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	switch args[0] {
	case "backup":
		return backup(args[1:], stdout, stderr)
	case "run":
		return runScenarios(args[1:], stdout, stderr)
	case "coverage":
		return coverage(args[1:], stdout, stderr)
	case "metadata":
		return metadata(args[1:], stdout, stderr)
	case "writers":
		return writers(args[1:], stdout, stderr)
	case "serve":
		return serve(args[1:], stdout, stderr)
	case "ctl":
		return ctl(args[1:], stdout, stderr)
	case "checks":
		listChecks(stdout)
		return 0
	case "rules":
		for _, r := range sim.Rules {
			fmt.Fprintf(stdout, "%-20s %-4s %s\n", r.ID, r.Basis, r.Text)
		}
		return 0
	}
	fmt.Fprintf(stderr, "vsssim: unknown command %q\n", args[0])
	usage(stderr)
	return 2
}

func backup(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("backup", flag.ContinueOnError)
	fs.SetOutput(stderr)
	writers := fs.Int("writers", 3, "number of generic fake writers (Writer 01, ...); 0 by default with -presets")
	presets := fs.String("presets", "", "also subscribe the preset writers of this directory (e.g. testdata/writers)")
	volumes := fs.String("volumes", `C:\`, "comma-separated volumes to shadow-copy")
	veto := fs.String("veto", "", "make a writer fail an event with VSS_E_WRITERERROR_RETRYABLE, as WRITER:EVENT (WRITER is a number or a writer name; e.g. 2:Freeze, SqlServerWriter:PostSnapshot)")
	keepGoing := fs.Bool("keep-going", false, "finish the backup although a writer failed (the requestor does not abort)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "vsssim backup: unexpected arguments %q\n", fs.Args())
		return 2
	}
	if *writers < 0 || *writers > 100000 {
		fmt.Fprintf(stderr, "vsssim backup: -writers %d out of range 0..100000\n", *writers)
		return 2
	}
	explicit := false
	fs.Visit(func(f *flag.Flag) { explicit = explicit || f.Name == "writers" })
	if *presets != "" && !explicit {
		*writers = 0
	}
	var all []*fakewriter.Writer
	for i := 1; i <= *writers; i++ {
		all = append(all, fakewriter.New(fmt.Sprintf("Writer %02d", i)))
	}
	if *presets != "" {
		ws, err := fakewriter.Presets(*presets)
		if err != nil {
			fmt.Fprintf(stderr, "vsssim backup: %v\n", err)
			return 1
		}
		all = append(all, ws...)
	}
	if *veto != "" {
		who, ev, ok := strings.Cut(*veto, ":")
		var target *fakewriter.Writer
		for i, w := range all {
			if who == w.Config.Name || who == fmt.Sprint(i+1) {
				target = w
			}
		}
		event := sim.Event("")
		for _, e := range []sim.Event{sim.EventIdentify, sim.EventPrepareForBackup, sim.EventPrepareForSnapshot, sim.EventFreeze,
			sim.EventThaw, sim.EventPostSnapshot, sim.EventAbort, sim.EventBackupComplete, sim.EventBackupShutdown} {
			if strings.EqualFold(string(e), ev) {
				event = e
			}
		}
		if !ok || target == nil || event == "" {
			fmt.Fprintf(stderr, "vsssim backup: -veto %q: want WRITER:EVENT, WRITER a number from 1 to %d or a writer name, EVENT a writer event such as Freeze\n", *veto, len(all))
			return 2
		}
		target.On(event, fakewriter.Retryable(0))
	}
	c := sim.NewDefault()
	vols := strings.Split(*volumes, ",")
	for _, v := range vols {
		c.AddVolume(sim.Volume{Name: v})
	}
	for _, w := range all {
		if _, err := w.Subscribe(c); err != nil {
			fmt.Fprintf(stderr, "vsssim backup: %s: %v\n", w.Config.Name, err)
			return 1
		}
	}
	res, err := requestor.RunBackup(context.Background(), requestor.NewSim(c),
		requestor.BackupPlan{Volumes: vols, SelectAll: true, IgnoreWriterFailures: *keepGoing})
	if _, werr := c.Trace().WriteTo(stdout); werr != nil {
		fmt.Fprintf(stderr, "vsssim: %v\n", werr)
		return 1
	}
	if len(res.Status) > 0 {
		fmt.Fprintf(stdout, "\nwriter status (the last GatherWriterStatus):\n%s", scenarios.StatusLines(res.Status))
	}
	if err != nil {
		fmt.Fprintf(stdout, "\nbackup failed: %v\n", err)
		return 1
	}
	fmt.Fprintf(stdout, "\nbackup complete: snapshot set %v, %d shadow copies (deleted on Release: auto-release context)\n", res.SnapshotSetID, len(res.Snapshots))
	return 0
}
