// Package vss holds the protocol vocabulary of the Windows Volume Shadow
// Copy Service (VSS) as used by the simulator: HRESULT codes, the VSS_ID
// (GUID) type, and the enumerations declared in the Windows SDK headers
// vss.h, vswriter.h and vsbackup.h.
//
// Every identifier that mirrors an SDK name is spelled exactly as the SDK
// spells it (for example VSS_E_BAD_STATE or VSS_WS_FAILED_AT_FREEZE), and
// every value matches the mingw-w64 copies of those headers. The header
// conformance test in this package checks that against the installed
// headers (package mingw-w64-common on Debian and Ubuntu).
//
// The package has no platform-specific code; it builds and behaves the same
// on every GOOS.
//
// Errors: an [HRESULT] is itself an error. Richer failures are reported as
// [*Error], which wraps an HRESULT so that
//
//	errors.Is(err, vss.VSS_E_BAD_STATE)
//
// works, and [Code] recovers the HRESULT from any error.
package vss
