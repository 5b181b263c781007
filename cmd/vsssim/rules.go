package main

import (
	"fmt"
	"io"

	"github.com/vsssim/vsssim/requestor/vss"
	"github.com/vsssim/vsssim/sim"
)

// rules lists the rules, or prints one rule's text, basis and source.
func rules(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("rules", stderr)
	pos, code, ok := parseFlags(fs, args, stdout)
	if !ok {
		return code
	}
	if len(pos) == 0 {
		for _, r := range sim.Rules {
			fmt.Fprintf(stdout, "%-20s %-4s %s\n", r.ID, r.Basis, vss.UserText(r.Text))
		}
		return exitOK
	}
	for _, id := range pos {
		r, ok := sim.RuleByID(id)
		if !ok {
			fmt.Fprintf(stderr, "vsssim rules: no rule %q (vsssim rules lists them)\n", id)
			return exitUsage
		}
		fmt.Fprint(stdout, ruleText(r))
	}
	return exitOK
}

// ruleText explains one rule.
func ruleText(r sim.Rule) string {
	return fmt.Sprintf("rule %s\n  %s\n  basis: %s\n  source: %s\n", r.ID, vss.UserText(r.Text), r.BasisText(), r.Source())
}
