package requestor

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/vsssim/vsssim/requestor/vss"
)

// BackupPlan says what RunBackup should do.
type BackupPlan struct {
	// Volumes to shadow-copy, as mount points ending in a backslash.
	Volumes []string
	// Context is passed to SetContext when it is not VSS_CTX_BACKUP.
	Context vss.SnapshotContext
	// BackupType defaults to VSS_BT_FULL.
	BackupType vss.BackupType
	// SelectAll adds every selectable component of every writer
	// (component mode). Without it the backup runs in non-component mode
	// (SetBackupState(false, ...)).
	SelectAll bool
	// IgnoreWriterFailures carries on when GatherWriterStatus shows a
	// failed writer (the data is then not application-consistent);
	// by default the backup is aborted, as vshadow does.
	IgnoreWriterFailures bool
	// WaitSlice is the IVssAsync.Wait slice (default 1 s).
	WaitSlice time.Duration
}

// BackupResult is what RunBackup produced.
type BackupResult struct {
	SnapshotSetID vss.ID
	Snapshots     []vss.SnapshotProp
	// Status is the writer status after the last GatherWriterStatus.
	Status []vss.WriterStatus
	// BCD is the Backup Components Document saved after the copy.
	BCD string
}

// ErrWriterFailed is returned (wrapped) when a writer reports a failure and
// the plan does not ignore writer failures.
var ErrWriterFailed = errors.New("requestor: writer failed")

// RunBackup runs the documented backup sequence (REFERENCE §2.1) on bc, a
// fresh object, and always releases it: InitializeForBackup, SetContext,
// SetBackupState, GatherWriterMetadata, AddComponent, StartSnapshotSet,
// AddToSnapshotSet, PrepareForBackup, DoSnapshotSet, GetSnapshotProperties,
// SetBackupSucceeded, SaveAsXML, BackupComplete, GatherWriterStatus,
// Release. After a failure past StartSnapshotSet it calls AbortBackup.
func RunBackup(ctx context.Context, bc BackupComponents, plan BackupPlan) (res BackupResult, err error) {
	if plan.BackupType == vss.VSS_BT_UNDEFINED {
		plan.BackupType = vss.VSS_BT_FULL
	}
	started := false
	var checkWriters func(string) error
	defer func() {
		if err != nil && started {
			// Read the writers' view of the failure before aborting (the
			// status is the only place writer failures show, REFERENCE §4).
			if checkWriters != nil {
				_ = checkWriters("the failure")
			}
			if aerr := bc.AbortBackup(); aerr != nil {
				err = fmt.Errorf("%w (and AbortBackup: %v)", err, aerr)
			}
		}
		if rerr := bc.Release(); rerr != nil && err == nil {
			err = fmt.Errorf("requestor: Release: %w", rerr)
		}
	}()
	wait := func(name string, a Async, e error) error {
		if e != nil {
			return fmt.Errorf("%s: %w", name, e)
		}
		if e := Wait(ctx, a, plan.WaitSlice); e != nil {
			return fmt.Errorf("%s: %w", name, e)
		}
		return nil
	}
	if err := bc.InitializeForBackup(""); err != nil {
		return res, fmt.Errorf("InitializeForBackup: %w", err)
	}
	if plan.Context != vss.VSS_CTX_BACKUP {
		if err := bc.SetContext(plan.Context); err != nil {
			return res, fmt.Errorf("SetContext: %w", err)
		}
	}
	writers := plan.Context&vss.SnapshotContext(vss.VSS_VOLSNAP_ATTR_NO_WRITERS) == 0
	var chosen []selection
	if err := bc.SetBackupState(plan.SelectAll, false, plan.BackupType, false); err != nil {
		return res, fmt.Errorf("SetBackupState: %w", err)
	}
	if writers {
		a, err := bc.GatherWriterMetadata()
		if err := wait("GatherWriterMetadata", a, err); err != nil {
			return res, err
		}
		n, err := bc.GetWriterMetadataCount()
		if err != nil {
			return res, fmt.Errorf("GetWriterMetadataCount: %w", err)
		}
		type sel struct {
			inst, class vss.ID
			c           vss.ComponentInfo
		}
		var selected []sel
		for i := uint32(0); i < n; i++ {
			inst, md, err := bc.GetWriterMetadata(i)
			if err != nil {
				return res, fmt.Errorf("GetWriterMetadata(%d): %w", i, err)
			}
			if !plan.SelectAll {
				continue
			}
			for _, c := range md.Components {
				if c.Selectable {
					selected = append(selected, sel{inst, md.Identity.WriterID, c})
				}
			}
		}
		if err := bc.FreeWriterMetadata(); err != nil {
			return res, fmt.Errorf("FreeWriterMetadata: %w", err)
		}
		for _, s := range selected {
			if err := bc.AddComponent(s.inst, s.class, s.c.Type, s.c.LogicalPath, s.c.Name); err != nil {
				return res, fmt.Errorf("AddComponent(%s): %w", s.c.Name, err)
			}
		}
		for _, s := range selected {
			chosen = append(chosen, selection{s.inst, s.class, s.c.Type, s.c.LogicalPath, s.c.Name})
		}
	}
	setID, err := bc.StartSnapshotSet()
	if err != nil {
		return res, fmt.Errorf("StartSnapshotSet: %w", err)
	}
	started = true
	var snapIDs []vss.ID
	for _, v := range plan.Volumes {
		id, err := bc.AddToSnapshotSet(v, vss.ID{})
		if err != nil {
			return res, fmt.Errorf("AddToSnapshotSet(%q): %w", v, err)
		}
		snapIDs = append(snapIDs, id)
	}
	checkWriters = func(phase string) error {
		a, err := bc.GatherWriterStatus()
		if err := wait("GatherWriterStatus", a, err); err != nil {
			return err
		}
		n, err := bc.GetWriterStatusCount()
		if err != nil {
			return fmt.Errorf("GetWriterStatusCount: %w", err)
		}
		res.Status = res.Status[:0]
		var bad error
		for i := uint32(0); i < n; i++ {
			st, err := bc.GetWriterStatusEx(i)
			if err != nil {
				return fmt.Errorf("GetWriterStatus(%d): %w", i, err)
			}
			res.Status = append(res.Status, st)
			if bad == nil && (st.State.IsFailed() || st.Failure != vss.S_OK) && !plan.IgnoreWriterFailures {
				bad = fmt.Errorf("after %s: %w: %q is %v (%v)", phase, ErrWriterFailed, st.Name, st.State, st.Failure)
			}
		}
		if err := bc.FreeWriterStatus(); err != nil {
			return fmt.Errorf("FreeWriterStatus: %w", err)
		}
		return bad
	}
	if writers {
		a, err := bc.PrepareForBackup()
		if err := wait("PrepareForBackup", a, err); err != nil {
			return res, err
		}
		if err := checkWriters("PrepareForBackup"); err != nil {
			return res, err
		}
	}
	a, err := bc.DoSnapshotSet()
	if err := wait("DoSnapshotSet", a, err); err != nil {
		return res, err
	}
	if writers {
		if err := checkWriters("DoSnapshotSet"); err != nil {
			return res, err
		}
	}
	res.SnapshotSetID = setID
	for _, id := range snapIDs {
		p, err := bc.GetSnapshotProperties(id)
		if err != nil {
			return res, fmt.Errorf("GetSnapshotProperties: %w", err)
		}
		res.Snapshots = append(res.Snapshots, p)
	}
	// (The files would be copied from the shadow copies here.)
	if !writers {
		return res, nil
	}
	for _, s := range chosen {
		if err := bc.SetBackupSucceeded(s.inst, s.class, s.ct, s.logicalPath, s.name, true); err != nil {
			return res, fmt.Errorf("SetBackupSucceeded(%s): %w", s.name, err)
		}
	}
	if res.BCD, err = bc.SaveAsXML(); err != nil {
		return res, fmt.Errorf("SaveAsXML: %w", err)
	}
	a, err = bc.BackupComplete()
	if err := wait("BackupComplete", a, err); err != nil {
		return res, err
	}
	started = false // the backup is over: no AbortBackup from here on
	if err := checkWriters("BackupComplete"); err != nil {
		return res, err
	}
	return res, nil
}

type selection struct {
	inst, class       vss.ID
	ct                vss.ComponentType
	logicalPath, name string
}
