//go:build windows && arm64

package requestor

import (
	"unsafe"

	"github.com/vsssim/vsssim/requestor/vss"
)

// guid passes a VSS_ID by value: on ARM64 a 16-byte struct goes in two
// general registers.
func (a *callArgs) guid(id vss.ID) []uintptr {
	w := *(*[2]uint64)(unsafe.Pointer(&id))
	return []uintptr{uintptr(w[0]), uintptr(w[1])}
}
