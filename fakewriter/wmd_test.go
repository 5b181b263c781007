package fakewriter_test

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/stretchr/testify/require"

	"github.com/vsssim/vsssim/fakewriter"
	"github.com/vsssim/vsssim/internal/testenv"
	"github.com/vsssim/vsssim/requestor/vss"
	"github.com/vsssim/vsssim/sim"
)

const presetDir = "../testdata/writers"

// Writers built from the presets reproduce their documents through the SDK
// calls: what GetWriterMetadata returns equals the file, but for the
// instance id VSS assigned.
func TestPresetWritersReproduceTheirDocuments(t *testing.T) {
	ws, err := fakewriter.Presets(presetDir)
	require.NoError(t, err)
	require.GreaterOrEqual(t, len(ws), 9)
	c := sim.NewDefault()
	for _, w := range ws {
		_, err := w.Subscribe(c)
		require.NoError(t, err)
	}
	o := c.NewBackupComponents()
	require.NoError(t, o.InitializeForBackup(""))
	a, err := o.GatherWriterMetadata()
	require.NoError(t, err)
	require.NoError(t, a.Wait(-1))
	n, err := o.GetWriterMetadataCount()
	require.NoError(t, err)
	require.Equal(t, uint32(len(ws)), n, "every preset passes Identify:\n%s", c.Trace())
	files, _ := filepath.Glob(filepath.Join(presetDir, "*.xml"))
	for i := uint32(0); i < n; i++ {
		inst, got, err := o.GetWriterMetadata(i)
		require.NoError(t, err)
		require.Equal(t, inst, got.Identity.InstanceID)
		data, err := os.ReadFile(files[i])
		require.NoError(t, err)
		want, err := vss.LoadWriterMetadata(data)
		require.NoError(t, err)
		if d := cmp.Diff(want, got, cmpopts.EquateEmpty(), cmpopts.IgnoreFields(vss.WriterIdentity{}, "InstanceID")); d != "" {
			t.Errorf("%s (-file +reproduced):\n%s", files[i], d)
		}
	}
}

func TestFromFileErrors(t *testing.T) {
	_, err := fakewriter.FromFile("no/such/file.xml")
	require.Error(t, err)
	dir := testenv.TempDir(t)
	bad := filepath.Join(dir, "bad.xml")
	require.NoError(t, os.WriteFile(bad, []byte("<WRITER_METADATA>"), 0o644))
	_, err = fakewriter.FromFile(bad)
	require.ErrorIs(t, err, vss.VSS_E_INVALID_XML_DOCUMENT)
	require.Contains(t, err.Error(), "bad.xml")
	_, err = fakewriter.Presets(dir)
	require.Error(t, err)
	_, err = fakewriter.Presets(testenv.TempDir(t))
	require.ErrorContains(t, err, "no *.xml")
}

// A document whose content breaks the IVssCreateWriterMetadata rules makes
// the writer fail Identify, with the reason in the trace.
func TestUnreproducibleDocumentFailsIdentify(t *testing.T) {
	md, err := vss.CreateVssExamineWriterMetadata(`<WRITER_METADATA><IDENTIFICATION writerId="a65faa63-5ea8-4ebc-9dbd-a0c4db26912a" friendlyName="W"/>
<BACKUP_LOCATIONS><FILE_GROUP componentName="c"><FILE_LIST path="c:\x" filespec="a\b"/></FILE_GROUP></BACKUP_LOCATIONS>
<RESTORE_METHOD method="RESTORE_IF_CAN_BE_REPLACED" writerRestore="never"/></WRITER_METADATA>`)
	require.NoError(t, err)
	c := sim.NewDefault()
	_, err = fakewriter.FromWMD(md).Subscribe(c)
	require.NoError(t, err)
	o := c.NewBackupComponents()
	require.NoError(t, o.InitializeForBackup(""))
	a, err := o.GatherWriterMetadata()
	require.NoError(t, err)
	require.NoError(t, a.Wait(-1))
	n, err := o.GetWriterMetadataCount()
	require.NoError(t, err)
	require.Zero(t, n)
	require.Contains(t, c.Trace().String(), `filespec "a\\b" contains a backslash`)
}

// A WMD file larger than vss.MaxXMLSize is refused from its size, before
// it is read (a 1 GB file used to cost 1 GB of memory first).
func TestFromFileRefusesHugeFilesUnread(t *testing.T) {
	huge := testenv.SparseFile(t, "huge.xml", 1<<30)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	_, err := fakewriter.FromFile(huge)
	runtime.ReadMemStats(&after)
	require.ErrorIs(t, err, vss.VSS_E_INVALID_XML_DOCUMENT)
	require.ErrorContains(t, err, "huge.xml is 1073741824 bytes; the limit is 16 MiB")
	require.Less(t, after.TotalAlloc-before.TotalAlloc, uint64(64<<10), "refused before reading")
}
