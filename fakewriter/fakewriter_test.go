package fakewriter_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/vsssim/vsssim/fakewriter"
	"github.com/vsssim/vsssim/requestor/vss"
	"github.com/vsssim/vsssim/sim"
)

func TestClassIDIsStableAndDistinct(t *testing.T) {
	require.Equal(t, fakewriter.ClassID("A"), fakewriter.ClassID("A"))
	require.NotEqual(t, fakewriter.ClassID("A"), fakewriter.ClassID("B"))
	require.False(t, fakewriter.ClassID("").IsNull())
}

func gather(t *testing.T, c *sim.Coordinator) *sim.BackupComponents {
	t.Helper()
	o := c.NewBackupComponents()
	require.NoError(t, o.InitializeForBackup(""))
	a, err := o.GatherWriterMetadata()
	require.NoError(t, err)
	require.NoError(t, a.Wait(-1))
	return o
}

func TestIdentifyBuildsMetadata(t *testing.T) {
	c := sim.NewDefault()
	w := fakewriter.New("SqlServerWriter")
	w.Components = append(w.Components, fakewriter.Component{Type: vss.VSS_CT_DATABASE, LogicalPath: `Instance\db`, Name: "master",
		Files: []vss.FileDesc{{Path: `C:\SQL`, Filespec: "master.mdf", BackupTypeMask: vss.VSS_FSBT_ALL_BACKUP_REQUIRED}}})
	inst, err := w.Subscribe(c)
	require.NoError(t, err)
	o := gather(t, c)
	got, md, err := o.GetWriterMetadata(0)
	require.NoError(t, err)
	require.Equal(t, inst, got)
	require.Equal(t, "SqlServerWriter", md.Identity.Name)
	require.Equal(t, fakewriter.ClassID("SqlServerWriter"), md.Identity.WriterID)
	require.Equal(t, vss.VSS_RME_RESTORE_IF_CAN_REPLACE, md.RestoreMethod.Method)
	require.Len(t, md.Components, 2)
	require.Equal(t, `C:\Data\SqlServerWriter`, md.Components[0].Files[0].Path)
	require.Equal(t, "master.mdf", md.Components[1].DatabaseFiles[0].Filespec)
}

func TestTimesLimitsTheMisbehaviour(t *testing.T) {
	c := sim.NewDefault()
	w := fakewriter.New("Flaky").On(sim.EventIdentify, fakewriter.Behavior{ReturnFalse: true, Times: 2})
	_, err := w.Subscribe(c)
	require.NoError(t, err)
	for i, want := range []uint32{0, 0, 1, 1} {
		o := gather(t, c)
		n, err := o.GetWriterMetadataCount()
		require.NoError(t, err)
		require.Equal(t, want, n, "gather %d", i+1)
	}
	require.Len(t, w.Log(), 4)
}

func TestSubscribeTwice(t *testing.T) {
	c := sim.NewDefault()
	w := fakewriter.New("A")
	_, err := w.Subscribe(c)
	require.NoError(t, err)
	_, err = w.Subscribe(c)
	require.ErrorIs(t, err, vss.VSS_E_WRITER_ALREADY_SUBSCRIBED)
}
