package vss

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"

	"github.com/vsssim/vsssim/internal/testenv"
)

// allocated returns the bytes f allocates (runtime.MemStats.TotalAlloc).
func allocated(tb testing.TB, f func()) uint64 {
	tb.Helper()
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

func requireXMLError(t *testing.T, err error, want string) {
	t.Helper()
	require.ErrorIs(t, err, VSS_E_INVALID_XML_DOCUMENT)
	require.Contains(t, err.Error(), want)
}

// FoldKey must agree with strings.EqualFold, which the loaders used to
// compare components one by one.
func TestFoldKeyMatchesEqualFold(t *testing.T) {
	words := []string{"", "a", "A", "k", "K", "\u212a" /* KELVIN SIGN */, "s", "S", "\u017f" /* long s */, "ß", "ẞ",
		"σ", "ς", "Σ", "i", "I", "İ", "ı", "\xff", "\ufffd", "\xff\xfe", "Ǆ", "ǅ", "ǆ", "HOST\\master", "host\\MASTER",
		"ab", "aB", "Ab", "µ", "Μ", "μ", "日本", "Ω", "\u2126" /* OHM SIGN */, "ω",
		"data", "DATA", "Data", "\xfe", `C:\Data`, `c:\data`}
	for _, a := range words {
		for _, b := range words {
			require.Equal(t, strings.EqualFold(a, b), FoldKey(a) == FoldKey(b), "%q %q", a, b)
		}
	}
}

// FuzzFoldKey: FoldKey(a) == FoldKey(b) exactly when strings.EqualFold(a,
// b), so the map indexes (here and in package sim) find what the linear
// EqualFold scans found.
func FuzzFoldKey(f *testing.F) {
	f.Add("Data", "dATA")
	f.Add("\u212a", "k")
	f.Add("\xff", "\ufffd")
	f.Fuzz(func(t *testing.T, a, b string) {
		if strings.EqualFold(a, b) != (FoldKey(a) == FoldKey(b)) {
			t.Fatalf("EqualFold(%q, %q) = %v, FoldKeys %q %q", a, b, strings.EqualFold(a, b), FoldKey(a), FoldKey(b))
		}
	})
}

// Duplicate components are found with a map now; what counts as a
// duplicate has not changed (case-insensitive, first one wins).
func TestDuplicateComponentsCaseInsensitive(t *testing.T) {
	dup := strings.Replace(sampleWMD, `componentName="db2"`, `componentName="MASTER" logicalPath="host"`, 1)
	_, err := CreateVssExamineWriterMetadata(dup)
	requireXMLError(t, err, `/WRITER_METADATA/BACKUP_LOCATIONS/DATABASE: component "host\\MASTER" is declared twice`)

	m := mustLoad(t, sampleWMD)
	m.Components[1].LogicalPath, m.Components[1].Name = "Host", "Master"
	require.ErrorContains(t, m.Validate(), `declares component "Host\\Master" twice`)
	m.Components[1].Name = "Master2"
	require.NoError(t, m.Validate())

	bcd := `<BACKUP_COMPONENTS><WRITER_COMPONENTS writerId="` + sampleID + `"><COMPONENT logicalPath="a" componentName="B"/>` +
		`<COMPONENT logicalPath="A" componentName="b"/></WRITER_COMPONENTS></BACKUP_COMPONENTS>`
	_, err = LoadBackupComponents([]byte(bcd))
	requireXMLError(t, err, `COMPONENT[2]: component "A\\b" is listed twice`)
	// The same component under two writers is fine.
	two := `<BACKUP_COMPONENTS><WRITER_COMPONENTS writerId="` + sampleID + `"><COMPONENT componentName="b"/></WRITER_COMPONENTS>` +
		`<WRITER_COMPONENTS writerId="` + sampleID + `"><COMPONENT componentName="b"/></WRITER_COMPONENTS></BACKUP_COMPONENTS>`
	_, err = LoadBackupComponents([]byte(two))
	require.NoError(t, err)
}

func TestBuilderIndexes(t *testing.T) {
	b := NewCreateWriterMetadata(WriterIdentity{WriterID: MustParseID(sampleID), Name: "W"})
	require.NoError(t, b.AddComponent(VSS_CT_FILEGROUP, `Ünï`, "Files", "", nil, false, false, true, false, 0))
	require.ErrorIs(t, b.AddComponent(VSS_CT_DATABASE, `üNÏ`, "FILES", "", nil, false, false, true, false, 0), VSS_E_OBJECT_ALREADY_EXISTS)
	require.NoError(t, b.AddFilesToFileGroup(`ÜNÏ`, "files", `C:\Data`, "*.dat", true, "", 0))
	require.NoError(t, b.SetRestoreMethod(VSS_RME_RESTORE_IF_CAN_REPLACE, "", "", VSS_WRE_NEVER, false))
	require.NoError(t, b.AddAlternateLocationMapping(`c:\DATA`, "*.DAT", true, `d:\alt`), "file sets compare case-insensitively")
	require.ErrorIs(t, b.AddAlternateLocationMapping(`c:\data`, "*.dat", false, `d:\alt`), E_INVALIDARG, "recursive must match")
	require.NoError(t, b.AddComponentDependency("ÜNÏ", "fILES", MustParseID("11111111-2222-3333-4444-555555555555"), "", "x"))
	m := b.Seal()
	require.Len(t, m.Components, 1)
	require.Len(t, m.Components[0].Files, 1)
	require.Len(t, m.Components[0].Dependencies, 1)
	require.Len(t, m.RestoreMethod.Mappings, 1)

	// A builder made from a document indexes what it holds.
	b2 := NewCreateWriterMetadataFrom(m, MustParseID(sampleID))
	require.ErrorIs(t, b2.AddComponent(VSS_CT_FILEGROUP, "ünï", "files", "", nil, false, false, true, false, 0), VSS_E_OBJECT_ALREADY_EXISTS)
	require.NoError(t, b2.AddAlternateLocationMapping(`C:\data`, "*.dat", true, `e:\alt`))
}

// A goroutine a writer's OnIdentify left running keeps calling the
// builder while the coordinator seals it and reads the document: no race
// (go test -race), and every call after Seal is refused with a clear
// VSS_E_BAD_STATE, never accepted.
func TestBuilderLateCallsAfterSeal(t *testing.T) {
	b := NewCreateWriterMetadata(WriterIdentity{WriterID: MustParseID(sampleID), Name: "W"})
	require.NoError(t, b.AddComponent(VSS_CT_FILEGROUP, "", "c", "", nil, false, false, true, false, 0))
	var (
		wg      sync.WaitGroup
		started = make(chan struct{})
		refused = make(chan error, 1)
	)
	wg.Add(1)
	go func() {
		defer wg.Done()
		close(started)
		for i := 0; ; i++ {
			calls := []error{
				b.AddComponent(VSS_CT_FILEGROUP, "", fmt.Sprintf("late%d", i), "", nil, false, false, true, false, 0),
				b.AddFilesToFileGroup("", "c", `c:\late`, fmt.Sprint(i), false, "", 0),
				b.AddExcludeFiles(`c:\late`, "*", false),
				b.SetBackupSchema(VSS_BS_DIFFERENTIAL),
			}
			for _, err := range calls {
				if err != nil {
					refused <- err
					return
				}
			}
		}
	}()
	<-started
	m := b.Seal()
	s1, err := m.SaveAsXML() // the coordinator reads the sealed document
	require.NoError(t, err)
	wg.Wait()
	err = <-refused
	require.ErrorIs(t, err, VSS_E_BAD_STATE)
	require.Contains(t, err.Error(), "read-only once OnIdentify has returned")
	require.Contains(t, err.Error(), "after the writer's reply")

	// Every changing call is refused after Seal, and the document stays as
	// it was sealed.
	code := func(err error) HRESULT { return Code(err) }
	for name, err := range map[string]error{
		"AddComponent":                b.AddComponent(VSS_CT_FILEGROUP, "", "x", "", nil, false, false, true, false, 0),
		"AddFilesToFileGroup":         b.AddFilesToFileGroup("", "c", `c:\`, "*", false, "", 0),
		"AddDatabaseFiles":            b.AddDatabaseFiles("", "c", `c:\`, "*", 0),
		"AddDatabaseLogFiles":         b.AddDatabaseLogFiles("", "c", `c:\`, "*", 0),
		"AddExcludeFiles":             b.AddExcludeFiles(`c:\`, "*", false),
		"AddExcludeFilesFromSnapshot": b.AddExcludeFilesFromSnapshot(`c:\`, "*", false),
		"SetRestoreMethod":            b.SetRestoreMethod(VSS_RME_CUSTOM, "", "", VSS_WRE_NEVER, false),
		"SetBackupSchema":             b.SetBackupSchema(0),
		"AddIncludeFiles":             b.AddIncludeFiles(`c:\`, "*", false, ""),
		"AddAlternateLocationMapping": b.AddAlternateLocationMapping(`c:\`, "*", false, `d:\`),
		"AddComponentDependency":      b.AddComponentDependency("", "c", MustParseID("11111111-2222-3333-4444-555555555555"), "", "x"),
		"CopyUnmodelled":              b.CopyUnmodelled(&WriterMetadata{MajorVersion: 9}),
	} {
		require.Equal(t, VSS_E_BAD_STATE, code(err), name)
	}
	s2, err := m.SaveAsXML()
	require.NoError(t, err)
	require.Equal(t, s1, s2, "late calls changed the sealed document")
	require.NotContains(t, s2, `majorVersion="9"`)
}

func TestUTF16WithoutBOM(t *testing.T) {
	want := mustLoad(t, sampleWMD)
	body := strings.TrimPrefix(sampleWMD, `<?xml version="1.0"?>`+"\n")
	for _, lead := range []string{"", "\n", "\r\n", " ", "\t\n  "} {
		for _, be := range []bool{false, true} {
			got, err := LoadWriterMetadata(utf16Bytes(lead+body, be, false))
			require.NoError(t, err, "lead %q big-endian %v", lead, be)
			if d := cmp.Diff(want, got, equateEmpty); d != "" {
				t.Fatalf("lead %q big-endian %v (-want +got):\n%s", lead, be, d)
			}
		}
	}
}

func TestUTF16Surrogates(t *testing.T) {
	// A valid pair (U+1F600) loads.
	doc := "<WRITER_METADATA>\n<IDENTIFICATION writerId=\"" + sampleID + "\" friendlyName=\"a\U0001F600b\"/></WRITER_METADATA>"
	for _, be := range []bool{false, true} {
		m, err := LoadWriterMetadata(utf16Bytes(doc, be, true))
		require.NoError(t, err)
		require.Equal(t, "a\U0001F600b", m.Identity.Name)
	}
	// Lone surrogates are refused with their line and byte offset (they
	// used to become U+FFFD silently).
	prefix := utf16Bytes("<WRITER_METADATA>\n<IDENTIFICATION writerId=\""+sampleID+"\" friendlyName=\"a", false, true)
	suffix := utf16Bytes("b\"/></WRITER_METADATA>", false, false)
	off := len(prefix) - 2 // the offset counts from after the byte order mark
	for _, tc := range []struct {
		units []byte
		want  string
	}{
		{[]byte{0x00, 0xD8}, fmt.Sprintf("line 2: UTF-16 document has a lone surrogate 0xD800 at byte offset %d", off)},
		{[]byte{0x00, 0xDC}, fmt.Sprintf("lone surrogate 0xDC00 at byte offset %d", off)},
		{[]byte{0x00, 0xD8, 0x00, 0xD8, 0x00, 0xDC}, fmt.Sprintf("lone surrogate 0xD800 at byte offset %d", off)},
	} {
		data := append(append(append([]byte(nil), prefix...), tc.units...), suffix...)
		_, err := LoadWriterMetadata(data)
		requireXMLError(t, err, tc.want)
	}
	// A high surrogate as the last unit.
	_, err := LoadWriterMetadata(append(utf16Bytes("<a/>", true, true), 0xD8, 0x00))
	requireXMLError(t, err, "lone surrogate 0xD800 at byte offset 8")
}

func TestSyntaxErrorsHaveLines(t *testing.T) {
	for _, tc := range []struct{ doc, want string }{
		{"<WRITER_METADATA>\n<IDENTIFICATION writerId=\"" + sampleID + "\" friendlyName=\"W\">\n</X>\n</WRITER_METADATA>",
			"line 3: element <IDENTIFICATION> (opened on line 2) is closed by </X>"},
		{"<WRITER_METADATA>\n<a:B>\n</b:B>", "line 3: element <a:B> (opened on line 2) is closed by </b:B>"},
		{"<WRITER_METADATA>\n<IDENTIFICATION>\n", "line 3: the document ends inside <IDENTIFICATION> (opened on line 2)"},
		{"<WRITER_METADATA/>\n</WRITER_METADATA>", "line 2: end tag </WRITER_METADATA> closes no element"},
		{"<WRITER_METADATA>\n\n<!DOCTYPE x></WRITER_METADATA>", "line 3: DOCTYPE and other directives are not accepted"},
	} {
		_, err := CreateVssExamineWriterMetadata(tc.doc)
		requireXMLError(t, err, tc.want)
		_, err = LoadBackupComponents([]byte(tc.doc))
		requireXMLError(t, err, tc.want)
	}
}

// The depth and node limits are enforced while reading: a document that
// breaks them early is refused before the rest is read, at a cost that
// does not depend on the rest.
func TestLimitsWhileReading(t *testing.T) {
	var tail bytes.Buffer
	for tail.Len() < 2<<20 {
		tail.WriteString(`<FILE_LIST path="c:\x" filespec="y"/>`)
	}
	deep := []byte(strings.Repeat("<x>", MaxXMLDepth+1) + "\n" + tail.String())
	var err error
	n := allocated(t, func() { _, err = LoadWriterMetadata(deep) })
	requireXMLError(t, err, "line 1: element x is nested 65 deep; the limit is 64")
	require.Less(t, n, uint64(256<<10), "refused after reading the first line, not after parsing 2 MB")

	ok := strings.Repeat("<x>", MaxXMLDepth) + strings.Repeat("</x>", MaxXMLDepth)
	_, err = CreateVssExamineWriterMetadata(ok)
	requireXMLError(t, err, "root element is x") // 64 levels are accepted

	many := []byte("<WRITER_METADATA>\n" + strings.Repeat("<X/>", MaxXMLNodes) + tail.String())
	n = allocated(t, func() { _, err = LoadWriterMetadata(many) })
	requireXMLError(t, err, fmt.Sprintf("line 2: the document has more than %d nodes", MaxXMLNodes))
	require.Less(t, n, uint64(200<<20), "no tree is built for a document over the node limit")
	// Attributes count as nodes.
	attrs := []byte("<WRITER_METADATA" + strings.Repeat(" a=''", MaxXMLNodes) + "/>")
	_, err = LoadWriterMetadata(attrs)
	requireXMLError(t, err, "nodes")
}

func TestSizeLimitMessage(t *testing.T) {
	_, err := LoadWriterMetadata(make([]byte, MaxXMLSize+1))
	requireXMLError(t, err, "the limit is 16 MiB, eight times the largest real writer metadata seen (a 2.1 MB System Writer document)")
	_, err = LoadBackupComponents(make([]byte, MaxXMLSize+1))
	requireXMLError(t, err, "the limit is 16 MiB")
}

// ReadDocumentFile refuses a file larger than MaxXMLSize from its size,
// without reading it.
func TestReadDocumentFile(t *testing.T) {
	huge := testenv.SparseFile(t, "huge.xml", 1<<30)
	dir := filepath.Dir(huge)
	var (
		data []byte
		err  error
	)
	n := allocated(t, func() { data, err = ReadDocumentFile(huge) })
	requireXMLError(t, err, "huge.xml is 1073741824 bytes; the limit is 16 MiB")
	require.Nil(t, data)
	require.Less(t, n, uint64(64<<10), "refused before reading")

	atLimit := filepath.Join(dir, "limit.xml")
	require.NoError(t, os.WriteFile(atLimit, bytes.Repeat([]byte(" "), MaxXMLSize), 0o644))
	data, err = ReadDocumentFile(atLimit)
	require.NoError(t, err)
	require.Len(t, data, MaxXMLSize)

	_, err = ReadDocumentFile(filepath.Join(dir, "missing.xml"))
	require.ErrorIs(t, err, os.ErrNotExist)

	if runtime.GOOS == "linux" { // a device has no size: the read itself is bounded
		n = allocated(t, func() { _, err = ReadDocumentFile("/dev/zero") })
		requireXMLError(t, err, "/dev/zero is more than 16777216 bytes")
		require.Less(t, n, uint64(3*MaxXMLSize), "bounded (a growing buffer), not the size of the device")
	}
}

// Unknown attributes are kept in order and once each, at a cost linear in
// their number.
func TestManyUnknownAttributes(t *testing.T) {
	var b strings.Builder
	b.WriteString(`<WRITER_METADATA><IDENTIFICATION writerId="` + sampleID + `" friendlyName="W"`)
	var want []XMLAttr
	for i := range 20 {
		fmt.Fprintf(&b, ` u%d="%d"`, i, i)
		want = append(want, XMLAttr{Name: fmt.Sprintf("u%d", i), Value: fmt.Sprint(i)})
	}
	b.WriteString(` u3="again"/></WRITER_METADATA>`)
	want[3].Value = "again" // a repeated attribute: the last value, once
	m := mustLoad(t, b.String())
	if d := cmp.Diff(want, m.Identity.Extra.Attrs); d != "" {
		t.Fatalf("(-want +got):\n%s", d)
	}
	roundTrip(t, m)
}

// wmdComponents is a WMD declaring n components.
func wmdComponents(n int) []byte {
	var b bytes.Buffer
	b.WriteString(`<WRITER_METADATA xmlns="x-schema:#VssWriterMetadataInfo" version="1.2"><IDENTIFICATION writerId="` + sampleID + `" friendlyName="W"/>`)
	b.WriteString(`<RESTORE_METHOD method="CUSTOM" writerRestore="never" rebootRequired="no"/><BACKUP_LOCATIONS>` + "\n")
	for i := range n {
		fmt.Fprintf(&b, "<FILE_GROUP componentName=\"c%07d\" selectable=\"yes\"/>\n", i)
	}
	b.WriteString("</BACKUP_LOCATIONS></WRITER_METADATA>\n")
	return b.Bytes()
}

// bcdComponents is a BCD with one writer listing n components.
func bcdComponents(n int) []byte {
	var b bytes.Buffer
	b.WriteString(`<BACKUP_COMPONENTS xmlns="x-schema:#VssComponentMetadata" version="1.2" backupType="full"><WRITER_COMPONENTS instanceId="` + sampleID + `" writerId="` + sampleID + `">` + "\n")
	for i := range n {
		fmt.Fprintf(&b, "<COMPONENT componentName=\"c%07d\" backupSucceeded=\"yes\"/>\n", i)
	}
	b.WriteString("</WRITER_COMPONENTS></BACKUP_COMPONENTS>\n")
	return b.Bytes()
}

// reportCPU reports the CPU time per op and per unit since cpu0.
func reportCPU(b *testing.B, cpu0 time.Duration, n int, unit string) {
	b.Helper()
	b.ReportMetric(float64(testenv.CPUTime()-cpu0)/float64(b.N)/float64(n), "cpu-ns/"+unit)
}

var componentSeries = []int{10_000, 20_000, 40_000, 80_000}

// BenchmarkLoadWMDComponents is the size series for duplicate-component
// detection while loading a WMD: ns/component must stay flat.
func BenchmarkLoadWMDComponents(b *testing.B) {
	for _, n := range componentSeries {
		data := wmdComponents(n)
		b.Run(fmt.Sprint("n=", n), func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			cpu0 := testenv.CPUTime()
			for b.Loop() {
				if _, err := LoadWriterMetadata(data); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/component")
			reportCPU(b, cpu0, n, "component")
		})
	}
}

// BenchmarkLoadBCDComponents is the same series for a BCD.
func BenchmarkLoadBCDComponents(b *testing.B) {
	for _, n := range componentSeries {
		data := bcdComponents(n)
		b.Run(fmt.Sprint("n=", n), func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			cpu0 := testenv.CPUTime()
			for b.Loop() {
				if _, err := LoadBackupComponents(data); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/component")
			reportCPU(b, cpu0, n, "component")
		})
	}
}

// BenchmarkAddComponent is what a writer declaring n components in
// OnIdentify costs (AddComponent, one file set each, Seal, Validate).
func BenchmarkAddComponent(b *testing.B) {
	for _, n := range []int{12_500, 25_000, 50_000, 100_000} {
		names := make([]string, n)
		for i := range names {
			names[i] = fmt.Sprintf("c%07d", i)
		}
		b.Run(fmt.Sprint("n=", n), func(b *testing.B) {
			cpu0 := testenv.CPUTime()
			for b.Loop() {
				w := NewCreateWriterMetadata(WriterIdentity{WriterID: MustParseID(sampleID), Name: "W"})
				if err := w.SetRestoreMethod(VSS_RME_CUSTOM, "", "", VSS_WRE_NEVER, false); err != nil {
					b.Fatal(err)
				}
				for _, name := range names {
					if err := w.AddComponent(VSS_CT_FILEGROUP, "", name, "", nil, false, false, true, false, 0); err != nil {
						b.Fatal(err)
					}
					if err := w.AddFilesToFileGroup("", name, `c:\data`, name, false, "", 0); err != nil {
						b.Fatal(err)
					}
				}
				if err := w.Seal().Validate(); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/component")
			reportCPU(b, cpu0, n, "component")
		})
	}
}

// BenchmarkUnknownAttributes: attributes the model does not know are kept
// at a cost linear in their number.
func BenchmarkUnknownAttributes(b *testing.B) {
	for _, n := range []int{10_000, 20_000, 40_000, 80_000} {
		var s strings.Builder
		s.WriteString(`<WRITER_METADATA><IDENTIFICATION writerId="` + sampleID + `" friendlyName="W"`)
		for i := range n {
			fmt.Fprintf(&s, ` a%d=""`, i)
		}
		s.WriteString(`/></WRITER_METADATA>`)
		data := []byte(s.String())
		b.Run(fmt.Sprint("n=", n), func(b *testing.B) {
			cpu0 := testenv.CPUTime()
			for b.Loop() {
				if _, err := LoadWriterMetadata(data); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/attribute")
			reportCPU(b, cpu0, n, "attribute")
		})
	}
}

// Large documents load, validate and seed a builder correctly (the
// duplicate checks of all three now use maps; BenchmarkLoadWMDComponents
// shows the cost is linear: a quadratic check took 3.5 s for this WMD).
func TestLoadLargeDocuments(t *testing.T) {
	data := wmdComponents(20_000)
	m, err := LoadWriterMetadata(data)
	require.NoError(t, err)
	require.Len(t, m.Components, 20_000)
	require.NoError(t, m.Validate())
	b := NewCreateWriterMetadataFrom(m, MustParseID(sampleID))
	require.ErrorIs(t, b.AddComponent(VSS_CT_FILEGROUP, "", "C0019999", "", nil, false, false, true, false, 0), VSS_E_OBJECT_ALREADY_EXISTS)
	d, err := LoadBackupComponents(bcdComponents(20_000))
	require.NoError(t, err)
	require.Len(t, d.Writers[0].Components, 20_000)
}
