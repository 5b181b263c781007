package sim

import (
	"strings"
	"testing"
)

// Every rule says where it comes from, in terms users can follow (no
// pointer to the internal reference document).
func TestEveryRuleHasASource(t *testing.T) {
	for _, r := range Rules {
		s := r.Source()
		if s == "" {
			t.Errorf("rule %q has no source: add it to ruleSources", r.ID)
		}
		if strings.Contains(s, "REFERENCE") || strings.Contains(s, "FIELD") {
			t.Errorf("rule %q: source %q points at an internal document", r.ID, s)
		}
		for _, p := range strings.Split(r.Basis, "+") {
			if p != "D" && p != "O" && p != "I" {
				t.Errorf("rule %q: basis %q is not D, O, I or a sum of them", r.ID, r.Basis)
			}
		}
	}
	for id := range ruleSources {
		if _, ok := RuleByID(id); !ok {
			t.Errorf("ruleSources has %q, which is not a rule", id)
		}
	}
}
