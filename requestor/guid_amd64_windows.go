//go:build windows && amd64

package requestor

import (
	"unsafe"

	"github.com/vsssim/vsssim/requestor/vss"
)

// guidWords passes a VSS_ID by value: on x64 a 16-byte struct goes as a
// pointer to a copy the caller owns (REFERENCE §1.2 calling convention).
func (a *callArgs) guid(id vss.ID) []uintptr {
	p := new(vss.ID)
	*p = id
	a.keep = append(a.keep, p)
	return []uintptr{uintptr(unsafe.Pointer(p))}
}
