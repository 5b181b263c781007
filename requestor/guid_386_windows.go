//go:build windows && 386

package requestor

import (
	"unsafe"

	"github.com/vsssim/vsssim/requestor/vss"
)

// guid passes a VSS_ID by value: on x86 the 16 bytes are pushed as four
// 32-bit words (restic #3087).
func (a *callArgs) guid(id vss.ID) []uintptr {
	w := *(*[4]uint32)(unsafe.Pointer(&id))
	return []uintptr{uintptr(w[0]), uintptr(w[1]), uintptr(w[2]), uintptr(w[3])}
}
