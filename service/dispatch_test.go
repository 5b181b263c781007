package service

import (
	"sort"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/vsssim/vsssim/service/comtable"
)

// Every remote method of the table has a handler, and every handler is a
// remote method of the table.
func TestHandlersMatchTable(t *testing.T) {
	for _, tc := range []struct {
		iface    comtable.Iface
		handlers []string
	}{
		{comtable.BackupComponents, keys(bcHandlers)},
		{comtable.Async, keys(asyncHandlers)},
		{comtable.ExamineWriterMetadata, keys(objHandlers[comtable.ExamineWriterMetadata])},
		{comtable.WMComponent, keys(objHandlers[comtable.WMComponent])},
		{comtable.WMFiledesc, keys(objHandlers[comtable.WMFiledesc])},
		{comtable.WMDependency, keys(objHandlers[comtable.WMDependency])},
		{comtable.WriterComponents, keys(objHandlers[comtable.WriterComponents])},
		{comtable.Component, keys(objHandlers[comtable.Component])},
	} {
		var remote []string
		for _, m := range comtable.Methods {
			if m.Iface == tc.iface && m.Impl == comtable.Remote {
				remote = append(remote, m.Name)
			}
		}
		sort.Strings(remote)
		if d := cmp.Diff(remote, tc.handlers); d != "" {
			t.Errorf("%v (-table +handlers):\n%s", tc.iface, d)
		}
	}
}

func keys[V any](m map[string]V) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
