package vss

import (
	"encoding/binary"
	"encoding/hex"
	"fmt"
)

// ID is a VSS_ID, that is a Windows GUID. The field layout is the same as
// the C struct: a little-endian DWORD, two WORDs and eight bytes.
type ID struct {
	Data1 uint32
	Data2 uint16
	Data3 uint16
	Data4 [8]byte
}

// GUID_NULL is the all-zero ID. VSS uses it to mean "none" or "any", for
// example as the provider id passed to AddToSnapshotSet.
var GUID_NULL = ID{}

// NewIDFromUint64 builds an ID deterministically from two numbers: hi
// supplies Data1 (its top 32 bits), Data2 and Data3 (its low 32 bits, high
// half first), and lo supplies Data4 in big-endian byte order. So the
// String form is the 32 hex digits of hi followed by those of lo.
func NewIDFromUint64(hi, lo uint64) ID {
	var id ID
	id.Data1 = uint32(hi >> 32)
	id.Data2 = uint16(hi >> 16)
	id.Data3 = uint16(hi)
	binary.BigEndian.PutUint64(id.Data4[:], lo)
	return id
}

// IsNull reports whether id equals GUID_NULL.
func (id ID) IsNull() bool { return id == GUID_NULL }

// String returns the lower-case registry form without braces, for example
// "b5946137-7b9f-4925-af80-51abd60b20d5".
func (id ID) String() string {
	var raw [16]byte
	binary.BigEndian.PutUint32(raw[0:4], id.Data1)
	binary.BigEndian.PutUint16(raw[4:6], id.Data2)
	binary.BigEndian.PutUint16(raw[6:8], id.Data3)
	copy(raw[8:], id.Data4[:])
	var b [36]byte
	hex.Encode(b[0:8], raw[0:4])
	b[8] = '-'
	hex.Encode(b[9:13], raw[4:6])
	b[13] = '-'
	hex.Encode(b[14:18], raw[6:8])
	b[18] = '-'
	hex.Encode(b[19:23], raw[8:10])
	b[23] = '-'
	hex.Encode(b[24:36], raw[10:16])
	return string(b[:])
}

// ParseID parses the 36-character form "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx"
// in any letter case, optionally enclosed in braces.
func ParseID(s string) (ID, error) {
	t := s
	if len(t) == 38 && t[0] == '{' && t[37] == '}' {
		t = t[1:37]
	}
	if len(t) != 36 || t[8] != '-' || t[13] != '-' || t[18] != '-' || t[23] != '-' {
		return ID{}, fmt.Errorf("vss: invalid ID %q: want xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx, optionally in braces", s)
	}
	var raw [16]byte
	digits := t[0:8] + t[9:13] + t[14:18] + t[19:23] + t[24:36]
	if _, err := hex.Decode(raw[:], []byte(digits)); err != nil {
		return ID{}, fmt.Errorf("vss: invalid ID %q: %v", s, err)
	}
	var id ID
	id.Data1 = binary.BigEndian.Uint32(raw[0:4])
	id.Data2 = binary.BigEndian.Uint16(raw[4:6])
	id.Data3 = binary.BigEndian.Uint16(raw[6:8])
	copy(id.Data4[:], raw[8:16])
	return id, nil
}

// MustParseID is like [ParseID] but panics on malformed input. It is meant
// for constants written in source code.
func MustParseID(s string) ID {
	id, err := ParseID(s)
	if err != nil {
		panic(err)
	}
	return id
}

// MarshalText implements encoding.TextMarshaler using [ID.String].
func (id ID) MarshalText() ([]byte, error) {
	return []byte(id.String()), nil
}

// UnmarshalText implements encoding.TextUnmarshaler using [ParseID].
func (id *ID) UnmarshalText(text []byte) error {
	v, err := ParseID(string(text))
	if err != nil {
		return err
	}
	*id = v
	return nil
}
