package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/vsssim/vsssim/fakewriter"
	"github.com/vsssim/vsssim/requestor/vss"
	"github.com/vsssim/vsssim/sim"
)

// metadata prints a WMD in the style of vshadow -wm2, or a BCD summary.
func metadata(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("metadata", flag.ContinueOnError)
	fs.SetOutput(stderr)
	asJSON := fs.Bool("json", false, "print the document as JSON")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() != 1 {
		fmt.Fprintln(stderr, "usage: vsssim metadata [-json] FILE.xml")
		return 2
	}
	path := fs.Arg(0)
	data, err := vss.ReadDocumentFile(path)
	if err != nil {
		fmt.Fprintf(stderr, "vsssim metadata: %v\n", err)
		return 1
	}
	if isBCD(data) {
		d, err := vss.LoadBackupComponents(data)
		if err != nil {
			fmt.Fprintf(stderr, "vsssim metadata: %s: %v\n", path, err)
			return 1
		}
		if *asJSON {
			return writeJSON(stdout, stderr, bcdView(d))
		}
		printBCD(stdout, d)
		return 0
	}
	md, err := vss.LoadWriterMetadata(data)
	if err != nil {
		fmt.Fprintf(stderr, "vsssim metadata: %s: %v\n", path, err)
		return 1
	}
	if *asJSON {
		return writeJSON(stdout, stderr, wmdView(md))
	}
	printWMD(stdout, md)
	return 0
}

// isBCD tells a Backup Components Document from a WMD by its root element
// (the loaders then say what is wrong with either).
func isBCD(data []byte) bool {
	probe := data
	if len(probe) > 4096 {
		probe = probe[:4096]
	}
	if bytes.Contains(probe, []byte("BACKUP_COMPONENTS")) {
		return true
	}
	// UTF-16: the name with zero bytes between its letters.
	var b bytes.Buffer
	for _, r := range "BACKUP_COMPONENTS" {
		b.WriteByte(byte(r))
		b.WriteByte(0)
	}
	return bytes.Contains(probe, b.Bytes()) || bytes.Contains(probe, b.Bytes()[:b.Len()-1])
}

func writeJSON(stdout, stderr io.Writer, v any) int {
	enc := json.NewEncoder(stdout)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		fmt.Fprintf(stderr, "vsssim: %v\n", err)
		return 1
	}
	return 0
}

func tf(b bool) string {
	if b {
		return "TRUE"
	}
	return "FALSE"
}

func braced(id vss.ID) string { return "{" + id.String() + "}" }

func printFiles(w io.Writer, indent, label string, files []vss.FileDesc) {
	for _, f := range files {
		rec := ""
		if f.Recursive {
			rec = ", Recursive"
		}
		alt := ""
		if f.AlternateLocation != "" {
			alt = ", AlternateLocation = " + f.AlternateLocation
		}
		fmt.Fprintf(w, "%s- %s: Path = %s, Filespec = %s%s%s\n", indent, label, f.Path, f.Filespec, rec, alt)
	}
}

// printWMD prints a WMD in the layout of vshadow -wm2.
func printWMD(w io.Writer, md *vss.WriterMetadata) {
	id := md.Identity
	fmt.Fprintf(w, "* WRITER \"%s\"\n", id.Name)
	fmt.Fprintf(w, "    - WriterId   = %s\n", braced(id.WriterID))
	fmt.Fprintf(w, "    - InstanceId = %s\n", braced(id.InstanceID))
	if id.InstanceName != "" {
		fmt.Fprintf(w, "    - InstanceName = %s\n", id.InstanceName)
	}
	fmt.Fprintf(w, "    - Usage = %v\n", id.Usage)
	fmt.Fprintf(w, "    - Source = %v\n", id.Source)
	fmt.Fprintf(w, "    - Version = %d.%d\n", md.MajorVersion, md.MinorVersion)
	fmt.Fprintf(w, "    - Backup schema = %v\n", md.BackupSchema)
	if rm, _, ok := md.GetRestoreMethod(); ok {
		fmt.Fprintf(w, "    - Supports restore events = %s\n", tf(rm.WriterRestore == vss.VSS_WRE_ALWAYS || rm.WriterRestore == vss.VSS_WRE_IF_REPLACE_FAILS))
		fmt.Fprintf(w, "    - Writer restore conditions = %v\n", rm.WriterRestore)
		fmt.Fprintf(w, "    - Restore method = %v\n", rm.Method)
		if rm.Service != "" {
			fmt.Fprintf(w, "    - Service = %s\n", rm.Service)
		}
		fmt.Fprintf(w, "    - Requires reboot after restore = %s\n", tf(rm.RebootRequired))
		printFiles(w, "    ", "Alternate location mapping", rm.Mappings)
	} else {
		fmt.Fprintf(w, "    - Restore method = (none)\n")
	}
	if len(md.ExcludeFiles) > 0 {
		fmt.Fprintf(w, "    - Excluded files:\n")
		printFiles(w, "        ", "Exclude", md.ExcludeFiles)
	}
	if len(md.ExcludeFromSnapshot) > 0 {
		fmt.Fprintf(w, "    - Files excluded from the shadow copy:\n")
		printFiles(w, "        ", "Exclude from snapshot", md.ExcludeFromSnapshot)
	}
	for _, c := range md.Components {
		full := `\` + c.Name
		if c.LogicalPath != "" {
			full = `\` + c.LogicalPath + `\` + c.Name
		}
		fmt.Fprintf(w, "    + Component \"%s\"\n", id.Name+":"+full)
		fmt.Fprintf(w, "        - Name: %s\n", c.Name)
		fmt.Fprintf(w, "        - Logical Path: %s\n", c.LogicalPath)
		fmt.Fprintf(w, "        - Full Path: %s\n", full)
		fmt.Fprintf(w, "        - Caption: %s\n", strings.ReplaceAll(c.Caption, "\n", " "))
		fmt.Fprintf(w, "        - Type: %v [%d]\n", c.Type, c.Type)
		fmt.Fprintf(w, "        - Is Selectable: %s\n", tf(c.Selectable))
		fmt.Fprintf(w, "        - Is Selectable For Restore: %s\n", tf(c.SelectableForRestore))
		fmt.Fprintf(w, "        - Component Flags: %v\n", c.Flags)
		fmt.Fprintf(w, "        - Notify on backup complete: %s\n", tf(c.NotifyOnBackupComplete))
		if n := len(c.Files) + len(c.DatabaseFiles) + len(c.LogFiles); n > 0 {
			fmt.Fprintf(w, "        - Paths affected by this component:\n")
			printFiles(w, "            ", "File", c.Files)
			printFiles(w, "            ", "Database", c.DatabaseFiles)
			printFiles(w, "            ", "Log", c.LogFiles)
		}
		for _, d := range c.Dependencies {
			fmt.Fprintf(w, "        - Dependency: WriterId = %s, Component = %s\n", braced(d.WriterID), `\`+strings.TrimPrefix(d.LogicalPath+`\`+d.ComponentName, `\`))
		}
	}
	if !md.Extra.IsZero() || !md.LocationsExtra.IsZero() {
		fmt.Fprintf(w, "    - (%d unknown attributes and %d unknown elements kept)\n",
			len(md.Extra.Attrs)+len(md.LocationsExtra.Attrs), len(md.Extra.Elements)+len(md.LocationsExtra.Elements))
	}
}

func printBCD(w io.Writer, d *vss.BackupComponentsDocument) {
	fmt.Fprintf(w, "* BACKUP COMPONENTS DOCUMENT\n")
	fmt.Fprintf(w, "    - Snapshot set = %s\n", braced(d.SnapshotSetID))
	fmt.Fprintf(w, "    - Backup type = %v\n", d.BackupType)
	fmt.Fprintf(w, "    - Select components = %s\n", tf(d.SelectComponents))
	fmt.Fprintf(w, "    - Bootable system state = %s\n", tf(d.BootableSystemState))
	fmt.Fprintf(w, "    - Partial file support = %s\n", tf(d.PartialFileSupport))
	for _, wc := range d.Writers {
		fmt.Fprintf(w, "    + Writer %s (instance %s)\n", braced(wc.WriterID), braced(wc.InstanceID))
		for _, c := range wc.Components {
			fmt.Fprintf(w, "        - Component %s [%v] succeeded=%s", `\`+strings.TrimPrefix(c.LogicalPath+`\`+c.Name, `\`), c.Type, tf(c.BackupSucceeded))
			if c.BackupStamp != "" {
				fmt.Fprintf(w, " stamp=%q", c.BackupStamp)
			}
			if c.BackupMetadata != "" {
				fmt.Fprintf(w, " metadata=%d bytes", len(c.BackupMetadata))
			}
			fmt.Fprintln(w)
		}
	}
}

type fileJSON struct {
	Path              string `json:"path"`
	Filespec          string `json:"filespec"`
	Recursive         bool   `json:"recursive"`
	AlternateLocation string `json:"alternateLocation,omitempty"`
	BackupTypeMask    uint32 `json:"backupTypeMask,omitempty"`
}

func filesJSON(fs []vss.FileDesc) []fileJSON {
	out := []fileJSON{}
	for _, f := range fs {
		out = append(out, fileJSON{f.Path, f.Filespec, f.Recursive, f.AlternateLocation, uint32(f.BackupTypeMask)})
	}
	return out
}

func wmdView(md *vss.WriterMetadata) any {
	type comp struct {
		Type                 string     `json:"type"`
		LogicalPath          string     `json:"logicalPath"`
		Name                 string     `json:"name"`
		Caption              string     `json:"caption"`
		Selectable           bool       `json:"selectable"`
		SelectableForRestore bool       `json:"selectableForRestore"`
		Flags                uint32     `json:"componentFlags"`
		Files                []fileJSON `json:"files"`
		DatabaseFiles        []fileJSON `json:"databaseFiles"`
		LogFiles             []fileJSON `json:"logFiles"`
		Dependencies         []string   `json:"dependencies"`
	}
	type restore struct {
		Method         string     `json:"method"`
		Service        string     `json:"service,omitempty"`
		WriterRestore  string     `json:"writerRestore"`
		RebootRequired bool       `json:"rebootRequired"`
		Mappings       []fileJSON `json:"alternateLocationMappings"`
	}
	v := struct {
		WriterID            string     `json:"writerId"`
		InstanceID          string     `json:"instanceId"`
		InstanceName        string     `json:"instanceName,omitempty"`
		Name                string     `json:"name"`
		Usage               string     `json:"usage"`
		Source              string     `json:"source"`
		Version             string     `json:"version"`
		BackupSchema        uint32     `json:"backupSchema"`
		RestoreMethod       *restore   `json:"restoreMethod"`
		ExcludeFiles        []fileJSON `json:"excludeFiles"`
		ExcludeFromSnapshot []fileJSON `json:"excludeFromSnapshot"`
		Components          []comp     `json:"components"`
	}{
		WriterID: md.Identity.WriterID.String(), InstanceID: md.Identity.InstanceID.String(), InstanceName: md.Identity.InstanceName,
		Name: md.Identity.Name, Usage: md.Identity.Usage.String(), Source: md.Identity.Source.String(),
		Version: fmt.Sprintf("%d.%d", md.MajorVersion, md.MinorVersion), BackupSchema: uint32(md.BackupSchema),
		ExcludeFiles: filesJSON(md.ExcludeFiles), ExcludeFromSnapshot: filesJSON(md.ExcludeFromSnapshot), Components: []comp{},
	}
	if rm := md.RestoreMethod; rm != nil {
		v.RestoreMethod = &restore{rm.Method.String(), rm.Service, rm.WriterRestore.String(), rm.RebootRequired, filesJSON(rm.Mappings)}
	}
	for _, c := range md.Components {
		deps := []string{}
		for _, d := range c.Dependencies {
			deps = append(deps, d.WriterID.String()+":"+d.LogicalPath+`\`+d.ComponentName)
		}
		v.Components = append(v.Components, comp{c.Type.String(), c.LogicalPath, c.Name, c.Caption, c.Selectable, c.SelectableForRestore,
			uint32(c.Flags), filesJSON(c.Files), filesJSON(c.DatabaseFiles), filesJSON(c.LogFiles), deps})
	}
	return v
}

func bcdView(d *vss.BackupComponentsDocument) any {
	type comp struct {
		Type                string `json:"type"`
		LogicalPath         string `json:"logicalPath"`
		Name                string `json:"name"`
		BackupSucceeded     bool   `json:"backupSucceeded"`
		BackupStamp         string `json:"backupStamp,omitempty"`
		PreviousBackupStamp string `json:"previousBackupStamp,omitempty"`
		BackupOptions       string `json:"backupOptions,omitempty"`
		BackupMetadata      string `json:"backupMetadata,omitempty"`
	}
	type writer struct {
		WriterID   string `json:"writerId"`
		InstanceID string `json:"instanceId"`
		Components []comp `json:"components"`
	}
	v := struct {
		SnapshotSetID       string   `json:"snapshotSetId"`
		BackupType          string   `json:"backupType"`
		SelectComponents    bool     `json:"selectComponents"`
		BootableSystemState bool     `json:"bootableSystemState"`
		PartialFileSupport  bool     `json:"partialFileSupport"`
		Writers             []writer `json:"writers"`
	}{d.SnapshotSetID.String(), d.BackupType.String(), d.SelectComponents, d.BootableSystemState, d.PartialFileSupport, []writer{}}
	for _, w := range d.Writers {
		wr := writer{w.WriterID.String(), w.InstanceID.String(), []comp{}}
		for _, c := range w.Components {
			wr.Components = append(wr.Components, comp{c.Type.String(), c.LogicalPath, c.Name, c.BackupSucceeded, c.BackupStamp,
				c.PreviousBackupStamp, c.BackupOptions, c.BackupMetadata})
		}
		v.Writers = append(v.Writers, wr)
	}
	return v
}

// findPresets looks for testdata/writers from the working directory up.
func findPresets() string {
	dir, err := os.Getwd()
	if err != nil {
		return filepath.Join("testdata", "writers")
	}
	for {
		p := filepath.Join(dir, "testdata", "writers")
		if st, err := os.Stat(p); err == nil && st.IsDir() {
			return p
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return filepath.Join("testdata", "writers")
		}
		dir = parent
	}
}

// vssadminState is how vssadmin list writers words a state ([Obs] REFERENCE §4.3).
func vssadminState(s vss.WriterState) string {
	switch s {
	case vss.VSS_WS_STABLE:
		return "Stable"
	case vss.VSS_WS_WAITING_FOR_FREEZE:
		return "Waiting for freeze"
	case vss.VSS_WS_WAITING_FOR_THAW:
		return "Waiting for thaw"
	case vss.VSS_WS_WAITING_FOR_POST_SNAPSHOT:
		return "Waiting for post snapshot"
	case vss.VSS_WS_WAITING_FOR_BACKUP_COMPLETE:
		return "Waiting for completion"
	}
	if s.IsFailed() {
		return "Failed"
	}
	return "Unknown"
}

func vssadminError(hr vss.HRESULT) string {
	switch hr {
	case vss.S_OK:
		return "No error"
	case vss.VSS_E_WRITERERROR_RETRYABLE:
		return "Retryable error"
	case vss.VSS_E_WRITERERROR_NONRETRYABLE:
		return "Non-retryable error"
	case vss.VSS_E_WRITERERROR_TIMEOUT:
		return "Timed out"
	case vss.VSS_E_WRITERERROR_OUTOFRESOURCES:
		return "Out of resources"
	case vss.VSS_E_WRITERERROR_INCONSISTENTSNAPSHOT:
		return "Inconsistent shadow copy"
	case vss.VSS_E_WRITER_NOT_RESPONDING:
		return "Not responding"
	}
	return hr.String()
}

// writers lists the preset writers as vssadmin list writers does, after a
// simulated GatherWriterMetadata and GatherWriterStatus.
func writers(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("writers", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dir := fs.String("dir", "", "directory of writer metadata XML files (default: testdata/writers, searched upwards)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "vsssim writers: unexpected arguments %q\n", fs.Args())
		return 2
	}
	if *dir == "" {
		*dir = findPresets()
	}
	ws, err := fakewriter.Presets(*dir)
	if err != nil {
		fmt.Fprintf(stderr, "vsssim writers: %v\n", err)
		return 1
	}
	c := sim.NewDefault()
	for _, w := range ws {
		if _, err := w.Subscribe(c); err != nil {
			fmt.Fprintf(stderr, "vsssim writers: %s: %v\n", w.Config.Name, err)
			return 1
		}
	}
	o := c.NewBackupComponents()
	defer o.Release()
	var rows []vss.WriterStatus
	err = func() error {
		if err := o.InitializeForBackup(""); err != nil {
			return err
		}
		for _, call := range []func() (vss.Async, error){o.GatherWriterMetadata, o.GatherWriterStatus} {
			a, err := call()
			if err != nil {
				return err
			}
			if err := a.Wait(-1); err != nil {
				return err
			}
		}
		n, err := o.GetWriterStatusCount()
		if err != nil {
			return err
		}
		for i := uint32(0); i < n; i++ {
			st, err := o.GetWriterStatus(i)
			if err != nil {
				return err
			}
			rows = append(rows, st)
		}
		return nil
	}()
	if err != nil {
		fmt.Fprintf(stderr, "vsssim writers: %v\n", err)
		return 1
	}
	for _, st := range rows {
		fmt.Fprintf(stdout, "Writer name: '%s'\n", st.Name)
		fmt.Fprintf(stdout, "   Writer Id: %s\n", braced(st.WriterID))
		fmt.Fprintf(stdout, "   Writer Instance Id: %s\n", braced(st.InstanceID))
		fmt.Fprintf(stdout, "   State: [%d] %s\n", st.State, vssadminState(st.State))
		fmt.Fprintf(stdout, "   Last error: %s\n\n", vssadminError(st.Failure))
	}
	return 0
}
