package scenarios

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"
	"time"
	"unicode/utf16"
	"unicode/utf8"
)

// Limits of a scenario file. They bound what one file can cost (memory,
// time, output), so that a hostile or broken file fails with a clear
// file:line error instead of exhausting the machine running it. Hand-written
// scenarios are far below every one of them.
const (
	// MaxFileSize is the largest scenario file, in bytes (after decoding).
	MaxFileSize = 4 << 20
	// MaxLineLength is the longest line of a scenario file, in bytes.
	MaxLineLength = 64 << 10
	// MaxArgs is the most arguments one command may have.
	MaxArgs = 1000
	// MaxFailures is the most failed expectations reported for one file:
	// the run stops there (Result.Stopped says where).
	MaxFailures = 100
	// MaxWriters is the most writers one scenario may declare.
	MaxWriters = 10000
	// MaxObjects is the most requestor objects ("new") one scenario may
	// create.
	MaxObjects = 1000
	// MaxVolumes is the most volumes one scenario may declare.
	MaxVolumes = 1000
	// MaxInjections is the most "inject" commands one scenario may have
	// (every call looks through the injected faults).
	MaxInjections = 1000
	// MaxTraceEntries bounds the simulator's trace of one scenario: a
	// command after which the trace holds more entries stops the run with
	// an error.
	MaxTraceEntries = 2000000
	// MaxDuration is the longest duration a scenario argument may give
	// (10 years of virtual time); it also bounds the virtual clock, which
	// "advance" may not move past 10 × MaxDuration.
	MaxDuration = 10 * 365 * 24 * time.Hour
	// MaxCount is the largest count (times=N, object=N, ...) a scenario
	// argument may give.
	MaxCount = math.MaxInt32
)

// ErrNoExpectations is what Result.NothingChecked reports as an error: a
// scenario that ran but compared nothing (an empty file, or commands
// without any "----" expectation) must not count as a pass.
var ErrNoExpectations = errors.New("the scenario checks nothing: no command has an expected output (\"----\")")

// readScenario reads at most MaxFileSize bytes of a file, refusing a
// larger one before reading it.
func readScenario(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if st, err := f.Stat(); err == nil && st.Mode().IsRegular() && st.Size() > 2*MaxFileSize+2 {
		// 2×: a UTF-16 file decodes to at most half its size.
		return nil, fileTooLarge(path, st.Size())
	}
	data, err := io.ReadAll(io.LimitReader(f, 2*MaxFileSize+3))
	if err != nil {
		return nil, err
	}
	if len(data) > 2*MaxFileSize+2 {
		return nil, fileTooLarge(path, int64(len(data)))
	}
	return data, nil
}

func fileTooLarge(name string, size int64) error {
	return &ParseError{name, 0, fmt.Sprintf("the file is %d bytes: a scenario file may have at most %d (%d MiB)", size, MaxFileSize, MaxFileSize>>20)}
}

// decodeText turns a scenario file into UTF-8 text: a UTF-8 byte order mark
// is dropped, UTF-16 (with a byte order mark, or without one when the NUL
// bytes show it) is decoded, and anything else that is not UTF-8 text
// (NUL bytes, control characters, invalid UTF-8) is refused with the line
// where it starts, never echoed back.
func decodeText(name string, data []byte) (string, error) {
	switch {
	case bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}):
		data = data[3:]
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}):
		return decodeUTF16(name, data[2:], false)
	case bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		return decodeUTF16(name, data[2:], true)
	case len(data) >= 2 && len(data)%2 == 0 && looksUTF16(data):
		return decodeUTF16(name, data, data[0] == 0)
	}
	if len(data) > MaxFileSize {
		return "", fileTooLarge(name, int64(len(data)))
	}
	line := 1
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && size <= 1 {
			return "", &ParseError{name, line, fmt.Sprintf("byte 0x%02X is not UTF-8 text: a scenario file is UTF-8 (or UTF-16) text, not binary data", data[i])}
		}
		if err := textRune(name, line, r); err != nil {
			return "", err
		}
		if r == '\n' {
			line++
		}
		i += size
	}
	return string(data), nil
}

// looksUTF16 reports whether BOM-less data is UTF-16 text of mostly ASCII
// characters: every other byte is NUL, and the others are not.
func looksUTF16(data []byte) bool {
	zeroEven, zeroOdd := 0, 0
	n := min(len(data), 512)
	for i := 0; i < n; i++ {
		if data[i] == 0 {
			if i%2 == 0 {
				zeroEven++
			} else {
				zeroOdd++
			}
		}
	}
	half := n / 2
	return (zeroOdd == half && zeroEven == 0) || (zeroEven == half && zeroOdd == 0)
}

func decodeUTF16(name string, data []byte, bigEndian bool) (string, error) {
	if len(data)%2 != 0 {
		return "", &ParseError{name, 0, "the file looks like UTF-16 but has an odd number of bytes"}
	}
	if len(data)/2 > MaxFileSize {
		return "", fileTooLarge(name, int64(len(data)))
	}
	var b strings.Builder
	b.Grow(len(data) / 2)
	line := 1
	unit := func(i int) uint16 {
		if bigEndian {
			return uint16(data[i])<<8 | uint16(data[i+1])
		}
		return uint16(data[i+1])<<8 | uint16(data[i])
	}
	for i := 0; i < len(data); i += 2 {
		u := rune(unit(i))
		r := u
		switch {
		case utf16.IsSurrogate(u):
			if u < 0xDC00 && i+3 < len(data) {
				r = utf16.DecodeRune(u, rune(unit(i+2)))
				i += 2
			} else {
				r = utf8.RuneError
			}
			if r == utf8.RuneError {
				return "", &ParseError{name, line, fmt.Sprintf("unpaired UTF-16 surrogate 0x%04X: the file is not valid UTF-16 text", u)}
			}
		}
		if err := textRune(name, line, r); err != nil {
			return "", err
		}
		if r == '\n' {
			line++
		}
		if b.Len() > MaxFileSize {
			return "", fileTooLarge(name, int64(len(data)))
		}
		b.WriteRune(r)
	}
	return b.String(), nil
}

// textRune refuses the control characters that do not occur in text.
func textRune(name string, line int, r rune) error {
	if (r < 0x20 && r != '\t' && r != '\n' && r != '\r') || r == 0x7F {
		return &ParseError{name, line, fmt.Sprintf("control character %U: a scenario file is text, not binary data", r)}
	}
	if r == 0xFEFF {
		// Only the file's first character may be a byte order mark (it is
		// dropped); elsewhere it would be an invisible command or argument.
		return &ParseError{name, line, "U+FEFF (a byte order mark) inside the file: only the first character may be one"}
	}
	return nil
}

// parseCount reads a count argument (key=N): a positive number up to max.
func parseCount(key, s string, max int) (int, error) {
	n, err := strconv.ParseInt(s, 10, 64)
	var ne *strconv.NumError
	switch {
	case errors.As(err, &ne) && ne.Err == strconv.ErrRange && !strings.HasPrefix(s, "-"), err == nil && n > int64(max):
		return 0, fmt.Errorf("%s=%s is too large (at most %d)", key, s, max)
	case err != nil:
		return 0, fmt.Errorf("%s=%q is not a number", key, s)
	case n < 1:
		return 0, fmt.Errorf("%s=%s is not a positive number", key, s)
	}
	return int(n), nil
}

// traceBudget is MaxTraceEntries (a variable so that a test can lower it).
var traceBudget = MaxTraceEntries
