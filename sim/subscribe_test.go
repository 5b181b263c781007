package sim_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/vsssim/vsssim/fakewriter"
	"github.com/vsssim/vsssim/requestor/vss"
	"github.com/vsssim/vsssim/sim"
)

// valueWriter is a Writer whose dynamic type cannot be compared with ==
// (it holds a slice): it can never be "the same writer" twice.
type valueWriter struct {
	sim.BaseWriter
	tags []string
}

func TestSubscribeDuplicates(t *testing.T) {
	c := sim.NewDefault()
	w := fakewriter.New("Twice")
	id, err := w.Subscribe(c)
	require.NoError(t, err)
	_, err = w.Subscribe(c)
	requireHR(t, vss.VSS_E_WRITER_ALREADY_SUBSCRIBED, err)
	require.NoError(t, c.Unsubscribe(id))
	_, err = w.Subscribe(c)
	require.NoError(t, err, "after Unsubscribe the same handler subscribes again")

	v := valueWriter{tags: []string{"a"}}
	cfg := sim.WriterConfig{ClassID: fakewriter.ClassID("Value"), Name: "Value"}
	id1, err := c.Subscribe(v, cfg)
	require.NoError(t, err)
	id2, err := c.Subscribe(v, cfg)
	require.NoError(t, err, "an uncomparable handler is never a duplicate (and must not panic)")
	require.NotEqual(t, id1, id2)
	require.NoError(t, c.Unsubscribe(id1))
	require.Len(t, c.Writers(), 2)
}

// BenchmarkSubscribe subscribes n writers to a new coordinator; ns/writer
// is flat in n (issue 9: each Subscribe compared the new writer with every
// subscribed one, so 20,000 writers took 14 s).
func BenchmarkSubscribe(b *testing.B) {
	for _, n := range []int{1000, 10000, 100000} {
		ws := make([]*fakewriter.Writer, n)
		for j := range ws {
			ws[j] = fakewriter.New(fmt.Sprintf("Writer %06d", j))
		}
		b.Run(fmt.Sprintf("writers=%d", n), func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				c := sim.NewDefault()
				for _, w := range ws {
					if _, err := w.Subscribe(c); err != nil {
						b.Fatal(err)
					}
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/writer")
		})
	}
}
