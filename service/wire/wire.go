// Package wire is the protocol between vsssim serve and its clients (the
// vssapi.dll of vsssim under Wine, the scenario runner's control
// connection, tests): length-prefixed little-endian messages over loopback
// TCP, versioned, with bounded sizes.
//
// # Framing
//
// Every message is a uint32 length and that many bytes; a length above
// MaxMessage ends the connection. The client speaks first.
//
// # Hello
//
// The first message from the client is Magic, the uint16 Version, a role
// byte (RoleCOM or RoleControl) and the token as Text. The server answers
// with a uint32 HRESULT and a Text: S_OK, or (closing the connection)
// E_ACCESSDENIED for a wrong or missing token, VSS_E_UNEXPECTED for a
// version it does not speak, BadMessage for anything else.
//
// # Requests and replies
//
// A request is a type byte and its body:
//
//	MsgCreate                        CreateVssBackupComponents
//	MsgCall   handle u32, iface u8, slot u8, inputs (by the method table's kinds)
//	MsgRelease handle u32            the last Release of an object (slot 2)
//	MsgControl Text                  a control command (RoleControl only)
//	MsgCreateExamine WStr            CreateVssExamineWriterMetadata from XML
//
// Every reply is a uint32 HRESULT, a Text (an error description, usually
// empty) and then the body (a malformed request gets BadMessage, its
// description and no body; the connection stays open): MsgCreate's handle; a call's outputs, always
// present, in the order and encodings of comtable's kinds; a control
// command's output as Text.
//
// Encodings: uint32 little-endian; a GUID as its 16 bytes in memory order;
// WStr as a uint32 count of UTF-16 units (NullString for NULL) and the
// units; Text as a uint32 byte count and UTF-8 bytes.
package wire

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"unicode/utf16"

	"github.com/vsssim/vsssim/requestor/vss"
)

// Magic starts every hello.
const Magic = "VSSSIM"

// Version is the protocol version this package speaks.
const Version = 1

// MaxMessage bounds every message (either direction), in bytes.
const MaxMessage = 4 << 20

// MaxToken bounds the token in the hello.
const MaxToken = 256

// NullString is the WStr length of a NULL pointer.
const NullString = 0xFFFFFFFF

// Roles of a connection.
const (
	RoleCOM     = 1
	RoleControl = 2
)

// Message types.
const (
	MsgCreate  = 1
	MsgCall    = 2
	MsgRelease = 3
	MsgControl = 4
	// MsgCreateExamine is CreateVssExamineWriterMetadata: the body is the
	// XML as WStr, the reply the new IVssExamineWriterMetadata's handle.
	MsgCreateExamine = 5
)

// Environment variables the DLL and the clients read.
const (
	// EnvAddr is the server's address, 127.0.0.1:PORT.
	EnvAddr = "VSSSIM_ADDR"
	// EnvToken is the per-run token the server prints.
	EnvToken = "VSSSIM_TOKEN"
)

// BadMessage is the HRESULT of the reply to a malformed request:
// RPC_X_BAD_STUB_DATA, what COM returns for undecodable marshalled data.
const BadMessage vss.HRESULT = 0x800706F7

// ErrMalformed is wrapped by every decoding error.
var ErrMalformed = errors.New("malformed message")

// ReadMessage reads one framed message.
func ReadMessage(r io.Reader) ([]byte, error) {
	var hdr [4]byte
	if _, err := io.ReadFull(r, hdr[:]); err != nil {
		return nil, err
	}
	n := binary.LittleEndian.Uint32(hdr[:])
	if n > MaxMessage {
		return nil, fmt.Errorf("%w: length %d exceeds the %d-byte limit", ErrMalformed, n, MaxMessage)
	}
	buf := make([]byte, n)
	if _, err := io.ReadFull(r, buf); err != nil {
		return nil, fmt.Errorf("%w: truncated message (%v)", ErrMalformed, err)
	}
	return buf, nil
}

// WriteMessage writes one framed message.
func WriteMessage(w io.Writer, msg []byte) error {
	if len(msg) > MaxMessage {
		return fmt.Errorf("wire: message of %d bytes exceeds the %d-byte limit", len(msg), MaxMessage)
	}
	buf := make([]byte, 4, 4+len(msg))
	binary.LittleEndian.PutUint32(buf, uint32(len(msg)))
	_, err := w.Write(append(buf, msg...))
	return err
}

// Encoder builds a message.
type Encoder struct{ B []byte }

// U8 appends a byte.
func (e *Encoder) U8(v uint8) { e.B = append(e.B, v) }

// U16 appends a uint16.
func (e *Encoder) U16(v uint16) { e.B = binary.LittleEndian.AppendUint16(e.B, v) }

// U32 appends a uint32.
func (e *Encoder) U32(v uint32) { e.B = binary.LittleEndian.AppendUint32(e.B, v) }

// U64 appends a uint64.
func (e *Encoder) U64(v uint64) { e.B = binary.LittleEndian.AppendUint64(e.B, v) }

// GUID appends a VSS_ID in memory order.
func (e *Encoder) GUID(id vss.ID) {
	e.U32(id.Data1)
	e.U16(id.Data2)
	e.U16(id.Data3)
	e.B = append(e.B, id.Data4[:]...)
}

// WStr appends a UTF-16 string (never NULL; see NullWStr).
func (e *Encoder) WStr(s string) {
	u := utf16.Encode([]rune(s))
	e.U32(uint32(len(u)))
	for _, c := range u {
		e.U16(c)
	}
}

// NullWStr appends a NULL string.
func (e *Encoder) NullWStr() { e.U32(NullString) }

// Text appends a UTF-8 string.
func (e *Encoder) Text(s string) {
	e.U32(uint32(len(s)))
	e.B = append(e.B, s...)
}

// GUIDs appends a counted GUID array.
func (e *Encoder) GUIDs(ids []vss.ID) {
	e.U32(uint32(len(ids)))
	for _, id := range ids {
		e.GUID(id)
	}
}

// SnapshotProp appends a VSS_SNAPSHOT_PROP: the IDs, the count, the six
// strings, the provider, attributes, timestamp (uint64) and status.
func (e *Encoder) SnapshotProp(p vss.SnapshotProp) {
	e.GUID(p.SnapshotID)
	e.GUID(p.SnapshotSetID)
	e.U32(uint32(p.SnapshotsCount))
	for _, s := range []string{p.SnapshotDeviceObject, p.OriginalVolumeName, p.OriginatingMachine, p.ServiceMachine, p.ExposedName, p.ExposedPath} {
		e.optWStr(s)
	}
	e.GUID(p.ProviderID)
	e.U32(uint32(p.SnapshotAttributes))
	e.U64(uint64(p.CreationTimestamp))
	e.U32(uint32(p.Status))
}

// ComponentInfo appends a VSSCOMPONENTINFO (comtable.OutComponentInfo):
// type, logical path (NULL when empty), name, caption (NULL when empty),
// icon bytes, the four flags as uint32 0/1, the component flags and the
// four counts.
func (e *Encoder) ComponentInfo(c vss.ComponentInfoCounts) {
	e.U32(uint32(c.Type))
	e.optWStr(c.LogicalPath)
	e.WStr(c.Name)
	e.optWStr(c.Caption)
	e.U32(uint32(len(c.Icon)))
	e.B = append(e.B, c.Icon...)
	for _, b := range []bool{c.RestoreMetadata, c.NotifyOnBackupComplete, c.Selectable, c.SelectableForRestore} {
		if b {
			e.U32(1)
		} else {
			e.U32(0)
		}
	}
	e.U32(uint32(c.Flags))
	e.U32(c.FileCount)
	e.U32(c.Databases)
	e.U32(c.LogFiles)
	e.U32(c.Dependencies)
}

// optWStr writes "" as NULL (the SDK leaves unset strings NULL).
func (e *Encoder) optWStr(s string) {
	if s == "" {
		e.NullWStr()
		return
	}
	e.WStr(s)
}

// ObjectProp appends a VSS_OBJECT_PROP: the type, then the snapshot or the
// provider (id, name, type, version, version id, class id).
func (e *Encoder) ObjectProp(o vss.ObjectProp) {
	e.U32(uint32(o.Type))
	if o.Type == vss.VSS_OBJECT_PROVIDER {
		p := o.Prov
		e.GUID(p.ProviderID)
		e.optWStr(p.ProviderName)
		e.U32(uint32(p.ProviderType))
		e.optWStr(p.ProviderVersion)
		e.GUID(p.ProviderVersionID)
		e.GUID(p.ClassID)
		return
	}
	e.SnapshotProp(o.Snap)
}

// Decoder reads a message; the first error sticks (Err), and every read
// after it returns zero values.
type Decoder struct {
	B   []byte
	err error
}

// Err is the first decoding error.
func (d *Decoder) Err() error { return d.err }

func (d *Decoder) fail(format string, args ...any) {
	if d.err == nil {
		d.err = fmt.Errorf("%w: %s", ErrMalformed, fmt.Sprintf(format, args...))
	}
}

func (d *Decoder) take(n int, what string) []byte {
	if d.err != nil {
		return nil
	}
	if n < 0 || n > len(d.B) {
		d.fail("%s: need %d bytes, %d left", what, n, len(d.B))
		return nil
	}
	out := d.B[:n]
	d.B = d.B[n:]
	return out
}

// U8 reads a byte.
func (d *Decoder) U8() uint8 {
	b := d.take(1, "byte")
	if b == nil {
		return 0
	}
	return b[0]
}

// U16 reads a uint16.
func (d *Decoder) U16() uint16 {
	b := d.take(2, "uint16")
	if b == nil {
		return 0
	}
	return binary.LittleEndian.Uint16(b)
}

// U32 reads a uint32.
func (d *Decoder) U32() uint32 {
	b := d.take(4, "uint32")
	if b == nil {
		return 0
	}
	return binary.LittleEndian.Uint32(b)
}

// U64 reads a uint64.
func (d *Decoder) U64() uint64 {
	b := d.take(8, "uint64")
	if b == nil {
		return 0
	}
	return binary.LittleEndian.Uint64(b)
}

// GUID reads a VSS_ID.
func (d *Decoder) GUID() vss.ID {
	var id vss.ID
	id.Data1 = d.U32()
	id.Data2 = d.U16()
	id.Data3 = d.U16()
	if b := d.take(8, "GUID"); b != nil {
		copy(id.Data4[:], b)
	}
	return id
}

// ComponentInfo reads what Encoder.ComponentInfo wrote.
func (d *Decoder) ComponentInfo() vss.ComponentInfoCounts {
	var c vss.ComponentInfoCounts
	c.Type = vss.ComponentType(d.U32())
	c.LogicalPath, _ = d.WStr()
	c.Name, _ = d.WStr()
	c.Caption, _ = d.WStr()
	n := d.U32()
	if d.err == nil && uint64(n) > uint64(len(d.B)) {
		d.fail("icon of %d bytes: only %d bytes left", n, len(d.B))
		return c
	}
	if b := d.take(int(n), "icon"); len(b) > 0 {
		c.Icon = append([]byte(nil), b...)
	}
	c.RestoreMetadata = d.U32() != 0
	c.NotifyOnBackupComplete = d.U32() != 0
	c.Selectable = d.U32() != 0
	c.SelectableForRestore = d.U32() != 0
	c.Flags = vss.ComponentFlags(d.U32())
	c.FileCount, c.Databases, c.LogFiles, c.Dependencies = d.U32(), d.U32(), d.U32(), d.U32()
	return c
}

// WStr reads a UTF-16 string; null reports a NULL pointer (s is then "").
func (d *Decoder) WStr() (s string, null bool) {
	n := d.U32()
	if d.err != nil {
		return "", false
	}
	if n == NullString {
		return "", true
	}
	if uint64(n)*2 > uint64(len(d.B)) {
		d.fail("string of %d UTF-16 units: only %d bytes left", n, len(d.B))
		return "", false
	}
	b := d.take(int(n)*2, "string")
	u := make([]uint16, n)
	for i := range u {
		u[i] = binary.LittleEndian.Uint16(b[2*i:])
	}
	return string(utf16.Decode(u)), false
}

// Text reads a UTF-8 string.
func (d *Decoder) Text() string {
	n := d.U32()
	if d.err != nil {
		return ""
	}
	if uint64(n) > uint64(len(d.B)) {
		d.fail("text of %d bytes: only %d left", n, len(d.B))
		return ""
	}
	return string(d.take(int(n), "text"))
}

// GUIDs reads a counted GUID array.
func (d *Decoder) GUIDs() []vss.ID {
	n := d.U32()
	if d.err != nil {
		return nil
	}
	if uint64(n)*16 > uint64(len(d.B)) {
		d.fail("array of %d GUIDs: only %d bytes left", n, len(d.B))
		return nil
	}
	out := make([]vss.ID, n)
	for i := range out {
		out[i] = d.GUID()
	}
	return out
}

// SnapshotProp reads what Encoder.SnapshotProp wrote.
func (d *Decoder) SnapshotProp() vss.SnapshotProp {
	var p vss.SnapshotProp
	p.SnapshotID = d.GUID()
	p.SnapshotSetID = d.GUID()
	p.SnapshotsCount = int32(d.U32())
	for _, s := range []*string{&p.SnapshotDeviceObject, &p.OriginalVolumeName, &p.OriginatingMachine, &p.ServiceMachine, &p.ExposedName, &p.ExposedPath} {
		*s, _ = d.WStr()
	}
	p.ProviderID = d.GUID()
	p.SnapshotAttributes = vss.VolumeSnapshotAttributes(d.U32())
	p.CreationTimestamp = int64(d.U64())
	p.Status = vss.SnapshotState(d.U32())
	return p
}

// ObjectProp reads what Encoder.ObjectProp wrote.
func (d *Decoder) ObjectProp() vss.ObjectProp {
	o := vss.ObjectProp{Type: vss.ObjectType(d.U32())}
	if o.Type == vss.VSS_OBJECT_PROVIDER {
		p := &o.Prov
		p.ProviderID = d.GUID()
		p.ProviderName, _ = d.WStr()
		p.ProviderType = vss.ProviderType(d.U32())
		p.ProviderVersion, _ = d.WStr()
		p.ProviderVersionID = d.GUID()
		p.ClassID = d.GUID()
		return o
	}
	o.Snap = d.SnapshotProp()
	return o
}

// End reports an error if bytes are left over (or decoding failed).
func (d *Decoder) End() error {
	if d.err == nil && len(d.B) > 0 {
		d.fail("%d unexpected bytes at the end", len(d.B))
	}
	return d.err
}

// Hello is the client's first message.
type Hello struct {
	Version uint16
	Role    uint8
	Token   string
}

// Encode returns the hello message.
func (h Hello) Encode() []byte {
	var e Encoder
	e.B = append(e.B, Magic...)
	e.U16(h.Version)
	e.U8(h.Role)
	e.Text(h.Token)
	return e.B
}

// DecodeHello parses a hello message.
func DecodeHello(msg []byte) (Hello, error) {
	d := Decoder{B: msg}
	if string(d.take(len(Magic), "magic")) != Magic {
		return Hello{}, fmt.Errorf("%w: not a vsssim hello (magic %q expected)", ErrMalformed, Magic)
	}
	h := Hello{Version: d.U16(), Role: d.U8()}
	if n := len(d.B); n >= 4 && binary.LittleEndian.Uint32(d.B) > MaxToken {
		return Hello{}, fmt.Errorf("%w: token longer than %d bytes", ErrMalformed, MaxToken)
	}
	h.Token = d.Text()
	if err := d.End(); err != nil {
		return Hello{}, err
	}
	if h.Role != RoleCOM && h.Role != RoleControl {
		return Hello{}, fmt.Errorf("%w: unknown role %d", ErrMalformed, h.Role)
	}
	return h, nil
}

// Reply starts a reply: the HRESULT and its description.
func Reply(hr vss.HRESULT, text string) *Encoder {
	e := &Encoder{}
	e.U32(uint32(hr))
	e.Text(text)
	return e
}
