package vss

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/beevik/etree"
)

// Limits on XML input (hostile documents are rejected with
// VSS_E_INVALID_XML_DOCUMENT and say which limit they broke).
const (
	// MaxXMLSize is the largest document accepted (a real System Writer
	// WMD is about 2 MB).
	MaxXMLSize = 64 << 20
	// MaxXMLDepth is the deepest element nesting accepted (real documents
	// nest five levels).
	MaxXMLDepth = 64
)

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

// decodeXML turns the bytes of a document into UTF-8: it accepts UTF-8
// with or without a byte order mark and UTF-16 (diskshadow writes it) with
// either byte order, and enforces MaxXMLSize.
func decodeXML(method string, data []byte) ([]byte, error) {
	if len(data) > MaxXMLSize {
		return nil, xmlError(method, "document is %d bytes; the limit is %d", len(data), MaxXMLSize)
	}
	switch {
	case bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}):
		data = data[3:]
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}):
		return utf16ToUTF8(method, data[2:], false)
	case bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		return utf16ToUTF8(method, data[2:], true)
	case len(data) >= 2 && data[0] == '<' && data[1] == 0:
		return utf16ToUTF8(method, data, false)
	case len(data) >= 2 && data[0] == 0 && data[1] == '<':
		return utf16ToUTF8(method, data, true)
	}
	if !utf8.Valid(data) {
		return nil, xmlError(method, "document is neither UTF-8 nor UTF-16")
	}
	return data, nil
}

func utf16ToUTF8(method string, b []byte, bigEndian bool) ([]byte, error) {
	if len(b)%2 != 0 {
		return nil, xmlError(method, "UTF-16 document has an odd number of bytes")
	}
	u := make([]uint16, len(b)/2)
	for i := range u {
		if bigEndian {
			u[i] = uint16(b[2*i])<<8 | uint16(b[2*i+1])
		} else {
			u[i] = uint16(b[2*i+1])<<8 | uint16(b[2*i])
		}
	}
	return []byte(string(utf16.Decode(u))), nil
}

// parseXML reads a document with etree after decodeXML, rejecting DOCTYPEs
// (no entity tricks) and nesting deeper than MaxXMLDepth.
func parseXML(method string, data []byte) (*etree.Document, error) {
	data, err := decodeXML(method, data)
	if err != nil {
		return nil, err
	}
	doc := etree.NewDocument()
	doc.ReadSettings.CharsetReader = func(label string, input io.Reader) (io.Reader, error) {
		switch strings.ToLower(label) {
		case "utf-16", "utf-16le", "utf-16be", "unicode", "utf-8", "us-ascii":
			return input, nil // already UTF-8 (decodeXML)
		}
		return nil, fmt.Errorf("unsupported encoding %q", label)
	}
	if err := doc.ReadFromBytes(data); err != nil {
		var se *xml.SyntaxError
		if errors.As(err, &se) {
			return nil, xmlError(method, "line %d: %s", se.Line, se.Msg)
		}
		return nil, xmlError(method, "%v", err)
	}
	for _, t := range doc.Child {
		if d, ok := t.(*etree.Directive); ok {
			return nil, xmlError(method, "DOCTYPE and other directives are not accepted (%.40q)", d.Data)
		}
	}
	root := doc.Root()
	if root == nil {
		return nil, xmlError(method, "no root element")
	}
	// Iterative depth check (no recursion on hostile nesting).
	type frame struct {
		e     *etree.Element
		depth int
	}
	stack := []frame{{root, 1}}
	for len(stack) > 0 {
		f := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if f.depth > MaxXMLDepth {
			return nil, xmlError(method, "element %s is nested %d deep; the limit is %d", f.e.Tag, f.depth, MaxXMLDepth)
		}
		for _, c := range f.e.ChildElements() {
			stack = append(stack, frame{c, f.depth + 1})
		}
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
	buf    [16]string
	used   []string
	err    error
}

func newReader(method string, e *etree.Element) *reader {
	r := &reader{method: method, e: e}
	r.used = r.buf[:0]
	return r
}

func (r *reader) use(name string) { r.used = append(r.used, name) }

func (r *reader) isUsed(name string) bool {
	if name == "xmlns" {
		return true
	}
	for _, u := range r.used {
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
	for _, a := range r.e.Attr {
		k := a.FullKey()
		if a.Space == "xmlns" || r.isUsed(k) || hasAttr(x.Attrs, k) {
			continue // a repeated attribute counts once, as SelectAttr reads it
		}
		x.Attrs = append(x.Attrs, XMLAttr{Name: k, Value: a.Value})
	}
	return x
}

// keepElement serialises an element the model does not know.
func keepElement(x *Extra, e *etree.Element) {
	d := etree.NewDocument()
	d.SetRoot(e.Copy())
	s, _ := d.WriteToString()
	x.Elements = append(x.Elements, s)
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
