package requestor_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"testing"

	"github.com/stretchr/testify/require"
)

// Every method of BackupComponents has a doc comment (go doc shows it).
func TestEveryMethodIsDocumented(t *testing.T) {
	f, err := parser.ParseFile(token.NewFileSet(), "requestor.go", nil, parser.ParseComments)
	require.NoError(t, err)
	n := 0
	ast.Inspect(f, func(node ast.Node) bool {
		ts, ok := node.(*ast.TypeSpec)
		if !ok || ts.Name.Name != "BackupComponents" {
			return true
		}
		for _, m := range ts.Type.(*ast.InterfaceType).Methods.List {
			n++
			if m.Doc == nil || len(m.Doc.List) == 0 {
				t.Errorf("BackupComponents.%s has no doc comment", m.Names[0].Name)
			}
		}
		return false
	})
	require.GreaterOrEqual(t, n, 49)
}
