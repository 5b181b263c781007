// Command gotwin is cvshadow's twin in Go: the same sequence of calls as
// testdata/cvshadow/cvshadow.c, made through the Go API on the simulator
// in-process (requestor.NewSim on the world of a world file), printed in
// cvshadow's formats. .ci/wine-cvshadow compares what cvshadow.exe prints
// under Wine, through vsssim's vssapi.dll and vsssim serve, with what this
// prints for the same world: a C program built against the SDK headers
// must see exactly what the Go API sees.
//
//	go run ./testdata/cvshadow/gotwin -world FILE [-wm] [-ws] [-nw] [-bc=FILE] [-r=FILE] [VOLUME...]
package main

import (
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/vsssim/vsssim/requestor"
	"github.com/vsssim/vsssim/requestor/vss"
	"github.com/vsssim/vsssim/scenarios"
)

type selected struct {
	instance, writer vss.ID
	typ              vss.ComponentType
	logical, name    string
}

type twin struct {
	bc  requestor.BackupComponents
	sel []selected
}

func die(method string, err error) {
	fmt.Printf("ERROR: %s returned 0x%08X\n", method, uint32(vss.Code(err)))
	os.Exit(2)
}

func check(method string, err error) {
	if err != nil {
		die(method, err)
	}
}

func guid(id vss.ID) string { return "{" + id.String() + "}" }

func (t *twin) wait(method string, a vss.Async, err error) {
	check(method, err)
	check("IVssAsync::Wait", a.Wait(requestor.INFINITE))
	st, err := a.QueryStatus()
	check("IVssAsync::QueryStatus", err)
	if st != vss.VSS_S_ASYNC_FINISHED {
		fmt.Printf("ERROR: %s returned 0x%08X\n", method, uint32(st))
		os.Exit(2)
	}
}

func ctName(t vss.ComponentType) string {
	switch t {
	case vss.VSS_CT_DATABASE, vss.VSS_CT_FILEGROUP:
		return t.String()
	}
	return "VSS_CT_UNDEFINED"
}

func printFiledesc(label string, f vss.FileDesc) {
	fmt.Printf("       - %s: Path = %s, Filespec = %s, Recursive = %d", label, f.Path, f.Filespec, b2i(f.Recursive))
	if f.AlternateLocation != "" {
		fmt.Printf(", Alternate location = %s", f.AlternateLocation)
	}
	fmt.Println()
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

func (t *twin) walkMetadata(print, sel bool) {
	n, err := t.bc.GetWriterMetadataCount()
	check("GetWriterMetadataCount", err)
	if print {
		fmt.Printf("Writers: %d\n", n)
	}
	for i := range n {
		inst, md, err := t.bc.GetWriterMetadata(i)
		check("GetWriterMetadata", err)
		inst2, wid, name, usage, source := md.GetIdentity()
		_, excl, comps := md.GetFileCounts()
		if print {
			fmt.Printf("* WRITER \"%s\"\n   - WriterId   = %s\n   - InstanceId = %s\n   - Usage type = %d, Source type = %d\n",
				name, guid(wid), guid(inst2), usage, source)
			if inst != inst2 {
				fmt.Println("   - MISMATCH: GetWriterMetadata instance id differs")
			}
		}
		for e := range excl {
			f, err := md.GetExcludeFile(e)
			check("IVssExamineWriterMetadata::GetExcludeFile", err)
			if print {
				printFiledesc("Exclude", f)
			}
		}
		for c := range comps {
			wc, err := md.GetComponent(c)
			check("IVssExamineWriterMetadata::GetComponent", err)
			info := wc.GetComponentInfo()
			if print {
				fmt.Printf("   - Component \"%s\\%s\"\n       - Type: %s\n       - Caption: %s\n       - Is selectable: %s\n",
					info.LogicalPath, info.Name, ctName(info.Type), info.Caption, strings.ToUpper(fmt.Sprint(info.Selectable)))
				fmt.Printf("       - Files: %d, databases: %d, logs: %d, dependencies: %d\n", info.FileCount, info.Databases, info.LogFiles, info.Dependencies)
				for k := range info.FileCount {
					f, err := wc.GetFile(k)
					check("IVssWMComponent::GetFile", err)
					printFiledesc("File", f)
				}
				for k := range info.Databases {
					f, err := wc.GetDatabaseFile(k)
					check("IVssWMComponent::GetDatabaseFile", err)
					printFiledesc("Database", f)
				}
				for k := range info.LogFiles {
					f, err := wc.GetDatabaseLogFile(k)
					check("IVssWMComponent::GetDatabaseLogFile", err)
					printFiledesc("Log", f)
				}
			}
			if sel && info.Selectable {
				t.sel = append(t.sel, selected{inst, wid, info.Type, info.LogicalPath, info.Name})
			}
		}
	}
}

func (t *twin) status(when string, print bool) {
	a, err := t.bc.GatherWriterStatus()
	t.wait("GatherWriterStatus", a, err)
	n, err := t.bc.GetWriterStatusCount()
	check("GetWriterStatusCount", err)
	if print {
		fmt.Printf("Status %s (%d writers)\n", when, n)
	}
	for i := range n {
		st, err := t.bc.GetWriterStatus(i)
		check("GetWriterStatus", err)
		if !print {
			continue
		}
		fmt.Printf("* WRITER \"%s\"\n   - Status: %d (%v)\n   - Writer Failure code: 0x%08X\n", st.Name, st.State, st.State, uint32(st.Failure))
	}
	check("FreeWriterStatus", t.bc.FreeWriterStatus())
}

func (t *twin) backup(wm, ws, nw bool, bcd string, vols []string) {
	bc := t.bc
	check("InitializeForBackup", bc.InitializeForBackup(""))
	check("SetBackupState", bc.SetBackupState(!nw, false, vss.VSS_BT_FULL, false))
	a, err := bc.GatherWriterMetadata()
	t.wait("GatherWriterMetadata", a, err)
	t.walkMetadata(wm, !nw && len(vols) > 0)
	for _, s := range t.sel {
		check("AddComponent", bc.AddComponent(s.instance, s.writer, s.typ, s.logical, s.name))
	}
	check("FreeWriterMetadata", bc.FreeWriterMetadata())
	if ws && len(vols) == 0 {
		t.status("after GatherWriterMetadata", true)
	}
	if len(vols) == 0 {
		return
	}
	_, err = bc.StartSnapshotSet()
	check("StartSnapshotSet", err)
	var snaps []vss.ID
	for _, v := range vols {
		id, err := bc.AddToSnapshotSet(v, vss.GUID_NULL)
		check("AddToSnapshotSet", err)
		snaps = append(snaps, id)
	}
	a, err = bc.PrepareForBackup()
	t.wait("PrepareForBackup", a, err)
	t.status("after PrepareForBackup", ws)
	a, err = bc.DoSnapshotSet()
	t.wait("DoSnapshotSet", a, err)
	t.status("after DoSnapshotSet", ws)
	fmt.Printf("Snapshot set: %d shadow copies\n", len(vols))
	for _, id := range snaps {
		p, err := bc.GetSnapshotProperties(id)
		check("GetSnapshotProperties", err)
		fmt.Printf("* SNAPSHOT of %s\n   - Shadow copy device name: %s\n   - Snapshots in set: %d\n   - Attributes: 0x%08x\n",
			p.OriginalVolumeName, p.SnapshotDeviceObject, p.SnapshotsCount, uint32(p.SnapshotAttributes))
	}
	for _, s := range t.sel {
		check("SetBackupSucceeded", bc.SetBackupSucceeded(s.instance, s.writer, s.typ, s.logical, s.name, true))
	}
	if bcd != "" {
		xml, err := bc.SaveAsXML()
		check("SaveAsXML", err)
		if err := os.WriteFile(bcd, []byte(xml), 0o644); err != nil {
			fmt.Printf("ERROR: cannot write %s\n", bcd)
			os.Exit(2)
		}
		fmt.Printf("BCD saved to %s\n", bcd)
	}
	a, err = bc.BackupComplete()
	t.wait("BackupComplete", a, err)
	t.status("after BackupComplete", ws)
}

func (t *twin) restore(file string, ws bool) {
	bc := t.bc
	xml, err := os.ReadFile(file)
	if err != nil {
		fmt.Printf("ERROR: cannot open %s\n", file)
		os.Exit(2)
	}
	check("InitializeForRestore", bc.InitializeForRestore(string(xml)))
	a, err := bc.GatherWriterMetadata()
	t.wait("GatherWriterMetadata", a, err)
	n, err := bc.GetWriterComponentsCount()
	check("GetWriterComponentsCount", err)
	fmt.Printf("Writers in the BCD: %d\n", n)
	for i := range n {
		wc, err := bc.GetWriterComponents(i)
		check("GetWriterComponents", err)
		fmt.Printf("* WRITER %s (%d components)\n", guid(wc.WriterID), len(wc.Components))
		for _, c := range wc.Components {
			fmt.Printf("   - Component \"%s\\%s\" backup succeeded: %s\n", c.LogicalPath, c.Name, strings.ToUpper(fmt.Sprint(c.BackupSucceeded)))
			t.sel = append(t.sel, selected{wc.InstanceID, wc.WriterID, c.Type, c.LogicalPath, c.Name})
		}
	}
	check("FreeWriterMetadata", bc.FreeWriterMetadata())
	for _, s := range t.sel {
		check("SetSelectedForRestore", bc.SetSelectedForRestore(s.writer, s.typ, s.logical, s.name, true))
	}
	a, err = bc.PreRestore()
	t.wait("PreRestore", a, err)
	t.status("after PreRestore", ws)
	for _, s := range t.sel {
		check("SetFileRestoreStatus", bc.SetFileRestoreStatus(s.writer, s.typ, s.logical, s.name, vss.VSS_RS_ALL))
	}
	a, err = bc.PostRestore()
	t.wait("PostRestore", a, err)
	t.status("after PostRestore", ws)
	fmt.Printf("Restore complete: %d components\n", len(t.sel))
}

func main() {
	world := flag.String("world", "", "world file (as for vsssim serve -world)")
	wm := flag.Bool("wm", false, "print the writers' metadata")
	ws := flag.Bool("ws", false, "print the writers' status")
	nw := flag.Bool("nw", false, "no writers: a non-component backup")
	bcd := flag.String("bc", "", "save the BCD to this file")
	r := flag.String("r", "", "restore from the BCD in this file")
	flag.Parse()
	w, err := scenarios.LoadWorld(*world)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	c, err := w.Coordinator()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	t := &twin{bc: requestor.NewSim(c)}
	if *r != "" {
		t.restore(*r, *ws)
	} else {
		t.backup(*wm, *ws, *nw, *bcd, flag.Args())
	}
	check("Release", t.bc.Release())
	fmt.Println("cvshadow: done")
}
