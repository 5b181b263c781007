package sim

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// foldKey(a) == foldKey(b) exactly when strings.EqualFold(a, b): the map
// indexes find what the linear EqualFold scans found.
func TestFoldKeyMatchesEqualFold(t *testing.T) {
	words := []string{"", "a", "A", "data", "DATA", "Data", "k", "K", "\u212a", "s", "S", "\u017f",
		"σ", "Σ", "ς", "ǅ", "ǆ", "Ǆ", "\xff", "\xfe", "\ufffd", "ß", "ẞ", "İ", "i", "ı", `C:\Data`, `c:\data`}
	for _, a := range words {
		for _, b := range words {
			require.Equal(t, strings.EqualFold(a, b), foldKey(a) == foldKey(b), "%q vs %q", a, b)
		}
	}
}

func FuzzFoldKey(f *testing.F) {
	f.Add("Data", "dATA")
	f.Add("\u212a", "k")
	f.Add("\xff", "\ufffd")
	f.Fuzz(func(t *testing.T, a, b string) {
		if strings.EqualFold(a, b) != (foldKey(a) == foldKey(b)) {
			t.Fatalf("EqualFold(%q, %q) = %v, foldKeys %q %q", a, b, strings.EqualFold(a, b), foldKey(a), foldKey(b))
		}
	})
}

// The zero Options has a working hang guard (issue 9: it had none, so one
// blocked handler hung the caller for ever).
func TestZeroOptionsHaveHangGuard(t *testing.T) {
	require.Equal(t, DefaultOptions().HangGuard, Options{}.hangGuard())
	require.Equal(t, 10*time.Second, Options{}.hangGuard())
	require.Zero(t, Options{HangGuard: -1}.hangGuard(), "negative disables")
	require.Equal(t, time.Second, Options{HangGuard: time.Second}.hangGuard())
}
