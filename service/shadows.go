package service

import (
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/vsssim/vsssim/sim"
)

// ShadowCopy is a frozen copy of a volume's root directory, made at the
// commit instant of a shadow copy of a volume declared with root=DIR.
type ShadowCopy struct {
	// SnapshotID is the shadow copy's id (as GetSnapshotProperties shows).
	SnapshotID string
	// Volume is the original volume (C:\) and Root its directory.
	Volume, Root string
	// Dir is the frozen copy, in the server's shadow directory; the
	// shadow copy's device object (DeviceObject) opens it under Wine.
	Dir, DeviceObject string
}

// frozen are the frozen copies the server holds, by snapshot id.
type frozen struct {
	mu     sync.Mutex
	dir    string // the server's shadow directory
	owned  bool   // dir was made by the server (removed at Close)
	copies map[string]ShadowCopy
}

// WinePath is the path under which a Windows program under Wine opens the
// host path p: Wine maps drive Z: to the host's root by default, so
// /tmp/x is \\?\Z:\tmp\x.
func WinePath(p string) string {
	return `\\?\Z:` + strings.ReplaceAll(p, "/", `\`)
}

// commitHook is the coordinator's commit hook: a volume with a root gets a
// frozen copy of it, and the shadow copy's device object becomes the
// copy's Wine path. A copy that fails is logged and the device object
// stays the simulator's (a program opening it then fails, as it would on
// a shadow copy that cannot be read).
func (s *Server) commitHook(sc *sim.ShadowCommit) {
	if sc.Volume.Root == "" {
		return
	}
	f := &s.frozen
	f.mu.Lock()
	defer f.mu.Unlock()
	dir := filepath.Join(f.dir, sc.SnapshotID.String())
	if err := copyTree(sc.Volume.Root, dir); err != nil {
		s.log.Printf("shadow copy %v of %s: freezing %s: %v", sc.SnapshotID, sc.Volume.Name, sc.Volume.Root, err)
		_ = os.RemoveAll(dir)
		return
	}
	sc.DeviceObject = WinePath(dir)
	c := ShadowCopy{SnapshotID: sc.SnapshotID.String(), Volume: sc.Volume.Name, Root: sc.Volume.Root, Dir: dir, DeviceObject: sc.DeviceObject}
	f.copies[c.SnapshotID] = c
	s.log.Printf("shadow copy %v of %s: %s frozen in %s", sc.SnapshotID, sc.Volume.Name, sc.Volume.Root, dir)
	if s.cfg.OnCommit != nil {
		s.cfg.OnCommit(c)
	}
}

// sweepShadows removes the frozen copies of shadow copies that no longer
// exist (DeleteSnapshots, the Release of an auto-release set, a client
// that disconnected, a reset world).
func (s *Server) sweepShadows() {
	f := &s.frozen
	f.mu.Lock()
	n := len(f.copies)
	f.mu.Unlock()
	if n == 0 {
		return
	}
	live := map[string]bool{}
	if c, err := s.Coordinator(); err == nil {
		for _, p := range c.ShadowCopies() {
			live[p.SnapshotID.String()] = true
		}
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	for id, c := range f.copies {
		if live[id] {
			continue
		}
		if err := os.RemoveAll(c.Dir); err != nil {
			s.log.Printf("shadow copy %s: removing %s: %v", id, c.Dir, err)
		} else {
			s.log.Printf("shadow copy %s of %s deleted: %s removed", id, c.Volume, c.Dir)
		}
		delete(f.copies, id)
	}
}

// ShadowCopies lists the frozen copies that exist now.
func (s *Server) ShadowCopies() []ShadowCopy {
	f := &s.frozen
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make([]ShadowCopy, 0, len(f.copies))
	for _, c := range f.copies {
		out = append(out, c)
	}
	return out
}

// closeShadows removes every frozen copy (the server exits: shadow copies
// of a simulated machine do not outlive its service).
func (s *Server) closeShadows() {
	f := &s.frozen
	f.mu.Lock()
	defer f.mu.Unlock()
	for id, c := range f.copies {
		_ = os.RemoveAll(c.Dir)
		delete(f.copies, id)
	}
	if f.owned && f.dir != "" {
		_ = os.RemoveAll(f.dir)
	}
}

// copyTree copies the directory src to dst (which must not exist): regular
// files with their content, mode and modification time, directories,
// symbolic links as links. Other files (devices, sockets) are skipped.
func copyTree(src, dst string) error {
	st, err := os.Stat(src)
	if err != nil {
		return err
	}
	if !st.IsDir() {
		return fmt.Errorf("%s is not a directory", src)
	}
	type dirTime struct {
		path string
		info fs.FileInfo
	}
	var dirs []dirTime
	err = filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, p)
		if err != nil {
			return err
		}
		to := filepath.Join(dst, rel)
		info, err := d.Info()
		if err != nil {
			return err
		}
		switch {
		case d.IsDir():
			if err := os.Mkdir(to, info.Mode().Perm()|0o700); err != nil {
				return err
			}
			dirs = append(dirs, dirTime{to, info})
		case d.Type()&fs.ModeSymlink != 0:
			target, err := os.Readlink(p)
			if err != nil {
				return err
			}
			return os.Symlink(target, to)
		case d.Type().IsRegular():
			return copyFile(p, to, info)
		}
		return nil
	})
	if err != nil {
		return err
	}
	// Directory times last: creating their entries changed them.
	for i := len(dirs) - 1; i >= 0; i-- {
		_ = os.Chtimes(dirs[i].path, dirs[i].info.ModTime(), dirs[i].info.ModTime())
	}
	return nil
}

func copyFile(src, dst string, info fs.FileInfo) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, info.Mode().Perm()|0o200)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	if err := out.Close(); err != nil {
		return err
	}
	if err := os.Chmod(dst, info.Mode().Perm()); err != nil {
		return err
	}
	return os.Chtimes(dst, info.ModTime(), info.ModTime())
}
