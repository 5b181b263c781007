package fakewriter_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/vsssim/vsssim/fakewriter"
)

// A customer's vshadow -wm3 output is untrusted input: any bytes give
// writers or an error, never a panic or a hang.
func FuzzVShadowWM3(f *testing.F) {
	data, err := os.ReadFile(filepath.Join(customer, "vshadow-wm3.out"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(data)
	f.Add(utf16le(string(data), true))
	f.Add([]byte("--[Writer 0]--\n<WRITER_METADATA/>\n--[end of data]--\n"))
	f.Add([]byte{0xFE, 0xFF, 0, '-'})
	f.Fuzz(func(t *testing.T, b []byte) {
		ws, err := fakewriter.FromVShadowWM3(b)
		if err == nil && len(ws) == 0 {
			t.Fatal("no error and no writers")
		}
	})
}
