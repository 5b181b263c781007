package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"regexp"
	"sort"
	"strings"

	"github.com/vsssim/vsssim/fakewriter"
	"github.com/vsssim/vsssim/requestor"
	"github.com/vsssim/vsssim/requestor/vss"
	"github.com/vsssim/vsssim/sim"
)

// metadata prints a WMD in the style of vshadow -wm2, or a BCD summary.
func metadata(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("metadata", stderr)
	asJSON := fs.Bool("json", false, "print the document as JSON")
	pos, code, ok := parseFlags(fs, args, stdout)
	if !ok {
		return code
	}
	if len(pos) != 1 {
		fmt.Fprintln(stderr, "usage: vsssim metadata [-json] FILE.xml|PATH")
		return exitUsage
	}
	path := pos[0]
	if st, err := os.Stat(path); err == nil && (st.IsDir() || st.Size() <= vss.MaxXMLSize && isWM3(path)) {
		return metadataOfWriters(path, *asJSON, stdout, stderr)
	}
	data, err := vss.ReadDocumentFile(path)
	if err != nil {
		fmt.Fprintf(stderr, "vsssim metadata: %v\n", err)
		return exitBadFile
	}
	if isBCD(data) {
		d, err := vss.LoadBackupComponents(data)
		if err != nil {
			fmt.Fprintf(stderr, "vsssim metadata: %s: %v\n", path, err)
			return exitBadFile
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
		return exitBadFile
	}
	if *asJSON {
		return writeJSON(stdout, stderr, wmdView(md))
	}
	printWMD(stdout, md)
	return 0
}

// isWM3 tells vshadow -wm3 output (UTF-8 or UTF-16) from an XML document
// by its "--[Writer N]--" markers.
func isWM3(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	// The first marker comes after vshadow's short banner: the head of the
	// file decides, so a huge file is not read here (its size is checked
	// by whoever reads it).
	data, err := io.ReadAll(io.LimitReader(f, 1<<20))
	if err != nil {
		return false
	}
	return bytes.Contains(data, []byte("--[Writer ")) || bytes.Contains(data, []byte("-\x00-\x00[\x00W\x00r\x00i\x00t\x00e\x00r\x00"))
}

// metadataOfWriters prints every writer of a customer's documents (a
// directory, vshadow -wm3 output, a diskshadow metadata folder) as vshadow
// -wm2 lists them, or as a JSON array.
func metadataOfWriters(path string, asJSON bool, stdout, stderr io.Writer) int {
	ws, err := fakewriter.Load(path)
	if err != nil {
		fmt.Fprintf(stderr, "vsssim metadata: %v\n", err)
		return exitBadFile
	}
	var views []any
	if !asJSON {
		fmt.Fprintln(stdout, "Listing writer metadata ...")
	}
	for _, w := range ws {
		md := w.Metadata()
		if asJSON {
			views = append(views, wmdView(md))
			continue
		}
		fmt.Fprintln(stdout)
		printWMD(stdout, md)
	}
	if asJSON {
		return writeJSON(stdout, stderr, views)
	}
	return exitOK
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

// fileLine is a file descriptor as vshadow prints it ("File List: Path =
// ..., Filespec = ...").
func fileLine(label string, f vss.FileDesc) string {
	rec := ""
	if f.Recursive {
		rec = ", Recursive"
	}
	alt := ""
	if f.AlternateLocation != "" {
		alt = ", Alternate Location = " + f.AlternateLocation
	}
	return fmt.Sprintf("%s: Path = %s, Filespec = %s%s%s", label, f.Path, f.Filespec, rec, alt)
}

// fullPath is a component's full path as vshadow computes it: the logical
// path, a backslash, the name, with a leading backslash.
func fullPath(logicalPath, name string) string {
	p := name
	if logicalPath != "" {
		p = strings.TrimSuffix(logicalPath, `\`) + `\` + name
	}
	if !strings.HasPrefix(p, `\`) {
		p = `\` + p
	}
	return p
}

// windowsEnv are the values of the environment variables writers use in
// their paths on a default Windows installation: vshadow expands a path
// with the machine's environment (ExpandEnvironmentStrings) to find its
// volume; vsssim assumes these.
var windowsEnv = map[string]string{
	"systemroot": `C:\Windows`, "windir": `C:\Windows`, "systemdrive": `C:`,
	"programfiles": `C:\Program Files`, "programfiles(x86)": `C:\Program Files (x86)`,
	"programdata": `C:\ProgramData`, "allusersprofile": `C:\ProgramData`,
	"commonprogramfiles": `C:\Program Files\Common Files`,
}

var envRef = regexp.MustCompile(`%([^%]+)%`)

// expandEnv expands the %NAME% references of windowsEnv; others stay.
func expandEnv(p string) string {
	return envRef.ReplaceAllStringFunc(p, func(m string) string {
		if v, ok := windowsEnv[strings.ToLower(m[1:len(m)-1])]; ok {
			return v
		}
		return m
	})
}

// isAncestor is vshadow's VssComponent::IsAncestorOf: a's full path, with
// a backslash, prefixes d's.
func isAncestor(a, d string) bool {
	return len(d) > len(a) && strings.EqualFold(d[:len(a)+1], a+`\`)
}

// printWMD prints a WMD in the layout of vshadow -wm2 (writer.cpp:
// VssWriter::Print and VssComponent::Print with detailed info). Lines
// vshadow does not print are marked "(vsssim)".
func printWMD(w io.Writer, md *vss.WriterMetadata) {
	id := md.Identity
	rm, _, hasRM := md.GetRestoreMethod()
	fmt.Fprintf(w, "* WRITER \"%s\"\n", id.Name)
	fmt.Fprintf(w, "    - WriterId   = %s\n", braced(id.WriterID))
	fmt.Fprintf(w, "    - InstanceId = %s\n", braced(id.InstanceID))
	// vshadow: supportsRestore = (writerRestoreConditions != VSS_WRE_NEVER).
	fmt.Fprintf(w, "    - Supports restore events = %s\n", tf(rm.WriterRestore != vss.VSS_WRE_NEVER))
	fmt.Fprintf(w, "    - Writer restore conditions = %v\n", rm.WriterRestore)
	fmt.Fprintf(w, "    - Restore method = %v\n", rm.Method)
	fmt.Fprintf(w, "    - Requires reboot after restore = %s\n\n", tf(rm.RebootRequired))
	if id.InstanceName != "" {
		fmt.Fprintf(w, "    - Instance name (vsssim) = %s\n", id.InstanceName)
	}
	fmt.Fprintf(w, "    - Usage (vsssim) = %v\n", id.Usage)
	fmt.Fprintf(w, "    - Source (vsssim) = %v\n", id.Source)
	fmt.Fprintf(w, "    - Version (vsssim) = %d.%d\n", md.MajorVersion, md.MinorVersion)
	fmt.Fprintf(w, "    - Backup schema (vsssim) = %v\n", md.BackupSchema)
	if !hasRM {
		fmt.Fprintf(w, "    - Restore method (vsssim) = none declared\n")
	}
	if rm.Service != "" {
		fmt.Fprintf(w, "    - Restore service (vsssim) = %s\n", rm.Service)
	}
	for _, f := range rm.Mappings {
		fmt.Fprintf(w, "    - Alternate location mapping (vsssim): %s\n", strings.TrimPrefix(fileLine("", f), ": "))
	}
	fmt.Fprintf(w, "    - Excluded files:\n")
	for _, f := range md.ExcludeFiles {
		fmt.Fprintf(w, "       - %s\n", fileLine("Exclude", f))
	}
	if len(md.ExcludeFromSnapshot) > 0 {
		fmt.Fprintf(w, "    - Excluded from the shadow copy (vsssim):\n")
		for _, f := range md.ExcludeFromSnapshot {
			fmt.Fprintf(w, "       - %s\n", fileLine("Exclude from snapshot", f))
		}
	}
	paths := make([]string, len(md.Components))
	for i, c := range md.Components {
		paths[i] = fullPath(c.LogicalPath, c.Name)
	}
	for i, c := range md.Components {
		top := true
		for j := range md.Components {
			if j != i && isAncestor(paths[j], paths[i]) {
				top = false
			}
		}
		fmt.Fprintf(w, "    - Component \"%s\"\n", id.Name+":"+paths[i])
		fmt.Fprintf(w, "       - Name: '%s'\n", c.Name)
		fmt.Fprintf(w, "       - Logical Path: '%s'\n", c.LogicalPath)
		fmt.Fprintf(w, "       - Full Path: '%s'\n", paths[i])
		fmt.Fprintf(w, "       - Caption: '%s'\n", strings.ReplaceAll(c.Caption, "\n", " "))
		fmt.Fprintf(w, "       - Type: %v [%d]\n", c.Type, c.Type)
		fmt.Fprintf(w, "       - Is Selectable: '%s'\n", tf(c.Selectable))
		fmt.Fprintf(w, "       - Is top level: '%s'\n", tf(top))
		fmt.Fprintf(w, "       - Notify on backup complete: '%s'\n", tf(c.NotifyOnBackupComplete))
		fmt.Fprintf(w, "       - Is Selectable For Restore (vsssim): '%s'\n", tf(c.SelectableForRestore))
		fmt.Fprintf(w, "       - Component Flags (vsssim): %v\n", c.Flags)
		fmt.Fprintf(w, "       - Components:\n")
		var affected []string
		seen := map[string]bool{}
		for _, g := range []struct {
			label string
			files []vss.FileDesc
		}{{"File List", c.Files}, {"Database", c.DatabaseFiles}, {"Database Log", c.LogFiles}} {
			for _, f := range g.files {
				fmt.Fprintf(w, "       - %s\n", fileLine(g.label, f))
				p := expandEnv(f.Path)
				if !strings.HasSuffix(p, `\`) {
					p += `\`
				}
				if !seen[strings.ToLower(p)] {
					seen[strings.ToLower(p)] = true
					affected = append(affected, p)
				}
			}
		}
		sort.Strings(affected)
		fmt.Fprintf(w, "       - Affected paths by this component:\n")
		for _, p := range affected {
			fmt.Fprintf(w, "         - %s\n", p)
		}
		fmt.Fprintf(w, "       - Affected volumes by this component:\n")
		vols := map[string]bool{}
		for _, p := range affected {
			if len(p) >= 3 && p[1] == ':' && !vols[strings.ToUpper(p[:3])] {
				v := strings.ToUpper(p[:3])
				vols[v] = true
				fmt.Fprintf(w, "         - %s (vsssim: vshadow prints the volume GUID path here) [%s]\n", v, v)
			}
		}
		fmt.Fprintf(w, "       - Component Dependencies:\n")
		for _, d := range c.Dependencies {
			fmt.Fprintf(w, "       - Dependency to \"%s:%s\"\n", braced(d.WriterID), fullPath(d.LogicalPath, d.ComponentName))
		}
	}
	if !md.Extra.IsZero() || !md.LocationsExtra.IsZero() {
		fmt.Fprintf(w, "    - (vsssim) %d unknown attributes and %d unknown elements kept\n",
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

// vssadminState is how vssadmin list writers words a state (REFERENCE §4.3, [Obs]).
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

// vssadminBanner is the two lines vssadmin prints first.
const vssadminBanner = "vssadmin 1.1 - Volume Shadow Copy Service administrative command-line tool\n(C) Copyright 2001-2013 Microsoft Corp.\n\n"

// writers lists writers as vssadmin list writers does: the built-in
// presets (or -dir PATH) after a simulated GatherWriterMetadata and
// GatherWriterStatus, or, with -veto, the status after a simulated backup
// in which that writer failed.
func writers(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("writers", stderr)
	dir := fs.String("dir", "", "the writers: a directory of writer metadata documents, vshadow -wm3 output or a diskshadow metadata folder (default: the built-in presets)")
	veto := fs.String("veto", "", "run a simulated backup first, with this writer failing this event: WRITER:EVENT[:HRESULT] (e.g. SqlServerWriter:Freeze)")
	pos, code, ok := parseFlags(fs, args, stdout)
	if !ok {
		return code
	}
	if len(pos) > 0 {
		fmt.Fprintf(stderr, "vsssim writers: unexpected arguments %q\n", pos)
		return exitUsage
	}
	spec := *dir
	if spec == "" {
		spec = "builtin"
	}
	ws, err := loadWriters(spec)
	if err != nil {
		fmt.Fprintf(stderr, "vsssim writers: %v\n", err)
		return exitBadFile
	}
	if *veto != "" {
		if err := applyVeto(ws, *veto); err != nil {
			fmt.Fprintf(stderr, "vsssim writers: %v\n", err)
			return exitUsage
		}
	}
	c := sim.NewDefault()
	c.AddVolume(sim.Volume{Name: `C:\`})
	for _, w := range ws {
		if _, err := w.Subscribe(c); err != nil {
			fmt.Fprintf(stderr, "vsssim writers: %s: %v\n", w.Config.Name, err)
			return exitFail
		}
	}
	var rows []vss.WriterStatus
	if *veto != "" {
		res, _ := requestor.RunBackup(context.Background(), requestor.NewSim(c), requestor.BackupPlan{Volumes: []string{`C:\`}, SelectAll: true})
		rows = res.Status
	} else if rows, err = gatherStatus(c); err != nil {
		fmt.Fprintf(stderr, "vsssim writers: %v\n", err)
		return exitFail
	}
	fmt.Fprint(stdout, vssadminBanner)
	for _, st := range rows {
		fmt.Fprintf(stdout, "Writer name: '%s'\n", st.Name)
		fmt.Fprintf(stdout, "   Writer Id: %s\n", braced(st.WriterID))
		fmt.Fprintf(stdout, "   Writer Instance Id: %s\n", braced(st.InstanceID))
		fmt.Fprintf(stdout, "   State: [%d] %s\n", st.State, vssadminState(st.State))
		fmt.Fprintf(stdout, "   Last error: %s\n\n", vssadminError(st.Failure))
	}
	return exitOK
}

// gatherStatus is GatherWriterMetadata and GatherWriterStatus on a new
// object: what vssadmin list writers does.
func gatherStatus(c *sim.Coordinator) ([]vss.WriterStatus, error) {
	o := c.NewBackupComponents()
	defer o.Release()
	if err := o.InitializeForBackup(""); err != nil {
		return nil, err
	}
	for _, call := range []func() (vss.Async, error){o.GatherWriterMetadata, o.GatherWriterStatus} {
		a, err := call()
		if err != nil {
			return nil, err
		}
		if err := a.Wait(-1); err != nil {
			return nil, err
		}
	}
	n, err := o.GetWriterStatusCount()
	if err != nil {
		return nil, err
	}
	var rows []vss.WriterStatus
	for i := uint32(0); i < n; i++ {
		st, err := o.GetWriterStatus(i)
		if err != nil {
			return nil, err
		}
		rows = append(rows, st)
	}
	return rows, nil
}
