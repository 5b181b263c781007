//go:build 386 || arm

package requestor

// snapshotPropTail pads snapshotPropRaw to MSVC's 8-byte struct alignment
// on 386 and 32-bit arm (92 -> 96 bytes).
const snapshotPropTail = 4
