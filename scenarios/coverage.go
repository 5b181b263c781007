package scenarios

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/vsssim/vsssim/sim"
)

// Coverage merges what a set of runs exercised: for every documented
// (method, HRESULT) row of REFERENCE §1.3 (sim.ReturnCodes), every
// BAD_STATE rule (sim.Rules) and every requestor conformance check
// (sim.Checks, tripped by a check command), the places that produced it.
type Coverage struct {
	hits map[string][]string // key -> "file:line"
}

// Add merges one run.
func (c *Coverage) Add(r *Result) {
	if c.hits == nil {
		c.hits = map[string][]string{}
	}
	for _, k := range sortedKeys(r.Covered) {
		for _, line := range r.Covered[k] {
			c.hits[k] = append(c.hits[k], fmt.Sprintf("%s:%d", r.File, line))
		}
	}
}

// Row is one line of the coverage listing.
type Row struct {
	Key   string // "Method HRESULT" or "rule ID"
	Where []string
}

// Rows lists every documented row (call results, then async results) and
// rule, in order, with where each was exercised.
func (c *Coverage) Rows() []Row {
	var methods []string
	for m := range sim.ReturnCodes {
		methods = append(methods, m)
	}
	sort.Strings(methods)
	var rows []Row
	for _, m := range methods {
		for _, hr := range sim.ReturnCodes[m] {
			key := m + " " + hr.String()
			rows = append(rows, Row{Key: key, Where: c.hits[key]})
		}
	}
	methods = methods[:0]
	for m := range sim.AsyncResults {
		methods = append(methods, m)
	}
	sort.Strings(methods)
	for _, m := range methods {
		for _, hr := range sim.AsyncResults[m] {
			key := m + " async " + hr.String()
			rows = append(rows, Row{Key: key, Where: c.hits[key]})
		}
	}
	for _, r := range sim.Rules {
		rows = append(rows, Row{Key: "rule " + r.ID, Where: c.hits["rule "+r.ID]})
	}
	for _, ci := range sim.Checks {
		rows = append(rows, Row{Key: "check " + ci.Name, Where: c.hits["check "+ci.Name]})
	}
	return rows
}

// Missing lists the rows nothing exercised.
func (c *Coverage) Missing() []string {
	var out []string
	for _, r := range c.Rows() {
		if len(r.Where) == 0 {
			out = append(out, r.Key)
		}
	}
	return out
}

// Write prints the listing: one row a line, "covered by" the first place
// (and how many), or MISSING.
func (c *Coverage) Write(w io.Writer) {
	rows := c.Rows()
	covered := 0
	for _, r := range rows {
		if len(r.Where) == 0 {
			fmt.Fprintf(w, "MISSING  %s\n", r.Key)
			continue
		}
		covered++
		more := ""
		if len(r.Where) > 1 {
			more = fmt.Sprintf(" (+%d more)", len(r.Where)-1)
		}
		fmt.Fprintf(w, "covered  %-70s %s%s\n", r.Key, r.Where[0], more)
	}
	fmt.Fprintf(w, "%d of %d rows covered\n", covered, len(rows))
}

func (c *Coverage) String() string {
	var b strings.Builder
	c.Write(&b)
	return b.String()
}
