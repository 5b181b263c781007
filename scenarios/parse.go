package scenarios

import (
	"fmt"
	"io/fs"
	"strings"
	"unicode"
)

// File is a parsed scenario file.
type File struct {
	Name       string
	Directives []*Directive
	// fsys, when set, is the file system the file was read from (RunFS):
	// preset=FILE and bcd=FILE next to the scenario are looked up there.
	fsys fs.FS
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
	Line int
	Msg  string
}

func (e *ParseError) Error() string { return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg) }

// Parse reads a scenario:
//
//	# a comment
//	command arg key=value "quoted value"
//	----
//	expected output, up to a blank line or the end of the file
//
// Expected output that itself contains blank lines is written between
// "----" and "----" lines after the first "----" (as in datadriven).
func Parse(name string, data []byte) (*File, error) {
	f := &File{Name: name}
	lines := strings.Split(strings.ReplaceAll(string(data), "\r\n", "\n"), "\n")
	if len(lines) > 0 && lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	var pending []string
	for i := 0; i < len(lines); i++ {
		line := lines[i]
		trimmed := strings.TrimSpace(line)
		if trimmed == "" || strings.HasPrefix(trimmed, "#") {
			pending = append(pending, line)
			continue
		}
		if trimmed == "----" {
			return nil, &ParseError{name, i + 1, "\"----\" without a command before it"}
		}
		d := &Directive{Line: i + 1, Raw: trimmed, Comments: pending}
		pending = nil
		cmd, args, err := splitArgs(trimmed)
		if err != nil {
			return nil, &ParseError{name, i + 1, err.Error()}
		}
		d.Cmd, d.Args = cmd, args
		if i+1 < len(lines) && strings.TrimSpace(lines[i+1]) == "----" {
			d.HasExpected = true
			i += 2
			var out []string
			if i < len(lines) && strings.TrimSpace(lines[i]) == "----" {
				// Block form: ---- ---- ... ---- ----
				i++
				for ; ; i++ {
					if i >= len(lines) {
						return nil, &ParseError{name, d.Line, "expected output opened with \"----\" twice is not closed with \"----\" twice"}
					}
					if strings.TrimSpace(lines[i]) == "----" && i+1 < len(lines) && strings.TrimSpace(lines[i+1]) == "----" {
						i++
						break
					}
					out = append(out, lines[i])
				}
			} else {
				for ; i < len(lines) && strings.TrimSpace(lines[i]) != ""; i++ {
					out = append(out, lines[i])
				}
				i-- // the blank line (or EOF) is seen by the loop
			}
			d.Expected = strings.Join(out, "\n")
		}
		f.Directives = append(f.Directives, d)
	}
	if len(pending) > 0 {
		f.Directives = append(f.Directives, &Directive{Comments: pending})
	}
	return f, nil
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
		return "", nil, fmt.Errorf("unterminated quote in %q", s)
	}
	if have {
		words = append(words, cur.String())
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
func (f *File) Format(outputs map[*Directive]string) string {
	var b strings.Builder
	for _, d := range f.Directives {
		for _, c := range d.Comments {
			b.WriteString(c + "\n")
		}
		if d.Cmd == "" {
			continue
		}
		b.WriteString(d.Raw + "\n")
		out, ok := outputs[d]
		if !ok {
			out, ok = d.Expected, d.HasExpected
		}
		if !ok || out == "" && !d.HasExpected {
			continue
		}
		b.WriteString("----\n")
		if strings.Contains(out, "\n\n") || strings.HasSuffix(out, "\n") {
			b.WriteString("----\n" + out + "\n----\n----\n")
		} else {
			b.WriteString(out + "\n")
		}
	}
	return b.String()
}
