package vss

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/beevik/etree"
)

// Limits on XML input (hostile documents are rejected with
// VSS_E_INVALID_XML_DOCUMENT and say which limit they broke). They are
// checked while reading, before the document tree is built, so that what a
// document within them costs is bounded. Measured peak memory of vsssim
// metadata: about 7 times the document for a 15 MB System Writer-like WMD,
// about 200 MB for the most expensive shape within the limits (half a
// million attributes the model does not know, in 5 MB).
const (
	// MaxXMLSize is the largest document accepted: 16 MiB, eight times the
	// largest real writer metadata seen (a System Writer WMD of about
	// 2.1 MB).
	MaxXMLSize = 16 << 20
	// MaxXMLNodes is the largest number of nodes (elements, attributes,
	// text runs, comments and processing instructions) accepted: five times
	// what that System Writer WMD holds (about 95,000).
	MaxXMLNodes = 500_000
	// MaxXMLDepth is the deepest element nesting accepted (real documents
	// nest five levels).
	MaxXMLDepth = 64
)

// sizeLimitNote says why MaxXMLSize is what it is, in size errors.
const sizeLimitNote = "the limit is 16 MiB, eight times the largest real writer metadata seen (a 2.1 MB System Writer document)"

// Extra keeps what a loaded document had that the model does not know:
// attributes and child elements (as XML fragments). Saving writes them back,
// so a round trip through the model loses nothing.
type Extra struct {
	Attrs    []XMLAttr
	Elements []string
}

// XMLAttr is one attribute kept in Extra.
type XMLAttr struct {
	Name, Value string
}

// IsZero reports whether nothing was kept.
func (x Extra) IsZero() bool { return len(x.Attrs) == 0 && len(x.Elements) == 0 }

// xmlError is the VSS_E_INVALID_XML_DOCUMENT for a document that is not
// what method expected.
func xmlError(method, format string, args ...any) *Error {
	return Errorf(VSS_E_INVALID_XML_DOCUMENT, method, format, args...)
}

// ReadDocumentFile reads a WMD or BCD file for LoadWriterMetadata or
// LoadBackupComponents without ever holding more than MaxXMLSize bytes: a
// larger file is refused from its size before anything is read, and the
// read itself is bounded (for files that grow, pipes and devices). A file
// that is too large gives VSS_E_INVALID_XML_DOCUMENT.
func ReadDocumentFile(path string) ([]byte, error) {
	const method = "ReadDocumentFile"
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	size := int64(512) // a first guess for files without a size
	if st, err := f.Stat(); err == nil && st.Mode().IsRegular() {
		if st.Size() > MaxXMLSize {
			return nil, xmlError(method, "%s is %d bytes; %s", path, st.Size(), sizeLimitNote)
		}
		size = st.Size() + 1 // +1: seeing EOF needs no second buffer
	}
	data := make([]byte, 0, size)
	for len(data) <= MaxXMLSize {
		if len(data) == cap(data) { // double, but never past the limit
			data = slices.Grow(data, min(cap(data), MaxXMLSize+1-len(data)))
		}
		n, err := f.Read(data[len(data):min(cap(data), MaxXMLSize+1)])
		data = data[:len(data)+n]
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
	}
	if len(data) > MaxXMLSize {
		return nil, xmlError(method, "%s is more than %d bytes; %s", path, MaxXMLSize, sizeLimitNote)
	}
	return data, nil
}

// decodeXML turns the bytes of a document into UTF-8: it accepts UTF-8
// with or without a byte order mark and UTF-16 (diskshadow writes it) with
// either byte order, with or without a byte order mark, and enforces
// MaxXMLSize.
func decodeXML(method string, data []byte) ([]byte, error) {
	if len(data) > MaxXMLSize {
		return nil, xmlError(method, "document is %d bytes; %s", len(data), sizeLimitNote)
	}
	switch {
	case bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}):
		data = data[3:]
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}):
		return utf16ToUTF8(method, data[2:], false)
	case bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		return utf16ToUTF8(method, data[2:], true)
	case len(data) >= 2 && xmlStartByte(data[0]) && data[1] == 0:
		// No byte order mark: an XML document starts with '<' or white
		// space, which in UTF-16 is that byte next to a zero byte (a
		// zero byte is never legal in a UTF-8 document).
		return utf16ToUTF8(method, data, false)
	case len(data) >= 2 && data[0] == 0 && xmlStartByte(data[1]):
		return utf16ToUTF8(method, data, true)
	}
	if !utf8.Valid(data) {
		return nil, xmlError(method, "document is neither UTF-8 nor UTF-16")
	}
	return data, nil
}

// xmlStartByte reports whether an XML document may start with b: '<' or
// XML white space.
func xmlStartByte(b byte) bool {
	return b == '<' || b == ' ' || b == '\t' || b == '\r' || b == '\n'
}

// utf16ToUTF8 decodes UTF-16 (without its byte order mark) straight into
// UTF-8. A lone surrogate is refused with its byte offset and line (it
// would otherwise silently become U+FFFD).
func utf16ToUTF8(method string, b []byte, bigEndian bool) ([]byte, error) {
	if len(b)%2 != 0 {
		return nil, xmlError(method, "UTF-16 document has an odd number of bytes")
	}
	unit := func(i int) rune {
		if bigEndian {
			return rune(b[i])<<8 | rune(b[i+1])
		}
		return rune(b[i+1])<<8 | rune(b[i])
	}
	out := make([]byte, 0, len(b)/2+len(b)/8)
	line := 1
	for i := 0; i < len(b); i += 2 {
		r := unit(i)
		switch {
		case r == '\n':
			line++
		case utf16.IsSurrogate(r):
			if r < 0xDC00 && i+3 < len(b) {
				if r2 := unit(i + 2); r2 >= 0xDC00 && r2 <= 0xDFFF {
					out = utf8.AppendRune(out, utf16.DecodeRune(r, r2))
					i += 2
					continue
				}
			}
			return nil, xmlError(method, "line %d: UTF-16 document has a lone surrogate 0x%04X at byte offset %d (not a character)", line, r, i)
		}
		out = utf8.AppendRune(out, r)
	}
	return out, nil
}

// charsetReader accepts the encodings decodeXML has already turned into
// UTF-8.
func charsetReader(label string, input io.Reader) (io.Reader, error) {
	switch strings.ToLower(label) {
	case "utf-16", "utf-16le", "utf-16be", "unicode", "utf-8", "us-ascii":
		return input, nil // already UTF-8 (decodeXML)
	}
	return nil, fmt.Errorf("unsupported encoding %q", label)
}

// scanXML checks a (UTF-8) document's structure in one streaming pass,
// before any tree is built: well-formedness with the line of the first
// error (including a mismatched end tag), no DOCTYPE or other directive,
// MaxXMLDepth and MaxXMLNodes. Its memory does not grow with the document.
func scanXML(method string, data []byte) error {
	dec := xml.NewDecoder(bytes.NewReader(data))
	dec.Strict = true
	dec.CharsetReader = charsetReader
	type open struct {
		name string
		line int
	}
	var stack []open
	nodes := 0
	for {
		tok, err := dec.RawToken()
		line, _ := dec.InputPos()
		if err == io.EOF {
			if n := len(stack); n > 0 {
				return xmlError(method, "line %d: the document ends inside <%s> (opened on line %d)", line, stack[n-1].name, stack[n-1].line)
			}
			return nil
		}
		if err != nil {
			var se *xml.SyntaxError
			if errors.As(err, &se) {
				return xmlError(method, "line %d: %s", se.Line, se.Msg)
			}
			return xmlError(method, "line %d: %v", line, err)
		}
		nodes++
		switch t := tok.(type) {
		case xml.StartElement:
			nodes += len(t.Attr)
			if len(stack) >= MaxXMLDepth {
				return xmlError(method, "line %d: element %s is nested %d deep; the limit is %d", line, xmlName(t.Name), len(stack)+1, MaxXMLDepth)
			}
			stack = append(stack, open{xmlName(t.Name), line})
		case xml.EndElement:
			nodes--
			n := len(stack)
			if n == 0 {
				return xmlError(method, "line %d: end tag </%s> closes no element", line, xmlName(t.Name))
			}
			if name := xmlName(t.Name); name != stack[n-1].name {
				return xmlError(method, "line %d: element <%s> (opened on line %d) is closed by </%s>", line, stack[n-1].name, stack[n-1].line, name)
			}
			stack = stack[:n-1]
		case xml.Directive:
			return xmlError(method, "line %d: DOCTYPE and other directives are not accepted (%.40q)", line, t)
		}
		if nodes > MaxXMLNodes {
			return xmlError(method, "line %d: the document has more than %d nodes (elements, attributes, text, comments); "+
				"that is the limit, five times what the largest real writer metadata seen holds", line, MaxXMLNodes)
		}
	}
}

// xmlName spells a raw (unresolved) name as written: prefix:local.
func xmlName(n xml.Name) string {
	if n.Space == "" {
		return n.Local
	}
	return n.Space + ":" + n.Local
}

// parseXML reads a document with etree after decodeXML and scanXML (which
// enforce the limits while reading).
func parseXML(method string, data []byte) (*etree.Document, error) {
	data, err := decodeXML(method, data)
	if err != nil {
		return nil, err
	}
	if err := scanXML(method, data); err != nil {
		return nil, err
	}
	doc := etree.NewDocument()
	doc.ReadSettings.CharsetReader = charsetReader
	doc.ReadSettings.MaxDepth = MaxXMLDepth
	if err := doc.ReadFromBytes(data); err != nil {
		var se *xml.SyntaxError
		if errors.As(err, &se) {
			return nil, xmlError(method, "line %d: %s", se.Line, se.Msg)
		}
		return nil, xmlError(method, "%v", err)
	}
	if doc.Root() == nil {
		return nil, xmlError(method, "no root element")
	}
	return doc, nil
}

// elemPath names an element for error messages: /A/B[2]/C.
func elemPath(e *etree.Element) string {
	var parts []string
	for ; e != nil; e = e.Parent() {
		p := e.Parent()
		if p == nil || p.Parent() == nil && p.Tag == "" {
			parts = append(parts, e.Tag)
			break
		}
		n, idx := 0, 0
		for _, s := range p.ChildElements() {
			if s.Tag == e.Tag {
				n++
				if s == e {
					idx = n
				}
			}
		}
		if n > 1 {
			parts = append(parts, fmt.Sprintf("%s[%d]", e.Tag, idx))
		} else {
			parts = append(parts, e.Tag)
		}
	}
	for i, j := 0, len(parts)-1; i < j; i, j = i+1, j-1 {
		parts[i], parts[j] = parts[j], parts[i]
	}
	return "/" + strings.Join(parts, "/")
}

// reader walks one element's attributes, recording which it used and the
// first error, so that unknown attributes go to Extra.
type reader struct {
	method string
	e      *etree.Element
	// used holds the first names used (no allocation: the loaders read at
	// most about 25 attributes of an element); more go to usedMore.
	used     [32]string
	nUsed    int
	usedMore []string
	err      error
}

func newReader(method string, e *etree.Element) *reader {
	return &reader{method: method, e: e}
}

func (r *reader) use(name string) {
	if r.nUsed < len(r.used) {
		r.used[r.nUsed] = name
		r.nUsed++
		return
	}
	r.usedMore = append(r.usedMore, name)
}

func (r *reader) isUsed(name string) bool {
	if name == "xmlns" {
		return true
	}
	for _, u := range r.used[:r.nUsed] {
		if u == name {
			return true
		}
	}
	for _, u := range r.usedMore {
		if u == name {
			return true
		}
	}
	return false
}

func (r *reader) fail(attr, format string, args ...any) {
	if r.err == nil {
		r.err = xmlError(r.method, "%s: attribute %s: %s", elemPath(r.e), attr, fmt.Sprintf(format, args...))
	}
}

func (r *reader) str(name string) (string, bool) {
	r.use(name)
	a := r.e.SelectAttr(name)
	if a == nil {
		return "", false
	}
	return a.Value, true
}

func (r *reader) opt(name string) string {
	s, _ := r.str(name)
	return s
}

func (r *reader) req(name string) string {
	s, ok := r.str(name)
	if !ok || s == "" {
		if r.err == nil {
			r.err = xmlError(r.method, "%s: required attribute %s is missing", elemPath(r.e), name)
		}
	}
	return s
}

func (r *reader) id(name string, required bool) ID {
	s, ok := r.str(name)
	if !ok || s == "" {
		if required && r.err == nil {
			r.err = xmlError(r.method, "%s: required attribute %s is missing", elemPath(r.e), name)
		}
		return ID{}
	}
	id, err := ParseID(s)
	if err != nil {
		r.fail(name, "%q is not a GUID", s)
	}
	return id
}

// boolean accepts yes/no (what Windows writes) and, leniently, true/false/1/0.
func (r *reader) boolean(name string, dflt bool) bool {
	s, ok := r.str(name)
	if !ok {
		return dflt
	}
	switch strings.ToLower(s) {
	case "yes", "true", "1":
		return true
	case "no", "false", "0":
		return false
	}
	r.fail(name, "%q is not yes or no", s)
	return dflt
}

func (r *reader) uint(name string) uint32 {
	s, ok := r.str(name)
	if !ok || s == "" {
		return 0
	}
	v, err := strconv.ParseUint(s, 0, 32)
	if err != nil {
		r.fail(name, "%q is not a 32-bit number", s)
	}
	return uint32(v)
}

// enum maps an XML spelling to a value (case-insensitive); a decimal
// number is accepted too.
func (r *reader) enum(name string, table []enumXML, dflt int32) int32 {
	s, ok := r.str(name)
	if !ok || s == "" {
		return dflt
	}
	for _, e := range table {
		if strings.EqualFold(e.xml, s) {
			return e.v
		}
	}
	if v, err := strconv.ParseInt(s, 10, 32); err == nil {
		return int32(v)
	}
	r.fail(name, "%q is not one of %s", s, enumXMLNames(table))
	return dflt
}

// extra collects the attributes the reader did not use.
func (r *reader) extra() Extra {
	var x Extra
	var seen map[string]bool // only for elements with many attributes (linear cost)
	if len(r.e.Attr) > 8 {
		seen = make(map[string]bool, len(r.e.Attr))
	}
	for _, a := range r.e.Attr {
		k := a.FullKey()
		if a.Space == "xmlns" || r.isUsed(k) {
			continue
		}
		if seen != nil {
			if seen[k] {
				continue
			}
			seen[k] = true
		} else if hasAttr(x.Attrs, k) {
			continue // a repeated attribute counts once, as SelectAttr reads it
		}
		x.Attrs = append(x.Attrs, XMLAttr{Name: k, Value: a.Value})
	}
	return x
}

// keepElement serialises an element the model does not know.
func keepElement(x *Extra, e *etree.Element) {
	var b strings.Builder
	e.WriteTo(&b, &etree.WriteSettings{})
	x.Elements = append(x.Elements, b.String())
}

// writeExtra puts kept attributes and elements back on e.
func writeExtra(e *etree.Element, x Extra) error {
	for _, a := range x.Attrs {
		e.CreateAttr(a.Name, a.Value)
	}
	for _, s := range x.Elements {
		d := etree.NewDocument()
		if err := d.ReadFromString(s); err != nil || d.Root() == nil {
			return fmt.Errorf("kept element %.40q is not XML: %v", s, err)
		}
		e.AddChild(d.Root())
	}
	return nil
}

type enumXML struct {
	v   int32
	xml string
}

func enumXMLNames(t []enumXML) string {
	s := make([]string, len(t))
	for i, e := range t {
		s[i] = e.xml
	}
	return strings.Join(s, ", ")
}

func enumToXML(t []enumXML, v int32) string {
	for _, e := range t {
		if e.v == v {
			return e.xml
		}
	}
	return strconv.FormatInt(int64(v), 10)
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

func hasAttr(list []XMLAttr, name string) bool {
	for _, a := range list {
		if a.Name == name {
			return true
		}
	}
	return false
}
