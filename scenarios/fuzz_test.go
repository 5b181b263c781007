package scenarios_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"

	"github.com/vsssim/vsssim/scenarios"
)

// seeds are the catalog files and the inputs that broke Parse or Format.
func seeds(f *testing.F) {
	f.Helper()
	files, err := filepath.Glob(filepath.Join(catalog, "*.txt"))
	require.NoError(f, err)
	for _, p := range files {
		data, err := os.ReadFile(p)
		require.NoError(f, err)
		f.Add(data)
	}
	for _, s := range []string{
		"new\ncall InitializeForBackup\ncall GatherWriterMetadata\n",
		"new\n----\n----\n\nx\n----\n----\nnow\n",
		"now\n----\n----\n----\nx\n----\n----\n",
		"now\n----\n----\na\n  \nb\n----\n----\n",
		"new\r\ncall InitializeForBackup\r\n----\r\nS_OK\r",
		"\xef\xbb\xbfnew\n",
		"writer A\nfault A Freeze latency=1h times=3\nnew\ncall InitializeForBackup\ncall GatherWriterMetadata\nwait\nadvance 87600h\nnow\n",
		"writer A preset=sqlserver\nnew\ncall InitializeForBackup\ncall SetBackupState\ncall GatherWriterMetadata\nwait\nselect-all\nstatus\ntrace all\n",
	} {
		f.Add([]byte(s))
	}
}

// directiveView is what a directive means, without where it is.
type directiveView struct {
	Cmd, Raw, Expected string
	Args               []scenarios.Arg
	HasExpected        bool
	Comments           []string // the non-blank ones
}

func view(f *scenarios.File) []directiveView {
	var out []directiveView
	for _, d := range f.Directives {
		v := directiveView{Cmd: d.Cmd, Raw: d.Raw, Expected: d.Expected, Args: d.Args, HasExpected: d.HasExpected}
		for _, c := range d.Comments {
			if strings.TrimSpace(c) != "" {
				v.Comments = append(v.Comments, c)
			}
		}
		if v.Cmd == "" && v.Comments == nil {
			continue // only blank lines
		}
		out = append(out, v)
	}
	return out
}

// FuzzParseFormat: Parse → Format → Parse gives the same directives, and
// Format is then a fixed point; with other outputs written in (as -rewrite
// does), the file reads back with those outputs unless CheckFormat refuses
// them.
func FuzzParseFormat(f *testing.F) {
	seeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		file, err := scenarios.Parse("fuzz.txt", data)
		if err != nil {
			return
		}
		text := file.Format(nil)
		back, err := scenarios.Parse("fuzz.txt", []byte(text))
		require.NoError(t, err, "formatted:\n%s", text)
		if d := cmp.Diff(view(file), view(back)); d != "" {
			t.Fatalf("directives changed (-parsed +formatted and parsed again):\n%s\nformatted:\n%s", d, text)
		}
		if again := back.Format(nil); again != text {
			t.Fatalf("Format is not a fixed point:\n%s", cmp.Diff(text, again))
		}

		// Rewrite with outputs taken from the other directives.
		var cmds []*scenarios.Directive
		for _, d := range file.Directives {
			if d.Cmd != "" {
				cmds = append(cmds, d)
			}
		}
		outputs := map[*scenarios.Directive]string{}
		for i, d := range cmds {
			outputs[d] = cmds[(i+1)%len(cmds)].Expected
		}
		if file.CheckFormat(outputs) != nil {
			return
		}
		text = file.Format(outputs)
		back, err = scenarios.Parse("fuzz.txt", []byte(text))
		require.NoError(t, err, "formatted:\n%s", text)
		var got []*scenarios.Directive
		for _, d := range back.Directives {
			if d.Cmd != "" {
				got = append(got, d)
			}
		}
		require.Len(t, got, len(cmds), "formatted:\n%s", text)
		for i, d := range cmds {
			require.Equal(t, d.Raw, got[i].Raw, "formatted:\n%s", text)
			require.Equal(t, outputs[d], got[i].Expected, "formatted:\n%s", text)
		}
	})
}

// FuzzRun: a scenario never panics or hangs the runner, and running it
// twice gives the same outputs and trace (determinism).
func FuzzRun(f *testing.F) {
	seeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 64<<10 {
			return // bigger files cost more, not differently
		}
		file, err := scenarios.Parse("fuzz.txt", data)
		if err != nil {
			return
		}
		res1, err1 := scenarios.RunOn(file, "sim")
		res2, err2 := scenarios.RunOn(file, "sim")
		if err1 != nil || err2 != nil {
			require.Equal(t, err1, err2)
			return
		}
		require.Equal(t, res1.Trace, res2.Trace)
		require.Equal(t, res1.Failures, res2.Failures)
		require.Equal(t, res1.Rewritten(), res2.Rewritten())
	})
}
