package sim

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/vsssim/vsssim/requestor/vss"
)

// EntryKind classifies a trace entry.
type EntryKind int

// Trace entry kinds.
const (
	KindCall   EntryKind = iota + 1 // a requestor call
	KindReturn                      // its result
	KindAsync                       // an IVssAsync reaching its final status
	KindEvent                       // an event sent to a writer
	KindReply                       // a writer's answer to an event
	KindState                       // a writer state change (VSS_WS_*)
	KindNote                        // anything else worth knowing (ignored calls, snapshots)
)

func (k EntryKind) String() string {
	switch k {
	case KindCall:
		return "call"
	case KindReturn:
		return "return"
	case KindAsync:
		return "async"
	case KindEvent:
		return "event"
	case KindReply:
		return "reply"
	case KindState:
		return "state"
	case KindNote:
		return "note"
	}
	return "?"
}

// Entry is one line of the trace. T is virtual time since the coordinator
// started; Object is the BackupComponents number (1, 2, ...; 0 for the
// coordinator itself).
type Entry struct {
	T      time.Duration
	Seq    int
	Object int
	Kind   EntryKind
	// Name is the method or event name.
	Name string
	// Writer is the writer's name for event, reply and state entries.
	Writer string
	HR     vss.HRESULT
	// Text is the entry's detail; Detail() renders it (some entries are
	// formatted only when rendered, to keep recording cheap).
	Text string
	lazy func() string
}

// Detail returns the entry's detail text.
func (e Entry) Detail() string {
	if e.Text == "" && e.lazy != nil {
		return e.lazy()
	}
	return e.Text
}

// Trace is the deterministic record of a coordinator's life: every call,
// result, event, writer reply and state change, in virtual-time order.
type Trace struct {
	// chunks hold the entries in recording order; a full chunk is never
	// copied, so recording costs the same at the millionth entry as at the
	// first.
	chunks [][]Entry
	n      int
	off    bool
}

const maxChunk = 4096

func (t *Trace) add(e Entry) {
	if t.off {
		return
	}
	e.Seq = t.n
	last := len(t.chunks) - 1
	if last < 0 || len(t.chunks[last]) == cap(t.chunks[last]) {
		size := 64
		if last >= 0 {
			size = min(2*cap(t.chunks[last]), maxChunk)
		}
		t.chunks = append(t.chunks, make([]Entry, 0, size))
		last++
	}
	t.chunks[last] = append(t.chunks[last], e)
	t.n++
}

func (t *Trace) all() []Entry {
	out := make([]Entry, 0, t.n)
	for _, c := range t.chunks {
		out = append(out, c...)
	}
	return out
}

// Entries returns the entries ordered by virtual time (ties keep the order
// in which the model produced them).
func (t *Trace) Entries() []Entry {
	out := t.all()
	sort.SliceStable(out, func(i, j int) bool { return out[i].T < out[j].T })
	return out
}

// Len is the number of entries recorded so far.
func (t *Trace) Len() int { return t.n }

// String renders the trace as text, one entry a line (the golden-file form).
func (t *Trace) String() string {
	var b strings.Builder
	_, _ = t.WriteTo(&b)
	return b.String()
}

// WriteTo writes the text rendering of the trace to w.
func (t *Trace) WriteTo(w io.Writer) (int64, error) {
	var n int64
	for _, e := range t.Entries() {
		k, err := io.WriteString(w, e.String()+"\n")
		n += int64(k)
		if err != nil {
			return n, err
		}
	}
	return n, nil
}

// String renders one entry: "  12.500s #1 call DoSnapshotSet".
func (e Entry) String() string {
	secs := e.T / time.Second
	ms := (e.T % time.Second) / time.Millisecond
	prefix := fmt.Sprintf("%5d.%03ds #%d ", secs, ms, e.Object)
	var body string
	text := e.Detail()
	switch e.Kind {
	case KindCall:
		body = "call   " + e.Name + "(" + text + ")"
	case KindReturn:
		body = "return " + e.Name + " = " + e.HR.String()
		if text != "" {
			body += " (" + text + ")"
		}
	case KindAsync:
		body = "async  " + e.Name + " = " + e.HR.String()
		if text != "" {
			body += " (" + text + ")"
		}
	case KindEvent:
		body = "event  " + e.Name + " -> " + e.Writer
		if text != "" {
			body += " " + text
		}
	case KindReply:
		body = "reply  " + e.Name + " <- " + e.Writer + " " + text
	case KindState:
		body = "state  " + e.Writer + " " + text
	default:
		body = "note   " + text
	}
	return prefix + body
}
