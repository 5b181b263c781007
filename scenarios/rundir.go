package scenarios

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/vsssim/vsssim"
)

// Catalog is the scenario catalog embedded in the module (its
// testdata/scenarios directory): the conformance scenarios vsssim coverage
// runs when given no directory. Run its files with RunFS.
func Catalog() fs.FS {
	sub, err := fs.Sub(vsssim.ScenarioCatalog, "testdata/scenarios")
	if err != nil {
		panic(err) // the embedded directory is part of the build
	}
	return sub
}

// RunFS parses and runs the scenario file name of fsys, like RunFile;
// preset=FILE next to the scenario is looked up in fsys.
func RunFS(fsys fs.FS, name string) (*Result, error) {
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		return nil, err
	}
	f, err := Parse(name, data)
	if err != nil {
		return nil, err
	}
	f.fsys = fsys
	return Run(f)
}

// Files lists the scenario files (*.txt) under dir, subdirectories
// included, sorted; ignored lists the other regular files found there.
func Files(dir string) (files, ignored []string, err error) {
	err = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			return nil
		}
		if strings.HasSuffix(p, ".txt") {
			files = append(files, p)
		} else {
			ignored = append(ignored, p)
		}
		return nil
	})
	sort.Strings(files)
	sort.Strings(ignored)
	return files, ignored, err
}

// Expectations counts the expectations of a parsed scenario (commands
// followed by "----"). A file with none checks nothing.
func Expectations(f *File) int {
	n := 0
	for _, d := range f.Directives {
		if d.Cmd != "" && d.HasExpected {
			n++
		}
	}
	return n
}

// BackendEnv checks VSSSIM_BACKEND and returns the backend it names:
// "sim" when it is unset or sim, "windows" for windows; any other value is
// an error (it must not silently mean the simulator).
func BackendEnv() (string, error) {
	switch v := os.Getenv("VSSSIM_BACKEND"); v {
	case "", "sim":
		return "sim", nil
	case "windows":
		return "windows", nil
	default:
		return "", fmt.Errorf("VSSSIM_BACKEND=%q: want sim (the default) or windows", v)
	}
}

// RunDir runs every scenario file under dir (subdirectories included) as a
// subtest of t, named by its path below dir: from a user's own go test,
//
//	func TestMyScenarios(t *testing.T) { scenarios.RunDir(t, "testdata/vss") }
//
// A file that does not parse or has no expectation fails, every
// expectation that does not hold is reported at file:line, and a file the
// backend cannot run (VSSSIM_BACKEND=windows with fake writers) is skipped
// with the reason. RunDir fails when dir holds no scenario file.
func RunDir(t *testing.T, dir string) {
	t.Helper()
	if _, err := BackendEnv(); err != nil {
		t.Fatalf("scenarios.RunDir: %v", err)
	}
	files, _, err := Files(dir)
	if err != nil {
		t.Fatalf("scenarios.RunDir: %v", err)
	}
	if len(files) == 0 {
		t.Fatalf("scenarios.RunDir: no *.txt scenario files under %s", dir)
	}
	for _, f := range files {
		rel, err := filepath.Rel(dir, f)
		if err != nil {
			rel = f
		}
		t.Run(strings.TrimSuffix(filepath.ToSlash(rel), ".txt"), func(t *testing.T) {
			if err := runOne(t, f); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func runOne(t *testing.T, path string) error {
	res, err := RunFile(path)
	if err != nil {
		return err
	}
	for _, fl := range res.Failures {
		t.Error(fl.String())
	}
	if Expectations(res.Parsed) == 0 {
		return fmt.Errorf("%s: no expectations: the file checks nothing (add ---- and the expected output after a command)", path)
	}
	if res.Skipped != "" && !t.Failed() {
		t.Skip(res.Skipped)
	}
	return nil
}
