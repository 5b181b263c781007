//go:build windows

package service_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/vsssim/vsssim/fakewriter"
	"github.com/vsssim/vsssim/requestor"
	"github.com/vsssim/vsssim/requestor/vss"
	"github.com/vsssim/vsssim/service/wire"
)

// These run in the Windows build (under Wine: .ci/wine-service) against a
// vsssim serve named by VSSSIM_ADDR, with vsssim's vssapi.dll installed:
// the COM backend, through the DLL's vtables, to the server's simulator.

// served returns a control connection with a fresh world of the given
// world commands, or skips when no server is configured.
func served(tb testing.TB, world ...string) *wire.Conn {
	tb.Helper()
	if os.Getenv(wire.EnvAddr) == "" {
		if os.Getenv("VSSSIM_SERVE_REQUIRED") != "" {
			tb.Fatal("VSSSIM_ADDR is not set")
		}
		tb.Skip("VSSSIM_ADDR is not set: no vsssim serve to test the DLL against (.ci/wine-service runs these)")
	}
	ctl, err := wire.DialEnv(wire.RoleControl)
	require.NoError(tb, err)
	tb.Cleanup(func() { ctl.Close() })
	_, err = ctl.Control("reset " + tb.Name())
	require.NoError(tb, err)
	for _, w := range world {
		_, err := ctl.Control("world " + w)
		require.NoError(tb, err, w)
	}
	return ctl
}

func writers(n int) []string {
	var out []string
	for i := range n {
		out = append(out, fmt.Sprintf("writer W%02d", i+1))
	}
	return out
}

// RunBackup through requestor.NewWindows → vssapi.dll → vsssim serve.
func TestCOMBackendBackupThroughDLL(t *testing.T) {
	ctl := served(t, writers(3)...)
	bc, err := requestor.NewWindows()
	require.NoError(t, err)
	res, err := requestor.RunBackup(context.Background(), bc, requestor.BackupPlan{Volumes: []string{`C:\`}, SelectAll: true})
	require.NoError(t, err)
	require.Len(t, res.Snapshots, 1)
	require.True(t, strings.HasPrefix(res.Snapshots[0].SnapshotDeviceObject, `\\?\GLOBALROOT\Device\HarddiskVolumeShadowCopy`))
	require.Len(t, res.Status, 3)
	require.Equal(t, 3, strings.Count(res.BCD, `backupSucceeded="yes"`), res.BCD)
	tr, err := ctl.Control("trace")
	require.NoError(t, err)
	for _, want := range []string{"#1 call   DoSnapshotSet()", "event  Freeze -> W03", "#1 call   Release()", "event  BackupShutdown -> W01"} {
		require.Contains(t, tr, want)
	}
	// Query through the DLL's IVssEnumObject.
	bc2, err := requestor.NewWindows()
	require.NoError(t, err)
	defer bc2.Release()
	require.NoError(t, bc2.InitializeForBackup(""))
	require.NoError(t, bc2.SetContext(vss.VSS_CTX_ALL))
	props, err := bc2.Query(vss.GUID_NULL, vss.VSS_OBJECT_NONE, vss.VSS_OBJECT_SNAPSHOT)
	require.NoError(t, err)
	require.Empty(t, props, "auto-release shadow copies went with their object")
}

// The management and Ex–Ex4 calls through the DLL: each goes through the
// interface pointer QueryInterface returns for IVssBackupComponentsEx2,
// Ex3 or Ex4, its VSS_PWSZ outputs come back (the backend frees them with
// CoTaskMemFree), and the backend's Release gives those pointers back too:
// the DLL forwards the last one, the modelled Release.
func TestExCallsThroughDLL(t *testing.T) {
	ctl := served(t)
	bc, err := requestor.NewWindows()
	require.NoError(t, err)
	require.NoError(t, bc.InitializeForBackup(""))
	sid, err := bc.GetSessionId()
	require.NoError(t, err)
	require.False(t, sid.IsNull())
	root, prefix, err := bc.GetRootAndLogicalPrefixPaths(`\\fs1\share\dir`, true)
	require.NoError(t, err)
	require.Equal(t, []string{`\\fs1.vsssim.test\share\`, `\\fs1\share\`}, []string{root, prefix})
	require.NoError(t, bc.SetContext(vss.VSS_CTX_APP_ROLLBACK|vss.SnapshotContext(vss.VSS_VOLSNAP_ATTR_NO_WRITERS)))
	_, err = bc.StartSnapshotSet()
	require.NoError(t, err)
	snap, err := bc.AddToSnapshotSet(`C:\`, vss.GUID_NULL)
	require.NoError(t, err)
	a, err := bc.DoSnapshotSet()
	require.NoError(t, err)
	require.NoError(t, requestor.Wait(context.Background(), a, time.Second))
	exposed, err := bc.ExposeSnapshot(snap, "", vss.VSS_VOLSNAP_ATTR_EXPOSED_LOCALLY, "X:")
	require.NoError(t, err)
	require.Equal(t, "X:", exposed)
	_, err = bc.ExposeSnapshot(snap, "", vss.VSS_VOLSNAP_ATTR_EXPOSED_LOCALLY, "Y:")
	require.Equal(t, vss.E_INVALIDARG, vss.Code(err), "a second exposure")
	require.NoError(t, bc.UnexposeSnapshot(snap))
	require.NoError(t, bc.Release())
	tr, err := ctl.Control("trace")
	require.NoError(t, err)
	for _, want := range []string{"#1 call   GetSessionId()", "session " + sid.String(), "#1 call   ExposeSnapshot(", "#1 call   UnexposeSnapshot(", "#1 call   Release()"} {
		require.Contains(t, tr, want)
	}
}

// BenchmarkCallRoundTrip is one IVssBackupComponents call through the DLL
// and back (GetWriterMetadataCount before GatherWriterMetadata: a
// VSS_E_BAD_STATE, decided at once by the server). It reports the median.
func BenchmarkCallRoundTrip(b *testing.B) {
	served(b)
	bc, err := requestor.NewWindows()
	require.NoError(b, err)
	defer bc.Release()
	var d []time.Duration
	for b.Loop() {
		t0 := time.Now()
		_, err := bc.GetWriterMetadataCount()
		d = append(d, time.Since(t0))
		if vss.Code(err) != vss.VSS_E_BAD_STATE {
			b.Fatal(err)
		}
	}
	slices.Sort(d)
	b.ReportMetric(float64(d[len(d)/2].Microseconds()), "median-µs/call")
}

// BenchmarkBackup30Writers is a component-mode RunBackup with 30 writers,
// through the DLL (dll) and in-process on the simulator (inprocess).
func BenchmarkBackup30Writers(b *testing.B) {
	b.Run("dll", func(b *testing.B) {
		ctl := served(b, writers(30)...)
		for b.Loop() {
			b.StopTimer()
			_, err := ctl.Control("reset bench")
			require.NoError(b, err)
			for _, w := range writers(30) {
				_, err := ctl.Control("world " + w)
				require.NoError(b, err)
			}
			b.StartTimer()
			bc, err := requestor.NewWindows()
			require.NoError(b, err)
			_, err = requestor.RunBackup(context.Background(), bc, requestor.BackupPlan{Volumes: []string{`C:\`}, SelectAll: true})
			require.NoError(b, err)
		}
	})
	b.Run("inprocess", func(b *testing.B) {
		for b.Loop() {
			b.StopTimer()
			bc, c := requestor.New()
			for i := range 30 {
				_, err := fakewriter.New(fmt.Sprintf("W%02d", i+1)).Subscribe(c)
				require.NoError(b, err)
			}
			b.StartTimer()
			_, err := requestor.RunBackup(context.Background(), bc, requestor.BackupPlan{Volumes: []string{`C:\`}, SelectAll: true})
			require.NoError(b, err)
		}
	})
}

// Without a server, or without the variables, or with a wrong token,
// creation fails at once with the documented HRESULT (never a hang).
func TestNoServerThroughDLL(t *testing.T) {
	served(t)
	for _, tc := range []struct {
		addr, token string
		hr          vss.HRESULT
		unavailable bool
	}{
		{"127.0.0.1:1", "x", 0x800706BA, true}, // RPC_S_SERVER_UNAVAILABLE: nothing listens
		{"", "x", 0x800700CB, true},            // ERROR_ENVVAR_NOT_FOUND
		{os.Getenv(wire.EnvAddr), "", 0x800700CB, true},
		{"192.0.2.1:9", "x", 0x800706BA, true}, // not loopback: refused by the DLL
		{os.Getenv(wire.EnvAddr), "wrong", vss.E_ACCESSDENIED, false},
	} {
		t.Setenv(wire.EnvAddr, tc.addr)
		t.Setenv(wire.EnvToken, tc.token)
		start := time.Now()
		_, err := requestor.NewWindows()
		require.Error(t, err)
		require.Less(t, time.Since(start), 5*time.Second)
		require.Equal(t, tc.unavailable, errors.Is(err, requestor.ErrUnavailable), "%v", err)
		require.Contains(t, strings.ToUpper(err.Error()), fmt.Sprintf("0X%08X", uint32(tc.hr)), "%s/%s", tc.addr, tc.token)
	}
}
