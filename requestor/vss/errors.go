package vss

import (
	"errors"
	"fmt"
	"strings"
)

// Error is a failed VSS call with the context a simulator can give: which
// method failed, which protocol rule was broken and what was expected
// instead. It wraps its HRESULT, so errors.Is(err, VSS_E_BAD_STATE) and
// [Code] see through it.
type Error struct {
	// HR is the HRESULT the call returns.
	HR HRESULT
	// Method is the failing method, for example "DoSnapshotSet".
	Method string
	// Rule names the protocol rule that was violated, if any.
	Rule string
	// Expected describes what the protocol required instead.
	Expected string
	// Detail is a free-form explanation.
	Detail string
}

// Errorf returns an Error for method with the given HRESULT and a Detail
// formatted by fmt.Sprintf(format, args...).
func Errorf(hr HRESULT, method, format string, args ...any) *Error {
	return &Error{HR: hr, Method: method, Detail: fmt.Sprintf(format, args...)}
}

// WithRule sets e.Rule and returns e, for chaining after [Errorf].
func (e *Error) WithRule(rule string) *Error {
	e.Rule = rule
	return e
}

// WithExpected sets e.Expected and returns e, for chaining after [Errorf].
func (e *Error) WithExpected(expected string) *Error {
	e.Expected = expected
	return e
}

// Error formats e as
//
//	Method: NAME (0xHEX): Detail [rule Rule; expected: Expected]
//
// leaving out the parts that are empty, and the internal provenance tags
// of Detail and Expected (UserText).
func (e *Error) Error() string {
	if e == nil {
		return "<nil>"
	}
	var b strings.Builder
	if e.Method != "" {
		b.WriteString(e.Method)
		b.WriteString(": ")
	}
	b.WriteString(e.HR.Error())
	if e.Detail != "" {
		b.WriteString(": ")
		b.WriteString(UserText(e.Detail))
	}
	var extra []string
	if e.Rule != "" {
		extra = append(extra, "rule "+e.Rule)
	}
	if e.Expected != "" {
		extra = append(extra, "expected: "+UserText(e.Expected))
	}
	if len(extra) > 0 {
		b.WriteString(" [")
		b.WriteString(strings.Join(extra, "; "))
		b.WriteString("]")
	}
	return b.String()
}

// Unwrap returns the HRESULT carried by e.
func (e *Error) Unwrap() error {
	if e == nil {
		return nil
	}
	return e.HR
}

// Code maps an error to the HRESULT a COM method would return: S_OK for
// nil, the HRESULT found in err's chain (see errors.As) when there is one,
// and E_FAIL for any other error.
func Code(err error) HRESULT {
	if err == nil {
		return S_OK
	}
	var hr HRESULT
	if errors.As(err, &hr) {
		return hr
	}
	return E_FAIL
}
