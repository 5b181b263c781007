// Command gen writes the DLL's generated C source from the method table
// (go generate ./service/comtable).
package main

import (
	"fmt"
	"os"

	"github.com/vsssim/vsssim/service/comtable"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: gen OUTPUT.h")
		os.Exit(2)
	}
	if err := os.WriteFile(os.Args[1], comtable.GenerateC(), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}
