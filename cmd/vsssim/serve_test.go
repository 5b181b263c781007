package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/vsssim/vsssim/internal/testenv"
	"github.com/vsssim/vsssim/requestor/vss"
	"github.com/vsssim/vsssim/service/comtable"
	"github.com/vsssim/vsssim/service/wire"
)

func TestServe(t *testing.T) {
	dir := testenv.TempDir(t)
	world := filepath.Join(dir, "world.txt")
	require.NoError(t, os.WriteFile(world, []byte("writer App\nvolume D:\\\n"), 0o644))
	env, trace := filepath.Join(dir, "env"), filepath.Join(dir, "trace.txt")
	var stdout, stderr testenv.SyncBuffer
	stop := make(chan os.Signal)
	code := make(chan int)
	go func() {
		code <- serveUntil([]string{"-world", world, "-env", env, "-trace", trace}, &stdout, &stderr, stop)
	}()
	var vars map[string]string
	require.Eventually(t, func() bool {
		data, err := os.ReadFile(env)
		if err != nil || !strings.HasSuffix(string(data), "\n") {
			return false
		}
		vars = map[string]string{}
		for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
			k, v, _ := strings.Cut(line, "=")
			vars[k] = v
		}
		return len(vars) == 2
	}, 10*time.Second, time.Millisecond)
	require.Contains(t, stdout.String(), wire.EnvAddr+"="+vars[wire.EnvAddr])
	c, err := wire.Dial(vars[wire.EnvAddr], vars[wire.EnvToken], wire.RoleCOM)
	require.NoError(t, err)
	h, err := c.Create()
	require.NoError(t, err)
	_, err = c.Call(h, comtable.BackupComponents, "InitializeForBackup", "")
	require.NoError(t, err)
	out, err := c.Call(h, comtable.BackupComponents, "IsVolumeSupported", vss.GUID_NULL, `D:\`)
	require.NoError(t, err)
	require.Equal(t, uint32(1), out[0], "the world file's volume")
	c.Close()

	// vsssim ctl reaches the server named by the environment.
	t.Setenv(wire.EnvAddr, vars[wire.EnvAddr])
	t.Setenv(wire.EnvToken, vars[wire.EnvToken])
	require.Eventually(t, func() bool { return strings.Contains(stderr.String(), ": no findings") }, 10*time.Second, time.Millisecond,
		"the disconnected session's findings are logged")
	var ctlOut, errOut bytes.Buffer
	require.Equal(t, 0, run([]string{"ctl", "trace"}, &ctlOut, &errOut), errOut.String())
	require.Contains(t, ctlOut.String(), `IsVolumeSupported(`)
	ctlOut.Reset()
	require.Equal(t, 0, run([]string{"ctl", "findings"}, &ctlOut, &errOut), errOut.String())
	require.Empty(t, ctlOut.String(), "a session without findings adds none")
	require.Equal(t, 2, run([]string{"ctl"}, &ctlOut, &errOut))
	require.Equal(t, 1, run([]string{"ctl", "no-such-command"}, &ctlOut, &errOut))
	require.Contains(t, errOut.String(), "unknown control command")

	stop <- os.Interrupt
	require.Equal(t, 0, <-code, stderr.String())
	tr, err := os.ReadFile(trace)
	require.NoError(t, err)
	require.Contains(t, string(tr), `IsVolumeSupported(00000000-0000-0000-0000-000000000000, "D:\")`)
	require.Contains(t, string(tr), "the requestor process ended without releasing the object")
}

func TestServeRefusesNonLoopback(t *testing.T) {
	var stdout, stderr bytes.Buffer
	require.Equal(t, 1, serveUntil([]string{"-addr", "0.0.0.0:0"}, &stdout, &stderr, nil))
	require.Contains(t, stderr.String(), "loopback only")
	require.Empty(t, stdout.String())
}
