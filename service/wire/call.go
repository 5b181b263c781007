package wire

import (
	"fmt"
	"reflect"

	"github.com/vsssim/vsssim/requestor/vss"
	"github.com/vsssim/vsssim/service/comtable"
)

// Create sends MsgCreate (CreateVssBackupComponents) and returns the new
// object's handle.
func (c *Conn) Create() (uint32, error) {
	d, err := c.Roundtrip([]byte{MsgCreate})
	if err != nil {
		return 0, err
	}
	h := d.U32()
	return h, d.End()
}

// CreateExamine sends MsgCreateExamine (CreateVssExamineWriterMetadata)
// and returns the new object's handle.
func (c *Conn) CreateExamine(xml string) (uint32, error) {
	var e Encoder
	e.U8(MsgCreateExamine)
	e.WStr(xml)
	d, err := c.Roundtrip(e.B)
	if d == nil {
		return 0, err
	}
	h := d.U32()
	if derr := d.End(); derr != nil {
		return 0, derr
	}
	return h, err
}

// Release sends the last Release of the object or async with handle h.
func (c *Conn) Release(h uint32) error {
	var e Encoder
	e.U8(MsgRelease)
	e.U32(h)
	d, err := c.Roundtrip(e.B)
	if err != nil {
		return err
	}
	return d.End()
}

// CallMessage encodes a call of the method name of iface on handle h; ins
// are the inputs in table order (uint32 or a ~int32 enum for U32, bool,
// vss.ID, string, []vss.ID).
func CallMessage(h uint32, iface comtable.Iface, name string, ins ...any) ([]byte, *comtable.Method, error) {
	m, ok := comtable.ByName(iface, name)
	if !ok {
		return nil, nil, fmt.Errorf("wire: no method %s of %v", name, iface)
	}
	params := m.Ins()
	if len(ins) != len(params) {
		return nil, m, fmt.Errorf("wire: %v takes %d inputs, got %d", m, len(params), len(ins))
	}
	var e Encoder
	e.U8(MsgCall)
	e.U32(h)
	e.U8(uint8(iface))
	e.U8(uint8(m.Slot))
	for i, p := range params {
		v := ins[i]
		switch p.Kind {
		case comtable.U32, comtable.Bool:
			switch x := v.(type) {
			case uint32:
				e.U32(x)
			case bool:
				if x {
					e.U32(1)
				} else {
					e.U32(0)
				}
			default:
				rv := reflect.ValueOf(v)
				if !rv.CanInt() {
					return nil, m, fmt.Errorf("wire: %v input %s: %T", m, p.Name, v)
				}
				e.U32(uint32(int32(rv.Int())))
			}
		case comtable.GUID:
			e.GUID(v.(vss.ID))
		case comtable.String:
			e.WStr(v.(string))
		case comtable.GUIDArray:
			e.GUIDs(v.([]vss.ID))
		}
	}
	return e.B, m, nil
}

// Outputs are a call's decoded outputs, in table order: uint32 for OutU32
// and OutAsync/OutObject (the handle), bool for OutBool, vss.ID, string
// (for OutBSTR and OutCoTaskString; NULL reads as ""),
// vss.ComponentInfoCounts, []vss.ObjectProp, vss.SnapshotProp.
type Outputs []any

// Call makes a call and decodes its outputs. A failed HRESULT is returned
// as the error (a *vss.Error), with the outputs decoded all the same.
func (c *Conn) Call(h uint32, iface comtable.Iface, name string, ins ...any) (Outputs, error) {
	msg, m, err := CallMessage(h, iface, name, ins...)
	if err != nil {
		return nil, err
	}
	d, cerr := c.Roundtrip(msg)
	if d == nil {
		return nil, cerr
	}
	var out Outputs
	for _, p := range m.Outs() {
		switch p.Kind {
		case comtable.OutU32, comtable.OutAsync, comtable.OutObject:
			out = append(out, d.U32())
		case comtable.OutBool:
			out = append(out, d.U32() != 0)
		case comtable.OutComponentInfo:
			out = append(out, d.ComponentInfo())
		case comtable.OutGUID:
			out = append(out, d.GUID())
		case comtable.OutBSTR, comtable.OutCoTaskString:
			s, _ := d.WStr()
			out = append(out, s)
		case comtable.OutEnum:
			n := d.U32()
			var props []vss.ObjectProp
			for i := uint32(0); i < n && d.Err() == nil; i++ {
				props = append(props, d.ObjectProp())
			}
			out = append(out, props)
		case comtable.OutSnapshotProp:
			out = append(out, d.SnapshotProp())
		}
	}
	if err := d.End(); err != nil {
		return out, err
	}
	return out, cerr
}
