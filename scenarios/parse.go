package scenarios

import (
	"fmt"
	"io/fs"
	"regexp"
	"strings"
	"unicode"

	"github.com/vsssim/vsssim/requestor/vss"
	"github.com/vsssim/vsssim/sim"
)

// File is a parsed scenario file.
type File struct {
	Name       string
	Directives []*Directive
	// fsys, when set, is the file system the file was read from (RunFS):
	// preset=FILE and bcd=FILE next to the scenario are looked up there.
	fsys fs.FS
	// CRLF says the file's lines end with CRLF; Format keeps them so.
	CRLF bool
}

// Directive is one command of a scenario, with its expected output.
type Directive struct {
	Line int // 1-based line of the command
	Cmd  string
	Args []Arg
	// Expected is the text after "----" (without its final newline);
	// HasExpected says whether there was a "----" at all.
	Expected    string
	HasExpected bool
	// Comments are the comment and blank lines before the command, kept so
	// that rewriting reproduces them.
	Comments []string
	// Raw is the command line as written.
	Raw string
}

// Arg is a positional value or a key=value pair.
type Arg struct {
	Key   string // "" for a positional argument
	Value string
}

// ParseError is a scenario syntax error at file:line.
type ParseError struct {
	File string
	Line int // 0 when the error is about the whole file (its size, its encoding)
	Msg  string
}

func (e *ParseError) Error() string {
	if e.Line == 0 { // the file as a whole
		return fmt.Sprintf("%s: %s", e.File, e.Msg)
	}
	return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
}

// Parse reads a scenario:
//
//	# a comment
//	command arg key=value "quoted value"
//	----
//	expected output, up to a blank line or the end of the file
//
// Expected output that itself contains blank lines is written between
// "----" and "----" lines after the first "----" (as in datadriven).
//
// The data is UTF-8 text (a byte order mark is dropped) or UTF-16 (with a
// byte order mark, or recognisable by its NUL bytes); binary data is
// refused. Lines end with LF or CRLF. The limits (MaxFileSize,
// MaxLineLength, MaxArgs) are checked while reading. In an expected output,
// a word that looks like an HRESULT name (VSS_E_*, VSS_S_*, E_*, S_*) must
// be a known one and "rule=ID" must name a rule of sim.Rules: a typo there
// would otherwise only show as a mismatch.
func Parse(name string, data []byte) (*File, error) {
	if len(data) > 2*MaxFileSize+2 {
		return nil, fileTooLarge(name, int64(len(data)))
	}
	text, err := decodeText(name, data)
	if err != nil {
		return nil, err
	}
	f := &File{Name: name}
	lines := strings.Split(text, "\n")
	for i, l := range lines {
		if strings.HasSuffix(l, "\r") {
			l = l[:len(l)-1]
			if i == 0 {
				f.CRLF = true
			}
		}
		if strings.Contains(l, "\r") {
			return nil, &ParseError{name, i + 1, "a carriage return inside a line: lines end with LF or CRLF"}
		}
		if len(l) > MaxLineLength {
			return nil, &ParseError{name, i + 1, fmt.Sprintf("the line is %d bytes long: a scenario line may have at most %d", len(l), MaxLineLength)}
		}
		lines[i] = l
	}
	if len(lines) > 0 && lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	// The comment lines before a command are a slice of lines (no copy:
	// a file of a million blank lines costs one slice, not two).
	pending := -1 // the first comment line not yet attached, if any
	comments := func(i int) []string {
		if pending < 0 {
			return nil
		}
		c := lines[pending:i:i]
		pending = -1
		return c
	}
	for i := 0; i < len(lines); i++ {
		line := lines[i]
		trimmed := strings.TrimSpace(line)
		if trimmed == "" || strings.HasPrefix(trimmed, "#") {
			if pending < 0 {
				pending = i
			}
			continue
		}
		if trimmed == "----" {
			return nil, &ParseError{name, i + 1, "\"----\" without a command before it"}
		}
		d := &Directive{Line: i + 1, Raw: trimmed, Comments: comments(i)}
		cmd, args, err := splitArgs(trimmed)
		if err != nil {
			return nil, &ParseError{name, i + 1, err.Error()}
		}
		d.Cmd, d.Args = cmd, args
		if i+1 < len(lines) && strings.TrimSpace(lines[i+1]) == "----" {
			d.HasExpected = true
			i += 2
			first := i // the line of the first output line
			if i < len(lines) && strings.TrimSpace(lines[i]) == "----" {
				// Block form: ---- ---- ... ---- ----
				i++
				first = i
				for ; ; i++ {
					if i >= len(lines) {
						return nil, &ParseError{name, d.Line, "expected output opened with \"----\" twice is not closed with \"----\" twice"}
					}
					if strings.TrimSpace(lines[i]) == "----" && i+1 < len(lines) && strings.TrimSpace(lines[i+1]) == "----" {
						break
					}
				}
				d.Expected = strings.Join(lines[first:i], "\n")
				i++
			} else {
				for ; i < len(lines) && strings.TrimSpace(lines[i]) != ""; i++ {
				}
				d.Expected = strings.Join(lines[first:i], "\n")
				i-- // the blank line (or EOF) is seen by the loop
			}
			if err := checkExpected(name, first+1, d.Expected); err != nil {
				return nil, err
			}
		}
		f.Directives = append(f.Directives, d)
	}
	if pending >= 0 {
		f.Directives = append(f.Directives, &Directive{Comments: comments(len(lines))})
	}
	return f, nil
}

// hresultWord is a word of an expected output that names an HRESULT.
var hresultWord = regexp.MustCompile(`(?:^|[\s(:=,])((?:VSS_[ES]|E|S)_[A-Z0-9_]+)\b`)

// ruleWord is the rule after an HRESULT (a call's result, to the end of
// the line).
var ruleWord = regexp.MustCompile(`(?:^|\s)(?:VSS_[ES]|E|S)_[A-Z0-9_]+ rule=(.)`)

// checkExpected validates the HRESULT names and rule ids of an expected
// output whose first line is line first of the file.
func checkExpected(name string, first int, expected string) error {
	if expected == "" {
		return nil
	}
	for k, line := range strings.Split(expected, "\n") {
		if m := ruleWord.FindStringSubmatchIndex(line); m != nil {
			id := line[m[2]:]
			if _, ok := sim.RuleByID(id); !ok {
				return &ParseError{name, first + k, fmt.Sprintf("unknown rule id %s in the expected output (the rule ids are those of sim.Rules)", excerpt(id))}
			}
			line = line[:m[2]]
		}
		for _, m := range hresultWord.FindAllStringSubmatchIndex(line, -1) {
			word := line[m[2]:m[3]]
			if strings.Count(line[:m[2]], `"`)%2 == 1 {
				continue // quoted text (a writer's message) is not checked
			}
			if _, err := vss.ParseHRESULT(word); err != nil {
				return &ParseError{name, first + k, strings.TrimPrefix(err.Error(), "vss: ") + " in the expected output"}
			}
		}
	}
	return nil
}

// splitArgs splits a command line into the command and its arguments;
// double quotes group words ("a b"), and a backslash is literal (Windows
// paths).
func splitArgs(s string) (string, []Arg, error) {
	var words []string
	var cur strings.Builder
	inQuote, have := false, false
	for _, r := range s {
		switch {
		case r == '"':
			inQuote = !inQuote
			have = true
		case unicode.IsSpace(r) && !inQuote:
			if have {
				if len(words) > MaxArgs {
					return "", nil, fmt.Errorf("more than %d arguments", MaxArgs)
				}
				words = append(words, cur.String())
				cur.Reset()
				have = false
			}
		default:
			cur.WriteRune(r)
			have = true
		}
	}
	if inQuote {
		return "", nil, fmt.Errorf("unterminated quote in %s", excerpt(s))
	}
	if have {
		words = append(words, cur.String())
	}
	if words[0] == "" {
		return "", nil, fmt.Errorf("the command name is empty (%s)", excerpt(s))
	}
	var args []Arg
	for _, w := range words[1:] {
		if k, v, ok := strings.Cut(w, "="); ok && k != "" && !strings.ContainsAny(k, `\:`) {
			args = append(args, Arg{Key: k, Value: v})
		} else {
			args = append(args, Arg{Value: w})
		}
	}
	return words[0], args, nil
}

// Format renders f with the given outputs as expectations (for -rewrite).
// An output goes after "----" up to a blank line when it can, and between
// doubled "----" lines when it has blank (or whitespace-only) lines or
// starts with a "----" line; a blank line is added after an expectation
// that the next command would otherwise continue. Parse(Format(f)) has
// f's directives, for every f that Parse returned; an output that neither
// form can hold (a carriage return, or two "----" lines in a row in an
// output that also needs the block form) is reported by CheckFormat.
func (f *File) Format(outputs map[*Directive]string) string {
	var b strings.Builder
	nl := "\n"
	if f.CRLF {
		nl = "\r\n"
	}
	line := func(s string) {
		b.WriteString(s)
		b.WriteString(nl)
	}
	for i, d := range f.Directives {
		for _, c := range d.Comments {
			line(c)
		}
		if d.Cmd == "" {
			continue
		}
		line(d.Raw)
		out, ok := outputs[d]
		if !ok {
			out, ok = d.Expected, d.HasExpected
		}
		if !ok || out == "" && !d.HasExpected {
			continue
		}
		line("----")
		if needsBlock(out) {
			line("----")
			for _, l := range strings.Split(out, "\n") {
				line(l)
			}
			line("----")
			line("----")
			continue
		}
		if out != "" {
			for _, l := range strings.Split(out, "\n") {
				line(l)
			}
		}
		// The output ends at a blank line: make sure one follows.
		if i+1 < len(f.Directives) {
			next := f.Directives[i+1]
			if len(next.Comments) > 0 && strings.TrimSpace(next.Comments[0]) != "" || len(next.Comments) == 0 && next.Cmd != "" {
				line("")
			}
		}
	}
	return b.String()
}

// needsBlock reports whether an output needs the doubled-"----" form: it
// has a blank or whitespace-only line, or starts with a "----" line.
func needsBlock(out string) bool {
	if out == "" {
		return false
	}
	lines := strings.Split(out, "\n")
	if strings.TrimSpace(lines[0]) == "----" {
		return true
	}
	for _, l := range lines {
		if strings.TrimSpace(l) == "" {
			return true
		}
	}
	return false
}

// CheckFormat reports an output that Format cannot write back so that Parse
// reads it unchanged, naming the command's file:line.
func (f *File) CheckFormat(outputs map[*Directive]string) error {
	for _, d := range f.Directives {
		out, ok := outputs[d]
		if !ok {
			continue
		}
		if strings.Contains(out, "\r") {
			return &ParseError{f.Name, d.Line, "the output has a carriage return, which a scenario file cannot hold"}
		}
		if !needsBlock(out) {
			continue
		}
		lines := strings.Split(out, "\n")
		for k, l := range lines {
			if strings.TrimSpace(l) == "----" && (k+1 == len(lines) || strings.TrimSpace(lines[k+1]) == "----") {
				return &ParseError{f.Name, d.Line, "the output has blank lines and ends with a \"----\" line or has two in a row, which a scenario file cannot hold"}
			}
		}
	}
	return nil
}

// excerpt quotes s for a message, shortened to its first 60 characters.
func excerpt(s string) string {
	const max = 60
	n := 0
	for i := range s {
		if n == max {
			return fmt.Sprintf("%q... (%d bytes)", s[:i], len(s))
		}
		n++
	}
	return fmt.Sprintf("%q", s)
}

// short is s, or its excerpt when s is long.
func short(s string) string {
	if len(s) <= 60 {
		return s
	}
	return excerpt(s)
}
