package vss

// Header conformance: compares the names and values in this package with
// the mingw-w64 copies of the Windows SDK headers vsserror.h, vss.h,
// vswriter.h and vsbackup.h (and winerror.h for the standard HRESULTs).
//
// The headers come from the Debian/Ubuntu package mingw-w64-common. Set
// VSSSIM_MINGW_INCLUDE to use another include directory. When the headers
// are missing the tests skip, except under CI=true, where they fail.

import (
	"cmp"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	gocmp "github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"
)

// namedValue is one (name, value) pair, from the header or from Go.
type namedValue struct {
	Name  string
	Value hex32
}

// hex32 is a 32-bit value that diffs print in hex.
type hex32 int32

func (v hex32) String() string {
	if v < 0 {
		return fmt.Sprintf("0x%08X (%d)", uint32(v), int32(v))
	}
	return fmt.Sprintf("0x%08X", uint32(v))
}

// namedValues pairs each value with its String() name.
func namedValues[T interface {
	~int32
	String() string
}](vals []T) []namedValue {
	out := make([]namedValue, len(vals))
	for i, v := range vals {
		out[i] = namedValue{Name: v.String(), Value: hex32(v)}
	}
	return out
}

// enumSpec ties a header enum (by its typedef name) to the Go type that
// mirrors it.
type enumSpec struct {
	Header string // typedef name in the header
	GoType string // Go type name in this package
	Values []namedValue
}

// enumSpecs is the table driving the enum conformance checks.
func enumSpecs() []enumSpec {
	return []enumSpec{
		{"VSS_OBJECT_TYPE", "ObjectType", namedValues(AllObjectTypes())},
		{"VSS_SNAPSHOT_STATE", "SnapshotState", namedValues(AllSnapshotStates())},
		{"VSS_VOLUME_SNAPSHOT_ATTRIBUTES", "VolumeSnapshotAttributes", namedValues(AllVolumeSnapshotAttributes())},
		{"VSS_SNAPSHOT_CONTEXT", "SnapshotContext", namedValues(AllSnapshotContexts())},
		{"VSS_PROVIDER_CAPABILITIES", "ProviderCapabilities", namedValues(AllProviderCapabilities())},
		{"VSS_HARDWARE_OPTIONS", "HardwareOptions", namedValues(AllHardwareOptions())},
		{"VSS_RECOVERY_OPTIONS", "RecoveryOptions", namedValues(AllRecoveryOptions())},
		{"VSS_WRITER_STATE", "WriterState", namedValues(AllWriterStates())},
		{"VSS_BACKUP_TYPE", "BackupType", namedValues(AllBackupTypes())},
		{"VSS_RESTORE_TYPE", "RestoreType", namedValues(AllRestoreTypes())},
		{"VSS_ROLLFORWARD_TYPE", "RollForwardType", namedValues(AllRollForwardTypes())},
		{"VSS_PROVIDER_TYPE", "ProviderType", namedValues(AllProviderTypes())},
		{"VSS_APPLICATION_LEVEL", "ApplicationLevel", namedValues(AllApplicationLevels())},
		{"VSS_SNAPSHOT_COMPATIBILITY", "SnapshotCompatibility", namedValues(AllSnapshotCompatibilities())},
		{"VSS_SNAPSHOT_PROPERTY_ID", "SnapshotPropertyID", namedValues(AllSnapshotPropertyIDs())},
		{"VSS_FILE_SPEC_BACKUP_TYPE", "FileSpecBackupType", namedValues(AllFileSpecBackupTypes())},
		{"VSS_BACKUP_SCHEMA", "BackupSchema", namedValues(AllBackupSchemas())},
		{"VSS_USAGE_TYPE", "UsageType", namedValues(AllUsageTypes())},
		{"VSS_SOURCE_TYPE", "SourceType", namedValues(AllSourceTypes())},
		{"VSS_RESTOREMETHOD_ENUM", "RestoreMethod", namedValues(AllRestoreMethods())},
		{"VSS_WRITERRESTORE_ENUM", "WriterRestore", namedValues(AllWriterRestores())},
		{"VSS_COMPONENT_TYPE", "ComponentType", namedValues(AllComponentTypes())},
		{"VSS_ALTERNATE_WRITER_STATE", "AlternateWriterState", namedValues(AllAlternateWriterStates())},
		{"VSS_SUBSCRIBE_MASK", "SubscribeMask", namedValues(AllSubscribeMasks())},
		{"VSS_RESTORE_TARGET", "RestoreTarget", namedValues(AllRestoreTargets())},
		{"VSS_FILE_RESTORE_STATUS", "FileRestoreStatus", namedValues(AllFileRestoreStatuses())},
		{"VSS_COMPONENT_FLAGS", "ComponentFlags", namedValues(AllComponentFlags())},
	}
}

// otherDefines lists the object-like VSS_* #defines of vss.h, vswriter.h
// and vsbackup.h that this package mirrors as plain constants.
var otherDefines = []namedValue{
	{"VSS_SW_BOOTABLE_STATE", VSS_SW_BOOTABLE_STATE},
}

// standardHRESULTs are the non-VSS names that must be in AllHRESULTs, with
// the values REFERENCE.md §0 gives (winerror.h is checked separately).
var standardHRESULTs = []namedValue{
	{"S_OK", 0x00000000},
	{"S_FALSE", 0x00000001},
	{"E_NOTIMPL", bits32(0x80004001)},
	{"E_NOINTERFACE", bits32(0x80004002)},
	{"E_POINTER", bits32(0x80004003)},
	{"E_ABORT", bits32(0x80004004)},
	{"E_FAIL", bits32(0x80004005)},
	{"E_UNEXPECTED", bits32(0x8000FFFF)},
	{"E_ACCESSDENIED", bits32(0x80070005)},
	{"E_HANDLE", bits32(0x80070006)},
	{"E_OUTOFMEMORY", bits32(0x8007000E)},
	{"E_INVALIDARG", bits32(0x80070057)},
}

// bits32 reinterprets a 32-bit pattern as int32.
func bits32(v uint32) hex32 { return hex32(int32(v)) }

var requiredHeaders = []string{"vsserror.h", "vss.h", "vswriter.h", "vsbackup.h"}

// mingwIncludeDir finds the mingw-w64 include directory, skipping or
// failing the test when it is absent.
func mingwIncludeDir(t *testing.T) string {
	t.Helper()
	hasAll := func(dir string) (missing []string) {
		for _, h := range requiredHeaders {
			if _, err := os.Stat(filepath.Join(dir, h)); err != nil {
				missing = append(missing, h)
			}
		}
		return missing
	}
	if dir := os.Getenv("VSSSIM_MINGW_INCLUDE"); dir != "" {
		if missing := hasAll(dir); len(missing) > 0 {
			t.Fatalf("VSSSIM_MINGW_INCLUDE=%s lacks %s", dir, strings.Join(missing, ", "))
		}
		return dir
	}
	candidates := []string{"/usr/share/mingw-w64/include", "/usr/x86_64-w64-mingw32/include"}
	for _, dir := range candidates {
		if _, err := os.Stat(filepath.Join(dir, "vsserror.h")); err != nil {
			continue
		}
		if missing := hasAll(dir); len(missing) > 0 {
			t.Fatalf("incomplete mingw-w64 headers in %s: missing %s", dir, strings.Join(missing, ", "))
		}
		return dir
	}
	msg := fmt.Sprintf("mingw-w64 headers (vsserror.h etc.) not found in %s; install them with `apt-get install mingw-w64-common` or set VSSSIM_MINGW_INCLUDE",
		strings.Join(candidates, " or "))
	if os.Getenv("CI") == "true" {
		t.Fatal(msg)
	}
	t.Skip(msg)
	return ""
}

func readHeader(t *testing.T, dir, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, name))
	require.NoError(t, err)
	return string(b)
}

func byValueThenName(a, b namedValue) int {
	return cmp.Or(cmp.Compare(a.Value, b.Value), cmp.Compare(a.Name, b.Name))
}

// ---------------------------------------------------------------------------
// Tests against the headers.

func TestHeaderHRESULTs(t *testing.T) {
	dir := mingwIncludeDir(t)
	header, err := parseHRESULTHeader(readHeader(t, dir, "vsserror.h"))
	require.NoError(t, err, "vsserror.h")
	require.NotEmpty(t, header, "no HRESULT defines found in vsserror.h")

	var ours []namedValue
	for _, hr := range AllHRESULTs() {
		if strings.HasPrefix(hr.String(), "VSS_") {
			ours = append(ours, namedValue{hr.String(), hex32(int32(hr))})
		}
	}
	slices.SortFunc(header, byValueThenName)
	slices.SortFunc(ours, byValueThenName)
	if diff := gocmp.Diff(header, ours); diff != "" {
		t.Errorf("VSS HRESULTs differ from %s (-want header +got AllHRESULTs):\n%s",
			filepath.Join(dir, "vsserror.h"), diff)
	}
}

func TestHeaderStandardHRESULTs(t *testing.T) {
	dir := mingwIncludeDir(t)
	path := filepath.Join(dir, "winerror.h")
	b, err := os.ReadFile(path)
	require.NoError(t, err, "winerror.h ships with the same headers")
	defs, err := parseDefines(string(b))
	require.NoError(t, err, "winerror.h")

	var ours, inHeader []namedValue
	for _, hr := range AllHRESULTs() {
		if strings.HasPrefix(hr.String(), "VSS_") {
			continue
		}
		ours = append(ours, namedValue{hr.String(), hex32(int32(hr))})
		found := false
		for _, d := range defs {
			if d.Name != hr.String() {
				continue
			}
			v, err := parseHRESULTValue(d.Value)
			if err != nil {
				t.Errorf("winerror.h:%d: %s: %v", d.Line, d.Name, err)
				continue
			}
			if !found {
				inHeader = append(inHeader, namedValue{d.Name, hex32(v)})
				found = true
			} else if hex32(v) != inHeader[len(inHeader)-1].Value {
				t.Errorf("winerror.h:%d: %s defined again with a different value 0x%08X", d.Line, d.Name, uint32(v))
			}
		}
		if !found {
			t.Errorf("%s is not defined in %s", hr, path)
		}
	}
	if diff := gocmp.Diff(inHeader, ours); diff != "" {
		t.Errorf("standard HRESULTs differ from winerror.h (-want header +got AllHRESULTs):\n%s", diff)
	}
}

func TestHeaderEnums(t *testing.T) {
	dir := mingwIncludeDir(t)
	scope := map[string]int64{}
	var enums []cEnum
	for _, name := range []string{"vss.h", "vswriter.h", "vsbackup.h"} {
		got, err := parseEnums(readHeader(t, dir, name), name, scope)
		require.NoError(t, err, name)
		enums = append(enums, got...)
	}
	require.NotEmpty(t, enums, "no typedef enum blocks found")

	byName := map[string]cEnum{}
	for _, e := range enums {
		if prev, dup := byName[e.Name]; dup {
			t.Errorf("enum %s defined twice (%s and %s)", e.Name, prev.File, e.File)
		}
		byName[e.Name] = e
	}
	mapped := map[string]bool{}
	for _, spec := range enumSpecs() {
		mapped[spec.Header] = true
		t.Run(spec.Header, func(t *testing.T) {
			he, ok := byName[spec.Header]
			if !ok {
				t.Fatalf("enum %s (Go type %s) not found in vss.h, vswriter.h or vsbackup.h", spec.Header, spec.GoType)
			}
			want := slices.Clone(he.Values)
			got := slices.Clone(spec.Values)
			slices.SortFunc(want, byValueThenName)
			slices.SortFunc(got, byValueThenName)
			if diff := gocmp.Diff(want, got); diff != "" {
				t.Errorf("%s (%s) differs from %s (-want header +got All* of %s):\n%s",
					spec.GoType, spec.Header, he.File, spec.GoType, diff)
			}
		})
	}
	for _, e := range enums {
		if !mapped[e.Name] {
			t.Errorf("%s: enum %s has no Go counterpart in enumSpecs", e.File, e.Name)
		}
	}
}

func TestHeaderOtherDefines(t *testing.T) {
	dir := mingwIncludeDir(t)
	var want []namedValue
	for _, name := range []string{"vss.h", "vswriter.h", "vsbackup.h"} {
		defs, err := parseDefines(readHeader(t, dir, name))
		require.NoError(t, err, name)
		for _, d := range defs {
			if !strings.HasPrefix(d.Name, "VSS_") || d.Func {
				continue
			}
			v, err := evalCExpr(d.Value, nil)
			if err != nil {
				t.Errorf("%s:%d: cannot evaluate %s = %q: %v", name, d.Line, d.Name, d.Value, err)
				continue
			}
			v32, err := toInt32(v)
			if err != nil {
				t.Errorf("%s:%d: %s: %v", name, d.Line, d.Name, err)
				continue
			}
			want = append(want, namedValue{d.Name, hex32(v32)})
		}
	}
	got := slices.Clone(otherDefines)
	slices.SortFunc(want, byValueThenName)
	slices.SortFunc(got, byValueThenName)
	if diff := gocmp.Diff(want, got); diff != "" {
		t.Errorf("VSS_* #defines differ (-want header +got otherDefines):\n%s", diff)
	}
}

// TestStandardHRESULTsInTable checks the non-VSS part of AllHRESULTs
// against REFERENCE.md §0 without needing the headers.
func TestStandardHRESULTsInTable(t *testing.T) {
	var got []namedValue
	for _, hr := range AllHRESULTs() {
		if !strings.HasPrefix(hr.String(), "VSS_") {
			got = append(got, namedValue{hr.String(), hex32(int32(hr))})
		}
	}
	want := slices.Clone(standardHRESULTs)
	slices.SortFunc(want, byValueThenName)
	slices.SortFunc(got, byValueThenName)
	if diff := gocmp.Diff(want, got); diff != "" {
		t.Errorf("standard HRESULTs (-want +got):\n%s", diff)
	}
}

// ---------------------------------------------------------------------------
// A small C header reader. It understands exactly what the VSS headers
// need and returns an error for anything else, so that a changed header
// format makes the tests fail instead of silently checking less.

// stripComments replaces C comments with spaces, keeping newlines so that
// line numbers stay right. String and character literals are left alone.
func stripComments(src string) (string, error) {
	var b strings.Builder
	b.Grow(len(src))
	for i := 0; i < len(src); {
		c := src[i]
		switch {
		case c == '/' && i+1 < len(src) && src[i+1] == '*':
			end := strings.Index(src[i+2:], "*/")
			if end < 0 {
				return "", errors.New("unterminated /* comment")
			}
			for _, r := range src[i : i+2+end+2] {
				if r == '\n' {
					b.WriteByte('\n')
				}
			}
			b.WriteByte(' ')
			i += 2 + end + 2
		case c == '/' && i+1 < len(src) && src[i+1] == '/':
			end := strings.IndexByte(src[i:], '\n')
			if end < 0 {
				end = len(src) - i
			}
			b.WriteByte(' ')
			i += end
		case c == '"' || c == '\'':
			j := i + 1
			for j < len(src) && src[j] != c {
				if src[j] == '\\' {
					j++
				}
				if j < len(src) && src[j] == '\n' {
					return "", fmt.Errorf("unterminated literal at byte %d", i)
				}
				j++
			}
			if j >= len(src) {
				return "", fmt.Errorf("unterminated literal at byte %d", i)
			}
			b.WriteString(src[i : j+1])
			i = j + 1
		default:
			b.WriteByte(c)
			i++
		}
	}
	return b.String(), nil
}

// cDefine is one #define.
type cDefine struct {
	Name  string
	Value string // replacement text, trimmed
	Func  bool   // function-like macro
	Line  int
}

var defineRE = regexp.MustCompile(`^\s*#\s*define\s+([A-Za-z_]\w*)(\(?)(.*)$`)
var directiveRE = regexp.MustCompile(`^\s*#\s*define\b`)

// parseDefines returns every #define of src in order.
func parseDefines(src string) ([]cDefine, error) {
	text, err := stripComments(src)
	if err != nil {
		return nil, err
	}
	lines := strings.Split(text, "\n")
	var out []cDefine
	for i := 0; i < len(lines); i++ {
		lineNo := i + 1
		line := lines[i]
		for strings.HasSuffix(line, "\\") && i+1 < len(lines) {
			i++
			line = strings.TrimSuffix(line, "\\") + " " + lines[i]
		}
		if !directiveRE.MatchString(line) {
			continue
		}
		m := defineRE.FindStringSubmatch(line)
		if m == nil {
			return nil, fmt.Errorf("line %d: cannot parse #define: %q", lineNo, line)
		}
		out = append(out, cDefine{Name: m[1], Func: m[2] == "(", Value: strings.TrimSpace(m[3]), Line: lineNo})
	}
	return out, nil
}

var (
	hresultCastRE    = regexp.MustCompile(`^\(\s*\(\s*HRESULT\s*\)\s*([0-9A-Za-z]+)\s*\)$`)
	hresultTypedefRE = regexp.MustCompile(`^_HRESULT_TYPEDEF_\(\s*([0-9A-Za-z]+)\s*\)$`)
)

// parseHRESULTValue evaluates the HRESULT forms the headers use:
// ((HRESULT)0x...) and _HRESULT_TYPEDEF_(0x...L).
func parseHRESULTValue(s string) (int32, error) {
	m := hresultCastRE.FindStringSubmatch(s)
	if m == nil {
		m = hresultTypedefRE.FindStringSubmatch(s)
	}
	if m == nil {
		return 0, fmt.Errorf("unrecognised HRESULT definition %q", s)
	}
	v, err := parseCInt(m[1])
	if err != nil {
		return 0, err
	}
	return toInt32(v)
}

// parseHRESULTHeader reads vsserror.h: every #define must be either the
// include guard or an HRESULT constant.
func parseHRESULTHeader(src string) ([]namedValue, error) {
	defs, err := parseDefines(src)
	if err != nil {
		return nil, err
	}
	text, err := stripComments(src)
	if err != nil {
		return nil, err
	}
	guards := map[string]bool{}
	for _, m := range regexp.MustCompile(`(?m)^\s*#\s*ifndef\s+(\w+)`).FindAllStringSubmatch(text, -1) {
		guards[m[1]] = true
	}
	var out []namedValue
	seen := map[string]bool{}
	var errs []error
	for _, d := range defs {
		switch {
		case d.Func:
			errs = append(errs, fmt.Errorf("line %d: unexpected function-like macro %s", d.Line, d.Name))
		case d.Value == "" && guards[d.Name]:
			// include guard
		case d.Value == "":
			errs = append(errs, fmt.Errorf("line %d: %s has no value and is not an include guard", d.Line, d.Name))
		default:
			v, err := parseHRESULTValue(d.Value)
			if err != nil {
				errs = append(errs, fmt.Errorf("line %d: %s: %w", d.Line, d.Name, err))
				continue
			}
			if seen[d.Name] {
				errs = append(errs, fmt.Errorf("line %d: %s defined twice", d.Line, d.Name))
				continue
			}
			seen[d.Name] = true
			out = append(out, namedValue{d.Name, hex32(v)})
		}
	}
	return out, errors.Join(errs...)
}

// cEnum is one typedef'd enum of a header.
type cEnum struct {
	Name   string // typedef name
	File   string
	Values []namedValue
}

var (
	enumKeywordRE = regexp.MustCompile(`\benum\b`)
	identRE       = regexp.MustCompile(`^[A-Za-z_]\w*$`)
	typedefTailRE = regexp.MustCompile(`^\s*([A-Za-z_]\w*)\s*(,[\s\w*,]*)?;`)
)

// parseEnums returns the typedef enum blocks of src in order. Enumerator
// values may refer to enumerators of earlier blocks or files through
// scope, which parseEnums extends.
func parseEnums(src, file string, scope map[string]int64) ([]cEnum, error) {
	text, err := stripComments(src)
	if err != nil {
		return nil, err
	}
	lineOf := func(pos int) int { return strings.Count(text[:pos], "\n") + 1 }
	var out []cEnum
	for _, loc := range enumKeywordRE.FindAllStringIndex(text, -1) {
		pos := loc[1]
		rest := text[pos:]
		trimmed := strings.TrimLeft(rest, " \t\r\n")
		tag := ""
		if m := regexp.MustCompile(`^[A-Za-z_]\w*`).FindString(trimmed); m != "" {
			tag = m
			trimmed = strings.TrimLeft(trimmed[len(m):], " \t\r\n")
		}
		if !strings.HasPrefix(trimmed, "{") {
			continue // a use of an enum type, not a definition
		}
		before := strings.TrimRight(text[:loc[0]], " \t\r\n")
		if !strings.HasSuffix(before, "typedef") {
			return nil, fmt.Errorf("%s:%d: enum %q defined without typedef; the test does not know how to name it", file, lineOf(loc[0]), tag)
		}
		body := trimmed[1:]
		end := strings.IndexByte(body, '}')
		if end < 0 {
			return nil, fmt.Errorf("%s:%d: unterminated enum block", file, lineOf(loc[0]))
		}
		inner := body[:end]
		if strings.ContainsAny(inner, "{#") {
			return nil, fmt.Errorf("%s:%d: enum block contains a nested brace or preprocessor directive", file, lineOf(loc[0]))
		}
		tm := typedefTailRE.FindStringSubmatch(body[end+1:])
		if tm == nil {
			return nil, fmt.Errorf("%s:%d: cannot find the typedef name after enum block %q", file, lineOf(loc[0]), tag)
		}
		e := cEnum{Name: tm[1], File: file}
		vals, err := parseEnumerators(inner, scope)
		if err != nil {
			return nil, fmt.Errorf("%s:%d: enum %s: %w", file, lineOf(loc[0]), e.Name, err)
		}
		e.Values = vals
		out = append(out, e)
	}
	return out, nil
}

// parseEnumerators parses the text between the braces of an enum.
func parseEnumerators(inner string, scope map[string]int64) ([]namedValue, error) {
	items := splitTopLevel(inner)
	// A trailing comma leaves one empty item at the end; nothing else may
	// be empty.
	if n := len(items); n > 0 && strings.TrimSpace(items[n-1]) == "" {
		items = items[:n-1]
	}
	if len(items) == 0 {
		return nil, errors.New("no enumerators")
	}
	var out []namedValue
	next := int64(0)
	for _, item := range items {
		name, expr, hasValue := strings.Cut(item, "=")
		name = strings.TrimSpace(name)
		if !identRE.MatchString(name) {
			return nil, fmt.Errorf("bad enumerator %q", strings.TrimSpace(item))
		}
		v := next
		if hasValue {
			var err error
			v, err = evalCExpr(expr, scope)
			if err != nil {
				return nil, fmt.Errorf("enumerator %s: %w", name, err)
			}
		}
		v32, err := toInt32(v)
		if err != nil {
			return nil, fmt.Errorf("enumerator %s: %w", name, err)
		}
		if _, dup := scope[name]; dup {
			return nil, fmt.Errorf("enumerator %s declared twice", name)
		}
		scope[name] = v
		out = append(out, namedValue{name, hex32(v32)})
		next = v + 1
	}
	return out, nil
}

// splitTopLevel splits s at commas outside parentheses.
func splitTopLevel(s string) []string {
	var out []string
	depth, start := 0, 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '(':
			depth++
		case ')':
			depth--
		case ',':
			if depth == 0 {
				out = append(out, s[start:i])
				start = i + 1
			}
		}
	}
	return append(out, s[start:])
}

// toInt32 maps a C enum or macro value to its 32-bit pattern. Values from
// 2^31 to 2^32-1 (such as 0xffffffff) wrap to negative, as in the Go
// types.
func toInt32(v int64) (int32, error) {
	if v < -(1<<31) || v > (1<<32)-1 {
		return 0, fmt.Errorf("value %d does not fit in 32 bits", v)
	}
	return int32(uint32(v)), nil
}

// parseCInt parses a C integer literal with optional u/l suffixes.
func parseCInt(lit string) (int64, error) {
	s := strings.TrimRight(lit, "uUlL")
	if s == "" {
		return 0, fmt.Errorf("bad integer literal %q", lit)
	}
	var v uint64
	var err error
	switch {
	case strings.HasPrefix(s, "0x") || strings.HasPrefix(s, "0X"):
		v, err = strconv.ParseUint(s[2:], 16, 64)
	case len(s) > 1 && s[0] == '0':
		v, err = strconv.ParseUint(s[1:], 8, 64)
	default:
		v, err = strconv.ParseUint(s, 10, 64)
	}
	if err != nil || v > 1<<62 {
		return 0, fmt.Errorf("bad integer literal %q", lit)
	}
	return int64(v), nil
}

var cTokenRE = regexp.MustCompile(`^\s*(0[xX][0-9A-Fa-f]+[uUlL]*|[0-9]+[uUlL]*|[A-Za-z_]\w*|<<|>>|[()|&^~+\-*/%])`)

// evalCExpr evaluates an integer constant expression: literals,
// identifiers from scope, parentheses, unary + - ~, and the binary
// operators * / % + - << >> & ^ | with C precedence.
func evalCExpr(s string, scope map[string]int64) (int64, error) {
	var toks []string
	rest := s
	for strings.TrimSpace(rest) != "" {
		m := cTokenRE.FindStringSubmatch(rest)
		if m == nil {
			return 0, fmt.Errorf("cannot tokenise %q in %q", strings.TrimSpace(rest), strings.TrimSpace(s))
		}
		toks = append(toks, m[1])
		rest = rest[len(m[0]):]
	}
	p := &cExprParser{toks: toks, scope: scope}
	v, err := p.binary(0)
	if err != nil {
		return 0, fmt.Errorf("%w in %q", err, strings.TrimSpace(s))
	}
	if p.pos != len(p.toks) {
		return 0, fmt.Errorf("unexpected %q in %q", p.toks[p.pos], strings.TrimSpace(s))
	}
	return v, nil
}

type cExprParser struct {
	toks  []string
	pos   int
	scope map[string]int64
}

// cBinaryLevels lists the binary operators from lowest to highest
// precedence.
var cBinaryLevels = [][]string{{"|"}, {"^"}, {"&"}, {"<<", ">>"}, {"+", "-"}, {"*", "/", "%"}}

func (p *cExprParser) peek() string {
	if p.pos < len(p.toks) {
		return p.toks[p.pos]
	}
	return ""
}

func (p *cExprParser) binary(level int) (int64, error) {
	if level == len(cBinaryLevels) {
		return p.unary()
	}
	left, err := p.binary(level + 1)
	if err != nil {
		return 0, err
	}
	for slices.Contains(cBinaryLevels[level], p.peek()) {
		op := p.toks[p.pos]
		p.pos++
		right, err := p.binary(level + 1)
		if err != nil {
			return 0, err
		}
		switch op {
		case "|":
			left |= right
		case "^":
			left ^= right
		case "&":
			left &= right
		case "<<", ">>":
			if right < 0 || right > 62 {
				return 0, fmt.Errorf("shift count %d out of range", right)
			}
			if op == "<<" {
				left <<= uint(right)
			} else {
				left >>= uint(right)
			}
		case "+":
			left += right
		case "-":
			left -= right
		case "*":
			left *= right
		case "/", "%":
			if right == 0 {
				return 0, errors.New("division by zero")
			}
			if op == "/" {
				left /= right
			} else {
				left %= right
			}
		}
	}
	return left, nil
}

func (p *cExprParser) unary() (int64, error) {
	switch tok := p.peek(); tok {
	case "-", "+", "~":
		p.pos++
		v, err := p.unary()
		if err != nil {
			return 0, err
		}
		switch tok {
		case "-":
			return -v, nil
		case "~":
			return ^v, nil
		}
		return v, nil
	case "(":
		p.pos++
		v, err := p.binary(0)
		if err != nil {
			return 0, err
		}
		if p.peek() != ")" {
			return 0, errors.New("missing )")
		}
		p.pos++
		return v, nil
	case "":
		return 0, errors.New("unexpected end of expression")
	default:
		p.pos++
		if tok[0] >= '0' && tok[0] <= '9' {
			return parseCInt(tok)
		}
		if identRE.MatchString(tok) {
			v, ok := p.scope[tok]
			if !ok {
				return 0, fmt.Errorf("unknown identifier %s", tok)
			}
			return v, nil
		}
		return 0, fmt.Errorf("unexpected %q", tok)
	}
}

// ---------------------------------------------------------------------------
// Self-tests of the header reader; they need no headers.

func TestParseEnumsSynthetic(t *testing.T) {
	const src = `
/* a comment with typedef enum X { inside } */
typedef enum _FIRST {
    A_ZERO,            // implicit 0
    A_ONE,
    A_TEN = 0xa,
    A_ELEVEN,
    A_NEG = -1,
    A_AFTER_NEG,
    A_SHIFT = (1 << 4),
    A_OR = A_ONE | A_SHIFT,
    A_ALL = 0xffffffffU,
} FIRST, *PFIRST;
typedef enum _FIRST *PFIRST2;
void f(enum _FIRST x);
typedef enum SECOND { B_REF = A_TEN + 2 * (3 - 1), B_NOT = ~0 } SECOND;
`
	scope := map[string]int64{}
	got, err := parseEnums(src, "synthetic.h", scope)
	require.NoError(t, err)
	want := []cEnum{
		{Name: "FIRST", File: "synthetic.h", Values: []namedValue{
			{"A_ZERO", 0}, {"A_ONE", 1}, {"A_TEN", 10}, {"A_ELEVEN", 11},
			{"A_NEG", -1}, {"A_AFTER_NEG", 0}, {"A_SHIFT", 16}, {"A_OR", 17}, {"A_ALL", -1},
		}},
		{Name: "SECOND", File: "synthetic.h", Values: []namedValue{{"B_REF", 14}, {"B_NOT", -1}}},
	}
	if diff := gocmp.Diff(want, got); diff != "" {
		t.Errorf("parseEnums (-want +got):\n%s", diff)
	}
}

func TestParseEnumsRejects(t *testing.T) {
	cases := map[string]string{
		"unknown identifier": `typedef enum E { X = Y } E;`,
		"cast":               `typedef enum E { X = (int)1 } E;`,
		"preprocessor":       "typedef enum E {\n#if 1\n X = 1\n#endif\n} E;",
		"no typedef":         `enum E { X = 1 };`,
		"too big":            `typedef enum E { X = 0x100000000 } E;`,
		"empty":              `typedef enum E { } E;`,
		"garbage":            `typedef enum E { X = 1 ? 2 : 3 } E;`,
		"duplicate":          `typedef enum E { X, X } E;`,
		"no name":            `typedef enum E { X } ;`,
		"unterminated":       `typedef enum E { X `,
	}
	for _, name := range slices.Sorted(maps.Keys(cases)) {
		t.Run(name, func(t *testing.T) {
			_, err := parseEnums(cases[name], "bad.h", map[string]int64{})
			require.Error(t, err)
		})
	}
}

func TestParseHRESULTHeaderSynthetic(t *testing.T) {
	const src = `#ifndef _GUARD_H_
#define _GUARD_H_
#define VSS_E_ONE ((HRESULT)0x80042301L) /* trailing comment */
#define VSS_S_TWO ((HRESULT)0x00042309)
#define E_THREE _HRESULT_TYPEDEF_(0x80004005L)
#endif
`
	got, err := parseHRESULTHeader(src)
	require.NoError(t, err)
	want := []namedValue{{"VSS_E_ONE", bits32(0x80042301)}, {"VSS_S_TWO", 0x00042309}, {"E_THREE", bits32(0x80004005)}}
	if diff := gocmp.Diff(want, got); diff != "" {
		t.Errorf("parseHRESULTHeader (-want +got):\n%s", diff)
	}

	for _, bad := range []string{
		"#define VSS_E_X 0x80042301\n",                                     // bare literal: not an HRESULT form
		"#define VSS_E_X ((LONG)0x80042301)\n",                             // wrong cast
		"#define VSS_E_X\n",                                                // empty, not a guard
		"#define VSS_E_X(a) ((HRESULT)a)\n",                                // function-like
		"#define VSS_E_X ((HRESULT)0x1)\n#define VSS_E_X ((HRESULT)0x2)\n", // duplicate
	} {
		_, err := parseHRESULTHeader(bad)
		require.Error(t, err, "input %q", bad)
	}
}
