package fakewriter

import (
	"fmt"
	"path/filepath"
	"sort"

	"github.com/vsssim/vsssim/requestor/vss"
	"github.com/vsssim/vsssim/sim"
)

// FromWMD makes a writer whose OnIdentify reproduces md through the
// IVssCreateWriterMetadata calls a real writer would make (so a document
// that breaks their rules makes Identify fail, as it would on Windows). The
// writer's identity comes from the document; VSS assigns the instance id.
func FromWMD(md *vss.WriterMetadata) *Writer {
	id := md.Identity
	w := &Writer{
		Config: sim.WriterConfig{ClassID: id.WriterID, Name: id.Name, InstanceName: id.InstanceName, Usage: id.Usage, Source: id.Source},
		doc:    md.Clone(),
	}
	return w
}

// FromFile loads a WMD file (UTF-8 or UTF-16) and makes a writer of it. A
// file larger than vss.MaxXMLSize is refused before it is read.
func FromFile(path string) (*Writer, error) {
	data, err := vss.ReadDocumentFile(path)
	if err != nil {
		return nil, err
	}
	md, err := vss.LoadWriterMetadata(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return FromWMD(md), nil
}

// Presets loads every *.xml WMD in dir (such as testdata/writers, the
// in-box writer presets) as writers, in file-name order.
func Presets(dir string) ([]*Writer, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.xml"))
	if err != nil {
		return nil, err
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("fakewriter: no *.xml writer metadata in %s", dir)
	}
	sort.Strings(files)
	var out []*Writer
	for _, f := range files {
		w, err := FromFile(f)
		if err != nil {
			return nil, err
		}
		out = append(out, w)
	}
	return out, nil
}

// reproduce replays doc into b with the SDK calls, in the order a writer
// must make them (components before their files, the restore method before
// mappings).
func reproduce(b *vss.CreateWriterMetadata, doc *vss.WriterMetadata) error {
	if rm := doc.RestoreMethod; rm != nil {
		if err := b.SetRestoreMethod(rm.Method, rm.Service, rm.UserProcedure, rm.WriterRestore, rm.RebootRequired); err != nil {
			return err
		}
	}
	if doc.BackupSchema != 0 {
		if err := b.SetBackupSchema(doc.BackupSchema); err != nil {
			return err
		}
	}
	for _, c := range doc.Components {
		if err := b.AddComponent(c.Type, c.LogicalPath, c.Name, c.Caption, c.Icon, c.RestoreMetadata,
			c.NotifyOnBackupComplete, c.Selectable, c.SelectableForRestore, c.Flags); err != nil {
			return err
		}
		for _, f := range c.Files {
			if err := b.AddFilesToFileGroup(c.LogicalPath, c.Name, f.Path, f.Filespec, f.Recursive, f.AlternateLocation, f.BackupTypeMask); err != nil {
				return err
			}
		}
		for _, f := range c.DatabaseFiles {
			if err := b.AddDatabaseFiles(c.LogicalPath, c.Name, f.Path, f.Filespec, f.BackupTypeMask); err != nil {
				return err
			}
		}
		for _, f := range c.LogFiles {
			if err := b.AddDatabaseLogFiles(c.LogicalPath, c.Name, f.Path, f.Filespec, f.BackupTypeMask); err != nil {
				return err
			}
		}
	}
	for _, c := range doc.Components {
		for _, d := range c.Dependencies {
			if err := b.AddComponentDependency(c.LogicalPath, c.Name, d.WriterID, d.LogicalPath, d.ComponentName); err != nil {
				return err
			}
		}
	}
	if rm := doc.RestoreMethod; rm != nil {
		for _, f := range rm.Mappings {
			if err := b.AddAlternateLocationMapping(f.Path, f.Filespec, f.Recursive, f.AlternateLocation); err != nil {
				return err
			}
		}
	}
	for _, f := range doc.ExcludeFiles {
		if err := b.AddExcludeFiles(f.Path, f.Filespec, f.Recursive); err != nil {
			return err
		}
	}
	for _, f := range doc.ExcludeFromSnapshot {
		if err := b.AddExcludeFilesFromSnapshot(f.Path, f.Filespec, f.Recursive); err != nil {
			return err
		}
	}
	// What no SDK call sets: the writer version and document content the
	// model does not know.
	return b.CopyUnmodelled(doc)
}
