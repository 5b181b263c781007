package service_test

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"net"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/vsssim/vsssim/internal/testenv"
	"github.com/vsssim/vsssim/requestor/vss"
	"github.com/vsssim/vsssim/scenarios"
	"github.com/vsssim/vsssim/service"
	"github.com/vsssim/vsssim/service/comtable"
	"github.com/vsssim/vsssim/service/wire"
)

// start runs a server whose world is the given world commands (a fresh
// world on every reset) and stops it at the end of the test.
func start(t testing.TB, world ...string) (*service.Server, *testenv.SyncBuffer) {
	t.Helper()
	return startConfig(t, service.Config{}, world...)
}

// startConfig is start with cfg's other fields (its Log and NewWorld are
// set here).
func startConfig(t testing.TB, cfg service.Config, world ...string) (*service.Server, *testenv.SyncBuffer) {
	t.Helper()
	logs := &testenv.SyncBuffer{}
	cfg.Log = logs
	cfg.NewWorld = func(name string) (service.World, error) {
		w := scenarios.NewWorld("world.txt")
		for _, line := range world {
			if _, err := w.Exec(line); err != nil {
				return nil, err
			}
		}
		return w, nil
	}
	srv, err := service.Listen(cfg)
	require.NoError(t, err)
	done := make(chan error, 1)
	go func() { done <- srv.Serve() }()
	t.Cleanup(func() {
		require.NoError(t, srv.Close())
		require.NoError(t, <-done)
	})
	return srv, logs
}

func dial(t testing.TB, srv *service.Server, role uint8) *wire.Conn {
	t.Helper()
	c, err := wire.Dial(srv.Addr(), srv.Token(), role)
	require.NoError(t, err)
	t.Cleanup(func() { c.Close() })
	return c
}

const bc = comtable.BackupComponents

// call makes a call that must succeed.
func call(t testing.TB, c *wire.Conn, h uint32, name string, ins ...any) wire.Outputs {
	t.Helper()
	out, err := c.Call(h, bc, name, ins...)
	require.NoError(t, err, name)
	return out
}

// waitAsync waits on an async handle and returns its final status.
func waitAsync(t testing.TB, c *wire.Conn, a uint32) vss.HRESULT {
	t.Helper()
	_, err := c.Call(a, comtable.Async, "Wait", uint32(0xFFFFFFFF))
	require.NoError(t, err)
	out, err := c.Call(a, comtable.Async, "QueryStatus")
	require.NoError(t, err)
	return vss.HRESULT(out[0].(uint32))
}

// backupUntil runs the steps of a component-mode backup up to and
// including the named one (not in component mode: every writer takes
// part).
func backupUntil(t testing.TB, c *wire.Conn, h uint32, last string) {
	t.Helper()
	steps := []struct {
		name string
		do   func()
	}{
		{"InitializeForBackup", func() { call(t, c, h, "InitializeForBackup", "") }},
		{"SetBackupState", func() { call(t, c, h, "SetBackupState", false, false, vss.VSS_BT_FULL, false) }},
		{"GatherWriterMetadata", func() {
			require.Equal(t, vss.VSS_S_ASYNC_FINISHED, waitAsync(t, c, call(t, c, h, "GatherWriterMetadata")[0].(uint32)))
		}},
		{"StartSnapshotSet", func() { call(t, c, h, "StartSnapshotSet") }},
		{"AddToSnapshotSet", func() { call(t, c, h, "AddToSnapshotSet", `C:\`, vss.GUID_NULL) }},
		{"PrepareForBackup", func() {
			require.Equal(t, vss.VSS_S_ASYNC_FINISHED, waitAsync(t, c, call(t, c, h, "PrepareForBackup")[0].(uint32)))
		}},
		{"DoSnapshotSet", func() {
			require.Equal(t, vss.VSS_S_ASYNC_FINISHED, waitAsync(t, c, call(t, c, h, "DoSnapshotSet")[0].(uint32)))
		}},
	}
	for _, s := range steps {
		s.do()
		if s.name == last {
			return
		}
	}
	t.Fatalf("no step %s", last)
}

// idle waits until the server serves at most sessions connections (the
// others have been cleaned up) and requires the coordinator to be idle.
func idle(t testing.TB, srv *service.Server, sessions int) {
	t.Helper()
	require.Eventually(t, func() bool { return srv.Sessions() <= sessions }, 5*time.Second, time.Millisecond)
	c, err := srv.Coordinator()
	require.NoError(t, err)
	require.NoError(t, c.Idle())
}

func TestNonLoopbackBindRefused(t *testing.T) {
	for _, addr := range []string{"0.0.0.0:0", ":0", "[::]:0", "192.0.2.1:0", "localhost:0", "example.com:0"} {
		_, err := service.Listen(service.Config{Addr: addr})
		require.ErrorIs(t, err, service.ErrNotLoopback, addr)
	}
	srv, err := service.Listen(service.Config{Addr: "127.0.0.1:0"})
	require.NoError(t, err)
	require.True(t, strings.HasPrefix(srv.Addr(), "127.0.0.1:"))
	require.NoError(t, srv.Close())
}

func TestWrongTokenRefused(t *testing.T) {
	srv, logs := start(t)
	for _, tc := range []struct{ token, log string }{{"wrong", "refused: wrong token"}, {"", "refused: no token"}} {
		_, err := wire.Dial(srv.Addr(), tc.token, wire.RoleCOM)
		require.Error(t, err)
		require.Equal(t, vss.E_ACCESSDENIED, vss.Code(err), "%v", err)
		require.Eventually(t, func() bool { return strings.Contains(logs.String(), tc.log) }, 5*time.Second, time.Millisecond)
	}
	// The right token still works.
	c := dial(t, srv, wire.RoleCOM)
	_, err := c.Create()
	require.NoError(t, err)
}

func TestWrongVersionRefused(t *testing.T) {
	srv, _ := start(t)
	nc, err := net.Dial("tcp", srv.Addr())
	require.NoError(t, err)
	defer nc.Close()
	require.NoError(t, wire.WriteMessage(nc, wire.Hello{Version: 99, Role: wire.RoleCOM, Token: srv.Token()}.Encode()))
	reply, err := wire.ReadMessage(nc)
	require.NoError(t, err)
	d := wire.Decoder{B: reply}
	require.Equal(t, vss.VSS_E_UNEXPECTED, vss.HRESULT(d.U32()))
	require.Contains(t, d.Text(), "protocol version 99")
}

// A malformed request gets RPC_X_BAD_STUB_DATA and a log line; the
// connection stays usable; an oversized frame ends the connection only.
func TestMalformedMessages(t *testing.T) {
	srv, logs := start(t)
	c := dial(t, srv, wire.RoleCOM)
	h, err := c.Create()
	require.NoError(t, err)
	for _, msg := range [][]byte{
		{},
		{99},
		{wire.MsgCall, 1, 0, 0, 0, byte(bc), 200},                // no such slot
		{wire.MsgCall, 1, 0, 0, 0, byte(bc), 5, 1, 0, 0},         // InitializeForBackup: truncated string length
		{wire.MsgCall, 1, 0, 0, 0, byte(bc), 5, 9, 0, 0, 0, 'x'}, // string longer than the message
		{wire.MsgCall, 7, 0, 0, 0, byte(bc), 15},                 // AbortBackup on an object this session does not hold
		{wire.MsgCall, 1, 0, 0, 0, byte(bc), 0},                  // QueryInterface is the DLL's
		{wire.MsgControl, 0, 0, 0, 0},                            // control on a COM connection
	} {
		_, err := c.Roundtrip(msg)
		require.Equal(t, wire.BadMessage, vss.Code(err), "%v: %v", msg, err)
	}
	require.Contains(t, logs.String(), "malformed message")
	call(t, c, h, "InitializeForBackup", "")

	c2 := dial(t, srv, wire.RoleCOM)
	h2, err := c2.Create()
	require.NoError(t, err)
	call(t, c2, h2, "InitializeForBackup", "")
	_, err = c2.Roundtrip(bytes.Repeat([]byte{0xff}, 10)) // fine framing, garbage body
	require.Error(t, err)
	nc, err := net.Dial("tcp", srv.Addr())
	require.NoError(t, err)
	_, err = nc.Write([]byte{0xff, 0xff, 0xff, 0x7f}) // a 2 GiB hello
	require.NoError(t, err)
	_, err = wire.ReadMessage(nc)
	require.Error(t, err, "the server must close the connection")
	nc.Close()
	call(t, c, h, "SetBackupState", true, false, vss.VSS_BT_FULL, false) // others unaffected
}

// Unmodelled slots return E_NOTIMPL and the server logs their name.
func TestNotModelledSlot(t *testing.T) {
	srv, logs := start(t)
	c := dial(t, srv, wire.RoleCOM)
	h, err := c.Create()
	require.NoError(t, err)
	_, err = c.Call(h, comtable.Component, "SetBackupMetadata")
	require.Equal(t, vss.E_NOTIMPL, vss.Code(err))
	require.Contains(t, logs.String(), "IVssComponent::SetBackupMetadata (slot 9) is not modelled")
}

// The management and Ex–Ex4 calls travel: their inputs reach the
// simulator and their VSS_PWSZ outputs come back, NULL when the call
// fails (nothing for the caller to CoTaskMemFree).
func TestManagementCallsThroughTheServer(t *testing.T) {
	srv, logs := start(t, "volume C:\\")
	c := dial(t, srv, wire.RoleCOM)
	h, err := c.Create()
	require.NoError(t, err)
	call(t, c, h, "InitializeForBackup", "")
	sid := call(t, c, h, "GetSessionId")[0].(vss.ID)
	require.False(t, sid.IsNull())
	require.Equal(t, sid, call(t, c, h, "GetSessionId")[0].(vss.ID), "the same session id on every call")
	paths := call(t, c, h, "GetRootAndLogicalPrefixPaths", `C:\dir\f.txt`, false)
	require.Equal(t, `C:\`, paths[0])
	require.True(t, strings.HasPrefix(paths[1].(string), `\\?\Volume{`), "%q", paths[1])
	require.Equal(t, wire.Outputs{`\\fs1.vsssim.test\share\`, `\\fs1\share\`},
		call(t, c, h, "GetRootAndLogicalPrefixPaths", `\\fs1\share\x`, true))
	call(t, c, h, "SetContext", vss.VSS_CTX_APP_ROLLBACK|vss.SnapshotContext(vss.VSS_VOLSNAP_ATTR_NO_WRITERS))
	call(t, c, h, "StartSnapshotSet")
	snap := call(t, c, h, "AddToSnapshotSet", `C:\`, vss.GUID_NULL)[0].(vss.ID)
	require.Equal(t, vss.VSS_S_ASYNC_FINISHED, waitAsync(t, c, call(t, c, h, "DoSnapshotSet")[0].(uint32)))

	// A failed ExposeSnapshot writes a NULL *pwszExposed.
	for _, expose := range []string{`X:\`, ""} {
		msg, _, err := wire.CallMessage(h, bc, "ExposeSnapshot", snap, "", vss.VSS_VOLSNAP_ATTR_EXPOSED_LOCALLY, expose)
		require.NoError(t, err)
		d, err := c.Roundtrip(msg)
		require.Equal(t, vss.E_INVALIDARG, vss.Code(err), "%q", expose)
		_, null := d.WStr()
		require.True(t, null, "*pwszExposed of a failed call")
		require.NoError(t, d.End())
	}
	require.Equal(t, wire.Outputs{"X:"}, call(t, c, h, "ExposeSnapshot", snap, "", vss.VSS_VOLSNAP_ATTR_EXPOSED_LOCALLY, "X:"))
	out, err := c.Call(h, bc, "GetSnapshotProperties", snap)
	require.NoError(t, err)
	require.Equal(t, "X:", out[0].(vss.SnapshotProp).ExposedName)
	call(t, c, h, "UnexposeSnapshot", snap)
	_, err = c.Call(h, bc, "UnexposeSnapshot", snap)
	require.Error(t, err, "a second UnexposeSnapshot: the shadow copy is no longer exposed")
	_, err = c.Call(h, bc, "PreFastRecovery", snap, uint32(0))
	require.Equal(t, vss.E_NOTIMPL, vss.Code(err), "PreFastRecovery is reserved")
	require.NotContains(t, logs.String(), "is not modelled")
}

// Two clients race for the system-wide creation slot: exactly one gets
// it, the other VSS_E_SNAPSHOT_SET_IN_PROGRESS, as two processes would.
func TestTwoClientsRaceForCreationSlot(t *testing.T) {
	for range 20 {
		srv, _ := start(t, "writer App", "volume C:\\")
		var wg sync.WaitGroup
		errs := make([]error, 2)
		conns := make([]*wire.Conn, 2)
		for i := range 2 {
			conns[i] = dial(t, srv, wire.RoleCOM)
			h, err := conns[i].Create()
			require.NoError(t, err)
			backupUntil(t, conns[i], h, "GatherWriterMetadata")
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, errs[i] = conns[i].Call(h, bc, "StartSnapshotSet")
			}()
		}
		wg.Wait()
		codes := []vss.HRESULT{vss.Code(errs[0]), vss.Code(errs[1])}
		require.ElementsMatch(t, []vss.HRESULT{vss.S_OK, vss.VSS_E_SNAPSHOT_SET_IN_PROGRESS}, codes)
		// The winner disconnects: the slot is free for the other.
		winner := 0
		if codes[1] == vss.S_OK {
			winner = 1
		}
		conns[winner].Close()
		require.Eventually(t, func() bool { return srv.Sessions() == 1 }, 5*time.Second, time.Millisecond)
		_, err := conns[1-winner].Call(1, bc, "StartSnapshotSet")
		require.NoError(t, err, "the slot is free once the winner's process is gone")
	}
}

// A client that disconnects in the middle of a backup is aborted as VSS
// aborts a dead requestor: Abort, then BackupShutdown; the creation slot
// is freed and auto-release shadow copies are deleted.
func TestDisconnectAbortsLikeADeadProcess(t *testing.T) {
	for _, last := range []string{"PrepareForBackup", "DoSnapshotSet"} {
		t.Run(last, func(t *testing.T) {
			srv, _ := start(t, "writer App", "volume C:\\")
			c := dial(t, srv, wire.RoleCOM)
			h, err := c.Create()
			require.NoError(t, err)
			backupUntil(t, c, h, last)
			coord, err := srv.Coordinator()
			require.NoError(t, err)
			c.Close()
			idle(t, srv, 0)
			require.Empty(t, coord.ShadowCopies(), "auto-release shadow copies are deleted")
			tr := coord.Trace().String()
			require.Contains(t, tr, "the requestor process ended without releasing the object")
			shutdown := strings.Index(tr, "event  BackupShutdown -> App")
			require.Positive(t, shutdown, "BackupShutdown:\n%s", tr)
			if last == "PrepareForBackup" {
				abort := strings.Index(tr, "event  Abort -> App")
				require.True(t, abort > 0 && shutdown > abort, "Abort, then BackupShutdown:\n%s", tr)
			}
		})
	}
}

// The model test: random call sequences, cut at a random point; the
// coordinator must be clean afterwards and no goroutine left behind.
func TestRandomDisconnectLeavesCoordinatorClean(t *testing.T) {
	srv, _ := start(t, "writer App", "writer Db level=back-end", "volume C:\\", "volume D:\\")
	before := runtime.NumGoroutine()
	methods := []struct {
		name string
		ins  []any
	}{
		{"InitializeForBackup", []any{""}},
		{"SetContext", []any{vss.VSS_CTX_BACKUP}},
		{"SetBackupState", []any{false, false, vss.VSS_BT_FULL, false}},
		{"GatherWriterMetadata", nil},
		{"GetWriterMetadataCount", nil},
		{"StartSnapshotSet", nil},
		{"AddToSnapshotSet", []any{`C:\`, vss.GUID_NULL}},
		{"AddToSnapshotSet", []any{`D:\`, vss.GUID_NULL}},
		{"PrepareForBackup", nil},
		{"DoSnapshotSet", nil},
		{"GatherWriterStatus", nil},
		{"BackupComplete", nil},
		{"AbortBackup", nil},
		{"FreeWriterMetadata", nil},
	}
	rng := rand.New(rand.NewPCG(11, uint64(time.Now().UnixNano())))
	for round := range 200 {
		c, err := wire.Dial(srv.Addr(), srv.Token(), wire.RoleCOM)
		require.NoError(t, err)
		var handles []uint32
		for range 1 + rng.IntN(3) {
			h, err := c.Create()
			require.NoError(t, err)
			handles = append(handles, h)
		}
		var asyncs []uint32
		for range rng.IntN(30) {
			h := handles[rng.IntN(len(handles))]
			switch k := rng.IntN(10); {
			case k < 7:
				m := methods[rng.IntN(len(methods))]
				out, err := c.Call(h, bc, m.name, m.ins...)
				if err == nil && len(out) == 1 {
					if a, ok := out[0].(uint32); ok && strings.Contains(m.name, "Gather") || strings.Contains(m.name, "Snapshot") || strings.Contains(m.name, "Prepare") || strings.Contains(m.name, "Complete") {
						asyncs = append(asyncs, a)
					}
				}
			case k < 9 && len(asyncs) > 0:
				a := asyncs[rng.IntN(len(asyncs))]
				name := []string{"Wait", "QueryStatus", "Cancel"}[rng.IntN(3)]
				ins := []any{}
				if name == "Wait" {
					ins = append(ins, uint32(rng.IntN(2000)))
				}
				_, _ = c.Call(a, comtable.Async, name, ins...)
			default:
				if rng.IntN(2) == 0 {
					_ = c.Release(h)
				}
			}
		}
		c.Close()
		idle(t, srv, 0)
		if round%50 == 0 {
			t.Logf("round %d ok", round)
		}
	}
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	require.LessOrEqual(t, runtime.NumGoroutine(), before, "goroutines left behind")
}

func TestControl(t *testing.T) {
	srv, _ := start(t)
	ctl := dial(t, srv, wire.RoleControl)
	_, err := ctl.Control("reset")
	require.NoError(t, err)
	_, err = ctl.Control("world writer App")
	require.NoError(t, err)
	_, err = ctl.Control("world volume C:\\")
	require.NoError(t, err)
	ids, err := ctl.Control("writer App")
	require.NoError(t, err)
	require.Len(t, strings.Fields(ids), 2)
	_, err = ctl.Control("world call InitializeForBackup")
	require.ErrorContains(t, err, "not a world command")
	_, err = ctl.Control("bogus")
	require.ErrorContains(t, err, "unknown control command")

	c := dial(t, srv, wire.RoleCOM)
	h, err := c.Create()
	require.NoError(t, err)
	_, err = c.Call(h, bc, "GatherWriterMetadata")
	require.Equal(t, vss.VSS_E_BAD_STATE, vss.Code(err))
	rule, err := ctl.Control("rule")
	require.NoError(t, err)
	require.Equal(t, "§2.3#1", rule)
	tr, err := ctl.Control("trace")
	require.NoError(t, err)
	require.Contains(t, tr, "GatherWriterMetadata")
	st, err := ctl.Control("status")
	require.NoError(t, err)
	require.Contains(t, st, "#1:")
	_, err = c.Call(h, bc, "InitializeForBackup", "")
	require.NoError(t, err)
	rule, err = ctl.Control("rule")
	require.NoError(t, err)
	require.Empty(t, rule)
	// Control verbs on a COM connection and COM calls on a control one are refused.
	_, err = ctl.Create()
	require.Equal(t, wire.BadMessage, vss.Code(err))
}

// FuzzServerDecoder feeds arbitrary requests (after a valid hello) to a
// session holding one object on a fresh world: every one gets a
// well-formed reply or the connection is closed; the server never panics
// or wedges. One connection serves many inputs (dialling one per input
// would exhaust the loopback ports).
func FuzzServerDecoder(f *testing.F) {
	srv, _ := start(f, "writer App", "volume C:\\")
	ctl := dial(f, srv, wire.RoleControl)
	var c *wire.Conn
	n := 0
	f.Add([]byte{wire.MsgCreate})
	f.Add([]byte{wire.MsgCall, 1, 0, 0, 0, byte(bc), 5, 0xff, 0xff, 0xff, 0xff})
	f.Add([]byte{wire.MsgCall, 1, 0, 0, 0, byte(bc), 9})
	f.Add([]byte{wire.MsgCall, 2, 0, 0, 0, byte(comtable.Async), 4, 0xff, 0xff, 0xff, 0xff})
	f.Add([]byte{wire.MsgRelease, 1, 0, 0, 0})
	var x wire.Encoder
	x.U8(wire.MsgCreateExamine)
	x.WStr(`<WRITER_METADATA><IDENTIFICATION writerId="a65faa63-5ea8-4ebc-9dbd-a0c4db26912a" instanceId="a65faa63-5ea8-4ebc-9dbd-a0c4db26912b" friendlyName="W" usage="USER_DATA" dataSource="OTHER"/></WRITER_METADATA>`)
	f.Add(x.B)
	// CreateVssExamineWriterMetadata, then GetComponent(0) on handle 2.
	f.Add(append(append([]byte(nil), x.B...), 0x00, 0xfe, wire.MsgCall, 2, 0, 0, 0, byte(comtable.ExamineWriterMetadata), 7, 0, 0, 0, 0))
	f.Add([]byte{wire.MsgCall, 1, 0, 0, 0, byte(bc), 45, 2, 0, 0, 0, 1, 2, 3})
	for _, m := range comtable.Methods {
		f.Add([]byte{wire.MsgCall, 1, 0, 0, 0, byte(m.Iface), byte(m.Slot), 1, 0, 0, 0, 'C', 0})
	}
	f.Fuzz(func(t *testing.T, msg []byte) {
		if c == nil {
			var err error
			c, err = wire.Dial(srv.Addr(), srv.Token(), wire.RoleCOM)
			require.NoError(t, err)
		}
		_, err := ctl.Control("reset")
		require.NoError(t, err)
		h, err := c.Create()
		require.NoError(t, err)
		// The body may be split into several requests at 0x00 0xFE markers;
		// handle 1 in a request means this input's object.
		for _, part := range bytes.Split(msg, []byte{0x00, 0xfe}) {
			if len(part) >= 5 && part[0] == wire.MsgCall && part[1] == 1 && part[2] == 0 && part[3] == 0 && part[4] == 0 {
				part = append([]byte{part[0], byte(h), byte(h >> 8), byte(h >> 16), byte(h >> 24)}, part[5:]...)
			}
			d, err := c.Roundtrip(part)
			if d == nil {
				require.Error(t, err)
				c.Close()
				c = nil
				return
			}
			require.True(t, d.Err() == nil, "reply must be well formed: %v", d.Err())
		}
		_ = c.Release(h)
		// A new connection now and then: the session's leftovers (async
		// handles, old worlds) go with the old one.
		if n++; n%500 == 0 {
			c.Close()
			c = nil
		}
	})
}

// The protocol's own decoder on arbitrary bytes.
func FuzzHelloDecoder(f *testing.F) {
	f.Add(wire.Hello{Version: 1, Role: 1, Token: "t"}.Encode())
	f.Fuzz(func(t *testing.T, msg []byte) {
		h, err := wire.DecodeHello(msg)
		if err == nil {
			require.Equal(t, msg, h.Encode(), "a decoded hello encodes back to itself")
		}
	})
}

func ExampleListen() {
	srv, err := service.Listen(service.Config{Addr: "127.0.0.1:0", Token: "secret"})
	if err != nil {
		fmt.Println(err)
		return
	}
	go srv.Serve()
	defer srv.Close()
	c, err := wire.Dial(srv.Addr(), "secret", wire.RoleCOM)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer c.Close()
	h, _ := c.Create()
	_, err = c.Call(h, comtable.BackupComponents, "InitializeForBackup", "")
	fmt.Println(vss.Code(err).String())
	// Output: S_OK
}

// GetWriterMetadataEx reaches the simulator's GetWriterMetadataEx (a fault
// injected into it answers), not GetWriterMetadata.
func TestGetWriterMetadataExIsItsOwnCall(t *testing.T) {
	srv, _ := start(t, "writer App", "inject GetWriterMetadataEx E_OUTOFMEMORY times=1")
	c := dial(t, srv, wire.RoleCOM)
	h, err := c.Create()
	require.NoError(t, err)
	backupUntil(t, c, h, "GatherWriterMetadata")
	call(t, c, h, "GetWriterMetadata", uint32(0))
	_, err = c.Call(h, bc, "GetWriterMetadataEx", uint32(0))
	require.Equal(t, vss.E_OUTOFMEMORY, vss.Code(err))
	call(t, c, h, "GetWriterMetadataEx", uint32(0))
}
