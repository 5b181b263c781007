package service_test

import (
	"os"
	"path/filepath"
	"runtime"
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

// linuxServer skips a test of the frozen copies on Windows: they are made
// by a vsssim serve on Linux for its Wine clients (under Wine 8.0 Go cannot
// even remove a file, and Windows needs a privilege for symbolic links).
func linuxServer(t *testing.T) {
	t.Helper()
	if runtime.GOOS == "windows" {
		t.Skip("frozen copies are made by vsssim serve on Linux, for Wine clients")
	}
}

// volumeRoot makes a directory with a file, a subdirectory and a link.
func volumeRoot(t *testing.T) string {
	t.Helper()
	linuxServer(t)
	root := t.TempDir()
	require.NoError(t, os.MkdirAll(filepath.Join(root, "data", "sub"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(root, "data", "a.txt"), []byte("at the freeze"), 0o640))
	require.NoError(t, os.WriteFile(filepath.Join(root, "data", "sub", "b.txt"), []byte("kept"), 0o644))
	require.NoError(t, os.Symlink("a.txt", filepath.Join(root, "data", "link")))
	old := time.Date(2020, 1, 2, 3, 4, 5, 0, time.UTC)
	require.NoError(t, os.Chtimes(filepath.Join(root, "data", "a.txt"), old, old))
	return root
}

// startShadows runs a server whose world has D:\ with root and a writer;
// onCommit is its commit hook.
func startShadows(t *testing.T, root string, onCommit func(service.ShadowCopy)) (*service.Server, string) {
	t.Helper()
	dir := t.TempDir()
	srv, _ := startConfig(t, service.Config{ShadowDir: dir, OnCommit: onCommit}, `volume D:\ root=`+root, "writer App")
	return srv, dir
}

// snapshotD takes a shadow copy of D:\ on a new object and returns the
// object, the snapshot id and its properties.
func snapshotD(t *testing.T, c *wire.Conn) (uint32, vss.ID, vss.SnapshotProp) {
	t.Helper()
	h, err := c.Create()
	require.NoError(t, err)
	call(t, c, h, "InitializeForBackup", "")
	call(t, c, h, "SetBackupState", false, false, vss.VSS_BT_COPY, false)
	require.Equal(t, vss.VSS_S_ASYNC_FINISHED, waitAsync(t, c, call(t, c, h, "GatherWriterMetadata")[0].(uint32)))
	call(t, c, h, "StartSnapshotSet")
	id := call(t, c, h, "AddToSnapshotSet", `D:\`, vss.GUID_NULL)[0].(vss.ID)
	require.Equal(t, vss.VSS_S_ASYNC_FINISHED, waitAsync(t, c, call(t, c, h, "PrepareForBackup")[0].(uint32)))
	require.Equal(t, vss.VSS_S_ASYNC_FINISHED, waitAsync(t, c, call(t, c, h, "DoSnapshotSet")[0].(uint32)))
	p := call(t, c, h, "GetSnapshotProperties", id)[0].(vss.SnapshotProp)
	return h, id, p
}

func TestShadowCopyFrozenAtCommit(t *testing.T) {
	root := volumeRoot(t)
	var hooked []service.ShadowCopy
	srv, dir := startShadows(t, root, func(sc service.ShadowCopy) {
		hooked = append(hooked, sc)
		// A write after the commit instant: the shadow copy must not see it.
		require.NoError(t, os.WriteFile(filepath.Join(sc.Root, "data", "a.txt"), []byte("changed after"), 0o640))
		require.NoError(t, os.WriteFile(filepath.Join(sc.Root, "data", "new.txt"), []byte("new"), 0o640))
	})
	c := dial(t, srv, wire.RoleCOM)
	h, id, p := snapshotD(t, c)

	require.Len(t, hooked, 1)
	frozen := filepath.Join(dir, id.String())
	require.Equal(t, service.ShadowCopy{SnapshotID: id.String(), Volume: `D:\`, Root: root, Dir: frozen,
		DeviceObject: service.WinePath(frozen)}, hooked[0])
	require.Equal(t, service.WinePath(frozen), p.SnapshotDeviceObject, "the device object opens the frozen copy")

	got, err := os.ReadFile(filepath.Join(frozen, "data", "a.txt"))
	require.NoError(t, err)
	require.Equal(t, "at the freeze", string(got))
	live, err := os.ReadFile(filepath.Join(root, "data", "a.txt"))
	require.NoError(t, err)
	require.Equal(t, "changed after", string(live))
	require.NoFileExists(t, filepath.Join(frozen, "data", "new.txt"))
	got, err = os.ReadFile(filepath.Join(frozen, "data", "sub", "b.txt"))
	require.NoError(t, err)
	require.Equal(t, "kept", string(got))
	target, err := os.Readlink(filepath.Join(frozen, "data", "link"))
	require.NoError(t, err)
	require.Equal(t, "a.txt", target)
	st, err := os.Stat(filepath.Join(frozen, "data", "a.txt"))
	require.NoError(t, err)
	require.Equal(t, time.Date(2020, 1, 2, 3, 4, 5, 0, time.UTC), st.ModTime().UTC(), "modification time kept")
	require.Equal(t, os.FileMode(0o640), st.Mode().Perm())
	require.Len(t, srv.ShadowCopies(), 1)

	out := call(t, c, h, "DeleteSnapshots", id, vss.VSS_OBJECT_SNAPSHOT, uint32(1))
	require.Equal(t, uint32(1), out[0])
	require.NoDirExists(t, frozen, "DeleteSnapshots removes the frozen copy")
	require.Empty(t, srv.ShadowCopies())
	require.NoError(t, c.Release(h))
}

func TestShadowCopyRemovedWithItsShadowCopy(t *testing.T) {
	for _, tc := range []struct {
		name string
		end  func(t *testing.T, srv *service.Server, c *wire.Conn, h uint32)
	}{
		{"auto-release on Release", func(t *testing.T, srv *service.Server, c *wire.Conn, h uint32) {
			require.NoError(t, c.Release(h))
		}},
		{"client disconnects", func(t *testing.T, srv *service.Server, c *wire.Conn, h uint32) {
			require.NoError(t, c.Close())
			idle(t, srv, 0)
		}},
		{"control reset", func(t *testing.T, srv *service.Server, c *wire.Conn, h uint32) {
			ctl := dial(t, srv, wire.RoleControl)
			_, err := ctl.Control("reset")
			require.NoError(t, err)
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv, dir := startShadows(t, volumeRoot(t), nil)
			c := dial(t, srv, wire.RoleCOM)
			h, id, _ := snapshotD(t, c)
			require.DirExists(t, filepath.Join(dir, id.String()))
			tc.end(t, srv, c, h)
			require.Eventually(t, func() bool { return len(srv.ShadowCopies()) == 0 }, 5*time.Second, time.Millisecond)
			require.NoDirExists(t, filepath.Join(dir, id.String()))
		})
	}
}

func TestShadowCopiesRemovedAtServerExit(t *testing.T) {
	root := volumeRoot(t)
	srv, err := service.Listen(service.Config{NewWorld: func(string) (service.World, error) {
		w := scenarios.NewWorld("world.txt")
		_, err := w.Exec(`volume D:\ root=` + root)
		return w, err
	}})
	require.NoError(t, err)
	done := make(chan error, 1)
	go func() { done <- srv.Serve() }()
	c, err := wire.Dial(srv.Addr(), srv.Token(), wire.RoleCOM)
	require.NoError(t, err)
	defer c.Close()
	_, _, p := snapshotD(t, c)
	copies := srv.ShadowCopies()
	require.Len(t, copies, 1)
	require.Equal(t, p.SnapshotDeviceObject, copies[0].DeviceObject)
	require.DirExists(t, copies[0].Dir)
	require.NoError(t, srv.Close())
	require.NoError(t, <-done)
	require.NoDirExists(t, copies[0].Dir)
	require.NoDirExists(t, filepath.Dir(copies[0].Dir), "the server's own shadow directory is removed")
}

func TestVolumeRootMustBeADirectory(t *testing.T) {
	w := scenarios.NewWorld(filepath.Join(testenv.TempDir(t), "world.txt"))
	_, err := w.Exec(`volume D:\ root=missing`)
	require.ErrorContains(t, err, "root=")
	require.ErrorContains(t, err, "not a directory")
}

// fullBackup runs a backup of C:\ on a new object of c; read, if set, runs
// after GatherWriterMetadata.
func fullBackup(t *testing.T, c *wire.Conn, read func(h uint32)) {
	t.Helper()
	h, err := c.Create()
	require.NoError(t, err)
	backupUntil(t, c, h, "GatherWriterMetadata")
	if read != nil {
		read(h)
	}
	call(t, c, h, "FreeWriterMetadata")
	call(t, c, h, "StartSnapshotSet")
	call(t, c, h, "AddToSnapshotSet", `C:\`, vss.GUID_NULL)
	require.Equal(t, vss.VSS_S_ASYNC_FINISHED, waitAsync(t, c, call(t, c, h, "PrepareForBackup")[0].(uint32)))
	require.Equal(t, vss.VSS_S_ASYNC_FINISHED, waitAsync(t, c, call(t, c, h, "DoSnapshotSet")[0].(uint32)))
	require.Equal(t, vss.VSS_S_ASYNC_FINISHED, waitAsync(t, c, call(t, c, h, "GatherWriterStatus")[0].(uint32)))
	call(t, c, h, "FreeWriterStatus")
	require.Equal(t, vss.VSS_S_ASYNC_FINISHED, waitAsync(t, c, call(t, c, h, "BackupComplete")[0].(uint32)))
	require.NoError(t, c.Release(h))
}

// The findings of a session are decided when it ends, and the exclude
// lists a requestor reads through the server's IVssExamineWriterMetadata
// count as read (the reader is the simulator's own metadata object).
func TestFindingsPerSessionSeeExcludeReads(t *testing.T) {
	srv, logs := start(t, "writer Registry preset=registry.xml")
	ctl := dial(t, srv, wire.RoleControl)

	c1, err := wire.Dial(srv.Addr(), srv.Token(), wire.RoleCOM)
	require.NoError(t, err)
	fullBackup(t, c1, nil)
	require.NoError(t, c1.Close())
	idle(t, srv, 1)
	got, err := ctl.Control("findings")
	require.NoError(t, err)
	require.Contains(t, got, "#1 warning excludes-not-read: writer \"Registry\"")
	require.Contains(t, logs.String(), "finding: ")

	c2, err := wire.Dial(srv.Addr(), srv.Token(), wire.RoleCOM)
	require.NoError(t, err)
	fullBackup(t, c2, func(h uint32) {
		out := call(t, c2, h, "GetWriterMetadata", uint32(0))
		md := out[1].(uint32)
		require.NotZero(t, md)
		counts, err := c2.Call(md, comtable.ExamineWriterMetadata, "GetFileCounts")
		require.NoError(t, err)
		require.Positive(t, counts[1].(uint32), "the Registry preset declares excludes")
		for i := range counts[1].(uint32) {
			f, err := c2.Call(md, comtable.ExamineWriterMetadata, "GetExcludeFile", i)
			require.NoError(t, err)
			path, err := c2.Call(f[0].(uint32), comtable.WMFiledesc, "GetPath")
			require.NoError(t, err)
			require.NotEmpty(t, path[0])
			require.NoError(t, c2.Release(f[0].(uint32)))
		}
		_, err = c2.Call(md, comtable.ExamineWriterMetadata, "GetExcludeFile", counts[1].(uint32))
		require.Equal(t, vss.VSS_E_OBJECT_NOT_FOUND, vss.Code(err), "past the end")
		require.NoError(t, c2.Release(md))
	})
	require.NoError(t, c2.Close())
	idle(t, srv, 1)
	got, err = ctl.Control("findings")
	require.NoError(t, err)
	require.NotContains(t, got, "#2 warning excludes-not-read", "session 2 read the excludes:\n%s", got)
}

// CreateVssExamineWriterMetadata: a reader over XML, with its components,
// file descriptors and component info.
func TestCreateExamineWriterMetadata(t *testing.T) {
	srv, _ := start(t)
	c := dial(t, srv, wire.RoleCOM)
	xml, err := os.ReadFile("../testdata/writers/sqlserver.xml")
	require.NoError(t, err)
	md, err := vss.CreateVssExamineWriterMetadata(string(xml))
	require.NoError(t, err)

	h, err := c.CreateExamine(string(xml))
	require.NoError(t, err)
	id, err := c.Call(h, comtable.ExamineWriterMetadata, "GetIdentityEx")
	require.NoError(t, err)
	require.Equal(t, md.Identity.WriterID, id[1])
	require.Equal(t, md.Identity.Name, id[2])
	comp, err := c.Call(h, comtable.ExamineWriterMetadata, "GetComponent", uint32(0))
	require.NoError(t, err)
	info, err := c.Call(comp[0].(uint32), comtable.WMComponent, "GetComponentInfo")
	require.NoError(t, err)
	want, err := md.GetComponent(0)
	require.NoError(t, err)
	require.Equal(t, want.GetComponentInfo().Name, info[0].(vss.ComponentInfoCounts).Name)
	require.Equal(t, want.GetComponentInfo().FileCount, info[0].(vss.ComponentInfoCounts).FileCount)
	f, err := c.Call(comp[0].(uint32), comtable.WMComponent, "GetFile", uint32(0))
	require.NoError(t, err)
	spec, err := c.Call(f[0].(uint32), comtable.WMFiledesc, "GetFilespec")
	require.NoError(t, err)
	wf, _ := want.GetFile(0)
	require.Equal(t, wf.Filespec, spec[0])

	_, err = c.CreateExamine("<not a writer metadata document")
	require.Error(t, err)
	// An object of another interface is refused, not misread.
	_, err = c.Call(f[0].(uint32), comtable.WMComponent, "GetFile", uint32(0))
	require.Error(t, err)
}
