package fakewriter_test

import (
	"fmt"

	"github.com/vsssim/vsssim/fakewriter"
	"github.com/vsssim/vsssim/sim"
)

// The in-box writer presets are built into the module: a test anywhere can
// subscribe SqlServerWriter and make it fail an event.
func ExamplePreset() {
	fmt.Println(fakewriter.PresetNames())
	w, err := fakewriter.Preset("sqlserver")
	if err != nil {
		panic(err)
	}
	w.On(sim.EventPostSnapshot, fakewriter.NonRetryable())
	if _, err := w.Subscribe(sim.NewDefault()); err != nil {
		panic(err)
	}
	fmt.Println(w.Config.Name, w.Config.ClassID)
	// Output:
	// [asr bits comregdb metadatastore perfcounters registry shadowcopyoptimization sqlserver system taskscheduler wmi]
	// SqlServerWriter a65faa63-5ea8-4ebc-9dbd-a0c4db26912a
}
