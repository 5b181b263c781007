package vss

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// The messages the simulator writes, as they are in the code, render
// without provenance tags.
func TestUserText(t *testing.T) {
	for in, want := range map[string]string{
		"the object is already initialised; one object serves exactly one backup or restore (REFERENCE §1.1)":                  "the object is already initialised; one object serves exactly one backup or restore",
		"context VSS_CTX_FILE_SHARE_BACKUP has no writers: components cannot be selected (REFERENCE §2.1 non-writer contexts)": "context VSS_CTX_FILE_SHARE_BACKUP has no writers: components cannot be selected",
		`volume "C:" not found: volume names end in a backslash ("C:\"), [Obs] breeze #2999`:                                   `volume "C:" not found: volume names end in a backslash ("C:\")`,
		`volume "C:\" is already in the set ([Obs] FIELD §10)`:                                                                 `volume "C:\" is already in the set`,
		"context X has no writers; PrepareForBackup fails there ([Obs] AlphaVSS #51)":                                          "context X has no writers; PrepareForBackup fails there",
		"BackupComplete only after DoSnapshotSet succeeded (it is failed) ([Obs] bareos#1923, cyphertite#9)":                   "BackupComplete only after DoSnapshotSet succeeded (it is failed)",
		"a released object cannot be used (REFERENCE §1.1: it cannot be reused or resumed)":                                    "a released object cannot be used (it cannot be reused or resumed)",
		"the BCD is not writable in OnPostRestore (REFERENCE §4.6)":                                                            "the BCD is not writable in OnPostRestore",
		"writer \"W\" declares 2 component(s) but no restore method (VSS_RME_UNDEFINED is a writer error, REFERENCE §5.2)":     "writer \"W\" declares 2 component(s) but no restore method (VSS_RME_UNDEFINED is a writer error)",
		"include lists are not supported (reserved, REFERENCE §5.2)":                                                           "include lists are not supported (reserved)",
		"a FILE cannot hold X (file-set type must match the component type, REFERENCE §5.2)":                                   "a FILE cannot hold X (file-set type must match the component type)",
		"DoSnapshotSet needs StartSnapshotSet [rule §2.3#13]":                                                                  "DoSnapshotSet needs StartSnapshotSet [rule §2.3#13]",
		"SetContext before Options.SetContextDeadline (default StartSnapshotSet)":                                              "SetContext before Options.SetContextDeadline (default StartSnapshotSet)",
	} {
		if d := cmp.Diff(want, UserText(in)); d != "" {
			t.Errorf("UserText(%q) (-want +got):\n%s", in, d)
		}
	}
	e := Errorf(VSS_E_BAD_STATE, "SetBackupMetadata", "the BCD is not writable in On%s (REFERENCE §4.6)", "PostRestore").WithRule("§2.3#19")
	if d := cmp.Diff("SetBackupMetadata: VSS_E_BAD_STATE (0x80042301): the BCD is not writable in OnPostRestore [rule §2.3#19]", e.Error()); d != "" {
		t.Errorf("Error() (-want +got):\n%s", d)
	}
}
