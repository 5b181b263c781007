package vss

import (
	"errors"
	"fmt"
	"io"
	"testing"

	gocmp "github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"
)

func TestErrorFormat(t *testing.T) {
	cases := []struct {
		name string
		err  *Error
		want string
	}{
		{
			"all parts",
			&Error{HR: VSS_E_BAD_STATE, Method: "DoSnapshotSet", Rule: "B3", Expected: "PrepareForBackup completed", Detail: "called before PrepareForBackup"},
			"DoSnapshotSet: VSS_E_BAD_STATE (0x80042301): called before PrepareForBackup [rule B3; expected: PrepareForBackup completed]",
		},
		{"only HR", &Error{HR: VSS_E_BAD_STATE}, "VSS_E_BAD_STATE (0x80042301)"},
		{"no method", &Error{HR: E_INVALIDARG, Detail: "nil pointer"}, "E_INVALIDARG (0x80070057): nil pointer"},
		{"method and rule", &Error{HR: VSS_E_BAD_STATE, Method: "AddToSnapshotSet", Rule: "B3"}, "AddToSnapshotSet: VSS_E_BAD_STATE (0x80042301) [rule B3]"},
		{"expected only", &Error{HR: VSS_E_BAD_STATE, Expected: "InitializeForBackup first"}, "VSS_E_BAD_STATE (0x80042301) [expected: InitializeForBackup first]"},
		{"unknown HR", &Error{HR: 0x80042305, Method: "M", Detail: "d"}, "M: 0x80042305: d"},
		{"nil", nil, "<nil>"},
	}
	for _, c := range cases {
		if diff := gocmp.Diff(c.want, c.err.Error()); diff != "" {
			t.Errorf("%s (-want +got):\n%s", c.name, diff)
		}
	}
}

func TestErrorf(t *testing.T) {
	got := Errorf(VSS_E_OBJECT_NOT_FOUND, "GetWriterMetadata", "index %d out of range (have %d)", 7, 3).
		WithRule("R2").WithExpected("index < 3")
	want := &Error{HR: VSS_E_OBJECT_NOT_FOUND, Method: "GetWriterMetadata", Rule: "R2", Expected: "index < 3", Detail: "index 7 out of range (have 3)"}
	if diff := gocmp.Diff(want, got); diff != "" {
		t.Errorf("Errorf (-want +got):\n%s", diff)
	}
	if diff := gocmp.Diff("", Errorf(S_OK, "", "").Detail); diff != "" {
		t.Errorf("empty format (-want +got):\n%s", diff)
	}
}

func TestErrorsIsAndAs(t *testing.T) {
	err := error(Errorf(VSS_E_BAD_STATE, "StartSnapshotSet", "already started"))
	require.ErrorIs(t, err, VSS_E_BAD_STATE)
	require.NotErrorIs(t, err, VSS_E_UNEXPECTED)
	require.NotErrorIs(t, err, E_FAIL)

	wrapped := fmt.Errorf("backup: %w", err)
	require.ErrorIs(t, wrapped, VSS_E_BAD_STATE)
	require.NotErrorIs(t, wrapped, VSS_E_SNAPSHOT_SET_IN_PROGRESS)

	var ve *Error
	require.ErrorAs(t, wrapped, &ve)
	if diff := gocmp.Diff("StartSnapshotSet", ve.Method); diff != "" {
		t.Errorf("errors.As (-want +got):\n%s", diff)
	}

	var hr HRESULT
	require.ErrorAs(t, wrapped, &hr)
	if diff := gocmp.Diff(VSS_E_BAD_STATE, hr); diff != "" {
		t.Errorf("errors.As HRESULT (-want +got):\n%s", diff)
	}

	// A bare HRESULT is an error too.
	require.ErrorIs(t, fmt.Errorf("x: %w", VSS_E_PROVIDER_VETO), VSS_E_PROVIDER_VETO)
}

func TestCode(t *testing.T) {
	cases := []struct {
		name string
		err  error
		want HRESULT
	}{
		{"nil", nil, S_OK},
		{"bare HRESULT", VSS_E_HOLD_WRITES_TIMEOUT, VSS_E_HOLD_WRITES_TIMEOUT},
		{"success HRESULT", VSS_S_ASYNC_CANCELLED, VSS_S_ASYNC_CANCELLED},
		{"*Error", Errorf(VSS_E_BAD_STATE, "M", "d"), VSS_E_BAD_STATE},
		{"wrapped *Error", fmt.Errorf("a: %w", fmt.Errorf("b: %w", Errorf(E_INVALIDARG, "M", "d"))), E_INVALIDARG},
		{"wrapped HRESULT", fmt.Errorf("a: %w", E_ACCESSDENIED), E_ACCESSDENIED},
		{"joined", errors.Join(io.EOF, VSS_E_UNEXPECTED), VSS_E_UNEXPECTED},
		{"unknown HRESULT value", HRESULT(0x80042305), 0x80042305},
		{"plain error", io.EOF, E_FAIL},
		{"plain wrapped error", fmt.Errorf("x: %w", io.EOF), E_FAIL},
	}
	for _, c := range cases {
		if diff := gocmp.Diff(c.want, Code(c.err)); diff != "" {
			t.Errorf("%s (-want +got):\n%s", c.name, diff)
		}
	}
}
