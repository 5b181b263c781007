package sim_test

import (
	"fmt"

	"github.com/vsssim/vsssim/requestor/vss"
	"github.com/vsssim/vsssim/sim"
)

// VShadow -p -nw C: then -el={SnapID},X: (the VShadow sample's expose.cpp):
// a persistent shadow copy is exposed as a drive letter, which
// VSS_SNAPSHOT_PROP then shows.
func ExampleBackupComponents_ExposeSnapshot() {
	c := sim.NewDefault()
	create := c.NewBackupComponents()
	_ = create.InitializeForBackup("")
	_ = create.SetContext(vss.VSS_CTX_NAS_ROLLBACK)
	_, _ = create.StartSnapshotSet()
	id, _ := create.AddToSnapshotSet(`C:\`, vss.ID{})
	a, _ := create.DoSnapshotSet()
	_ = a.Wait(-1)
	_ = create.Release() // persistent: the shadow copy stays

	o := c.NewBackupComponents()
	_ = o.InitializeForBackup("")
	_ = o.SetContext(vss.VSS_CTX_ALL)
	name, err := o.ExposeSnapshot(id, "", vss.VSS_VOLSNAP_ATTR_EXPOSED_LOCALLY, "X:")
	fmt.Println(name, err)
	p, _ := o.GetSnapshotProperties(id)
	fmt.Println(p.ExposedName, p.SnapshotAttributes&vss.VSS_VOLSNAP_ATTR_EXPOSED_LOCALLY != 0)
	_, err = o.ExposeSnapshot(id, "", vss.VSS_VOLSNAP_ATTR_EXPOSED_LOCALLY, "Y:")
	fmt.Println(vss.Code(err))
	// Output:
	// X: <nil>
	// X: true
	// E_INVALIDARG (0x80070057)
}
