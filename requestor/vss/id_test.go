package vss

import (
	"encoding/json"
	"testing"
	"unsafe"

	gocmp "github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"
)

// systemProvider is the id of the Microsoft software shadow copy provider.
const systemProvider = "b5946137-7b9f-4925-af80-51abd60b20d5"

func TestIDLayout(t *testing.T) {
	var id ID
	got := []uintptr{unsafe.Sizeof(id), unsafe.Offsetof(id.Data2), unsafe.Offsetof(id.Data3), unsafe.Offsetof(id.Data4), unsafe.Alignof(id)}
	want := []uintptr{16, 4, 6, 8, 4}
	if diff := gocmp.Diff(want, got); diff != "" {
		t.Errorf("ID layout [size, off Data2, off Data3, off Data4, align] (-want +got):\n%s", diff)
	}
}

func TestParseIDForms(t *testing.T) {
	want := ID{Data1: 0xb5946137, Data2: 0x7b9f, Data3: 0x4925, Data4: [8]byte{0xaf, 0x80, 0x51, 0xab, 0xd6, 0x0b, 0x20, 0xd5}}
	for _, in := range []string{
		systemProvider,
		"B5946137-7B9F-4925-AF80-51ABD60B20D5",
		"{b5946137-7b9f-4925-af80-51abd60b20d5}",
		"{B5946137-7b9F-4925-Af80-51ABD60b20d5}",
	} {
		got, err := ParseID(in)
		require.NoError(t, err, "input %q", in)
		if diff := gocmp.Diff(want, got); diff != "" {
			t.Errorf("ParseID(%q) (-want +got):\n%s", in, diff)
		}
		if diff := gocmp.Diff(systemProvider, got.String()); diff != "" {
			t.Errorf("String after ParseID(%q) (-want +got):\n%s", in, diff)
		}
	}
}

func TestParseIDErrors(t *testing.T) {
	for _, in := range []string{
		"",
		"{}",
		"b5946137-7b9f-4925-af80-51abd60b20d",    // short
		"b5946137-7b9f-4925-af80-51abd60b20d55",  // long
		"b59461377b9f4925af8051abd60b20d5",       // no dashes
		"b5946137-7b9f-4925-af8051abd-60b20d5",   // dash misplaced
		"b5946137-7b9f-4925-af80-51abd60b20dg",   // not hex
		"{b5946137-7b9f-4925-af80-51abd60b20d5",  // unbalanced brace
		"b5946137-7b9f-4925-af80-51abd60b20d5}",  // unbalanced brace
		"(b5946137-7b9f-4925-af80-51abd60b20d5)", // wrong brackets
		" b5946137-7b9f-4925-af80-51abd60b20d5",  // space
		"b5946137-+b9f-4925-af80-51abd60b20d5",   // sign
	} {
		_, err := ParseID(in)
		require.Error(t, err, "input %q", in)
		require.Contains(t, err.Error(), "\""+in+"\"")
	}
}

func TestMustParseID(t *testing.T) {
	require.Equal(t, systemProvider, MustParseID(systemProvider).String())
	require.Panics(t, func() { MustParseID("not-a-guid") })
}

func TestGUIDNull(t *testing.T) {
	require.True(t, GUID_NULL.IsNull())
	require.True(t, ID{}.IsNull())
	require.False(t, MustParseID(systemProvider).IsNull())
	require.False(t, ID{Data4: [8]byte{7: 1}}.IsNull())
	if diff := gocmp.Diff("00000000-0000-0000-0000-000000000000", GUID_NULL.String()); diff != "" {
		t.Errorf("GUID_NULL.String (-want +got):\n%s", diff)
	}
	got, err := ParseID("{00000000-0000-0000-0000-000000000000}")
	require.NoError(t, err)
	if diff := gocmp.Diff(GUID_NULL, got); diff != "" {
		t.Errorf("parse null (-want +got):\n%s", diff)
	}
}

func TestNewIDFromUint64(t *testing.T) {
	id := NewIDFromUint64(0x0123456789abcdef, 0xfedcba9876543210)
	want := ID{Data1: 0x01234567, Data2: 0x89ab, Data3: 0xcdef, Data4: [8]byte{0xfe, 0xdc, 0xba, 0x98, 0x76, 0x54, 0x32, 0x10}}
	if diff := gocmp.Diff(want, id); diff != "" {
		t.Errorf("fields (-want +got):\n%s", diff)
	}
	if diff := gocmp.Diff("01234567-89ab-cdef-fedc-ba9876543210", id.String()); diff != "" {
		t.Errorf("String (-want +got):\n%s", diff)
	}
	back, err := ParseID(id.String())
	require.NoError(t, err)
	if diff := gocmp.Diff(id, back); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
	require.True(t, NewIDFromUint64(0, 0).IsNull())
	if diff := gocmp.Diff("00000000-0000-0001-0000-000000000002", NewIDFromUint64(1, 2).String()); diff != "" {
		t.Errorf("small values (-want +got):\n%s", diff)
	}
	require.Equal(t, NewIDFromUint64(5, 6), NewIDFromUint64(5, 6), "must be deterministic")
	require.NotEqual(t, NewIDFromUint64(5, 6), NewIDFromUint64(6, 5))
}

func TestIDText(t *testing.T) {
	type doc struct{ ID ID }
	in := doc{MustParseID(systemProvider)}
	b, err := json.Marshal(in)
	require.NoError(t, err)
	if diff := gocmp.Diff(`{"ID":"`+systemProvider+`"}`, string(b)); diff != "" {
		t.Errorf("json (-want +got):\n%s", diff)
	}
	var out doc
	require.NoError(t, json.Unmarshal([]byte(`{"ID":"{B5946137-7B9F-4925-AF80-51ABD60B20D5}"}`), &out))
	if diff := gocmp.Diff(in, out); diff != "" {
		t.Errorf("json round trip (-want +got):\n%s", diff)
	}
	require.Error(t, json.Unmarshal([]byte(`{"ID":"nope"}`), &out))
}
