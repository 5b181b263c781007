package sim

import "sort"

// TraceLen is the number of trace entries recorded so far; unlike
// Trace().Len() it copies nothing.
func (c *Coordinator) TraceLen() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.trace.n
}

// TraceSince returns the entries recorded from sequence number seq on
// (Entry.Seq ≥ seq), ordered as Trace().Entries() orders them. It costs
// what it returns, not the whole trace, so reading a long trace piece by
// piece stays linear.
func (c *Coordinator) TraceSince(seq int) []Entry {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := c.trace.appendRange(nil, seq)
	// The same stable order as Entries: a stable sort of a subsequence
	// keeps the relative order the sort of the whole gives it.
	sort.SliceStable(out, func(i, j int) bool { return out[i].T < out[j].T })
	return out
}
