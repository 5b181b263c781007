package vss

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/stretchr/testify/require"
)

var equateEmpty = cmpopts.EquateEmpty()

func presetFiles(t testing.TB) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("..", "..", "testdata", "writers", "*.xml"))
	require.NoError(t, err)
	require.GreaterOrEqual(t, len(files), 9, "the in-box writer presets")
	return files
}

// roundTrip saves m, loads the result and requires an equal model and a
// stable text.
func roundTrip(t testing.TB, m *WriterMetadata) string {
	t.Helper()
	s1, err := m.SaveAsXML()
	require.NoError(t, err)
	m2, err := CreateVssExamineWriterMetadata(s1)
	require.NoError(t, err, "reloading what SaveAsXML wrote:\n%s", s1)
	if d := cmp.Diff(m, m2, equateEmpty); d != "" {
		t.Fatalf("load → save → load changed the model (-before +after):\n%s", d)
	}
	s2, err := m2.SaveAsXML()
	require.NoError(t, err)
	require.Equal(t, s1, s2, "saving is stable")
	return s1
}

func TestPresetsRoundTrip(t *testing.T) {
	for _, f := range presetFiles(t) {
		t.Run(filepath.Base(f), func(t *testing.T) {
			data, err := os.ReadFile(f)
			require.NoError(t, err)
			m, err := LoadWriterMetadata(data)
			require.NoError(t, err)
			require.NoError(t, m.Validate())
			require.True(t, m.Extra.IsZero() && m.LocationsExtra.IsZero() && m.Identity.Extra.IsZero(),
				"presets use only the known vocabulary: %+v %+v", m.Extra, m.LocationsExtra)
			require.False(t, m.Identity.WriterID.IsNull())
			roundTrip(t, m)
		})
	}
}

const sampleWMD = `<?xml version="1.0"?>
<WRITER_METADATA xmlns="x-schema:#VssWriterMetadataInfo" version="1.2" backupSchema="881">
  <IDENTIFICATION writerId="A65FAA63-5EA8-4EBC-9DBD-A0C4DB26912A" instanceId="0e6a3a8c-3b47-4cd0-a9a1-bc2f2a6b5d11" instanceName="Microsoft SQL Server 2017:SQLWriter" friendlyName="SqlServerWriter" usage="USER_DATA" dataSource="TRANSACTION_DB" majorVersion="1" minorVersion="0"/>
  <BACKUP_LOCATIONS>
    <FILE_GROUP logicalPath="HOST" componentName="master" caption="master
db" restoreMetadata="no" notifyOnBackupComplete="no" selectable="yes" selectableForRestore="no" componentFlags="2">
      <FILE_LIST path="c:\sql" filespec="master.mdf" filespecBackupType="3855"/>
      <FILE_LIST path="c:\sql" filespec="mastlog.ldf" recursive="yes" filespecBackupType="3855"/>
    </FILE_GROUP>
    <DATABASE componentName="db2" restoreMetadata="no" notifyOnBackupComplete="no" selectable="yes" selectableForRestore="yes" componentFlags="0">
      <DATABASE_FILES path="d:\db" filespec="db2.mdf" filespecBackupType="3855"/>
      <DATABASE_LOGFILES path="e:\log" filespec="db2.ldf" filespecBackupType="15"/>
    </DATABASE>
    <EXCLUDE_FILES path="c:\tmp" filespec="*" recursive="yes"/>
    <EXCLUDE_FILES_FROM_SNAPSHOT path="c:\" filespec="pagefile.sys" recursive="no"/>
  </BACKUP_LOCATIONS>
  <RESTORE_METHOD method="RESTORE_IF_CAN_BE_REPLACED" writerRestore="always" rebootRequired="no"/>
</WRITER_METADATA>
`

func mustLoad(t testing.TB, s string) *WriterMetadata {
	t.Helper()
	m, err := CreateVssExamineWriterMetadata(s)
	require.NoError(t, err)
	return m
}

func TestSampleModel(t *testing.T) {
	m := mustLoad(t, sampleWMD)
	inst, writer, name, instName, usage, source := m.GetIdentityEx()
	require.Equal(t, "0e6a3a8c-3b47-4cd0-a9a1-bc2f2a6b5d11", inst.String())
	require.Equal(t, "a65faa63-5ea8-4ebc-9dbd-a0c4db26912a", writer.String(), "uppercase GUIDs are read")
	require.Equal(t, "SqlServerWriter", name)
	require.Equal(t, "Microsoft SQL Server 2017:SQLWriter", instName)
	require.Equal(t, VSS_UT_USERDATA, usage)
	require.Equal(t, VSS_ST_TRANSACTEDDB, source)
	require.Equal(t, BackupSchema(881), m.GetBackupSchema())
	inc, exc, comps := m.GetFileCounts()
	require.Equal(t, [3]uint32{0, 1, 2}, [3]uint32{inc, exc, comps})
	require.Equal(t, uint32(1), m.GetExcludeFromSnapshotCount())
	rm, n, ok := m.GetRestoreMethod()
	require.True(t, ok)
	require.Equal(t, uint32(0), n)
	require.Equal(t, VSS_RME_RESTORE_IF_CAN_REPLACE, rm.Method)
	require.Equal(t, VSS_WRE_ALWAYS, rm.WriterRestore)
	c, err := m.GetComponent(0)
	require.NoError(t, err)
	info := c.GetComponentInfo()
	require.Equal(t, "HOST", info.LogicalPath)
	require.Equal(t, "master\ndb", info.Caption, "captions may hold newlines")
	require.Equal(t, uint32(2), info.FileCount)
	require.Equal(t, VSS_CF_APP_ROLLBACK_RECOVERY, info.Flags)
	f, err := c.GetFile(1)
	require.NoError(t, err)
	require.True(t, f.Recursive)
	_, err = c.GetFile(2)
	require.ErrorIs(t, err, VSS_E_OBJECT_NOT_FOUND)
	db, err := m.GetComponent(1)
	require.NoError(t, err)
	lf, err := db.GetDatabaseLogFile(0)
	require.NoError(t, err)
	require.Equal(t, VSS_FSBT_ALL_BACKUP_REQUIRED, lf.BackupTypeMask)
	_, err = m.GetComponent(2)
	require.ErrorIs(t, err, VSS_E_OBJECT_NOT_FOUND)
	_, err = m.GetExcludeFile(1)
	require.ErrorIs(t, err, VSS_E_OBJECT_NOT_FOUND)
	_, err = m.GetAlternateLocationMapping(0)
	require.ErrorIs(t, err, VSS_E_OBJECT_NOT_FOUND)
	roundTrip(t, m)
}

func utf16Bytes(s string, bigEndian, bom bool) []byte {
	u := utf16.Encode([]rune(s))
	var out []byte
	if bom {
		u = append([]uint16{0xFEFF}, u...)
	}
	for _, c := range u {
		if bigEndian {
			out = append(out, byte(c>>8), byte(c))
		} else {
			out = append(out, byte(c), byte(c>>8))
		}
	}
	return out
}

// Real documents vary (REFERENCE §8 C15): all of these are the same model.
func TestVariantsLoadTheSame(t *testing.T) {
	want := mustLoad(t, sampleWMD)
	noDecl := strings.TrimPrefix(sampleWMD, `<?xml version="1.0"?>`+"\n")
	oneLine := strings.NewReplacer("\n    ", "", "\n  ", "", ">\n<", "><").Replace(noDecl)
	utf16Decl := `<?xml version="1.0" encoding="UTF-16"?>` + "\n" + noDecl
	for name, data := range map[string][]byte{
		"no declaration":  []byte(noDecl),
		"single line":     []byte(oneLine),
		"UTF-8 BOM":       append([]byte{0xEF, 0xBB, 0xBF}, sampleWMD...),
		"UTF-16LE BOM":    utf16Bytes(utf16Decl, false, true),
		"UTF-16BE BOM":    utf16Bytes(utf16Decl, true, true),
		"UTF-16LE no BOM": utf16Bytes(noDecl, false, false),
		"lowercase GUIDs": []byte(strings.ReplaceAll(sampleWMD, "A65FAA63-5EA8-4EBC-9DBD-A0C4DB26912A", "a65faa63-5ea8-4ebc-9dbd-a0c4db26912a")),
		"braced GUIDs":    []byte(strings.ReplaceAll(sampleWMD, `"A65FAA63-5EA8-4EBC-9DBD-A0C4DB26912A"`, `"{A65FAA63-5EA8-4EBC-9DBD-A0C4DB26912A}"`)),
		"RESTORE_METHOD first": []byte(strings.Replace(strings.Replace(sampleWMD,
			`  <RESTORE_METHOD method="RESTORE_IF_CAN_BE_REPLACED" writerRestore="always" rebootRequired="no"/>`+"\n", "", 1),
			"  <BACKUP_LOCATIONS>", `  <RESTORE_METHOD method="RESTORE_IF_CAN_BE_REPLACED" writerRestore="always" rebootRequired="no"/>`+"\n  <BACKUP_LOCATIONS>", 1)),
	} {
		t.Run(name, func(t *testing.T) {
			got, err := LoadWriterMetadata(data)
			require.NoError(t, err)
			if d := cmp.Diff(want, got, equateEmpty); d != "" {
				t.Fatalf("(-want +got):\n%s", d)
			}
		})
	}
}

// What the model does not know is kept and written back.
func TestUnknownContentIsKept(t *testing.T) {
	doc := strings.NewReplacer(
		`minorVersion="0"/>`, `minorVersion="0" futureAttr="42"><NOTE text="kept"/></IDENTIFICATION>`,
		`<EXCLUDE_FILES path`, `<ICON_LIST count="1"><ICON size="16"/></ICON_LIST><EXCLUDE_FILES path`,
		`componentFlags="2">`, `componentFlags="2" newFlag="yes">`,
		`</WRITER_METADATA>`, `<EXTENSION vendor="x">text</EXTENSION></WRITER_METADATA>`,
	).Replace(sampleWMD)
	m := mustLoad(t, doc)
	require.Equal(t, []XMLAttr{{"futureAttr", "42"}}, m.Identity.Extra.Attrs)
	require.Len(t, m.Identity.Extra.Elements, 1)
	require.Len(t, m.LocationsExtra.Elements, 1)
	require.Equal(t, []XMLAttr{{"newFlag", "yes"}}, m.Components[0].Extra.Attrs)
	out := roundTrip(t, m)
	for _, s := range []string{`futureAttr="42"`, `<NOTE text="kept"/>`, `<ICON_LIST count="1"><ICON size="16"/></ICON_LIST>`,
		`newFlag="yes"`, `<EXTENSION vendor="x">text</EXTENSION>`} {
		require.Contains(t, out, s)
	}
}

func TestGarbageIsRejected(t *testing.T) {
	for _, tc := range []struct{ doc, want string }{
		{"", "no root element"},
		{"not xml at all", "no root element"},
		{"<WRITER_METADATA>\n<IDENTIFICATION", "line 2"},
		{`<BACKUP_COMPONENTS/>`, "root element is BACKUP_COMPONENTS, not WRITER_METADATA"},
		{`<WRITER_METADATA/>`, "no IDENTIFICATION"},
		{`<WRITER_METADATA><IDENTIFICATION friendlyName="x"/></WRITER_METADATA>`, "/WRITER_METADATA/IDENTIFICATION: required attribute writerId is missing"},
		{`<WRITER_METADATA><IDENTIFICATION writerId="nope" friendlyName="x"/></WRITER_METADATA>`, `attribute writerId: "nope" is not a GUID`},
		{`<WRITER_METADATA><IDENTIFICATION writerId="` + sampleID + `" friendlyName="x" usage="SOMETIMES"/></WRITER_METADATA>`, `attribute usage: "SOMETIMES" is not one of`},
		{`<WRITER_METADATA backupSchema="lots"><IDENTIFICATION writerId="` + sampleID + `" friendlyName="x"/></WRITER_METADATA>`, `backupSchema: "lots" is not a 32-bit number`},
		{strings.Replace(sampleWMD, `selectable="yes"`, `selectable="maybe"`, 1), `FILE_GROUP: attribute selectable: "maybe" is not yes or no`},
		{strings.Replace(sampleWMD, `<DATABASE_FILES`, `<FILE_LIST`, 1), "a DATABASE cannot hold FILE_LIST"},
		{strings.Replace(sampleWMD, `componentName="db2"`, `componentName="master" logicalPath="HOST"`, 1), `component "HOST\\master" is declared twice`},
		{strings.Replace(sampleWMD, `filespec="master.mdf" `, ``, 1), "FILE_LIST[1]: required attribute filespec is missing"},
		{`<!DOCTYPE x [<!ENTITY a "aaaa">]><WRITER_METADATA/>`, "DOCTYPE"},
		{`<WRITER_METADATA><IDENTIFICATION writerId="` + sampleID + `" friendlyName="&a;"/></WRITER_METADATA>`, "invalid character entity"},
		{string([]byte{0xFF, 0xFE, 0x41}), "UTF-16 document has an odd number of bytes"},
		{"<a>\xff</a>", "neither UTF-8 nor UTF-16"},
	} {
		_, err := CreateVssExamineWriterMetadata(tc.doc)
		require.Error(t, err, "%q", tc.doc)
		require.ErrorIs(t, err, VSS_E_INVALID_XML_DOCUMENT, "%q", tc.doc)
		require.Contains(t, err.Error(), tc.want, "%q", tc.doc)
	}
}

const sampleID = "a65faa63-5ea8-4ebc-9dbd-a0c4db26912a"

func TestLimits(t *testing.T) {
	deep := strings.Repeat("<x>", MaxXMLDepth+1) + strings.Repeat("</x>", MaxXMLDepth+1)
	_, err := CreateVssExamineWriterMetadata(deep)
	require.ErrorIs(t, err, VSS_E_INVALID_XML_DOCUMENT)
	require.Contains(t, err.Error(), "the limit is 64")
	big := make([]byte, MaxXMLSize+1)
	_, err = LoadWriterMetadata(big)
	require.ErrorIs(t, err, VSS_E_INVALID_XML_DOCUMENT)
	require.Contains(t, err.Error(), "the limit is")
	// Billion laughs: entity definitions are never expanded.
	lol := `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]><WRITER_METADATA>&lol2;</WRITER_METADATA>`
	_, err = CreateVssExamineWriterMetadata(lol)
	require.ErrorIs(t, err, VSS_E_INVALID_XML_DOCUMENT)
}

func TestLoadFromXMLKeepsModelOnFailure(t *testing.T) {
	m := mustLoad(t, sampleWMD)
	before := m.Clone()
	err := m.LoadFromXML("<broken")
	require.ErrorIs(t, err, VSS_E_INVALID_XML_DOCUMENT)
	if d := cmp.Diff(before, m, equateEmpty); d != "" {
		t.Fatalf("a failed LoadFromXML changed the model (-before +after):\n%s", d)
	}
	require.NoError(t, m.LoadFromXML(strings.ReplaceAll(sampleWMD, "SqlServerWriter", "Other")))
	require.Equal(t, "Other", m.Identity.Name)
}

func TestBuilder(t *testing.T) {
	other := MustParseID("11111111-2222-3333-4444-555555555555")
	b := NewCreateWriterMetadata(WriterIdentity{WriterID: MustParseID(sampleID), Name: "W", Usage: VSS_UT_USERDATA, Source: VSS_ST_OTHER})
	code := func(err error) HRESULT { return Code(err) }
	require.Equal(t, E_NOTIMPL, code(b.AddIncludeFiles(`c:\`, "*", true, "")))
	require.Equal(t, E_INVALIDARG, code(b.AddComponent(VSS_CT_UNDEFINED, "", "x", "", nil, false, false, true, false, 0)))
	require.Equal(t, E_INVALIDARG, code(b.AddComponent(VSS_CT_FILEGROUP, "", "", "", nil, false, false, true, false, 0)))
	require.Equal(t, E_INVALIDARG, code(b.AddComponent(VSS_CT_FILEGROUP, "", `a\b`, "", nil, false, false, true, false, 0)))
	require.Equal(t, E_INVALIDARG, code(b.AddComponent(VSS_CT_FILEGROUP, "", "x", "", nil, false, false, true, false, 0x10)))
	require.NoError(t, b.AddComponent(VSS_CT_FILEGROUP, "lp", "files", "Files", []byte{1, 2, 3}, false, false, true, false, VSS_CF_NOT_SYSTEM_STATE))
	require.Equal(t, VSS_E_OBJECT_ALREADY_EXISTS, code(b.AddComponent(VSS_CT_FILEGROUP, "LP", "FILES", "", nil, false, false, true, false, 0)))
	require.NoError(t, b.AddComponent(VSS_CT_DATABASE, "", "db", "", nil, false, false, true, false, 0))
	require.Equal(t, VSS_E_OBJECT_NOT_FOUND, code(b.AddFilesToFileGroup("lp", "nope", `c:\d`, "*", true, "", 0xF0F)))
	require.Equal(t, E_INVALIDARG, code(b.AddFilesToFileGroup("", "db", `c:\d`, "*", true, "", 0xF0F)))
	require.Equal(t, E_INVALIDARG, code(b.AddFilesToFileGroup("lp", "files", `c:\d`, `a\*`, true, "", 0xF0F)))
	require.NoError(t, b.AddFilesToFileGroup("lp", "files", `c:\d`, "*", true, "", 0xF0F))
	require.Equal(t, E_INVALIDARG, code(b.AddDatabaseFiles("lp", "files", `c:\d`, "x.mdf", 0xF0F)))
	require.NoError(t, b.AddDatabaseFiles("", "db", `c:\db`, "x.mdf", 0xF0F))
	require.NoError(t, b.AddDatabaseLogFiles("", "db", `c:\log`, "x.ldf", 0xF))
	require.Equal(t, VSS_E_OBJECT_NOT_FOUND, code(b.AddAlternateLocationMapping(`c:\d`, "*", true, `d:\alt`)), "SetRestoreMethod first")
	require.Equal(t, E_INVALIDARG, code(b.SetRestoreMethod(VSS_RME_STOP_RESTORE_START, "", "", VSS_WRE_ALWAYS, false)), "needs a service")
	require.NoError(t, b.SetRestoreMethod(VSS_RME_RESTORE_IF_CAN_REPLACE, "", "", VSS_WRE_ALWAYS, false))
	require.Equal(t, E_INVALIDARG, code(b.AddAlternateLocationMapping(`c:\other`, "*", true, `d:\alt`)), "must match a file set")
	require.NoError(t, b.AddAlternateLocationMapping(`c:\d`, "*", true, `d:\alt`))
	require.Equal(t, E_INVALIDARG, code(b.AddComponentDependency("lp", "files", MustParseID(sampleID), "", "db")), "not on itself")
	require.Equal(t, VSS_E_OBJECT_NOT_FOUND, code(b.AddComponentDependency("", "nope", other, "", "x")))
	require.NoError(t, b.AddComponentDependency("lp", "files", other, `\\host\lp`, "x"))
	require.Equal(t, E_INVALIDARG, code(b.SetBackupSchema(BackupSchema(0x800))))
	require.NoError(t, b.SetBackupSchema(VSS_BS_DIFFERENTIAL|VSS_BS_LOG))
	require.NoError(t, b.AddExcludeFiles(`c:\tmp`, "*", true))
	require.NoError(t, b.AddExcludeFilesFromSnapshot(`c:\`, "pagefile.sys", false))
	m := b.Seal()
	require.NoError(t, m.Validate())
	require.Equal(t, VSS_E_BAD_STATE, code(b.AddExcludeFiles(`c:\x`, "*", false)), "read-only after OnIdentify")
	out := roundTrip(t, m)
	require.Contains(t, out, `<ALTERNATE_LOCATION_MAPPING path="c:\d" filespec="*" recursive="yes" alternatePath="d:\alt"/>`)
	require.Contains(t, out, `<DEPENDENCY writerId="11111111-2222-3333-4444-555555555555" logicalPath="\\host\lp" componentName="x"/>`)
	require.Contains(t, out, `icon="AQID"`)
}

func TestBCDRoundTrip(t *testing.T) {
	d := &BackupComponentsDocument{DocVersion: "1.2", SelectComponents: true, BackupType: VSS_BT_FULL, SnapshotSetID: MustParseID(sampleID),
		Writers: []*WriterComponents{{InstanceID: MustParseID("11111111-2222-3333-4444-555555555555"), WriterID: MustParseID(sampleID),
			InstanceName: "inst", BackupSchema: 881, Components: []*BCDComponent{
				{Type: VSS_CT_FILEGROUP, LogicalPath: "HOST", Name: "master", BackupStamp: "s2", PreviousBackupStamp: "s1",
					BackupOptions: "o", BackupSucceeded: true, BackupMetadata: "bWV0YQ==", RestoreMetadata: "r"},
				{Type: VSS_CT_DATABASE, Name: "db", SelectedForRestore: true, AdditionalRestores: true, RestoreOptions: "ro",
					RestoreTarget: VSS_RT_ALTERNATE, FileRestoreStatus: VSS_RS_FAILED, PreRestoreFailureMsg: "pre", PostRestoreFailureMsg: "post",
					Subcomponents:     []Subcomponent{{LogicalPath: "db", Name: "part"}},
					RestoreInstanceID: MustParseID(sampleID), AuthoritativeRestore: true, RollForwardType: VSS_RF_PARTIAL,
					RollForwardPoint: "lsn:9", RestoreName: "db_copy",
					DirectedTargets: []DirectedTarget{{SourcePath: `c:\db`, SourceFilename: "db.mdf", SourceRanges: "0:100",
						DestPath: `d:\db`, DestFilename: "db2.mdf", DestRanges: "0:100"}},
					NewTargets: []FileDesc{{Path: `c:\db`, Filespec: "*.mdf", Recursive: true, AlternateLocation: `d:
ew`}},
					RestoreMappings: []FileDesc{{Path: `c:\db`, Filespec: "*.ldf", AlternateLocation: `e:\logs`}}}}}}}
	s, err := d.SaveAsXML()
	require.NoError(t, err)
	require.Contains(t, s, `<BACKUP_COMPONENTS xmlns="x-schema:#VssComponentMetadata" version="1.2" bootableSystemStateBackup="no" selectComponents="yes" backupType="full"`)
	require.Contains(t, s, `<BACKUP_METADATA xmlns="" metadata="bWV0YQ=="/>`)
	got, err := LoadBackupComponents([]byte(s))
	require.NoError(t, err)
	if diff := cmp.Diff(d, got, equateEmpty); diff != "" {
		t.Fatalf("(-want +got):\n%s", diff)
	}
	for _, bad := range []string{"<x/>", "<BACKUP_COMPONENTS backupType=\"weekly\"/>",
		`<BACKUP_COMPONENTS><WRITER_COMPONENTS/></BACKUP_COMPONENTS>`} {
		_, err := LoadBackupComponents([]byte(bad))
		require.ErrorIs(t, err, VSS_E_INVALID_XML_DOCUMENT, bad)
	}
}

// bigWMD builds a System Writer-sized document: n file entries.
func bigWMD(n int) string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0"?>` + "\n" + `<WRITER_METADATA xmlns="x-schema:#VssWriterMetadataInfo" version="1.2">`)
	b.WriteString(`<IDENTIFICATION writerId="e8132975-6f93-4464-a53e-1050253ae220" instanceId="f3e6aa5f-0f8a-4c2b-9a0b-7c1d2e3f4a5b" friendlyName="System Writer" usage="BOOTABLE_SYSTEM_STATE" dataSource="OTHER" majorVersion="1" minorVersion="0"/>`)
	b.WriteString(`<RESTORE_METHOD method="REPLACE_AT_REBOOT_IF_CANNOT_REPLACE" writerRestore="never" rebootRequired="yes"/><BACKUP_LOCATIONS>`)
	b.WriteString(`<FILE_GROUP componentName="System Files" caption="System Files" restoreMetadata="no" notifyOnBackupComplete="no" selectable="yes" selectableForRestore="no" componentFlags="0">`)
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, `<FILE_LIST path="c:\windows\winsxs\amd64_microsoft-windows-component-%05d_31bf3856ad364e35_10.0.20348.2849_none_%08x" filespec="file%05d.dll" filespecBackupType="3855"/>`, i, uint32(i)*2654435761, i)
	}
	b.WriteString(`</FILE_GROUP></BACKUP_LOCATIONS></WRITER_METADATA>`)
	return b.String()
}

func TestBigWMD(t *testing.T) {
	s := bigWMD(19000)
	require.Greater(t, len(s), 2<<20, "about 2 MB like a real System Writer")
	m := mustLoad(t, s)
	require.Len(t, m.Components[0].Files, 19000)
	roundTrip(t, m)
}

func BenchmarkLoadWMD(b *testing.B) {
	s := []byte(bigWMD(19000))
	b.SetBytes(int64(len(s)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := LoadWriterMetadata(s); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSaveWMD(b *testing.B) {
	m, err := LoadWriterMetadata([]byte(bigWMD(19000)))
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := m.SaveAsXML(); err != nil {
			b.Fatal(err)
		}
	}
}

var _ = errors.New
