package sim_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"

	"github.com/vsssim/vsssim/fakewriter"
	"github.com/vsssim/vsssim/requestor/vss"
	"github.com/vsssim/vsssim/sim"
)

// The GatherWriterMetadata row of REFERENCE §1.3, as tests.
func TestGatherWriterMetadata(t *testing.T) {
	t.Run("S_OK and an async that finishes", func(t *testing.T) {
		c := sim.NewDefault()
		newWriters(t, c, 2)
		o := c.NewBackupComponents()
		require.NoError(t, o.InitializeForBackup(""))
		a, err := o.GatherWriterMetadata()
		require.NoError(t, err)
		require.NoError(t, a.Wait(-1))
		st, err := a.QueryStatus()
		require.NoError(t, err)
		require.Equal(t, vss.VSS_S_ASYNC_FINISHED, st)
		n, err := o.GetWriterMetadataCount()
		require.NoError(t, err)
		require.Equal(t, uint32(2), n)
	})
	t.Run("second call is VSS_E_BAD_STATE", func(t *testing.T) {
		c := sim.NewDefault()
		o := c.NewBackupComponents()
		require.NoError(t, o.InitializeForBackup(""))
		mustFinish(t, o.GatherWriterMetadata)
		_, err := o.GatherWriterMetadata()
		requireBadState(t, "§2.3#6", err)
	})
	t.Run("second call while the first is pending is VSS_E_BAD_STATE", func(t *testing.T) {
		c := sim.NewDefault()
		w := fakewriter.New("slow").On(sim.EventIdentify, fakewriter.Behavior{Latency: 5e9})
		_, err := w.Subscribe(c)
		require.NoError(t, err)
		o := c.NewBackupComponents()
		require.NoError(t, o.InitializeForBackup(""))
		_, err = o.GatherWriterMetadata()
		require.NoError(t, err)
		_, err = o.GatherWriterMetadata()
		requireBadState(t, "§2.3#6", err)
	})
	t.Run("before InitializeForBackup is VSS_E_BAD_STATE", func(t *testing.T) {
		c := sim.NewDefault()
		o := c.NewBackupComponents()
		_, err := o.GatherWriterMetadata()
		requireBadState(t, "§2.3#1", err)
	})
	for _, hr := range []vss.HRESULT{vss.E_ACCESSDENIED, vss.E_OUTOFMEMORY, vss.VSS_E_WRITER_INFRASTRUCTURE, vss.VSS_E_UNEXPECTED} {
		t.Run("injected "+hr.String(), func(t *testing.T) {
			c := sim.NewDefault()
			ws := newWriters(t, c, 2)
			o := c.NewBackupComponents()
			require.NoError(t, o.InitializeForBackup(""))
			require.NoError(t, c.InjectFault(sim.Fault{Method: "GatherWriterMetadata", HR: hr, Times: 1}))
			_, err := o.GatherWriterMetadata()
			requireHR(t, hr, err)
			for _, w := range ws {
				require.Empty(t, w.Events(), "a failed call sends no Identify")
			}
			// The failed call changed nothing: the retry is the first call.
			mustFinish(t, o.GatherWriterMetadata)
		})
	}
	t.Run("async VSS_E_WRITER_INFRASTRUCTURE", func(t *testing.T) {
		c := sim.NewDefault()
		newWriters(t, c, 1)
		o := c.NewBackupComponents()
		require.NoError(t, o.InitializeForBackup(""))
		require.NoError(t, c.InjectFault(sim.Fault{Method: "GatherWriterMetadata", HR: vss.VSS_E_WRITER_INFRASTRUCTURE, Async: true}))
		st := wait(t, o.GatherWriterMetadata)
		require.Equal(t, vss.VSS_E_WRITER_INFRASTRUCTURE, st)
		_, err := o.GetWriterMetadataCount()
		requireBadState(t, "§2.3#7", err)
	})
	t.Run("legacy E_UNEXPECTED", func(t *testing.T) {
		opts := sim.DefaultOptions()
		opts.LegacyUnexpected = true
		c := sim.New(opts)
		o := c.NewBackupComponents()
		require.NoError(t, o.InitializeForBackup(""))
		require.NoError(t, c.InjectFault(sim.Fault{Method: "GatherWriterMetadata", HR: vss.VSS_E_UNEXPECTED}))
		_, err := o.GatherWriterMetadata()
		requireHR(t, vss.E_UNEXPECTED, err)
	})
	t.Run("Identify reaches every enabled writer and no disabled one", func(t *testing.T) {
		c := sim.NewDefault()
		ws := newWriters(t, c, 5)
		inst3, err := ws[3].Subscribe(sim.NewDefault()) // a different coordinator: same class, other instance
		require.NoError(t, err)
		_ = inst3
		o := c.NewBackupComponents()
		require.NoError(t, o.InitializeForBackup(""))
		require.NoError(t, o.DisableWriterClasses([]vss.ID{ws[1].Config.ClassID}))
		ids := c.Writers()
		require.NoError(t, o.DisableWriterInstances([]vss.ID{ids[2]}))
		mustFinish(t, o.GatherWriterMetadata)
		// Too late: accepted, no effect (§2.3#24).
		require.NoError(t, o.DisableWriterClasses([]vss.ID{ws[0].Config.ClassID}))
		var got []string
		for _, w := range ws {
			got = append(got, w.Config.Name+":"+eventsString(w))
		}
		want := []string{"Writer 01:Identify", "Writer 02:", "Writer 03:", "Writer 04:Identify", "Writer 05:Identify"}
		if d := cmp.Diff(want, got); d != "" {
			t.Fatalf("Identify delivery (-want +got):\n%s", d)
		}
		n, err := o.GetWriterMetadataCount()
		require.NoError(t, err)
		require.Equal(t, uint32(3), n)
	})
	t.Run("EnableWriterClasses limits Identify to the enabled classes", func(t *testing.T) {
		c := sim.NewDefault()
		ws := newWriters(t, c, 3)
		o := c.NewBackupComponents()
		require.NoError(t, o.InitializeForBackup(""))
		require.NoError(t, o.EnableWriterClasses([]vss.ID{ws[2].Config.ClassID}))
		mustFinish(t, o.GatherWriterMetadata)
		require.Empty(t, ws[0].Events())
		require.Empty(t, ws[1].Events())
		require.Equal(t, []sim.Event{sim.EventIdentify}, ws[2].Events())
	})
	t.Run("metadata getters", func(t *testing.T) {
		c := sim.NewDefault()
		newWriters(t, c, 1)
		o := c.NewBackupComponents()
		require.NoError(t, o.InitializeForBackup(""))
		_, err := o.GetWriterMetadataCount()
		requireBadState(t, "§2.3#7", err)
		mustFinish(t, o.GatherWriterMetadata)
		inst, md, err := o.GetWriterMetadata(0)
		require.NoError(t, err)
		require.Equal(t, c.Writers()[0], inst)
		require.Equal(t, "Writer 01", md.Identity.Name)
		require.Len(t, md.Components, 1)
		_, _, err = o.GetWriterMetadata(1)
		requireHR(t, vss.VSS_E_OBJECT_NOT_FOUND, err)
		require.NoError(t, o.FreeWriterMetadata())
		_, _, err = o.GetWriterMetadata(0)
		requireBadState(t, "§2.3#7", err)
		requireBadState(t, "§2.3#7", o.FreeWriterMetadata())
	})
}

func eventsString(w *fakewriter.Writer) string {
	s := ""
	for i, e := range w.Events() {
		if i > 0 {
			s += ","
		}
		s += string(e)
	}
	return s
}
