// Package vsssim holds the data files the module ships with its code: the
// in-box writer presets (testdata/writers) and the scenario catalog
// (testdata/scenarios), embedded so that the fakewriter package, the
// scenarios package and the vsssim command find them from any directory and
// from other modules.
//
// Use fakewriter.Preset, fakewriter.PresetNames and scenarios.Catalog rather
// than these file systems directly.
package vsssim

import "embed"

// WriterPresets holds testdata/writers/*.xml: the Writer Metadata Documents
// of the in-box writer presets.
//
//go:embed testdata/writers/*.xml
var WriterPresets embed.FS

// ScenarioCatalog holds testdata/scenarios: the conformance scenario
// catalog and the documents its scenarios load.
//
//go:embed testdata/scenarios
var ScenarioCatalog embed.FS
