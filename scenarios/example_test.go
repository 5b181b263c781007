package scenarios_test

import (
	"fmt"
	"testing/fstest"

	"github.com/vsssim/vsssim/scenarios"
)

// A scenario run from Go: the same files vsssim run takes. In a user's own
// go test, scenarios.RunDir(t, "testdata/vss") runs a directory of them as
// subtests. preset=sqlserver is one of the writer presets built into the
// module, found from any directory.
func ExampleRunFS() {
	fsys := fstest.MapFS{"veto.txt": {Data: []byte(`
writer SqlServerWriter preset=sqlserver
fault SqlServerWriter Freeze retryable times=1
new
call InitializeForBackup
----
S_OK

call GatherWriterMetadata
----
S_OK

call GatherWriterMetadata
----
VSS_E_BAD_STATE rule=§2.3#6
`)}}
	res, err := scenarios.RunFS(fsys, "veto.txt")
	if err != nil {
		panic(err) // the file does not parse
	}
	fmt.Println("ok:", res.OK(), "expectations:", scenarios.Expectations(res.Parsed))
	// Output:
	// ok: true expectations: 3
}
