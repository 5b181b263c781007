package vss

import (
	"errors"
	"os"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func addSeeds(f *testing.F, extra ...string) {
	for _, name := range presetFilesF(f) {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	for _, s := range extra {
		f.Add([]byte(s))
	}
}

func presetFilesF(f *testing.F) []string {
	f.Helper()
	return presetFiles(f)
}

// requireInvalidXML checks that a rejected document is rejected the
// documented way.
func requireInvalidXML(t *testing.T, err error) {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) || e.HR != VSS_E_INVALID_XML_DOCUMENT || e.Detail == "" {
		t.Fatalf("a bad document must give VSS_E_INVALID_XML_DOCUMENT with a reason, got %v", err)
	}
}

// FuzzLoadWMD: the loader never panics, rejects bad input with
// VSS_E_INVALID_XML_DOCUMENT, and whatever it accepts survives save and
// reload unchanged.
func FuzzLoadWMD(f *testing.F) {
	addSeeds(f, sampleWMD, "<WRITER_METADATA/>", `<WRITER_METADATA><IDENTIFICATION writerId="`+sampleID+`" friendlyName="x" q="1" q="2"/></WRITER_METADATA>`)
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 1<<20 {
			return
		}
		m, err := LoadWriterMetadata(data)
		if err != nil {
			requireInvalidXML(t, err)
			return
		}
		s, err := m.SaveAsXML()
		if err != nil {
			t.Fatalf("SaveAsXML of a loaded document: %v", err)
		}
		m2, err := CreateVssExamineWriterMetadata(s)
		if err != nil {
			t.Fatalf("reloading the saved document: %v\n%s", err, s)
		}
		if d := cmp.Diff(m, m2, equateEmpty); d != "" {
			t.Fatalf("round trip changed the model (-loaded +reloaded):\n%s", d)
		}
	})
}

// FuzzLoadBCD: the same properties for Backup Components Documents.
func FuzzLoadBCD(f *testing.F) {
	f.Add([]byte(`<BACKUP_COMPONENTS xmlns="x-schema:#VssComponentMetadata" version="1.2" bootableSystemStateBackup="no" selectComponents="yes" backupType="full" partialFileSupport="no" snapshotSetId="` + sampleID + `"><WRITER_COMPONENTS instanceId="` + sampleID + `" writerId="` + sampleID + `" backupSchema="0"><COMPONENT logicalPath="a" componentName="b" componentType="database" backupStamp="s" backupSucceeded="yes"><BACKUP_METADATA xmlns="" metadata="m"/></COMPONENT></WRITER_COMPONENTS></BACKUP_COMPONENTS>`))
	f.Add([]byte(`<BACKUP_COMPONENTS><X/><WRITER_COMPONENTS writerId="` + sampleID + `" z="1"><COMPONENT componentName="c"><RESTORE_METADATA metadata="r" k="v"/></COMPONENT></WRITER_COMPONENTS></BACKUP_COMPONENTS>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 1<<20 {
			return
		}
		d, err := LoadBackupComponents(data)
		if err != nil {
			requireInvalidXML(t, err)
			return
		}
		s, err := d.SaveAsXML()
		if err != nil {
			t.Fatalf("SaveAsXML of a loaded document: %v", err)
		}
		d2, err := LoadBackupComponents([]byte(s))
		if err != nil {
			t.Fatalf("reloading the saved document: %v\n%s", err, s)
		}
		if diff := cmp.Diff(d, d2, equateEmpty); diff != "" {
			t.Fatalf("round trip changed the model (-loaded +reloaded):\n%s", diff)
		}
	})
}
