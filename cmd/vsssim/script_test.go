package main

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/vsssim/vsssim/internal/testenv"
)

// TestScripts runs the command-line scripts of testdata/script, one per
// CLI rule. A script is a list of commands, then the files it uses, each
// after a "-- NAME --" line (written to a fresh working directory):
//
//	vsssim ARGS...      run the command in-process in the working directory
//	exit N              the last command exited N
//	stdout REGEXP       its standard output matches ([!] negates)
//	stderr REGEXP       its standard error matches ([!] negates)
//	grep REGEXP FILE    the file matches ([!] negates)
//	env KEY=VALUE       set an environment variable for the rest of the script
//
// Arguments are split at spaces; single quotes group. $REPO is the
// repository root.
func TestScripts(t *testing.T) {
	scripts, err := filepath.Glob("testdata/script/*.txt")
	require.NoError(t, err)
	require.NotEmpty(t, scripts)
	repo, err := filepath.Abs("../..")
	require.NoError(t, err)
	for _, s := range scripts {
		t.Run(strings.TrimSuffix(filepath.Base(s), ".txt"), func(t *testing.T) {
			data, err := os.ReadFile(s)
			require.NoError(t, err)
			runScript(t, s, string(data), repo)
		})
	}
}

var fileHeader = regexp.MustCompile(`(?m)^-- (\S+) --\n`)

func runScript(t *testing.T, name, text, repo string) {
	t.Helper()
	work := testenv.TempDir(t)
	script := text
	if loc := fileHeader.FindStringIndex(text); loc != nil {
		script = text[:loc[0]]
		rest := text[loc[0]:]
		heads := fileHeader.FindAllStringSubmatchIndex(rest, -1)
		for i, h := range heads {
			end := len(rest)
			if i+1 < len(heads) {
				end = heads[i+1][0]
			}
			p := filepath.Join(work, filepath.FromSlash(rest[h[2]:h[3]]))
			require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
			require.NoError(t, os.WriteFile(p, []byte(rest[h[1]:end]), 0o644))
		}
	}
	t.Chdir(work)
	var code int
	var stdout, stderr string
	ran := false
	for i, line := range strings.Split(script, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		where := name + ":" + strconv.Itoa(i+1) + ": " + line
		neg := strings.HasPrefix(line, "! ")
		line = strings.TrimPrefix(line, "! ")
		args := splitScript(strings.ReplaceAll(line, "$REPO", repo))
		switch args[0] {
		case "vsssim":
			var out, errb bytes.Buffer
			code = run(args[1:], &out, &errb)
			stdout, stderr, ran = out.String(), errb.String(), true
		case "exit":
			require.True(t, ran, where)
			require.Len(t, args, 2, where)
			require.Equal(t, args[1], strconv.Itoa(code), "%s\nstdout:\n%s\nstderr:\n%s", where, stdout, stderr)
		case "stdout", "stderr":
			require.True(t, ran, where)
			require.Len(t, args, 2, where)
			got := stdout
			if args[0] == "stderr" {
				got = stderr
			}
			m := regexp.MustCompile(`(?m)` + args[1]).MatchString(got)
			require.Equal(t, !neg, m, "%s\n%s:\n%s", where, args[0], got)
		case "grep":
			require.Len(t, args, 3, where)
			data, err := os.ReadFile(args[2])
			require.NoError(t, err, where)
			m := regexp.MustCompile(`(?m)` + args[1]).Match(data)
			require.Equal(t, !neg, m, "%s\n%s:\n%s", where, args[2], data)
		case "env":
			k, v, ok := strings.Cut(args[1], "=")
			require.True(t, ok, where)
			t.Setenv(k, v)
		default:
			t.Fatalf("%s: unknown script command %q", where, args[0])
		}
	}
	require.True(t, ran, "%s runs no command", name)
}

// splitScript splits at spaces; single quotes group words.
func splitScript(s string) []string {
	var out []string
	var cur strings.Builder
	inQuote, have := false, false
	for _, r := range s {
		switch {
		case r == '\'':
			inQuote, have = !inQuote, true
		case r == ' ' && !inQuote:
			if have {
				out = append(out, cur.String())
				cur.Reset()
				have = false
			}
		default:
			cur.WriteRune(r)
			have = true
		}
	}
	if have {
		out = append(out, cur.String())
	}
	return out
}
