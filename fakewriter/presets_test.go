package fakewriter_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"

	"github.com/vsssim/vsssim/fakewriter"
)

// The embedded presets are the files of testdata/writers, byte for byte,
// and every one makes a writer.
func TestEmbeddedPresetsMatchTheFiles(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(presetDir, "*.xml"))
	require.NoError(t, err)
	var want []string
	for _, f := range files {
		want = append(want, strings.TrimSuffix(filepath.Base(f), ".xml"))
	}
	if d := cmp.Diff(want, fakewriter.PresetNames()); d != "" {
		t.Fatalf("PresetNames (-want +got):\n%s", d)
	}
	for _, n := range want {
		disk, err := os.ReadFile(filepath.Join(presetDir, n+".xml"))
		require.NoError(t, err)
		emb, err := fakewriter.PresetXML(n + ".xml")
		require.NoError(t, err)
		require.Equal(t, string(disk), string(emb), n)
		w, err := fakewriter.Preset(n)
		require.NoError(t, err)
		require.NotEmpty(t, w.Config.Name)
	}
	all, err := fakewriter.AllPresets()
	require.NoError(t, err)
	onDisk, err := fakewriter.Presets(presetDir)
	require.NoError(t, err)
	require.Equal(t, len(onDisk), len(all))
	for i := range all {
		require.Equal(t, onDisk[i].Config, all[i].Config)
	}
	w, err := fakewriter.Preset("sqlserver")
	require.NoError(t, err)
	require.Equal(t, "SqlServerWriter", w.Config.Name)
}

func TestUnknownPreset(t *testing.T) {
	for _, name := range []string{"nosuch", "", "../go.mod", `..\x`} {
		_, err := fakewriter.Preset(name)
		require.ErrorContains(t, err, "no writer preset", name)
		require.ErrorContains(t, err, "sqlserver", "the error lists the presets")
	}
}
