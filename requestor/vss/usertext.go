package vss

import "regexp"

// Provenance tags: the simulator's messages cite the project's internal
// protocol reference ("REFERENCE §4.6"), labels ("[Obs]", "[Inf]") and the
// public threads behind an observation. Users do not have that document, so
// the messages are rendered without them; `vsssim rules ID` explains a rule
// id, with its public source.
var (
	// "(REFERENCE §1.1: it cannot be reused)" keeps its explanation.
	provenanceExplained = regexp.MustCompile(`\(REFERENCE §[0-9.]+: ([^()]*)\)`)
	// A parenthetical that is only provenance: "(REFERENCE §4.6)",
	// "([Obs] AlphaVSS #51)", "(REFERENCE §2.1 non-writer contexts)".
	provenanceGroup = regexp.MustCompile(`\s*\((?:REFERENCE §|\[(?:Obs|Doc|Inf|Hdr)\])[^()]*\)`)
	// A trailing item: "(reserved, REFERENCE §5.2)", ", [Obs] breeze #2999".
	provenanceItem = regexp.MustCompile(`,\s*(?:REFERENCE §[0-9.]+(?:,\s*§[0-9.]+)*|\[(?:Obs|Doc|Inf|Hdr)\][^,;()\]]*)`)
)

// UserText removes the internal provenance tags from a message of the
// simulator (see the comment above); rule ids such as §2.3#13 stay.
// Error.Error applies it to Detail and Expected.
func UserText(s string) string {
	s = provenanceExplained.ReplaceAllString(s, "($1)")
	s = provenanceGroup.ReplaceAllString(s, "")
	return provenanceItem.ReplaceAllString(s, "")
}
