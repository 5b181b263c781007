package scenarios_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"

	"github.com/vsssim/vsssim/internal/testenv"
	"github.com/vsssim/vsssim/scenarios"
)

// runText parses and runs a scenario given as text.
func runText(t testing.TB, text string) (*scenarios.Result, error) {
	t.Helper()
	f, err := scenarios.Parse("test.txt", []byte(text))
	if err != nil {
		return nil, err
	}
	return scenarios.RunOn(f, "sim")
}

// writeFile writes a scenario file into a fresh directory.
func writeFile(t testing.TB, data []byte) string {
	t.Helper()
	path := filepath.Join(testenv.TempDir(t), "s.txt")
	require.NoError(t, os.WriteFile(path, data, 0o600))
	return path
}

// Commands not separated by blank lines used to be swallowed into the
// expectation written for the command before them.
func TestRewriteSeparatesCommands(t *testing.T) {
	path := writeFile(t, []byte("new\ncall InitializeForBackup\ncall GatherWriterMetadata\n# done\n"))
	res, err := scenarios.RunFile(path)
	require.NoError(t, err)
	require.Len(t, res.Failures, 2) // no expectations yet
	require.NoError(t, res.Rewrite(path))

	got, err := os.ReadFile(path)
	require.NoError(t, err)
	want := "new\ncall InitializeForBackup\n----\nS_OK\n\ncall GatherWriterMetadata\n----\nS_OK\n\n# done\n"
	if d := cmp.Diff(want, string(got)); d != "" {
		t.Errorf("rewritten file (-want +got):\n%s", d)
	}
	res, err = scenarios.RunFile(path)
	require.NoError(t, err)
	require.True(t, res.OK(), "%v", res.Failures)
	require.Equal(t, 2, res.Checked)

	st, err := os.Stat(path)
	require.NoError(t, err)
	if runtime.GOOS != "windows" { // Windows has no such permission bits
		require.Equal(t, os.FileMode(0o600), st.Mode().Perm(), "rewrite keeps the file's mode")
	}
}

// Every output the runner can print is written back so that it reads back
// unchanged: leading blank lines, leading "----" lines, whitespace-only
// lines, an empty output.
func TestFormatRoundTripsOutputs(t *testing.T) {
	outputs := []string{
		"S_OK",
		"",
		"\nafter a blank line",
		"----\nafter a dashes line",
		"a\n  \nb",
		"a\n\t\nb",
		"a\n\nb",
		"ends with a newline\n",
		"a\n----\nb",
		"  ----  \nx",
		"# not a comment",
	}
	for _, out := range outputs {
		f, err := scenarios.Parse("t.txt", []byte("new\nnow\nnow\n"))
		require.NoError(t, err)
		set := map[*scenarios.Directive]string{f.Directives[1]: out}
		require.NoError(t, f.CheckFormat(set), "%q", out)
		text := f.Format(set)
		back, err := scenarios.Parse("t.txt", []byte(text))
		require.NoError(t, err, "%q formatted as:\n%s", out, text)
		require.Len(t, back.Directives, 3, "%q formatted as:\n%s", out, text)
		require.Equal(t, out, back.Directives[1].Expected, "formatted as:\n%s", text)
		require.True(t, back.Directives[1].HasExpected || out == "")
		require.Equal(t, "now", back.Directives[2].Raw)
		require.False(t, back.Directives[2].HasExpected)
	}
}

// Outputs that no form of the file can hold are reported, and Rewrite then
// leaves the file alone.
func TestCheckFormatRefusesUnrepresentableOutputs(t *testing.T) {
	for _, out := range []string{"a\r", "----", "a\n\nb\n----", "\n----\n----\nb"} {
		f, err := scenarios.Parse("t.txt", []byte("new\n"))
		require.NoError(t, err)
		require.Error(t, f.CheckFormat(map[*scenarios.Directive]string{f.Directives[0]: out}), "%q", out)
	}
}

func TestCRLFAndTrailingCR(t *testing.T) {
	src := "new\r\ncall InitializeForBackup\r\n----\r\nS_OK\r"
	f, err := scenarios.Parse("t.txt", []byte(src))
	require.NoError(t, err)
	require.True(t, f.CRLF)
	require.Equal(t, "S_OK", f.Directives[1].Expected)
	res, err := scenarios.RunOn(f, "sim")
	require.NoError(t, err)
	require.True(t, res.OK(), "%v", res.Failures)
	require.Equal(t, "new\r\ncall InitializeForBackup\r\n----\r\nS_OK\r\n", res.Rewritten())

	_, err = scenarios.Parse("t.txt", []byte("new\rcall InitializeForBackup\n"))
	require.ErrorContains(t, err, "t.txt:1: a carriage return inside a line")
}

func utf16Bytes(s string, bigEndian, bom bool) []byte {
	var b bytes.Buffer
	units := utf16.Encode([]rune(s))
	if bom {
		units = append([]uint16{0xFEFF}, units...)
	}
	for _, u := range units {
		if bigEndian {
			b.Write([]byte{byte(u >> 8), byte(u)})
		} else {
			b.Write([]byte{byte(u), byte(u >> 8)})
		}
	}
	return b.Bytes()
}

func TestEncodings(t *testing.T) {
	const src = "\n# é\nnew\ncall InitializeForBackup\n----\nS_OK\n"
	for name, data := range map[string][]byte{
		"utf8-bom":         append([]byte{0xEF, 0xBB, 0xBF}, src...),
		"utf16le-bom":      utf16Bytes(src, false, true),
		"utf16be-bom":      utf16Bytes(src, true, true),
		"utf16le-no-bom":   utf16Bytes(src, false, false),
		"utf16be-no-bom":   utf16Bytes(src, true, false),
		"utf16le-bom-crlf": utf16Bytes(strings.ReplaceAll(src, "\n", "\r\n"), false, true),
	} {
		t.Run(name, func(t *testing.T) {
			res, err := scenarios.RunFile(writeFile(t, data))
			require.NoError(t, err)
			require.True(t, res.OK(), "%v", res.Failures)
			require.Equal(t, 1, res.Checked)
		})
	}
}

func TestBinaryIsRefusedNotEchoed(t *testing.T) {
	for name, tc := range map[string]struct {
		data []byte
		want string
	}{
		"all bytes":        {bytes.Repeat([]byte{0x01, 0x02, 0xFF, 'x'}, 100), "test.txt:1: control character U+0001"},
		"nul in line 3":    {[]byte("new\nnow\nno\x00w\n"), "test.txt:3: control character U+0000"},
		"invalid utf-8":    {[]byte("new\n\xC3\x28\n"), "test.txt:2: byte 0xC3 is not UTF-8 text"},
		"lone surrogate":   {utf16Bytes("new\n", false, true), ""},
		"escape sequences": {[]byte("new\n\x1b[31mred\n"), "test.txt:2: control character U+001B"},
	} {
		t.Run(name, func(t *testing.T) {
			data := tc.data
			if name == "lone surrogate" {
				data = append(data, 0x00, 0xD8, 'a', 0) // U+D800 then 'a'
				tc.want = "test.txt:2: unpaired UTF-16 surrogate 0xD800"
			}
			_, err := runText(t, string(data))
			require.ErrorContains(t, err, tc.want)
			require.NotContains(t, err.Error(), "\x01")
			require.NotContains(t, err.Error(), "\x1b")
			require.Less(t, len(err.Error()), 200)
		})
	}
}

func TestLimits(t *testing.T) {
	t.Run("file size, checked before reading", func(t *testing.T) {
		path := filepath.Join(testenv.TempDir(t), "big.txt")
		f, err := os.Create(path)
		require.NoError(t, err)
		require.NoError(t, f.Truncate(1<<40)) // a sparse terabyte
		require.NoError(t, f.Close())
		_, err = scenarios.RunFile(path)
		require.ErrorContains(t, err, "big.txt: the file is 1099511627776 bytes: a scenario file may have at most 4194304 (4 MiB)")

		_, err = scenarios.Parse("big.txt", bytes.Repeat([]byte("now\n"), scenarios.MaxFileSize/4+1))
		require.ErrorContains(t, err, "a scenario file may have at most")
	})
	t.Run("line length", func(t *testing.T) {
		_, err := runText(t, "new\nnew "+strings.Repeat("x", scenarios.MaxLineLength)+"\n")
		require.ErrorContains(t, err, "test.txt:2: the line is 65540 bytes long: a scenario line may have at most 65536")
	})
	t.Run("arguments", func(t *testing.T) {
		_, err := runText(t, "new\ncall DisableWriterClasses"+strings.Repeat(" a", scenarios.MaxArgs+1)+"\n")
		require.ErrorContains(t, err, "test.txt:2: more than 1000 arguments")
	})
	t.Run("failures", func(t *testing.T) {
		res, err := runText(t, "new\n"+strings.Repeat("call InitializeForBackup\n----\nS_FALSE\n\n", 3*scenarios.MaxFailures))
		require.NoError(t, err)
		require.Len(t, res.Failures, scenarios.MaxFailures)
		require.Equal(t, "test.txt:398: stopped after 100 failed expectations", res.Stopped)
	})
	t.Run("writers", func(t *testing.T) {
		var b strings.Builder
		for i := 0; i <= scenarios.MaxWriters; i++ {
			b.WriteString("writer w" + strings.Repeat("x", i%7) + string(rune('a'+i%26)) + "_" + itoa(i) + "\n")
		}
		_, err := runText(t, b.String())
		require.ErrorContains(t, err, "test.txt:10001: writer: a scenario may declare at most 10000 writers")
	})
	t.Run("objects", func(t *testing.T) {
		_, err := runText(t, strings.Repeat("new\n", scenarios.MaxObjects+1))
		require.ErrorContains(t, err, "test.txt:1001: new: a scenario may create at most 1000 objects")
	})
	t.Run("volumes", func(t *testing.T) {
		var b strings.Builder
		for i := 0; i <= scenarios.MaxVolumes; i++ {
			b.WriteString("volume V" + itoa(i) + ":\n")
		}
		_, err := runText(t, b.String())
		require.ErrorContains(t, err, "test.txt:1001: volume: a scenario may declare at most 1000 volumes")
	})
	t.Run("injections", func(t *testing.T) {
		_, err := runText(t, strings.Repeat("inject Query E_INVALIDARG\n", scenarios.MaxInjections+1))
		require.ErrorContains(t, err, "test.txt:1001: inject: a scenario may inject at most 1000 faults")
	})
	t.Run("trace", func(t *testing.T) {
		defer scenarios.SetTraceBudget(50)()
		_, err := runText(t, "writer A\nwriter B\n"+strings.Repeat("new\ncall InitializeForBackup\ncall GatherWriterMetadata\nwait\n", 20))
		require.ErrorContains(t, err, "more than the 50 a scenario may produce; stopped")
	})
}

func itoa(i int) string {
	if i == 0 {
		return "0"
	}
	var d []byte
	for ; i > 0; i /= 10 {
		d = append([]byte{byte('0' + i%10)}, d...)
	}
	return string(d)
}

func TestArgumentMessages(t *testing.T) {
	for _, tc := range []struct{ src, want string }{
		{"writer A\nfault A Identify times=99999999999999999999\n", "test.txt:2: fault: times=99999999999999999999 is too large (at most 2147483647)"},
		{"writer A\nfault A Identify times=0\n", "times=0 is not a positive number"},
		{"writer A\nfault A Identify times=x\n", `times="x" is not a number`},
		{"inject DoSnapshotSet E_FAIL times=3000000000\n", "times=3000000000 is too large"},
		{"inject DoSnapshotSet E_FAIL object=-2\n", "object=-2 is not a positive number"},
		{"advance -1s\n", "test.txt:1: advance: -1s is negative: a scenario duration is positive"},
		{"advance INFINITE\n", "advance needs a duration (like 10s), not INFINITE"},
		{"advance soon\n", `test.txt:1: advance: "soon" is not a duration`},
		{"advance 2562047h47m\n", "test.txt:1: advance: 2562047h47m is too long: a scenario duration is at most 87600h0m0s (10 years)"},
		{"advance 99999999999h\n", "99999999999h is too long"},
		{"advance 80000h\n" + strings.Repeat("advance 80000h\n", 10), "test.txt:11: advance: advance 80000h would move the virtual clock (now 800000h0m0s) past the 876000h0m0s a scenario may reach"},
		{"option EventTimeout=2562047h47m\n", "option EventTimeout: 2562047h47m is too long"},
		{"option EventTimeout=INFINITE\n", "option EventTimeout: want a duration (like 10s), got \"INFINITE\""},
		{"option MaxVolumesPerSet=99999999999999999999\n", "option MaxVolumesPerSet=99999999999999999999 is too large"},
		{"writer A freeze-timeout=2562047h47m\n", "freeze-timeout: 2562047h47m is too long"},
		{"writer A\nfault A Freeze latency=2562047h47m\n", "latency: 2562047h47m is too long"},
		{"new\ncall InitializeForBackup\ncall GatherWriterMetadata\nwait timeout=2562047h47m\n", "test.txt:4: wait: 2562047h47m is too long"},
		{"new\n\"\" x\n", `test.txt:2: the command name is empty ("\"\" x")`},
		{"new\ncall GetWriterMetadata 99999999999\n", `"99999999999" is not an index (0 to 4294967295)`},
		{"volume D: max-shadow-copies=99999999999999999999\n", "max-shadow-copies=99999999999999999999 is too large"},
		{"new\ncall GetSnapshotProperties snapshot=99999999999999999999\n", "snapshot=99999999999999999999 is too large"},
		{strings.Repeat("x", 1000) + "\n", `unknown command "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"... (1000 bytes)`},
	} {
		_, err := runText(t, tc.src)
		require.ErrorContains(t, err, tc.want, "%s", tc.src[:min(len(tc.src), 80)])
		require.Less(t, len(err.Error()), 500)
	}
}

func TestExpectationsAreValidated(t *testing.T) {
	for _, tc := range []struct{ src, want string }{
		{"new\ncall InitializeForBackup\n----\nVSS_E_BAD_STAT\n", `test.txt:4: unknown HRESULT name "VSS_E_BAD_STAT" (did you mean VSS_E_BAD_STATE?) in the expected output`},
		{"new\ncall GatherWriterMetadata\n----\nVSS_E_BAD_STATE rule=§2.3#99\n", `test.txt:4: unknown rule id "§2.3#99" in the expected output`},
		{"new\ntrace\n----\n----\nline\n\n  0.000s #1 return X = E_NOPE\n----\n----\n", `test.txt:7: unknown HRESULT name "E_NOPE"`},
		{"new\ncall InitializeForBackup\n----\nWait: S_OKAY, status VSS_S_ASYNC_FINISHED\n", `unknown HRESULT name "S_OKAY"`},
	} {
		_, err := runText(t, tc.src)
		require.ErrorContains(t, err, tc.want)
	}
	// Known names and rules, SDK enum names and quoted text pass.
	for _, src := range []string{
		"new\ncall GatherWriterMetadata\n----\nVSS_E_BAD_STATE rule=§2.3#1\n",
		"new\ncall GatherWriterMetadata\n----\nVSS_E_BAD_STATE rule=object released\n",
		"new\nstatus\n----\n- Status for \"w\": [1] VSS_WS_STABLE, last error S_OK, application error 0x80004005 \"E_CUSTOM_TEXT\"\n",
	} {
		_, err := scenarios.Parse("t.txt", []byte(src))
		require.NoError(t, err, src)
	}
}

func TestNothingChecked(t *testing.T) {
	for _, src := range []string{"", "# only a comment\n\n", "new\ncall InitializeForBackup only=windows\n----\nS_OK\n", "new\n"} {
		res, err := runText(t, src)
		require.NoError(t, err)
		require.True(t, res.OK())
		err = res.NothingChecked()
		require.True(t, errors.Is(err, scenarios.ErrNoExpectations), "%q: %v", src, err)
		require.ErrorContains(t, err, "test.txt: the scenario checks nothing")
	}
	res, err := runText(t, "new\ncall InitializeForBackup\n----\nS_OK\n")
	require.NoError(t, err)
	require.NoError(t, res.NothingChecked())
	require.Equal(t, 1, res.Checked)
}

// The catalog reads back unchanged through Parse and Format.
func TestCatalogFormatsUnchanged(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(catalog, "*.txt"))
	require.NoError(t, err)
	for _, path := range files {
		data, err := os.ReadFile(path)
		require.NoError(t, err)
		f, err := scenarios.Parse(path, data)
		require.NoError(t, err)
		if d := cmp.Diff(string(data), f.Format(nil)); d != "" {
			t.Errorf("%s (-file +formatted):\n%s", path, d)
		}
	}
}
