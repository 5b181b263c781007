package sim

import (
	"cmp"
	"io"
	"slices"
	"strconv"
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
	chunks [][]rec
	n      int
	off    bool
	// names are the entries' distinct Name values (rec.name indexes it);
	// nameIdx finds them (only in the coordinator's own trace, not in
	// snapshots).
	names   []string
	nameIdx map[string]uint32
}

// rec is how the trace stores an Entry: without Seq (the position tells
// it) and with Name as an index into Trace.names. 64 bytes instead of 96:
// a backup records about 40 entries a writer, so with 100,000 writers the
// trace is most of the heap (issue 9).
type rec struct {
	t time.Duration
	// object is Entry.Object: 32 bits are enough, as a trace holding 2^31
	// objects' entries would need hundreds of gigabytes first.
	object int32
	hr     vss.HRESULT
	kind   uint8
	name   uint32
	writer string
	text   string
	lazy   func() string
}

const maxChunk = 4096

func (t *Trace) add(e Entry) {
	if t.off {
		return
	}
	name, ok := t.nameIdx[e.Name]
	if !ok {
		if t.nameIdx == nil {
			t.nameIdx = make(map[string]uint32)
		}
		name = uint32(len(t.names))
		t.names = append(t.names, e.Name)
		t.nameIdx[e.Name] = name
	}
	last := len(t.chunks) - 1
	if last < 0 || len(t.chunks[last]) == cap(t.chunks[last]) {
		size := 64
		if last >= 0 {
			size = min(2*cap(t.chunks[last]), maxChunk)
		}
		t.chunks = append(t.chunks, make([]rec, 0, size))
		last++
	}
	t.chunks[last] = append(t.chunks[last], rec{t: e.T, object: int32(e.Object), hr: e.HR, kind: uint8(e.Kind), name: name,
		writer: e.Writer, text: e.Text, lazy: e.lazy})
	t.n++
}

// entry returns the Entry that r (recorded as number seq) stores.
func (t *Trace) entry(r *rec, seq int) Entry {
	return Entry{T: r.t, Seq: seq, Object: int(r.object), Kind: EntryKind(r.kind), Name: t.names[r.name],
		Writer: r.writer, HR: r.hr, Text: r.text, lazy: r.lazy}
}

// appendRange appends the entries recorded as numbers from..t.n-1 to out.
func (t *Trace) appendRange(out []Entry, from int) []Entry {
	start := 0
	for _, c := range t.chunks {
		if start+len(c) <= from {
			start += len(c)
			continue
		}
		for i := max(from-start, 0); i < len(c); i++ {
			out = append(out, t.entry(&c[i], start+i))
		}
		start += len(c)
	}
	return out
}

func (t *Trace) all() []Entry {
	return t.appendRange(make([]Entry, 0, t.n), 0)
}

// Entries returns the entries ordered by virtual time (ties keep the order
// in which the model produced them).
func (t *Trace) Entries() []Entry {
	out := t.all()
	if !t.sorted() {
		slices.SortStableFunc(out, func(a, b Entry) int { return cmp.Compare(a.T, b.T) })
	}
	return out
}

// sorted reports whether the entries are already in virtual-time order
// (they usually are: sorting is then skipped).
func (t *Trace) sorted() bool {
	var last time.Duration
	for _, c := range t.chunks {
		for i := range c {
			if c[i].t < last {
				return false
			}
			last = c[i].t
		}
	}
	return true
}

// snapshot returns a Trace holding the entries recorded so far. Entries are
// never changed once recorded, so it shares them (each chunk clipped to its
// length: later records never show through).
func (t *Trace) snapshot() *Trace {
	chunks := make([][]rec, len(t.chunks))
	for i, c := range t.chunks {
		chunks[i] = c[:len(c):len(c)]
	}
	return &Trace{chunks: chunks, n: t.n, names: t.names[:len(t.names):len(t.names)]}
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
	buf := make([]byte, 0, 64<<10)
	flush := func() error {
		k, err := w.Write(buf)
		n += int64(k)
		buf = buf[:0]
		return err
	}
	write := func(e *Entry) error {
		buf = append(e.appendTo(buf), '\n')
		if len(buf) >= 60<<10 {
			return flush()
		}
		return nil
	}
	if t.sorted() {
		seq := 0
		for _, c := range t.chunks {
			for i := range c {
				e := t.entry(&c[i], seq)
				seq++
				if err := write(&e); err != nil {
					return n, err
				}
			}
		}
	} else {
		all := t.Entries()
		for i := range all {
			if err := write(&all[i]); err != nil {
				return n, err
			}
		}
	}
	if len(buf) > 0 {
		return n, flush()
	}
	return n, nil
}

// String renders one entry: "  12.500s #1 call DoSnapshotSet".
func (e Entry) String() string { return string(e.appendTo(nil)) }

// appendTo appends the rendering of e to b.
func (e *Entry) appendTo(b []byte) []byte {
	secs := int64(e.T / time.Second)
	ms := int64((e.T % time.Second) / time.Millisecond)
	// "%5d.%03ds #%d "
	var num [20]byte
	d := strconv.AppendInt(num[:0], secs, 10)
	for i := len(d); i < 5; i++ {
		b = append(b, ' ')
	}
	b = append(b, d...)
	b = append(b, '.')
	if ms < 100 {
		b = append(b, '0')
	}
	if ms < 10 {
		b = append(b, '0')
	}
	b = strconv.AppendInt(b, ms, 10)
	b = append(b, "s #"...)
	b = strconv.AppendInt(b, int64(e.Object), 10)
	b = append(b, ' ')
	text := e.Detail()
	switch e.Kind {
	case KindCall:
		b = append(append(append(append(append(b, "call   "...), e.Name...), '('), text...), ')')
	case KindReturn, KindAsync:
		word := "return "
		if e.Kind == KindAsync {
			word = "async  "
		}
		b = append(append(append(append(b, word...), e.Name...), " = "...), e.HR.String()...)
		if text != "" {
			b = append(append(append(b, " ("...), text...), ')')
		}
	case KindEvent:
		b = append(append(append(append(b, "event  "...), e.Name...), " -> "...), e.Writer...)
		if text != "" {
			b = append(append(b, ' '), text...)
		}
	case KindReply:
		b = append(append(append(append(append(append(b, "reply  "...), e.Name...), " <- "...), e.Writer...), ' '), text...)
	case KindState:
		b = append(append(append(append(b, "state  "...), e.Writer...), ' '), text...)
	default:
		b = append(append(b, "note   "...), text...)
	}
	return b
}
