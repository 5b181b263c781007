//go:build !windows

package requestor

// NewWindows returns the real Windows VSS backend; on other systems it
// always returns ErrUnavailable.
func NewWindows() (BackupComponents, error) {
	return nil, unavailable("this is not Windows")
}
