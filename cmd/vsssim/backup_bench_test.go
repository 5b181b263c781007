package main

import (
	"fmt"
	"io"
	"testing"
)

// BenchmarkBackupCommand is `vsssim backup -writers N` with its output
// (the full trace and the status table) discarded: the flag's maximum,
// 100,000 writers, must go through a full backup in seconds (issue 9: it
// did not finish; 20,000 writers took 11 s).
func BenchmarkBackupCommand(b *testing.B) {
	for _, n := range []int{1000, 10000, 100000} {
		b.Run(fmt.Sprintf("writers=%d", n), func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				if rc := run([]string{"backup", "-writers", fmt.Sprint(n)}, io.Discard, io.Discard); rc != 0 {
					b.Fatalf("exit status %d", rc)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/writer")
		})
	}
}
