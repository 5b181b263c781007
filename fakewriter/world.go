package fakewriter

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/beevik/etree"

	"github.com/vsssim/vsssim/requestor/vss"
)

// Load makes writers from the documents a customer can send, to replay
// their machine's writers in the simulator:
//
//   - a diskshadow metadata folder (the files of the .cab written by
//     diskshadow's "set metadata": Manifest.xml, UTF-16, naming one WM*.xml
//     Writer Metadata Document per writer, and BCDocument.xml);
//   - a directory of Writer Metadata Documents (*.xml, in file-name order;
//     Backup Components Documents in it are skipped);
//   - a file of vshadow -wm3 output (each writer's document after a
//     "--[Writer N]--" line, the list ended by "--[end of data]--");
//   - a single Writer Metadata Document.
//
// Files may be UTF-8 or UTF-16.
func Load(path string) ([]*Writer, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if st.IsDir() {
		if _, err := os.Stat(filepath.Join(path, "Manifest.xml")); err == nil {
			ws, _, err := FromDiskshadow(path)
			return ws, err
		}
		return FromDir(path)
	}
	data, err := readLimited(path)
	if err != nil {
		return nil, err
	}
	text := decodeText(data)
	if wm3Marker.MatchString(text) {
		ws, err := FromVShadowWM3([]byte(text))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		return ws, nil
	}
	w, err := FromFile(path)
	if err != nil {
		return nil, err
	}
	return []*Writer{w}, nil
}

// maxDocument bounds a document read by Load (real ones are kilobytes).
const maxDocument = 64 << 20

func readLimited(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxDocument+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxDocument {
		return nil, fmt.Errorf("%s: larger than %d MiB: not a VSS document", path, maxDocument>>20)
	}
	return data, nil
}

// FromDir makes a writer of every Writer Metadata Document (*.xml) in dir,
// in file-name order, skipping Backup Components Documents. Unlike Presets
// it accepts UTF-16 files and the mixed folders customers send.
func FromDir(dir string) ([]*Writer, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.xml"))
	if err != nil {
		return nil, err
	}
	sort.Strings(files)
	var out []*Writer
	for _, f := range files {
		data, err := readLimited(f)
		if err != nil {
			return nil, err
		}
		if root := rootElement(decodeText(data)); root == "BACKUP_COMPONENTS" || root == "Manifest" {
			continue
		}
		md, err := vss.LoadWriterMetadata(data)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", f, err)
		}
		out = append(out, FromWMD(md))
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("fakewriter: no writer metadata documents (*.xml) in %s", dir)
	}
	return out, nil
}

var wm3Marker = regexp.MustCompile(`(?m)^--\[Writer (\d+)\]--\s*$`)

// FromVShadowWM3 makes writers of the output of vshadow -wm3: every
// writer's Writer Metadata Document follows a "--[Writer N]--" line, and a
// "--[end of data]--" line ends the list (output without it was cut off,
// and is refused). Lines before the first writer (vshadow's banner) are
// ignored.
func FromVShadowWM3(data []byte) ([]*Writer, error) {
	text := decodeText(data)
	var out []*Writer
	var cur *strings.Builder
	curLine, ended := 0, false
	flush := func() error {
		if cur == nil {
			return nil
		}
		md, err := vss.LoadWriterMetadata([]byte(strings.TrimSpace(cur.String())))
		if err != nil {
			return fmt.Errorf("writer at line %d: %w", curLine, err)
		}
		out = append(out, FromWMD(md))
		cur = nil
		return nil
	}
	sc := bufio.NewScanner(strings.NewReader(text))
	sc.Buffer(make([]byte, 0, 64<<10), maxDocument)
	for line := 1; sc.Scan(); line++ {
		l := strings.TrimRight(sc.Text(), "\r")
		switch {
		case ended:
			continue
		case wm3Marker.MatchString(l):
			if err := flush(); err != nil {
				return nil, err
			}
			cur, curLine = &strings.Builder{}, line
		case strings.TrimSpace(l) == "--[end of data]--":
			if err := flush(); err != nil {
				return nil, err
			}
			ended = true
		case cur != nil:
			cur.WriteString(l)
			cur.WriteByte('\n')
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if !ended {
		return nil, fmt.Errorf("vshadow -wm3 output without its \"--[end of data]--\" line: the output was cut off")
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("vshadow -wm3 output without any \"--[Writer N]--\" section")
	}
	return out, nil
}

// FromDiskshadow makes writers of a diskshadow metadata folder: the
// Writer Metadata Documents Manifest.xml lists (by file name, in its
// order), and returns the path of the Backup Components Document it names
// ("" if none), for InitializeForRestore.
func FromDiskshadow(dir string) (writers []*Writer, bcdPath string, err error) {
	manifest := filepath.Join(dir, "Manifest.xml")
	data, err := readLimited(manifest)
	if err != nil {
		return nil, "", err
	}
	doc := etree.NewDocument()
	if err := doc.ReadFromString(stripDecl(decodeText(data))); err != nil {
		return nil, "", fmt.Errorf("%s: %v", manifest, err)
	}
	root := doc.Root()
	if root == nil || root.Tag != "Manifest" {
		return nil, "", fmt.Errorf("%s: not a diskshadow manifest (no <Manifest> root)", manifest)
	}
	if bc := root.FindElement("BackupComponents"); bc != nil {
		if f := winBase(bc.SelectAttrValue("File", "")); f != "" {
			bcdPath = filepath.Join(dir, f)
		}
	}
	list := root.FindElements("Writers/Writer")
	if len(list) == 0 {
		return nil, "", fmt.Errorf("%s: no <Writers><Writer MetadataFile=...> entries", manifest)
	}
	for _, w := range list {
		name := strings.ReplaceAll(w.SelectAttrValue("Name", ""), "%s", " ")
		f := winBase(w.SelectAttrValue("MetadataFile", ""))
		if f == "" {
			return nil, "", fmt.Errorf("%s: writer %q has no MetadataFile", manifest, name)
		}
		p := filepath.Join(dir, f)
		wd, err := readLimited(p)
		if err != nil {
			return nil, "", fmt.Errorf("%s: writer %q: %w", manifest, name, err)
		}
		md, err := vss.LoadWriterMetadata(wd)
		if err != nil {
			return nil, "", fmt.Errorf("%s: %w", p, err)
		}
		writers = append(writers, FromWMD(md))
	}
	return writers, bcdPath, nil
}

// winBase is the last element of a Windows or slash path (diskshadow
// records where it wrote the file on the customer's machine).
func winBase(p string) string {
	if i := strings.LastIndexAny(p, `\/`); i >= 0 {
		p = p[i+1:]
	}
	if p == "." || p == ".." {
		return ""
	}
	return p
}

// decodeText returns data as UTF-8: UTF-16 (with a byte-order mark, or
// recognised by its zero bytes, as diskshadow writes Manifest.xml) is
// converted; a UTF-8 byte-order mark is dropped.
func decodeText(data []byte) string {
	le, be := false, false
	switch {
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}):
		le, data = true, data[2:]
	case bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		be, data = true, data[2:]
	case len(data) >= 2 && data[0] != 0 && data[1] == 0:
		le = true
	case len(data) >= 2 && data[0] == 0 && data[1] != 0:
		be = true
	}
	if !le && !be {
		return string(bytes.TrimPrefix(data, []byte{0xEF, 0xBB, 0xBF}))
	}
	u := make([]uint16, len(data)/2)
	for i := range u {
		if be {
			u[i] = binary.BigEndian.Uint16(data[2*i:])
		} else {
			u[i] = binary.LittleEndian.Uint16(data[2*i:])
		}
	}
	s := string(utf16.Decode(u))
	if !utf8.ValidString(s) {
		return strings.ToValidUTF8(s, "\uFFFD")
	}
	return s
}

// stripDecl drops an XML declaration (its encoding= names the encoding
// the text had before decodeText).
func stripDecl(s string) string {
	t := strings.TrimSpace(s)
	if strings.HasPrefix(t, "<?xml") {
		if i := strings.Index(t, "?>"); i >= 0 {
			return t[i+2:]
		}
	}
	return t
}

// rootElement is the name of the first element of an XML text.
func rootElement(s string) string {
	s = stripDecl(s)
	for {
		i := strings.IndexByte(s, '<')
		if i < 0 || i+1 >= len(s) {
			return ""
		}
		s = s[i+1:]
		if s[0] == '!' || s[0] == '?' {
			continue
		}
		end := strings.IndexAny(s, " \t\r\n/>")
		if end < 0 {
			return s
		}
		return s[:end]
	}
}

// ReadDocument reads a VSS XML document file (a Backup Components Document
// saved by a requestor, or a Writer Metadata Document), UTF-8 or UTF-16, as
// the string the XML APIs take.
func ReadDocument(path string) (string, error) {
	data, err := readLimited(path)
	if err != nil {
		return "", err
	}
	return decodeText(data), nil
}

// Metadata returns a copy of the Writer Metadata Document a writer made
// from a document (FromWMD, FromFile, Preset, Load) reproduces, or nil for
// a writer that declares its own (New).
func (w *Writer) Metadata() *vss.WriterMetadata {
	if w.doc == nil {
		return nil
	}
	return w.doc.Clone()
}
