package sim

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// The zero Options has a working hang guard (issue 9: it had none, so one
// blocked handler hung the caller for ever).
func TestZeroOptionsHaveHangGuard(t *testing.T) {
	require.Equal(t, DefaultOptions().HangGuard, Options{}.hangGuard())
	require.Equal(t, 10*time.Second, Options{}.hangGuard())
	require.Zero(t, Options{HangGuard: -1}.hangGuard(), "negative disables")
	require.Equal(t, time.Second, Options{HangGuard: time.Second}.hangGuard())
}
