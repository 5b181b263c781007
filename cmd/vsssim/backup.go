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
	"github.com/vsssim/vsssim/requestor/vss"
	"github.com/vsssim/vsssim/scenarios"
	"github.com/vsssim/vsssim/sim"
)

// loadWriters is -presets: "builtin" (the embedded presets) or a PATH
// fakewriter.Load reads (a WMD directory, vshadow -wm3 output, a diskshadow
// metadata folder, one WMD).
func loadWriters(spec string) ([]*fakewriter.Writer, error) {
	if spec == "builtin" {
		if _, err := os.Stat(spec); err != nil {
			return fakewriter.AllPresets()
		}
	}
	return fakewriter.Load(spec)
}

// writerEvents are the events -veto accepts.
var writerEvents = []sim.Event{sim.EventIdentify, sim.EventPrepareForBackup, sim.EventPrepareForSnapshot, sim.EventFreeze,
	sim.EventThaw, sim.EventPostSnapshot, sim.EventAbort, sim.EventBackupComplete, sim.EventBackupShutdown}

// applyVeto makes a writer fail an event: WRITER:EVENT[:HRESULT], WRITER a
// number (1-based) or a writer name, HRESULT a writer failure code
// (VSS_E_WRITERERROR_RETRYABLE by default).
func applyVeto(all []*fakewriter.Writer, spec string) error {
	parts := strings.SplitN(spec, ":", 3)
	bad := fmt.Errorf("-veto %q: want WRITER:EVENT[:HRESULT], WRITER a number from 1 to %d or a writer name, EVENT a writer event such as Freeze, HRESULT a writer failure such as VSS_E_WRITERERROR_TIMEOUT", spec, len(all))
	if len(parts) < 2 {
		return bad
	}
	var target *fakewriter.Writer
	for i, w := range all {
		if parts[0] == w.Config.Name || parts[0] == fmt.Sprint(i+1) {
			target = w
		}
	}
	event := sim.Event("")
	for _, e := range writerEvents {
		if strings.EqualFold(string(e), parts[1]) {
			event = e
		}
	}
	if target == nil || event == "" {
		return bad
	}
	b := fakewriter.Retryable(0)
	if len(parts) == 3 {
		hr, err := vss.ParseHRESULT(parts[2])
		if err != nil {
			return fmt.Errorf("-veto %q: %v", spec, err)
		}
		b.Fail = hr
	}
	target.On(event, b)
	return nil
}

func backup(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("backup", stderr)
	writers := fs.Int("writers", 3, "number of generic fake writers (Writer 01, ...); 0 by default with -presets")
	presets := fs.String("presets", "", "also subscribe these writers: builtin (the in-box writer presets) or a PATH (a directory of writer metadata documents, vshadow -wm3 output, a diskshadow metadata folder)")
	volumes := fs.String("volumes", `C:\`, "comma-separated volumes to shadow-copy")
	veto := fs.String("veto", "", "make a writer fail an event, as WRITER:EVENT[:HRESULT] (WRITER a number or a writer name; e.g. 2:Freeze, SqlServerWriter:PostSnapshot:VSS_E_WRITERERROR_NONRETRYABLE)")
	keepGoing := fs.Bool("keep-going", false, "finish the backup although a writer failed (the requestor does not abort); the exit code is still 1")
	allowFailed := fs.Bool("allow-failed-writers", false, "with -keep-going: exit 0 although a writer failed")
	pos, code, ok := parseFlags(fs, args, stdout)
	if !ok {
		return code
	}
	if len(pos) > 0 {
		fmt.Fprintf(stderr, "vsssim backup: unexpected arguments %q\n", pos)
		return exitUsage
	}
	if *writers < 0 || *writers > 100000 {
		fmt.Fprintf(stderr, "vsssim backup: -writers %d out of range 0..100000\n", *writers)
		return exitUsage
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
		ws, err := loadWriters(*presets)
		if err != nil {
			fmt.Fprintf(stderr, "vsssim backup: -presets: %v\n", err)
			return exitBadFile
		}
		all = append(all, ws...)
	}
	if *veto != "" {
		if err := applyVeto(all, *veto); err != nil {
			fmt.Fprintf(stderr, "vsssim backup: %v\n", err)
			return exitUsage
		}
	}
	c := sim.NewDefault()
	vols := strings.Split(*volumes, ",")
	for _, v := range vols {
		c.AddVolume(sim.Volume{Name: v})
	}
	for _, w := range all {
		if _, err := w.Subscribe(c); err != nil {
			fmt.Fprintf(stderr, "vsssim backup: %s: %v\n", w.Config.Name, err)
			return exitFail
		}
	}
	res, err := requestor.RunBackup(context.Background(), requestor.NewSim(c),
		requestor.BackupPlan{Volumes: vols, SelectAll: true, IgnoreWriterFailures: *keepGoing})
	if _, werr := c.Trace().WriteTo(stdout); werr != nil {
		fmt.Fprintf(stderr, "vsssim: %v\n", werr)
		return exitFail
	}
	if len(res.Status) > 0 {
		fmt.Fprintf(stdout, "\n(the last GatherWriterStatus)\n%s", scenarios.VShadowStatus(res.Status))
	}
	if err != nil {
		fmt.Fprintf(stdout, "\nbackup failed: %v\n", err)
		return exitFail
	}
	var failed []string
	for _, st := range res.Status {
		if st.State.IsFailed() || st.Failure != vss.S_OK {
			failed = append(failed, fmt.Sprintf("%q is %v (%s)", st.Name, st.State, st.Failure.String()))
		}
	}
	if len(failed) > 0 {
		fmt.Fprintf(stdout, "\nbackup completed with %d failed writer(s), -keep-going: %s\n", len(failed), strings.Join(failed, "; "))
		fmt.Fprintf(stdout, "snapshot set %v, %d shadow copies; the failed writers' data is not application-consistent\n", res.SnapshotSetID, len(res.Snapshots))
		if *allowFailed {
			return exitOK
		}
		fmt.Fprintln(stderr, "vsssim backup: a writer failed (exit 1; -allow-failed-writers exits 0)")
		return exitFail
	}
	fmt.Fprintf(stdout, "\nbackup complete: snapshot set %v, %d shadow copies (deleted on Release: auto-release context)\n", res.SnapshotSetID, len(res.Snapshots))
	return exitOK
}
