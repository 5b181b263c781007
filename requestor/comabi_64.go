//go:build !386 && !arm

package requestor

// snapshotPropTail is zero where Go and MSVC agree on the alignment of
// VSS_SNAPSHOT_PROP (64-bit targets: 128 bytes either way).
const snapshotPropTail = 0
