package vss

import (
	"fmt"
	"math/bits"
	"slices"
	"strings"
)

// enumName is one row of an enumeration's name table. Each table is written
// in value order (a test enforces it) so that the All* functions can copy it.
type enumName[T ~int32] struct {
	v    T
	name string
}

// enumValues returns the values of tab in table order.
func enumValues[T ~int32](tab []enumName[T]) []T {
	out := make([]T, len(tab))
	for i, e := range tab {
		out[i] = e.v
	}
	return out
}

// lookupEnum returns the name of v in tab.
func lookupEnum[T ~int32](tab []enumName[T], v T) (string, bool) {
	for _, e := range tab {
		if e.v == v {
			return e.name, true
		}
	}
	return "", false
}

// enumString returns the name of v, or "typeName(v)" when v has no name.
func enumString[T ~int32](tab []enumName[T], v T, typeName string) string {
	if n, ok := lookupEnum(tab, v); ok {
		return n
	}
	return fmt.Sprintf("%s(%d)", typeName, int32(v))
}

// maskString formats a bit mask. A value with its own name (including a
// zero-valued or multi-bit name) prints as that name. Otherwise the value is
// split into named parts, multi-bit names first, printed in ascending value
// order and joined by "|", with any bits left over appended as hex. Zero
// without a zero-valued name prints as "0".
func maskString[T ~int32](tab []enumName[T], v T) string {
	if n, ok := lookupEnum(tab, v); ok {
		return n
	}
	if v == 0 {
		return "0"
	}
	parts, rest := splitMask(tab, uint32(v))
	names := make([]string, 0, len(parts)+1)
	for _, p := range parts {
		names = append(names, p.name)
	}
	if rest != 0 {
		names = append(names, fmt.Sprintf("0x%X", rest))
	}
	return strings.Join(names, "|")
}

// splitMask picks named, non-zero parts of tab that together cover as many
// bits of m as possible, preferring names with more bits, and returns them
// in ascending value order with the uncovered bits.
func splitMask[T ~int32](tab []enumName[T], m uint32) ([]enumName[T], uint32) {
	cands := slices.Clone(tab)
	slices.SortStableFunc(cands, func(a, b enumName[T]) int {
		return bits.OnesCount32(uint32(b.v)) - bits.OnesCount32(uint32(a.v))
	})
	var parts []enumName[T]
	for _, c := range cands {
		cv := uint32(c.v)
		if cv != 0 && cv&m == cv {
			parts = append(parts, c)
			m &^= cv
		}
	}
	slices.SortFunc(parts, func(a, b enumName[T]) int {
		switch {
		case uint32(a.v) < uint32(b.v):
			return -1
		case uint32(a.v) > uint32(b.v):
			return 1
		}
		return 0
	})
	return parts, m
}
