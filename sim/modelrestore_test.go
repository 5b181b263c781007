package sim_test

// A model-based test for restore objects (REFERENCE §2.2, §2.3 rows 1-4,
// 18-22, §1.3 restore rows): seeded random restore call sequences checked
// against an independent reference of the rules. Writers answer at once,
// so every async operation of a restore has ended when its call returns.

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/vsssim/vsssim/fakewriter"
	"github.com/vsssim/vsssim/requestor/vss"
	"github.com/vsssim/vsssim/sim"
)

type restoreRef struct {
	init, released, gathered, pre, post bool
	disabled                            [2]bool
	selected                            [2]bool
}

func TestModelRestoreSequences(t *testing.T) {
	total := 30_000
	if testing.Short() {
		total = 3_000
	}
	calls := 0
	for seed := uint64(1); calls < total; seed++ {
		calls += runRestoreSequence(t, seed, 40)
		if t.Failed() {
			return
		}
	}
	t.Logf("%d restore calls", calls)
}

func runRestoreSequence(t *testing.T, seed uint64, n int) int {
	t.Helper()
	rng := rand.New(rand.NewPCG(seed, 0x52455354))
	c := sim.NewDefault()
	ws := []*fakewriter.Writer{fakewriter.New("A"), fakewriter.New("B")}
	for _, w := range ws {
		_, err := w.Subscribe(c)
		require.NoError(t, err)
	}
	bcd := savedBCD(t, c)
	o := c.NewBackupComponents()
	backup := c.NewBackupComponents()
	require.NoError(t, backup.InitializeForBackup(""))
	m := &restoreRef{}
	bad, notFound, invalid := vss.VSS_E_BAD_STATE, vss.VSS_E_OBJECT_NOT_FOUND, vss.E_INVALIDARG
	var history []string
	for k := 0; k < n; k++ {
		w := rng.IntN(3) // 2 is a writer the BCD does not know
		class := vss.MustParseID("11111111-2222-3333-4444-555555555555")
		if w < 2 {
			class = ws[w].Config.ClassID
		}
		name := []string{"Data", "Data", "Nope", ""}[rng.IntN(4)]
		inBCD := w < 2 && name == "Data"
		// common: §2.3 rows 1 and 22 for restore methods.
		common := func() (vss.HRESULT, bool) {
			if m.released || !m.init || m.post {
				return bad, true
			}
			return vss.S_OK, false
		}
		var desc string
		var want vss.HRESULT
		var call func() error
		var apply func()
		component := func(window func() bool, extra func() (vss.HRESULT, bool)) {
			switch {
			case name == "":
				want = invalid
			case func() bool { h, r := common(); want = h; return r }():
			case !window():
				want = bad
			case !inBCD:
				want = notFound
			default:
				want = vss.S_OK
				if extra != nil {
					if h, r := extra(); r {
						want = h
					}
				}
			}
		}
		before := func() bool { return !m.pre && m.gathered }
		between := func() bool { return m.pre && !m.post }
		switch rng.IntN(16) {
		case 0:
			xml := []string{bcd, bcd, "", "<BACKUP_COMPONENTS"}[rng.IntN(4)]
			desc = fmt.Sprintf("InitializeForRestore(%d bytes)", len(xml))
			switch {
			case xml == "":
				want = invalid
			case m.released || m.init:
				want = bad
			case !strings.HasSuffix(xml, ">"):
				want = vss.VSS_E_INVALID_XML_DOCUMENT
			default:
				want = vss.S_OK
			}
			call = func() error { return o.InitializeForRestore(xml) }
			apply = func() { m.init = true }
		case 1:
			rt := []vss.RestoreType{vss.VSS_RTYPE_BY_COPY, vss.RestoreType(9)}[rng.IntN(2)]
			desc = fmt.Sprintf("SetRestoreState(%v)", rt)
			switch {
			case rt == 9:
				want = invalid
			case func() bool { h, r := common(); want = h; return r }():
			case m.pre:
				want = bad
			default:
				want = vss.S_OK
			}
			call = func() error { return o.SetRestoreState(rt) }
		case 2:
			desc = "GatherWriterMetadata"
			if h, r := common(); r {
				want = h
			} else if m.gathered {
				want = bad
			} else {
				want = vss.S_OK
			}
			call = func() error {
				a, err := o.GatherWriterMetadata()
				if err == nil {
					err = a.Wait(-1)
				}
				return err
			}
			apply = func() { m.gathered = true }
		case 3:
			desc = fmt.Sprintf("DisableWriterClasses(%d)", w)
			want = vss.S_OK
			if m.released || !m.init || m.post {
				want = bad
			}
			call = func() error { return o.DisableWriterClasses([]vss.ID{class}) }
			apply = func() {
				if !m.gathered && w < 2 {
					m.disabled[w] = true
				}
			}
		case 4:
			sel := rng.IntN(4) > 0
			desc = fmt.Sprintf("SetSelectedForRestore(%d, %q, %v)", w, name, sel)
			component(before, func() (vss.HRESULT, bool) { return notFound, m.disabled[w] })
			call = func() error { return o.SetSelectedForRestore(class, vss.VSS_CT_FILEGROUP, "", name, sel) }
			apply = func() { m.selected[w] = sel }
		case 5:
			desc = fmt.Sprintf("AddRestoreSubcomponent(%d, %q)", w, name)
			component(before, func() (vss.HRESULT, bool) { return bad, !m.selected[w] })
			call = func() error { return o.AddRestoreSubcomponent(class, vss.VSS_CT_FILEGROUP, "", name, "Data", "part") }
		case 6:
			desc = fmt.Sprintf("SetRestoreOptions(%d, %q)", w, name)
			component(before, nil)
			call = func() error { return o.SetRestoreOptions(class, vss.VSS_CT_FILEGROUP, "", name, "o") }
		case 7:
			right := rng.IntN(2) == 0
			desc = fmt.Sprintf("AddNewTarget(%d, %q, right path=%v)", w, name, right)
			path := `C:\nowhere`
			if w < 2 && right {
				path = `C:\Data\` + ws[w].Config.Name
			}
			component(before, func() (vss.HRESULT, bool) { return notFound, !right || m.disabled[w] })
			call = func() error { return o.AddNewTarget(class, vss.VSS_CT_FILEGROUP, "", name, path, "*", true, `D:\x`) }
		case 8:
			desc = "PreRestore"
			if h, r := common(); r {
				want = h
			} else if m.pre || !m.gathered {
				want = bad
			} else {
				want = vss.S_OK
			}
			call = func() error { // observed with Wait (Options.StrictAsync)
				a, err := o.PreRestore()
				if err == nil {
					err = a.Wait(-1)
				}
				return err
			}
			apply = func() { m.pre = true }
		case 9:
			st := []vss.FileRestoreStatus{vss.VSS_RS_ALL, vss.VSS_RS_FAILED, vss.FileRestoreStatus(7)}[rng.IntN(3)]
			desc = fmt.Sprintf("SetFileRestoreStatus(%d, %q, %v)", w, name, st)
			if st == 7 {
				want = invalid
			} else {
				component(between, nil)
			}
			call = func() error { return o.SetFileRestoreStatus(class, vss.VSS_CT_FILEGROUP, "", name, st) }
		case 10:
			desc = fmt.Sprintf("AddAlternativeLocationMapping(%d, %q)", w, name)
			component(between, nil)
			call = func() error {
				return o.AddAlternativeLocationMapping(class, vss.VSS_CT_FILEGROUP, "", name, `C:\Data`, "*", true, `D:\alt`)
			}
		case 11:
			desc = fmt.Sprintf("SetRangesFilePath(%d, %q)", w, name)
			component(between, func() (vss.HRESULT, bool) { return invalid, true })
			call = func() error { return o.SetRangesFilePath(class, vss.VSS_CT_FILEGROUP, "", name, 0, `D:\ranges`) }
		case 12:
			desc = "PostRestore"
			if h, r := common(); r {
				want = h
			} else if !m.pre {
				want = bad
			} else {
				want = vss.S_OK
			}
			call = func() error { // observed with Wait (Options.StrictAsync)
				a, err := o.PostRestore()
				if err == nil {
					err = a.Wait(-1)
				}
				return err
			}
			apply = func() { m.post = true }
		case 13:
			// A backup-only method on the restore object (§2.3 row 3) and a
			// restore-only method on a backup object (row 4).
			if rng.IntN(2) == 0 {
				desc = "StartSnapshotSet"
				want = bad
				call = func() error { _, err := o.StartSnapshotSet(); return err }
			} else {
				desc = "backup object: SetRestoreState"
				want = bad
				call = func() error { return backup.SetRestoreState(vss.VSS_RTYPE_BY_COPY) }
			}
		case 14:
			desc = "AbortBackup"
			want = vss.S_OK // a no-op on a restore object (§8 C13)
			if m.released || !m.init {
				want = bad
			}
			call = o.AbortBackup
		default:
			desc = "GetWriterComponentsCount"
			want = vss.S_OK
			if m.released || !m.init {
				want = bad
			}
			call = func() error { _, err := o.GetWriterComponentsCount(); return err }
		}
		err := call()
		got := vss.Code(err)
		history = append(history, fmt.Sprintf("%s -> %v", desc, got))
		if got != want {
			t.Fatalf("seed %d step %d: %s: reference wants %v, simulator returned %v (%v)\nhistory:\n  %s",
				seed, k, desc, want, got, err, strings.Join(history, "\n  "))
		}
		var ve *vss.Error
		if got == bad && (!errors.As(err, &ve) || ve.Rule == "") {
			t.Fatalf("seed %d step %d: %s: BAD_STATE without a rule: %v", seed, k, desc, err)
		}
		if _, known := sim.ReturnCodes[strings.SplitN(desc, "(", 2)[0]]; known && !sim.IsDocumented(strings.SplitN(desc, "(", 2)[0], got) {
			t.Fatalf("seed %d step %d: %v is not documented for %s", seed, k, got, desc)
		}
		if got == vss.S_OK && apply != nil {
			apply()
		}
	}
	require.NoError(t, o.Release())
	require.NoError(t, backup.Release())
	return n
}
