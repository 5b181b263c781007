package sim

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/vsssim/vsssim/requestor/vss"
)

// Severity ranks a conformance finding.
type Severity int

// Severities, from the least to the most serious.
const (
	// SeverityInfo is hygiene: nothing breaks today.
	SeverityInfo Severity = iota + 1
	// SeverityWarning is a practice the documentation asks for whose
	// absence loses information or resources.
	SeverityWarning
	// SeverityError breaks the protocol: writers, data or later backups
	// suffer.
	SeverityError
)

// String returns "info", "warning" or "error".
func (s Severity) String() string {
	switch s {
	case SeverityInfo:
		return "info"
	case SeverityWarning:
		return "warning"
	case SeverityError:
		return "error"
	}
	return "Severity(?)"
}

// MarshalText renders s as its String (so JSON shows "error").
func (s Severity) MarshalText() ([]byte, error) {
	if s < SeverityInfo || s > SeverityError {
		return nil, fmt.Errorf("sim: invalid severity %d", int(s))
	}
	return []byte(s.String()), nil
}

// UnmarshalText parses "info", "warning" or "error".
func (s *Severity) UnmarshalText(b []byte) error {
	for v := SeverityInfo; v <= SeverityError; v++ {
		if string(b) == v.String() {
			*s = v
			return nil
		}
	}
	return fmt.Errorf("sim: %q is not a severity (info, warning, error)", b)
}

// CheckInfo describes one requestor conformance check.
type CheckInfo struct {
	// Name is the check's stable name ("abort-missing").
	Name     string
	Severity Severity
	// Rule is what a conforming requestor does.
	Rule string
	// Source is where the rule comes from: Microsoft documentation pages
	// (learn.microsoft.com, by title) and public reports.
	Source string
}

// Checks is the catalog of requestor conformance checks, in report order.
// Each decides only from what the simulator observed: the calls, their
// results and the coordinator's state.
var Checks = []CheckInfo{
	{"abort-missing", SeverityError,
		"a backup that stops after PrepareForBackup has sent its event (or after DoSnapshotSet failed) and before DoSnapshotSet succeeded calls AbortBackup before Release",
		"Aborting VSS Operations; IVssBackupComponents::AbortBackup"},
	{"backup-complete-missing", SeverityWarning,
		"after DoSnapshotSet succeeded in a context with writers, the backup ends with BackupComplete (or AbortBackup) before Release",
		"Overview of Backup Termination; IVssBackupComponents::BackupComplete"},
	{"backup-complete-after-failed-snapshot", SeverityError,
		"BackupComplete is not called when DoSnapshotSet failed",
		"IVssBackupComponents::BackupComplete; bareos#1923, cyphertite#9"},
	{"succeeded-after-failed-snapshot", SeverityError,
		"SetBackupSucceeded(true) is not called when DoSnapshotSet failed",
		"IVssBackupComponents::SetBackupSucceeded"},
	{"succeeded-for-failed-writer", SeverityError,
		"a component whose writer failed in this backup is not reported as succeeded at BackupComplete (gather writer status to find out)",
		"Determining Writer Status; IVssBackupComponents::SetBackupSucceeded"},
	{"writer-failure-ignored", SeverityError,
		"when writer status shows a writer failed, its components are not reported as succeeded at BackupComplete (a retryable failure means retry the backup)",
		"Determining Writer Status; CSS-Exchange#2093"},
	{"writer-status-not-gathered", SeverityWarning,
		"writer status is gathered (GatherWriterStatus, GetWriterStatus) after PrepareForBackup, DoSnapshotSet, PreRestore and PostRestore",
		"Determining Writer Status; Overview of Pre-Backup Tasks; Windows-classic-samples#310"},
	{"status-not-gathered-after-complete", SeverityInfo,
		"writer status is gathered after BackupComplete (required up to Windows Server 2008 SP2, where it marks the writers' session complete)",
		"IVssBackupComponents::GatherWriterStatus; Overview of Backup Termination"},
	{"set-backup-succeeded-missing", SeverityWarning,
		"in component mode every component added with AddComponent gets SetBackupSucceeded before BackupComplete",
		"IVssBackupComponents::SetBackupSucceeded; Overview of Backup Termination"},
	{"component-not-selectable", SeverityError,
		"only selectable components, or non-selectable ones with no selectable ancestor (top-level), are added with AddComponent",
		"Working with Selectability for Backup; IVssBackupComponents::AddComponent"},
	{"component-added-twice", SeverityWarning,
		"a component is added once",
		"IVssBackupComponents::AddComponent (VSS_E_OBJECT_ALREADY_EXISTS)"},
	{"component-of-disabled-writer", SeverityError,
		"no component is added for a writer the requestor disabled (DisableWriterClasses, DisableWriterInstances, or left out of EnableWriterClasses)",
		"IVssBackupComponents::DisableWriterClasses, DisableWriterInstances, EnableWriterClasses"},
	{"component-not-in-metadata", SeverityWarning,
		"AddComponent names a writer and a component from the writer metadata",
		"IVssBackupComponents::AddComponent; Overview of the Backup Discovery Phase"},
	{"release-missing", SeverityError,
		"every IVssBackupComponents is released: Release sends BackupShutdown to the writers and deletes auto-release shadow copies",
		"Overview of Backup Termination; Handling BackupShutdown Events; breeze#3269"},
	{"released-with-async-pending", SeverityWarning,
		"the object is released only after its asynchronous operations have ended",
		"IVssAsync; Overview of Restore Clean-up and Termination"},
	{"wait-timeout-abandoned", SeverityWarning,
		"after IVssAsync::Wait times out with the operation pending, the requestor waits again, polls QueryStatus to the end, cancels or aborts",
		"IVssAsync::Wait; IVssAsync::Cancel; restic#3142"},
	{"async-status-not-queried", SeverityWarning,
		"the result of every asynchronous operation is read with IVssAsync::QueryStatus once it ended (Wait can return S_OK when the operation failed)",
		"IVssAsync::Wait; IVssAsync::QueryStatus"},
	{"free-writer-metadata-missing", SeverityInfo,
		"FreeWriterMetadata is called once the writer metadata is no longer needed",
		"IVssBackupComponents::FreeWriterMetadata"},
	{"free-writer-status-missing", SeverityInfo,
		"each GatherWriterStatus is followed by FreeWriterStatus",
		"IVssBackupComponents::FreeWriterStatus"},
	{"persistent-shadow-copy-left", SeverityWarning,
		"persistent shadow copies a run creates are deleted (DeleteSnapshots) before it ends, unless keeping them is the point",
		"IVssBackupComponents::DeleteSnapshots; restic-windows-backup#8, kopia#3371"},
	{"excludes-not-read", SeverityWarning,
		"for a writer that takes part and declares exclude lists, the requestor reads them (GetExcludeFile, GetExcludeFromSnapshotFile) to honour or report them",
		"Writer Metadata Document Contents; IVssExamineWriterMetadata::GetExcludeFile; restic#5425"},
}

// CheckByName returns the catalog entry of a check.
func CheckByName(name string) (CheckInfo, bool) {
	for _, ci := range Checks {
		if ci.Name == name {
			return ci, true
		}
	}
	return CheckInfo{}, false
}

// Finding is one requestor mistake a check found.
type Finding struct {
	CheckInfo
	// Object is the BackupComponents number (#1, #2, ...).
	Object int
	// Message says what happened.
	Message string
}

func newFinding(check string, object int, msg string) Finding {
	ci, ok := CheckByName(check)
	if !ok {
		panic("sim: unknown check " + check)
	}
	return Finding{CheckInfo: ci, Object: object, Message: msg}
}

// String renders a finding as one line: "#1 error abort-missing: message".
func (f Finding) String() string {
	return fmt.Sprintf("#%d %v %s: %s", f.Object, f.Severity, f.Name, f.Message)
}

// CheckOptions tune the checks. The zero value is the default.
type CheckOptions struct {
	// AbortFromStartSnapshotSet makes abort-missing follow the
	// IVssBackupComponents::AbortBackup page literally: AbortBackup is
	// required whenever a backup stops after StartSnapshotSet and before
	// DoSnapshotSet succeeded. By default the check follows "Aborting VSS
	// Operations", which lets a requester release without aborting before
	// PrepareForBackup and when the PrepareForBackup call itself failed.
	AbortFromStartSnapshotSet bool
	// Ignore lists checks not to run (by name).
	Ignore []string
}

// Check runs the requestor conformance checks on every BackupComponents
// object of the coordinator and returns the findings, by object, then in
// the order they were decided: during the run, then at the end (now).
// End-of-run checks (release-missing, abort-missing, ...) treat now as the
// end: call Check when the requestor is done. With Options.Trace off, a
// released object is forgotten (its findings with it), so that a
// long-lived coordinator does not grow: Check then reports on the objects
// not yet released.
func (c *Coordinator) Check(opts CheckOptions) []Finding {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []Finding
	for n := 1; n <= c.objects; n++ {
		if o := c.all[n]; o != nil {
			out = append(out, o.check(opts)...)
		}
	}
	return out
}

// CheckObject runs the checks on object number n alone (for example one
// client session of a server); an unknown number, or a released object
// with Options.Trace off, gives no findings.
func (c *Coordinator) CheckObject(n int, opts CheckOptions) []Finding {
	c.mu.Lock()
	defer c.mu.Unlock()
	o := c.all[n]
	if o == nil {
		return nil
	}
	return o.check(opts)
}

// Check runs the checks on this object alone.
func (o *BackupComponents) Check(opts CheckOptions) []Finding {
	o.c.mu.Lock()
	defer o.c.mu.Unlock()
	return o.check(opts)
}

// AssertConformance runs the checks on c with the default options and
// reports every finding on t: errors and warnings fail the test
// (t.Errorf), information is logged. Use it at the end of a test:
//
//	defer sim.AssertConformance(t, c)
func AssertConformance(t testing.TB, c *Coordinator) {
	t.Helper()
	for _, f := range c.Check(CheckOptions{}) {
		if f.Severity >= SeverityWarning {
			t.Errorf("vsssim check: %v\n\trule: %s\n\tsource: %s", f, f.Rule, f.Source)
		} else {
			t.Logf("vsssim check: %v", f)
		}
	}
}

func (o *BackupComponents) check(opts CheckOptions) []Finding {
	out := append([]Finding(nil), o.chk.found...)
	add := func(check, format string, args ...any) {
		out = append(out, newFinding(check, o.num, fmt.Sprintf(format, args...)))
	}
	r := &o.chk
	backup := o.mode == modeBackup
	writers := backup && o.writerContext()

	// abort-missing
	if backup && o.set != nil && !o.aborted && o.snap != done {
		generated := o.prepare != notYet || o.snapFailed()
		if generated || opts.AbortFromStartSnapshotSet {
			how := "the run ended"
			if o.released {
				how = "the object was released"
			}
			what := "after StartSnapshotSet"
			switch {
			case o.snapFailed():
				what = "after DoSnapshotSet failed (" + o.snapOutcome() + ")"
			case o.prepare == failed:
				what = "after PrepareForBackup failed"
			case o.prepare != notYet:
				what = "after PrepareForBackup (" + o.prepare.String() + ")"
			}
			add("abort-missing", "%s %s without AbortBackup", how, what)
		}
	}
	// backup-complete-missing
	if writers && o.snap == done && o.complete == notYet && !o.aborted {
		how := "the run ended"
		if o.released {
			how = "the object was released"
		}
		add("backup-complete-missing", "DoSnapshotSet succeeded, then %s without BackupComplete: the writers stay in VSS_WS_WAITING_FOR_BACKUP_COMPLETE", how)
	}
	// writer-status-not-gathered, status-not-gathered-after-complete
	var need []string
	afterComplete := false
	for _, m := range append(r.missedStatus[:len(r.missedStatus):len(r.missedStatus)], r.needStatus) {
		switch {
		case m == "":
		case m == "BackupComplete":
			afterComplete = true
		case !slices.Contains(need, m):
			need = append(need, m)
		}
	}
	if len(need) > 0 {
		add("writer-status-not-gathered", "no GatherWriterStatus after %s", strings.Join(need, ", "))
	}
	if afterComplete {
		add("status-not-gathered-after-complete", "no GatherWriterStatus after BackupComplete")
	}
	// release-missing
	if !o.released {
		n := 0
		if o.set != nil {
			for _, s := range o.set.snaps {
				if s.created && !s.deleted && vss.VolumeSnapshotAttributes(o.set.ctx)&vss.VSS_VOLSNAP_ATTR_NO_AUTO_RELEASE == 0 {
					n++
				}
			}
		}
		prepared := false
		for _, s := range o.sessions {
			prepared = prepared || s.prepared
		}
		var what []string
		if backup && writers && prepared {
			what = append(what, "BackupShutdown was not sent")
		}
		if n > 0 {
			what = append(what, fmt.Sprintf("%d auto-release shadow copies are still alive", n))
		}
		msg := "the object was never released"
		switch {
		case o.mode == modeNone:
			msg += " (it was never initialised either)"
		case len(what) > 0:
			msg += ": " + strings.Join(what, " and ")
		}
		add("release-missing", "%s", msg)
	}
	// released-with-async-pending
	if r.releasedWhile != "" {
		add("released-with-async-pending", "Release came while %s was still running", r.releasedWhile)
	}
	// wait-timeout-abandoned
	for _, op := range r.timedOut {
		if op.method == r.releasedWhile && o.released {
			continue // reported as released-with-async-pending
		}
		st := "still pending"
		if op.status != vss.VSS_S_ASYNC_PENDING {
			st = "it ended as " + op.status.String() + " unseen"
		}
		add("wait-timeout-abandoned", "IVssAsync::Wait on %s timed out and nothing followed (no Wait, QueryStatus to the end, Cancel or AbortBackup; %s)", op.method, st)
	}
	// async-status-not-queried
	for _, op := range r.unread {
		if len(removeOp(r.timedOut, op)) != len(r.timedOut) {
			continue // reported as wait-timeout-abandoned
		}
		add("async-status-not-queried", "the result of %s (%s) was never read with QueryStatus", op.method, op.status.String())
	}
	// free-writer-metadata-missing
	if o.gather == done && !o.mdFreed {
		add("free-writer-metadata-missing", "GatherWriterMetadata completed and FreeWriterMetadata was never called")
	}
	// free-writer-status-missing
	unfreed := r.statusUnfreed
	if o.status == done && !o.statusFreed {
		unfreed++
	}
	if unfreed > 0 {
		add("free-writer-status-missing", "%d GatherWriterStatus result(s) never freed with FreeWriterStatus", unfreed)
	}
	// persistent-shadow-copy-left
	if o.set != nil && vss.VolumeSnapshotAttributes(o.set.ctx)&vss.VSS_VOLSNAP_ATTR_NO_AUTO_RELEASE != 0 {
		for _, s := range o.set.snaps {
			if s.created && !s.deleted {
				add("persistent-shadow-copy-left", "persistent shadow copy %v of %s (context %v) still exists", s.prop.SnapshotID, s.volume.Name, o.set.ctx)
			}
		}
	}
	// excludes-not-read
	if writers && o.prepare != notYet {
		for _, s := range o.sessions {
			if o.selectComponents && o.bcdWriter(s.reg.cfg.ClassID) == nil {
				continue // not selected
			}
			rd := r.reads[s.reg.instanceID]
			var unread []string
			if len(s.md.ExcludeFiles) > 0 && (rd == nil || !rd.files.Load()) {
				unread = append(unread, fmt.Sprintf("%d exclude files (GetExcludeFile)", len(s.md.ExcludeFiles)))
			}
			if len(s.md.ExcludeFromSnapshot) > 0 && (rd == nil || !rd.fromSnapshot.Load()) {
				unread = append(unread, fmt.Sprintf("%d exclude-from-snapshot files (GetExcludeFromSnapshotFile)", len(s.md.ExcludeFromSnapshot)))
			}
			if len(unread) == 0 {
				continue
			}
			how := "fetched its metadata but never read them"
			if rd == nil || !rd.fetched {
				how = "never fetched its metadata"
			}
			add("excludes-not-read", "writer %s takes part and declares %s; the requestor %s", quote(s.name()), strings.Join(unread, " and "), how)
		}
	}
	if len(opts.Ignore) > 0 {
		kept := out[:0]
		for _, f := range out {
			if !slices.Contains(opts.Ignore, f.Name) {
				kept = append(kept, f)
			}
		}
		out = kept
	}
	return out
}

// Objects is the number of BackupComponents objects created on the
// coordinator so far (the numbers CheckObject and the trace use run from 1
// to it).
func (c *Coordinator) Objects() int {
	c.lock("Coordinator", "Objects")
	defer c.mu.Unlock()
	return c.objects
}
