package fakewriter

import (
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"

	"github.com/vsssim/vsssim"
	"github.com/vsssim/vsssim/requestor/vss"
)

// The in-box writer presets are embedded in the module (package vsssim), so
// they work from any directory and from other modules. Files on disk take
// precedence where a caller looks for them first: Presets(dir), a
// scenario's preset=FILE next to the scenario or in a testdata/writers
// directory above it, vsssim backup -presets DIR.

// PresetNames lists the embedded writer presets by name (the file name
// without .xml: "asr", "bits", ..., "sqlserver", "system", ...), sorted.
func PresetNames() []string {
	entries, err := fs.ReadDir(vsssim.WriterPresets, "testdata/writers")
	if err != nil {
		panic(err) // the embedded directory is part of the build
	}
	var names []string
	for _, e := range entries {
		if n, ok := strings.CutSuffix(e.Name(), ".xml"); ok {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	return names
}

// PresetXML returns the Writer Metadata Document of the embedded preset
// name ("sqlserver" or "sqlserver.xml").
func PresetXML(name string) ([]byte, error) {
	base := strings.TrimSuffix(name, ".xml")
	if base == "" || strings.ContainsAny(base, `/\`) {
		return nil, fmt.Errorf("fakewriter: no writer preset %q (presets: %s)", name, strings.Join(PresetNames(), ", "))
	}
	data, err := fs.ReadFile(vsssim.WriterPresets, path.Join("testdata/writers", base+".xml"))
	if err != nil {
		return nil, fmt.Errorf("fakewriter: no writer preset %q (presets: %s)", name, strings.Join(PresetNames(), ", "))
	}
	return data, nil
}

// Preset makes a writer of the embedded preset name, such as "sqlserver"
// (SqlServerWriter) or "system" (System Writer); PresetNames lists them.
func Preset(name string) (*Writer, error) {
	data, err := PresetXML(name)
	if err != nil {
		return nil, err
	}
	md, err := vss.LoadWriterMetadata(data)
	if err != nil {
		return nil, fmt.Errorf("fakewriter: preset %s: %w", name, err)
	}
	return FromWMD(md), nil
}

// AllPresets makes a writer of every embedded preset, in PresetNames order
// (the same writers, in the same order, as Presets("testdata/writers") in
// this repository).
func AllPresets() ([]*Writer, error) {
	var out []*Writer
	for _, n := range PresetNames() {
		w, err := Preset(n)
		if err != nil {
			return nil, err
		}
		out = append(out, w)
	}
	return out, nil
}
