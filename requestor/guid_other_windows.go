//go:build windows && !amd64 && !arm64 && !386

package requestor

// The COM backend passes VSS_ID by value, which needs the calling
// convention of the architecture; only amd64, arm64 and 386 are done.
var _ = "the vsssim COM backend supports windows/amd64, windows/arm64 and windows/386 only" + unsupportedArchitecture
