package sim

import (
	"testing"
	"unsafe"

	"github.com/stretchr/testify/require"
)

// A trace entry is stored in eight words (rec, 64 bytes on 64-bit
// machines, against 96 for an Entry): the trace is most of the heap of a
// large backup.
func TestTraceRecordSize(t *testing.T) {
	require.LessOrEqual(t, unsafe.Sizeof(rec{}), 8*unsafe.Sizeof(uintptr(0)))
}
