package vss

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"testing"

	gocmp "github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"
)

func TestHRESULTTableSortedAndUnique(t *testing.T) {
	all := AllHRESULTs()
	require.Len(t, all, len(hresultTable))
	nameRE := regexp.MustCompile(`^[A-Z][A-Z0-9_]*$`)
	seen := map[string]bool{}
	for i, e := range hresultTable {
		if i > 0 && hresultTable[i-1].hr >= e.hr {
			t.Errorf("hresultTable not strictly ascending at %s (0x%08X) after %s (0x%08X)",
				e.name, uint32(e.hr), hresultTable[i-1].name, uint32(hresultTable[i-1].hr))
		}
		if seen[e.name] {
			t.Errorf("duplicate name %s", e.name)
		}
		seen[e.name] = true
		if !nameRE.MatchString(e.name) {
			t.Errorf("bad name %q", e.name)
		}
		if e.desc == "" || strings.Contains(e.desc, "\n") {
			t.Errorf("%s: description must be one non-empty line, got %q", e.name, e.desc)
		}
	}
	// 81 VSS codes in vsserror.h plus 12 standard ones.
	require.Len(t, all, 93)
}

func TestAllHRESULTsReturnsCopy(t *testing.T) {
	a := AllHRESULTs()
	a[0] = 0xDEADBEEF
	if diff := gocmp.Diff(S_OK, AllHRESULTs()[0]); diff != "" {
		t.Errorf("AllHRESULTs shares its backing array (-want +got):\n%s", diff)
	}
}

func TestHRESULTStringAndError(t *testing.T) {
	cases := []struct {
		hr         HRESULT
		str, error string
	}{
		{S_OK, "S_OK", "S_OK (0x00000000)"},
		{S_FALSE, "S_FALSE", "S_FALSE (0x00000001)"},
		{VSS_E_BAD_STATE, "VSS_E_BAD_STATE", "VSS_E_BAD_STATE (0x80042301)"},
		{VSS_S_ASYNC_FINISHED, "VSS_S_ASYNC_FINISHED", "VSS_S_ASYNC_FINISHED (0x0004230A)"},
		{VSS_E_WRITERERROR_PARTIAL_FAILURE, "VSS_E_WRITERERROR_PARTIAL_FAILURE", "VSS_E_WRITERERROR_PARTIAL_FAILURE (0x80042336)"},
		{E_UNEXPECTED, "E_UNEXPECTED", "E_UNEXPECTED (0x8000FFFF)"},
		{E_INVALIDARG, "E_INVALIDARG", "E_INVALIDARG (0x80070057)"},
		// Gaps in the VSS range and arbitrary values have no name.
		{0x80042305, "0x80042305", "0x80042305"},
		{0x8004231C, "0x8004231C", "0x8004231C"},
		{0x00000002, "0x00000002", "0x00000002"},
		{0xFFFFFFFF, "0xFFFFFFFF", "0xFFFFFFFF"},
	}
	for _, c := range cases {
		if diff := gocmp.Diff(c.str, c.hr.String()); diff != "" {
			t.Errorf("String of 0x%08X (-want +got):\n%s", uint32(c.hr), diff)
		}
		if diff := gocmp.Diff(c.error, c.hr.Error()); diff != "" {
			t.Errorf("Error of 0x%08X (-want +got):\n%s", uint32(c.hr), diff)
		}
		// As an error, %v uses Error().
		if diff := gocmp.Diff(c.error, fmt.Sprintf("%v", c.hr)); diff != "" {
			t.Errorf("%%v of 0x%08X (-want +got):\n%s", uint32(c.hr), diff)
		}
	}
}

func TestHRESULTFailedSucceeded(t *testing.T) {
	type fs struct{ Failed, Succeeded bool }
	cases := map[HRESULT]fs{
		S_OK:                              {false, true},
		S_FALSE:                           {false, true},
		VSS_S_ASYNC_PENDING:               {false, true},
		VSS_S_SOME_SNAPSHOTS_NOT_IMPORTED: {false, true},
		VSS_E_SOME_SNAPSHOTS_NOT_IMPORTED: {true, false},
		VSS_E_BAD_STATE:                   {true, false},
		E_FAIL:                            {true, false},
		0x7FFFFFFF:                        {false, true},
		0x80000000:                        {true, false},
	}
	for _, hr := range AllHRESULTs() {
		want, ok := cases[hr]
		if !ok {
			want = fs{Failed: !strings.HasPrefix(hr.String(), "S_") && !strings.HasPrefix(hr.String(), "VSS_S_")}
			want.Succeeded = !want.Failed
		}
		got := fs{hr.Failed(), hr.Succeeded()}
		if diff := gocmp.Diff(want, got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", hr, diff)
		}
	}
	for hr, want := range cases {
		got := fs{hr.Failed(), hr.Succeeded()}
		if diff := gocmp.Diff(want, got); diff != "" {
			t.Errorf("0x%08X (-want +got):\n%s", uint32(hr), diff)
		}
	}
}

func TestHRESULTDescription(t *testing.T) {
	for _, hr := range AllHRESULTs() {
		if hr.Description() == "" {
			t.Errorf("%s has no description", hr)
		}
	}
	if diff := gocmp.Diff("", HRESULT(0x80042305).Description()); diff != "" {
		t.Errorf("unknown HRESULT description (-want +got):\n%s", diff)
	}
	require.Contains(t, VSS_E_BAD_STATE.Description(), "sequence")
}

func TestParseHRESULT(t *testing.T) {
	ok := []struct {
		in   string
		want HRESULT
	}{
		{"VSS_E_BAD_STATE", VSS_E_BAD_STATE},
		{"S_OK", S_OK},
		{"E_HANDLE", E_HANDLE},
		{"VSS_S_SOME_SNAPSHOTS_NOT_IMPORTED", VSS_S_SOME_SNAPSHOTS_NOT_IMPORTED},
		{"VSS_E_SOME_SNAPSHOTS_NOT_IMPORTED", VSS_E_SOME_SNAPSHOTS_NOT_IMPORTED},
		{"0x80042301", VSS_E_BAD_STATE},
		{"0X80042301", VSS_E_BAD_STATE},
		{"0x8004230f", VSS_E_UNEXPECTED_PROVIDER_ERROR},
		{"0x0", S_OK},
		{"0x1", S_FALSE},
		{"0x80042305", 0x80042305}, // unnamed values parse too
		{"  VSS_E_BAD_STATE\n", VSS_E_BAD_STATE},
	}
	for _, c := range ok {
		got, err := ParseHRESULT(c.in)
		require.NoError(t, err, "input %q", c.in)
		if diff := gocmp.Diff(c.want, got); diff != "" {
			t.Errorf("ParseHRESULT(%q) (-want +got):\n%s", c.in, diff)
		}
	}

	bad := []struct {
		in         string
		suggestion string // "" means no suggestion expected
	}{
		{"VSS_E_BAD_STAT", "VSS_E_BAD_STATE"},
		{"vss_e_bad_state", "VSS_E_BAD_STATE"},
		{"BAD_STATE", "VSS_E_BAD_STATE"},
		{"WRITERERROR_TIMEOUT", "VSS_E_WRITERERROR_TIMEOUT"},
		{"E_INVALIDARGS", "E_INVALIDARG"},
		{"VSS_E_WRITER_NOT_RESPONDIN", "VSS_E_WRITER_NOT_RESPONDING"},
		{"COMPLETELY_UNRELATED_THING", ""},
		{"", ""},
		{"0x", ""},
		{"0xZZ", ""},
		{"0x123456789", ""},
		{"80042301", ""},
	}
	for _, c := range bad {
		_, err := ParseHRESULT(c.in)
		require.Error(t, err, "input %q", c.in)
		msg := err.Error()
		if c.in != "" {
			require.Contains(t, msg, fmt.Sprintf("%q", c.in), "error must name the input")
		}
		if c.suggestion != "" {
			require.Contains(t, msg, "did you mean "+c.suggestion+"?")
		} else {
			require.NotContains(t, msg, "did you mean")
		}
	}
}

func TestParseHRESULTRoundTrip(t *testing.T) {
	for _, hr := range AllHRESULTs() {
		got, err := ParseHRESULT(hr.String())
		require.NoError(t, err)
		if diff := gocmp.Diff(hr, got); diff != "" {
			t.Errorf("name round trip of %s (-want +got):\n%s", hr, diff)
		}
		got, err = ParseHRESULT(fmt.Sprintf("0x%08X", uint32(hr)))
		require.NoError(t, err)
		if diff := gocmp.Diff(hr, got); diff != "" {
			t.Errorf("hex round trip of %s (-want +got):\n%s", hr, diff)
		}
	}
}

func TestHRESULTText(t *testing.T) {
	type doc struct {
		A, B HRESULT
	}
	b, err := json.Marshal(doc{VSS_E_BAD_STATE, 0x80042305})
	require.NoError(t, err)
	if diff := gocmp.Diff(`{"A":"VSS_E_BAD_STATE","B":"0x80042305"}`, string(b)); diff != "" {
		t.Errorf("json (-want +got):\n%s", diff)
	}
	var got doc
	require.NoError(t, json.Unmarshal(b, &got))
	if diff := gocmp.Diff(doc{VSS_E_BAD_STATE, 0x80042305}, got); diff != "" {
		t.Errorf("json round trip (-want +got):\n%s", diff)
	}
	require.Error(t, json.Unmarshal([]byte(`{"A":"VSS_E_NOPE"}`), &got))
}

func TestIsWriterErrorRetryable(t *testing.T) {
	var got []HRESULT
	for _, hr := range AllHRESULTs() {
		if IsWriterErrorRetryable(hr) {
			got = append(got, hr)
		}
	}
	want := []HRESULT{VSS_E_WRITERERROR_OUTOFRESOURCES, VSS_E_WRITERERROR_TIMEOUT, VSS_E_WRITERERROR_RETRYABLE}
	if diff := gocmp.Diff(want, got); diff != "" {
		t.Errorf("retryable writer errors (-want +got):\n%s", diff)
	}
}
