package sim_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"

	"github.com/vsssim/vsssim/fakewriter"
	"github.com/vsssim/vsssim/requestor"
	"github.com/vsssim/vsssim/requestor/vss"
	"github.com/vsssim/vsssim/sim"
)

// A requestor that waits for each operation but never reads its result
// with QueryStatus, gives up after a writer vetoed the freeze and releases
// the object without AbortBackup, having never looked at writer status.
func ExampleCoordinator_Check() {
	c := sim.NewDefault()
	app := fakewriter.New("App").On(sim.EventFreeze, fakewriter.Retryable(1))
	if _, err := app.Subscribe(c); err != nil {
		panic(err)
	}
	bc := requestor.NewSim(c)
	do := func(a vss.Async, err error) {
		if err == nil {
			err = a.Wait(requestor.INFINITE)
		}
		if err != nil {
			panic(err)
		}
	}
	_ = bc.InitializeForBackup("")
	_ = bc.SetBackupState(false, false, vss.VSS_BT_FULL, false)
	do(bc.GatherWriterMetadata())
	_ = bc.FreeWriterMetadata()
	_, _ = bc.StartSnapshotSet()
	_, _ = bc.AddToSnapshotSet(`C:\`, vss.ID{})
	do(bc.PrepareForBackup())
	do(bc.DoSnapshotSet()) // App vetoes: the async ends with VSS_E_WRITERERROR_RETRYABLE
	_ = bc.Release()

	for _, f := range c.Check(sim.CheckOptions{}) {
		fmt.Println(f)
	}
	// Output:
	// #1 error abort-missing: the object was released after DoSnapshotSet failed (its async failed) without AbortBackup
	// #1 warning writer-status-not-gathered: no GatherWriterStatus after PrepareForBackup, DoSnapshotSet
	// #1 warning async-status-not-queried: the result of GatherWriterMetadata (VSS_S_ASYNC_FINISHED) was never read with QueryStatus
	// #1 warning async-status-not-queried: the result of PrepareForBackup (VSS_S_ASYNC_FINISHED) was never read with QueryStatus
	// #1 warning async-status-not-queried: the result of DoSnapshotSet (VSS_E_WRITERERROR_RETRYABLE) was never read with QueryStatus
}

// RunBackup, the package's documented sequence, passes every check, in
// component mode and not, and on a writer veto.
func TestCheckRunBackupConforms(t *testing.T) {
	for _, tc := range []struct {
		name string
		plan requestor.BackupPlan
		veto bool
	}{
		{"components", requestor.BackupPlan{Volumes: []string{`C:\`}, SelectAll: true}, false},
		{"volumes", requestor.BackupPlan{Volumes: []string{`C:\`}}, false},
		{"veto", requestor.BackupPlan{Volumes: []string{`C:\`}, SelectAll: true}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := sim.NewDefault()
			ws := newWriters(t, c, 3)
			if tc.veto {
				ws[1].On(sim.EventFreeze, fakewriter.Retryable(1))
			}
			_, err := requestor.RunBackup(context.Background(), requestor.NewSim(c), tc.plan)
			require.Equal(t, tc.veto, err != nil, "RunBackup: %v", err)
			sim.AssertConformance(t, c)
		})
	}
}

// recorder is a testing.TB that keeps what AssertConformance reports.
type recorder struct {
	testing.TB
	errors, logs []string
}

func (r *recorder) Helper() {}
func (r *recorder) Errorf(format string, a ...any) {
	r.errors = append(r.errors, fmt.Sprintf(format, a...))
}
func (r *recorder) Logf(format string, a ...any) { r.logs = append(r.logs, fmt.Sprintf(format, a...)) }

// AssertConformance fails the test for errors and warnings, with the rule
// and its source, and only logs information.
func TestAssertConformanceReports(t *testing.T) {
	c := sim.NewDefault()
	newWriters(t, c, 1)
	o := c.NewBackupComponents()
	backupTo(t, o, "BackupComplete")
	// No writer status gathered, never released, metadata never freed.
	rec := &recorder{TB: t}
	sim.AssertConformance(rec, c)
	require.Len(t, rec.errors, 2, "%q", rec.errors)
	require.Contains(t, rec.errors[0], "#1 warning writer-status-not-gathered: no GatherWriterStatus after PrepareForBackup, DoSnapshotSet")
	require.Contains(t, rec.errors[1], "#1 error release-missing: the object was never released")
	require.Contains(t, rec.errors[1], "rule: every IVssBackupComponents is released")
	require.Contains(t, rec.errors[1], "source: Overview of Backup Termination")
	require.Len(t, rec.logs, 2, "%q", rec.logs)
	require.Contains(t, rec.logs[0], "status-not-gathered-after-complete")
	require.Contains(t, rec.logs[1], "free-writer-metadata-missing")

	// Per object, and with checks ignored.
	require.Len(t, c.CheckObject(1, sim.CheckOptions{}), len(c.Check(sim.CheckOptions{})))
	require.Empty(t, c.CheckObject(2, sim.CheckOptions{}))
	require.Empty(t, o.Check(sim.CheckOptions{Ignore: []string{"release-missing", "free-writer-metadata-missing",
		"writer-status-not-gathered", "status-not-gathered-after-complete"}}))
}

// Every check is documented, has a unique name, a rule and a source that
// users can read (no pointer at the project's internal notes).
func TestCheckCatalog(t *testing.T) {
	seen := map[string]bool{}
	for _, ci := range sim.Checks {
		require.False(t, seen[ci.Name], "duplicate %s", ci.Name)
		seen[ci.Name] = true
		require.NotEmpty(t, ci.Rule, ci.Name)
		require.NotEmpty(t, ci.Source, ci.Name)
		require.Contains(t, []sim.Severity{sim.SeverityInfo, sim.SeverityWarning, sim.SeverityError}, ci.Severity, ci.Name)
		for _, bad := range []string{"REFERENCE", "FIELD", "§"} {
			require.NotContains(t, ci.Rule+ci.Source, bad, ci.Name)
		}
		got, ok := sim.CheckByName(ci.Name)
		require.True(t, ok)
		require.Equal(t, ci, got)
	}
	_, ok := sim.CheckByName("nonsense")
	require.False(t, ok)
}

// Reading an exclude list is seen through the accessors that mirror the
// COM calls; reading the fields is not (the documented limitation).
func TestCheckExcludesReadThroughAccessors(t *testing.T) {
	run := func(read func(md *vss.WriterMetadata)) []string {
		c := sim.NewDefault()
		doc, err := os.ReadFile("../testdata/writers/shadowcopyoptimization.xml")
		require.NoError(t, err)
		md, err := vss.LoadWriterMetadata(doc)
		require.NoError(t, err)
		md.ExcludeFiles = []vss.FileDesc{{Path: `C:\tmp`, Filespec: "*.tmp"}}
		_, err = fakewriter.FromWMD(md).Subscribe(c)
		require.NoError(t, err)
		o := c.NewBackupComponents()
		require.NoError(t, o.InitializeForBackup(""))
		require.NoError(t, o.SetBackupState(false, false, vss.VSS_BT_FULL, false))
		mustFinish(t, o.GatherWriterMetadata)
		if read != nil {
			_, md, err := o.GetWriterMetadata(0)
			require.NoError(t, err)
			read(md)
		}
		_, err = o.StartSnapshotSet()
		require.NoError(t, err)
		mustFinish(t, o.PrepareForBackup)
		var out []string
		for _, f := range o.Check(sim.CheckOptions{}) {
			if f.Name == "excludes-not-read" {
				out = append(out, f.Message)
			}
		}
		return out
	}
	both := `writer "Shadow Copy Optimization Writer" takes part and declares 1 exclude files (GetExcludeFile) and 10 exclude-from-snapshot files (GetExcludeFromSnapshotFile); the requestor `
	for _, tc := range []struct {
		name string
		read func(md *vss.WriterMetadata)
		want []string
	}{
		{"never fetched", nil, []string{both + "never fetched its metadata"}},
		{"fields", func(md *vss.WriterMetadata) { _ = len(md.ExcludeFiles) + len(md.ExcludeFromSnapshot) }, []string{both + "fetched its metadata but never read them"}},
		{"one list", func(md *vss.WriterMetadata) { _, _ = md.GetExcludeFile(0) }, []string{
			`writer "Shadow Copy Optimization Writer" takes part and declares 10 exclude-from-snapshot files (GetExcludeFromSnapshotFile); the requestor fetched its metadata but never read them`}},
		{"both lists", func(md *vss.WriterMetadata) {
			_, _ = md.GetExcludeFile(0)
			_, _ = md.GetExcludeFromSnapshotFile(0)
		}, nil},
		{"a copy", func(md *vss.WriterMetadata) {
			cp := md.Clone()
			_, _ = cp.GetExcludeFile(0)
			_, _ = cp.GetExcludeFromSnapshotFile(0)
		}, []string{both + "fetched its metadata but never read them"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if d := cmp.Diff(tc.want, run(tc.read)); d != "" {
				t.Errorf("excludes-not-read (-want +got):\n%s", d)
			}
		})
	}
}

// Writer status is required after each event operation: one gathered
// after BackupComplete does not make up for the ones skipped before, and
// restore counts too.
func TestCheckWriterStatusAfterEachOperation(t *testing.T) {
	c := sim.NewDefault()
	newWriters(t, c, 1)
	o := c.NewBackupComponents()
	backupTo(t, o, "BackupComplete")
	mustFinish(t, o.GatherWriterStatus)
	require.NoError(t, o.FreeWriterStatus())
	bcd, err := o.SaveAsXML()
	require.NoError(t, err)
	require.NoError(t, o.FreeWriterMetadata())
	require.NoError(t, o.Release())
	var got []string
	for _, f := range c.Check(sim.CheckOptions{}) {
		got = append(got, f.String())
	}
	if d := cmp.Diff([]string{"#1 warning writer-status-not-gathered: no GatherWriterStatus after PrepareForBackup, DoSnapshotSet"}, got); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}

	r := c.NewBackupComponents()
	require.NoError(t, r.InitializeForRestore(bcd))
	mustFinish(t, r.GatherWriterMetadata)
	require.NoError(t, r.FreeWriterMetadata())
	mustFinish(t, r.PreRestore)
	mustFinish(t, r.PostRestore)
	mustFinish(t, r.GatherWriterStatus)
	require.NoError(t, r.FreeWriterStatus())
	require.NoError(t, r.Release())
	got = got[:0]
	for _, f := range r.Check(sim.CheckOptions{}) {
		got = append(got, f.String())
	}
	if d := cmp.Diff([]string{"#2 warning writer-status-not-gathered: no GatherWriterStatus after PreRestore"}, got); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
}

// A Cancel, another Wait, a QueryStatus that sees the end, or AbortBackup
// each settle a timed-out Wait.
func TestCheckTimedOutWait(t *testing.T) {
	for _, tc := range []struct {
		name    string
		after   func(o *sim.BackupComponents, a vss.Async)
		tripped bool
	}{
		{"nothing", func(o *sim.BackupComponents, a vss.Async) { o.Coordinator().Advance(10 * time.Second) }, true},
		{"pending query", func(o *sim.BackupComponents, a vss.Async) { _, _ = a.QueryStatus() }, true},
		{"wait", func(o *sim.BackupComponents, a vss.Async) { _ = a.Wait(requestor.INFINITE) }, false},
		{"query at the end", func(o *sim.BackupComponents, a vss.Async) {
			o.Coordinator().Advance(10 * time.Second)
			_, _ = a.QueryStatus()
		}, false},
		{"cancel", func(o *sim.BackupComponents, a vss.Async) { _, _ = a.Cancel() }, false},
		{"abort", func(o *sim.BackupComponents, a vss.Async) { _ = o.AbortBackup() }, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := sim.NewDefault()
			ws := newWriters(t, c, 1)
			// Freeze and Thaw both take 5 s: a QueryStatus after the timed-out
			// Wait polls to the next event (the Freeze reply, sim.Options.Poll)
			// and still sees the operation pending.
			ws[0].On(sim.EventFreeze, fakewriter.Behavior{Latency: 5 * time.Second})
			ws[0].On(sim.EventThaw, fakewriter.Behavior{Latency: 5 * time.Second})
			o := c.NewBackupComponents()
			backupTo(t, o, "PrepareForBackup")
			a, err := o.DoSnapshotSet()
			require.NoError(t, err)
			require.NoError(t, a.Wait(time.Second))
			tc.after(o, a)
			tripped := false
			for _, f := range o.Check(sim.CheckOptions{}) {
				tripped = tripped || f.Name == "wait-timeout-abandoned"
			}
			require.Equal(t, tc.tripped, tripped)
		})
	}
}

// The findings of one object do not depend on what other objects did, and
// the same run gives the same findings.
func TestCheckDeterministic(t *testing.T) {
	run := func() string {
		c := sim.NewDefault()
		newWriters(t, c, 2)
		for range 3 {
			o := c.NewBackupComponents()
			backupTo(t, o, "DoSnapshotSet")
			require.NoError(t, o.Release())
		}
		var b strings.Builder
		for _, f := range c.Check(sim.CheckOptions{}) {
			b.WriteString(f.String() + "\n")
		}
		return b.String()
	}
	first := run()
	require.Equal(t, 3, strings.Count(first, "backup-complete-missing"), first)
	require.Equal(t, first, run())
}

// A finding round-trips through JSON with its severity spelled out (for
// reports and a server's control connection).
func TestFindingJSON(t *testing.T) {
	f := sim.Finding{CheckInfo: sim.Checks[0], Object: 3, Message: "m"}
	b, err := json.Marshal(f)
	require.NoError(t, err)
	require.Contains(t, string(b), `"Severity":"error"`)
	var back sim.Finding
	require.NoError(t, json.Unmarshal(b, &back))
	require.Equal(t, f, back)
	require.Error(t, json.Unmarshal([]byte(`{"Severity":"fatal"}`), &back))
	_, err = json.Marshal(sim.Finding{})
	require.Error(t, err, "the zero severity is not one")
}

// Each GatherWriterStatus result needs its FreeWriterStatus, also one that
// a later GatherWriterStatus replaces; a failed GatherWriterStatus gathers
// nothing.
func TestCheckStatusPairs(t *testing.T) {
	c := sim.NewDefault()
	newWriters(t, c, 1)
	o := c.NewBackupComponents()
	backupTo(t, o, "PrepareForBackup")
	mustFinish(t, o.GatherWriterStatus)
	mustFinish(t, o.GatherWriterStatus)
	require.NoError(t, c.InjectFault(sim.Fault{Method: "GatherWriterStatus", HR: vss.VSS_E_UNEXPECTED, Async: true}))
	require.Equal(t, vss.VSS_E_UNEXPECTED, wait(t, o.GatherWriterStatus))
	got := map[string]string{}
	for _, f := range o.Check(sim.CheckOptions{}) {
		got[f.Name] = f.Message
	}
	require.Equal(t, "2 GatherWriterStatus result(s) never freed with FreeWriterStatus", got["free-writer-status-missing"])
	require.Equal(t, "", got["writer-status-not-gathered"], "gathered after PrepareForBackup")
}

// RunBackup in a context without writers conforms too (no writer status
// is asked for where there are no writers).
func TestCheckNoWritersContextConforms(t *testing.T) {
	c := sim.NewDefault()
	newWriters(t, c, 2)
	_, err := requestor.RunBackup(context.Background(), requestor.NewSim(c),
		requestor.BackupPlan{Volumes: []string{`C:\`}, Context: vss.VSS_CTX_FILE_SHARE_BACKUP})
	require.NoError(t, err)
	sim.AssertConformance(t, c)
}

// Random call sequences, with writer failures and latencies: Check never
// panics, gives the same findings for the same sequence, names only
// catalog checks, and reports release-missing exactly for the objects that
// were not released.
func TestCheckRandomSequences(t *testing.T) {
	calls := []func(o *sim.BackupComponents) (vss.Async, error){
		func(o *sim.BackupComponents) (vss.Async, error) { return nil, o.InitializeForBackup("") },
		func(o *sim.BackupComponents) (vss.Async, error) {
			return nil, o.SetBackupState(true, false, vss.VSS_BT_FULL, false)
		},
		func(o *sim.BackupComponents) (vss.Async, error) { return o.GatherWriterMetadata() },
		func(o *sim.BackupComponents) (vss.Async, error) {
			_, md, err := o.GetWriterMetadata(0)
			if err == nil {
				_ = o.AddComponent(md.Identity.InstanceID, md.Identity.WriterID, vss.VSS_CT_FILEGROUP, "", "Data")
			}
			return nil, err
		},
		func(o *sim.BackupComponents) (vss.Async, error) { return nil, o.FreeWriterMetadata() },
		func(o *sim.BackupComponents) (vss.Async, error) { _, err := o.StartSnapshotSet(); return nil, err },
		func(o *sim.BackupComponents) (vss.Async, error) {
			_, err := o.AddToSnapshotSet(`C:\`, vss.ID{})
			return nil, err
		},
		func(o *sim.BackupComponents) (vss.Async, error) { return o.PrepareForBackup() },
		func(o *sim.BackupComponents) (vss.Async, error) { return o.DoSnapshotSet() },
		func(o *sim.BackupComponents) (vss.Async, error) { return o.GatherWriterStatus() },
		func(o *sim.BackupComponents) (vss.Async, error) { return nil, o.FreeWriterStatus() },
		func(o *sim.BackupComponents) (vss.Async, error) {
			return nil, o.SetBackupSucceeded(vss.ID{}, fakewriter.ClassID("Writer 01"), vss.VSS_CT_FILEGROUP, "", "Data", true)
		},
		func(o *sim.BackupComponents) (vss.Async, error) { return o.BackupComplete() },
		func(o *sim.BackupComponents) (vss.Async, error) { return nil, o.AbortBackup() },
		func(o *sim.BackupComponents) (vss.Async, error) { return nil, o.Release() },
	}
	run := func(seed uint64) (string, map[int]bool) {
		rng := rand.New(rand.NewPCG(seed, 1))
		// Strict async off: random calls would otherwise mostly stop at
		// rule §3 observe and reach few checks.
		opts := sim.DefaultOptions()
		opts.StrictAsync = false
		c := sim.New(opts)
		ws := newWriters(t, c, 2)
		ws[rng.IntN(2)].On([]sim.Event{sim.EventFreeze, sim.EventPostSnapshot, sim.EventPrepareForBackup}[rng.IntN(3)],
			fakewriter.Behavior{Fail: vss.VSS_E_WRITERERROR_RETRYABLE, Latency: time.Duration(rng.IntN(3)) * time.Second, Times: 1})
		objs := []*sim.BackupComponents{c.NewBackupComponents(), c.NewBackupComponents()}
		released := map[int]bool{}
		next := map[*sim.BackupComponents]int{} // mostly follow the documented order
		var last vss.Async
		for range 40 {
			o := objs[rng.IntN(len(objs))]
			k := rng.IntN(len(calls) + 4)
			if rng.IntN(10) < 7 {
				k = min(next[o], len(calls)-1)
				next[o]++
			}
			switch {
			case k < len(calls):
				a, err := calls[k](o)
				if err == nil && a != nil {
					last = a
				}
				if k == len(calls)-1 && err == nil {
					released[o.Number()] = true
				}
			case last == nil:
			case k == len(calls):
				_ = last.Wait(time.Duration(rng.IntN(3)) * time.Second)
			case k == len(calls)+1:
				_, _ = last.QueryStatus()
			case k == len(calls)+2:
				_, _ = last.Cancel()
			default:
				c.Advance(time.Second)
			}
		}
		var b strings.Builder
		for _, f := range c.Check(sim.CheckOptions{}) {
			_, ok := sim.CheckByName(f.Name)
			require.True(t, ok, f.Name)
			if f.Name == "release-missing" {
				require.False(t, released[f.Object], "released #%d reported: %v", f.Object, f)
			}
			b.WriteString(f.String() + "\n")
		}
		for _, o := range objs {
			missing := strings.Contains(b.String(), fmt.Sprintf("#%d error release-missing", o.Number()))
			require.Equal(t, !released[o.Number()], missing, "object #%d\n%s", o.Number(), b.String())
		}
		return b.String(), released
	}
	seen := map[string]bool{}
	for seed := range uint64(200) {
		first, _ := run(seed)
		again, _ := run(seed)
		require.Equal(t, first, again, "seed %d", seed)
		for _, ci := range sim.Checks {
			seen[ci.Name] = seen[ci.Name] || strings.Contains(first, " "+ci.Name+": ")
		}
	}
	n := 0
	for _, ok := range seen {
		if ok {
			n++
		}
	}
	require.GreaterOrEqual(t, n, 12, "the sequences should reach most checks: %v", seen)
}
