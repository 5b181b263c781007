package sim_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/vsssim/vsssim/fakewriter"
	"github.com/vsssim/vsssim/requestor"
	"github.com/vsssim/vsssim/requestor/vss"
	"github.com/vsssim/vsssim/sim"
)

// A commit hook runs while the writers are frozen, once per shadow copy,
// and may give the shadow copy a device object of its own (vsssim serve
// points it at a frozen copy of the volume's directory).
func ExampleCoordinator_SetCommitHook() {
	c := sim.NewDefault()
	c.AddVolume(sim.Volume{Name: `D:\`, Root: "/srv/data"})
	app := fakewriter.New("App")
	if _, err := app.Subscribe(c); err != nil {
		panic(err)
	}
	c.SetCommitHook(func(s *sim.ShadowCommit) {
		fmt.Printf("commit %s (root %s), %s after %v\n", s.Volume.Name, s.Volume.Root, s.DeviceObject, app.Events()[len(app.Events())-1])
		s.DeviceObject = `\\?\Z:\tmp\frozen\` + s.Volume.Name[:1]
	})
	bc := requestor.NewSim(c)
	must := func(err error) {
		if err != nil {
			panic(err)
		}
	}
	do := func(a vss.Async, err error) {
		must(err)
		must(a.Wait(requestor.INFINITE))
	}
	must(bc.InitializeForBackup(""))
	must(bc.SetBackupState(false, false, vss.VSS_BT_FULL, false))
	do(bc.GatherWriterMetadata())
	_, err := bc.StartSnapshotSet()
	must(err)
	id, err := bc.AddToSnapshotSet(`D:\`, vss.ID{})
	must(err)
	do(bc.PrepareForBackup())
	do(bc.DoSnapshotSet())
	p, err := bc.GetSnapshotProperties(id)
	must(err)
	fmt.Println(p.SnapshotDeviceObject)
	// Output:
	// commit D:\ (root /srv/data), \\?\GLOBALROOT\Device\HarddiskVolumeShadowCopy1 after Freeze
	// \\?\Z:\tmp\frozen\D
}

func TestCommitHookOncePerShadowCopyAndRemovable(t *testing.T) {
	c := sim.NewDefault()
	c.AddVolume(sim.Volume{Name: `D:\`})
	var got []string
	c.SetCommitHook(func(s *sim.ShadowCommit) { got = append(got, s.Volume.Name) })
	o := c.NewBackupComponents()
	backupTo(t, o, "DoSnapshotSet", `C:\`, `D:\`)
	require.Equal(t, []string{`C:\`, `D:\`}, got)
	require.NoError(t, o.Release())

	c.SetCommitHook(nil)
	o = c.NewBackupComponents()
	backupTo(t, o, "DoSnapshotSet")
	require.Len(t, got, 2, "a removed hook is not called")
	require.NoError(t, o.Release())
}
