package sim_test

import (
	"fmt"
	"time"

	"github.com/vsssim/vsssim/fakewriter"
	"github.com/vsssim/vsssim/requestor/vss"
	"github.com/vsssim/vsssim/sim"
)

// A requestor that polls QueryStatus instead of calling Wait: each poll on
// a pending operation lets the simulation run to its next event, so the
// 3 s Identify ends after one poll, at 3 s of virtual time.
func ExampleAsync_QueryStatus() {
	c := sim.NewDefault()
	slow := fakewriter.New("Slow").On(sim.EventIdentify, fakewriter.Behavior{Latency: 3 * time.Second})
	if _, err := slow.Subscribe(c); err != nil {
		panic(err)
	}
	o := c.NewBackupComponents()
	if err := o.InitializeForBackup(""); err != nil {
		panic(err)
	}
	a, err := o.GatherWriterMetadata()
	if err != nil {
		panic(err)
	}
	polls := 0
	for {
		polls++
		st, _ := a.QueryStatus()
		if st != vss.VSS_S_ASYNC_PENDING {
			fmt.Println(st, "after", polls, "poll at", c.Now())
			break
		}
	}
	n, _ := o.GetWriterMetadataCount()
	fmt.Println(n, "writer")
	// Output:
	// VSS_S_ASYNC_FINISHED (0x0004230A) after 1 poll at 3s
	// 1 writer
}

// A provider hook at CommitSnapshots sees the frozen writers and holds the
// commit for 2 s of virtual time, as qemu-ga's provider does while the
// guest file systems are frozen.
func ExampleProviderHook() {
	c := sim.NewDefault()
	if _, err := fakewriter.New("App").Subscribe(c); err != nil {
		panic(err)
	}
	id := vss.MustParseID("3629d4ed-ee09-4e0e-9a5c-6d8ba2872aef")
	c.AddProvider(sim.Provider{ID: id, Name: "QGA", Type: vss.VSS_PROV_SOFTWARE, Hook: func(call *sim.ProviderCall) vss.HRESULT {
		if call.Point == sim.CommitSnapshots {
			fmt.Println(call.Point, "frozen:", call.Frozen)
			call.Duration = 2 * time.Second
		}
		return vss.S_OK
	}})
	o := c.NewBackupComponents()
	_ = o.InitializeForBackup("")
	_ = o.SetBackupState(false, false, vss.VSS_BT_FULL, false)
	a, _ := o.GatherWriterMetadata()
	_ = a.Wait(-1)
	_, _ = o.StartSnapshotSet()
	_, _ = o.AddToSnapshotSet(`C:\`, id)
	a, _ = o.PrepareForBackup()
	_ = a.Wait(-1)
	a, _ = o.DoSnapshotSet()
	_ = a.Wait(-1)
	st, _ := a.QueryStatus()
	fmt.Println(st, "at", c.Now())
	// Output:
	// CommitSnapshots frozen: [App]
	// VSS_S_ASYNC_FINISHED (0x0004230A) at 2s
}
