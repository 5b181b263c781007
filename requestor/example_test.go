package requestor_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/vsssim/vsssim/fakewriter"
	"github.com/vsssim/vsssim/requestor"
	"github.com/vsssim/vsssim/requestor/vss"
	"github.com/vsssim/vsssim/sim"
)

// A hand-written component-mode requestor: the calls a backup program
// makes, in order, on the simulator (requestor.NewWindows gives the same
// interface over the real service).
func ExampleBackupComponents() {
	c := sim.NewDefault() // a simulated machine with a C:\ volume
	sql, _ := fakewriter.Preset("sqlserver")
	if _, err := sql.Subscribe(c); err != nil {
		panic(err)
	}
	bc := requestor.NewSim(c)
	defer bc.Release() // BackupShutdown; auto-release shadow copies go away

	wait := func(a requestor.Async, err error) error {
		if err != nil {
			return err
		}
		return requestor.Wait(context.Background(), a, 0)
	}
	must := func(err error) {
		if err != nil {
			panic(err)
		}
	}
	must(bc.InitializeForBackup(""))
	must(bc.SetBackupState(true, false, vss.VSS_BT_FULL, false))
	must(wait(bc.GatherWriterMetadata()))
	n, _ := bc.GetWriterMetadataCount()
	for i := uint32(0); i < n; i++ {
		inst, md, err := bc.GetWriterMetadata(i)
		must(err)
		for _, comp := range md.Components {
			if comp.Selectable {
				must(bc.AddComponent(inst, md.Identity.WriterID, comp.Type, comp.LogicalPath, comp.Name))
				fmt.Printf("selected %s:\\%s\\%s\n", md.Identity.Name, comp.LogicalPath, comp.Name)
			}
		}
	}
	must(bc.FreeWriterMetadata())
	_, err := bc.StartSnapshotSet()
	must(err)
	snap, err := bc.AddToSnapshotSet(`C:\`, vss.ID{})
	must(err)
	must(wait(bc.PrepareForBackup()))
	must(wait(bc.DoSnapshotSet()))
	props, err := bc.GetSnapshotProperties(snap)
	must(err)
	fmt.Println("copy the files from", props.SnapshotDeviceObject)
	must(wait(bc.BackupComplete()))
	// Output:
	// selected SqlServerWriter:\SQLHOST01\master
	// selected SqlServerWriter:\SQLHOST01\model
	// selected SqlServerWriter:\SQLHOST01\msdb
	// selected SqlServerWriter:\SQLHOST01\Sales
	// selected SqlServerWriter:\SQLHOST01\Inventory
	// selected SqlServerWriter:\SQLHOST01\Payroll
	// copy the files from \\?\GLOBALROOT\Device\HarddiskVolumeShadowCopy1
}

// RunBackup is the documented backup sequence in one call: here with three
// fake writers, the last one vetoing Freeze once, as a real writer may.
func ExampleRunBackup() {
	c := sim.NewDefault()
	for _, w := range []*fakewriter.Writer{
		fakewriter.New("Writer 1"), fakewriter.New("Writer 2"),
		fakewriter.New("Writer 3").On(sim.EventFreeze, fakewriter.Retryable(1)),
	} {
		if _, err := w.Subscribe(c); err != nil {
			panic(err)
		}
	}
	plan := requestor.BackupPlan{Volumes: []string{`C:\`}, SelectAll: true}
	_, err := requestor.RunBackup(context.Background(), requestor.NewSim(c), plan)
	fmt.Println("first try:", errors.Is(err, vss.VSS_E_WRITERERROR_RETRYABLE))

	// Retryable: a new object, a second try.
	res, err := requestor.RunBackup(context.Background(), requestor.NewSim(c), plan)
	fmt.Println("second try:", err, len(res.Snapshots), "shadow copy")
	for _, st := range res.Status {
		fmt.Println(st.Name, st.State, st.Failure.String())
	}
	// Output:
	// first try: true
	// second try: <nil> 1 shadow copy
	// Writer 1 VSS_WS_STABLE S_OK
	// Writer 2 VSS_WS_STABLE S_OK
	// Writer 3 VSS_WS_STABLE S_OK
}

// Fault injection: make a legal call fail with any code its documentation
// lists, here the provider running out of storage while DoSnapshotSet
// runs, and check that the requestor aborts and says why.
func Example_faultInjection() {
	bc, c := requestor.New()
	if err := c.InjectFault(sim.Fault{Method: "DoSnapshotSet", HR: vss.VSS_E_INSUFFICIENT_STORAGE, Async: true}); err != nil {
		panic(err)
	}
	_, err := requestor.RunBackup(context.Background(), bc, requestor.BackupPlan{Volumes: []string{`C:\`}})
	fmt.Println(errors.Is(err, vss.VSS_E_INSUFFICIENT_STORAGE))
	fmt.Println(err)
	// Output:
	// true
	// DoSnapshotSet: requestor: async operation failed: VSS_E_INSUFFICIENT_STORAGE (0x8004231F)
}
