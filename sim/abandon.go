package sim

import (
	"fmt"
	"strings"
)

// Abandon is what VSS does when the requestor process holding o ends
// without releasing it (it crashed, was killed, or leaked its reference):
// COM's garbage collection of the dead client's references ends in the
// object's final Release. A backup still under way is aborted first, as
// AbortBackup would (writers get Abort, then BackupShutdown on the
// Release), the system-wide creation slot is freed and auto-release shadow
// copies are deleted. Releasing an already released object is a no-op.
// [Inf] REFERENCE §4 (BackupShutdown is sent "on normal end, abort, or
// crash") and §1.1.
func (o *BackupComponents) Abandon() error {
	c := o.c
	c.mu.Lock()
	if o.released {
		c.mu.Unlock()
		return nil
	}
	abort := o.mode == modeBackup && o.set != nil && !o.ended()
	c.trace.add(Entry{T: c.now, Object: o.num, Kind: KindNote,
		Text: "the requestor process ended without releasing the object: VSS aborts and releases it"})
	c.mu.Unlock()
	if abort {
		if err := o.AbortBackup(); err != nil {
			// An injected AbortBackup fault: VSS still tears the backup down.
			c.mu.Lock()
			o.aborted = true
			c.drain(o)
			o.sendAbort()
			o.endCreation()
			c.mu.Unlock()
		}
	}
	return o.Release()
}

// Idle reports nil when nothing is left of past requestors: no object
// holds the creation slot and no asynchronous operation is running;
// otherwise an error saying what is left.
func (c *Coordinator) Idle() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	var left []string
	if c.creator != nil {
		left = append(left, fmt.Sprintf("object #%d holds the creation slot", c.creator.num))
	}
	for _, op := range c.ops {
		left = append(left, fmt.Sprintf("%s of object #%d is running", op.method, op.o.num))
	}
	if len(left) > 0 {
		return fmt.Errorf("sim: coordinator not idle: %s", strings.Join(left, "; "))
	}
	return nil
}
