package vss

// The header tests compare String() names with the headers. This test
// closes the remaining gap: it reads this package's source and checks that
// each exported constant's Go identifier is exactly the name String()
// reports for its value, and that the All* functions list every constant.

import (
	"go/ast"
	"go/constant"
	"go/parser"
	"go/token"
	"os"
	"slices"
	"strings"
	"testing"

	gocmp "github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"
)

// sourceConst is one exported constant declared in the package source.
type sourceConst struct {
	Type  string // declared type name; "" for untyped
	Name  string
	Value int64
}

// parseSourceConsts collects the exported constants of the non-test Go
// files in the current directory whose declared type is in types, plus the
// untyped ones named VSS_*. Each of those must have a value built from
// integer literals, earlier such constants and simple operators. Other
// constants (of types this test does not cover) are ignored.
func parseSourceConsts(t *testing.T, types map[string]bool) []sourceConst {
	t.Helper()
	entries, err := os.ReadDir(".")
	require.NoError(t, err)
	fset := token.NewFileSet()
	known := map[string]constant.Value{}
	var out []sourceConst
	for _, e := range entries {
		name := e.Name()
		if !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		require.NoError(t, err)
		for _, decl := range f.Decls {
			gd, ok := decl.(*ast.GenDecl)
			if !ok || gd.Tok != token.CONST {
				continue
			}
			for _, spec := range gd.Specs {
				vs := spec.(*ast.ValueSpec)
				typ := ""
				if vs.Type != nil {
					id, ok := vs.Type.(*ast.Ident)
					if !ok || !types[id.Name] {
						continue
					}
					typ = id.Name
				} else if !slices.ContainsFunc(vs.Names, func(n *ast.Ident) bool { return strings.HasPrefix(n.Name, "VSS_") }) {
					continue
				}
				require.Len(t, vs.Values, len(vs.Names), "%s: implicit (iota-style) constant values are not supported here", fset.Position(vs.Pos()))
				for i, n := range vs.Names {
					v, err := evalGoConst(vs.Values[i], known)
					require.NoError(t, err, "%s: %s", fset.Position(n.Pos()), n.Name)
					known[n.Name] = v
					if !n.IsExported() {
						continue
					}
					iv, exact := constant.Int64Val(v)
					require.True(t, exact, "%s: %s is not a 64-bit integer", fset.Position(n.Pos()), n.Name)
					out = append(out, sourceConst{Type: typ, Name: n.Name, Value: iv})
				}
			}
		}
	}
	return out
}

// evalGoConst evaluates the small subset of Go constant expressions the
// package uses.
func evalGoConst(e ast.Expr, known map[string]constant.Value) (constant.Value, error) {
	switch x := e.(type) {
	case *ast.BasicLit:
		if x.Kind != token.INT {
			return nil, errUnsupported(e)
		}
		return constant.MakeFromLiteral(x.Value, x.Kind, 0), nil
	case *ast.Ident:
		v, ok := known[x.Name]
		if !ok {
			return nil, errUnsupported(e)
		}
		return v, nil
	case *ast.ParenExpr:
		return evalGoConst(x.X, known)
	case *ast.UnaryExpr:
		v, err := evalGoConst(x.X, known)
		if err != nil {
			return nil, err
		}
		return constant.UnaryOp(x.Op, v, 0), nil
	case *ast.BinaryExpr:
		l, err := evalGoConst(x.X, known)
		if err != nil {
			return nil, err
		}
		r, err := evalGoConst(x.Y, known)
		if err != nil {
			return nil, err
		}
		if x.Op == token.SHL || x.Op == token.SHR {
			s, ok := constant.Uint64Val(r)
			if !ok {
				return nil, errUnsupported(e)
			}
			return constant.Shift(l, x.Op, uint(s)), nil
		}
		return constant.BinaryOp(l, x.Op, r), nil
	}
	return nil, errUnsupported(e)
}

type unsupportedExprError struct{ pos token.Pos }

func (e unsupportedExprError) Error() string { return "unsupported constant expression" }

func errUnsupported(e ast.Expr) error { return unsupportedExprError{e.Pos()} }

func TestSourceIdentifiersMatchNames(t *testing.T) {
	type spec struct {
		goType string
		values []namedValue
	}
	specs := []spec{{"HRESULT", nil}}
	for _, hr := range AllHRESULTs() {
		specs[0].values = append(specs[0].values, namedValue{hr.String(), hex32(int32(hr))})
	}
	for _, es := range enumSpecs() {
		specs = append(specs, spec{es.GoType, es.Values})
	}
	checked := map[string]bool{}
	for _, s := range specs {
		checked[s.goType] = true
	}
	consts := parseSourceConsts(t, checked)
	require.NotEmpty(t, consts)
	for _, s := range specs {
		var fromSource []namedValue
		for _, c := range consts {
			if c.Type == s.goType {
				v32, err := toInt32(c.Value)
				require.NoError(t, err, c.Name)
				fromSource = append(fromSource, namedValue{c.Name, hex32(v32)})
			}
		}
		want := slices.Clone(fromSource)
		got := slices.Clone(s.values)
		slices.SortFunc(want, byValueThenName)
		slices.SortFunc(got, byValueThenName)
		if diff := gocmp.Diff(want, got); diff != "" {
			t.Errorf("%s: Go constants vs All*/String() (-want source +got runtime):\n%s", s.goType, diff)
		}
	}
	for _, c := range consts {
		if c.Type != "" {
			continue
		}
		i := slices.IndexFunc(otherDefines, func(d namedValue) bool { return d.Name == c.Name })
		if i < 0 {
			t.Errorf("untyped constant %s is not covered by otherDefines", c.Name)
			continue
		}
		if diff := gocmp.Diff(otherDefines[i].Value, hex32(c.Value)); diff != "" {
			t.Errorf("%s: source value vs otherDefines (-want +got):\n%s", c.Name, diff)
		}
	}
}
