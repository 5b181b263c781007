// Package scenarios runs VSS scenario files: plain-text conformance
// scenarios that declare a world (writers, volumes, faults, model options),
// call IVssBackupComponents methods by their SDK names, wait on, query and
// cancel async operations, move the virtual clock, and state what must come
// out. The same files run under go test (scenarios_test.go, over
// testdata/scenarios), from the command line (vsssim run), and from a
// user's own tests (RunDir runs a directory of them as subtests).
//
// # Format
//
// A file is a list of commands. A command may be followed by "----" and its
// expected output, which ends at a blank line (or, for output with blank
// lines, sits between a doubled "----" and a doubled "----"). Lines starting
// with # are comments. A command whose output differs from the expectation
// fails with file:line and a diff; go test -rewrite (or vsssim run
// -rewrite) writes the simulator's output back into the file: read the diff
// before committing it. -rewrite writes a blank line after each
// expectation and uses the doubled "----" form for output with blank lines
// or a leading "----" line; it leaves a file untouched, with an error,
// when the result would not read back the same.
//
// A file is UTF-8 text (a byte order mark is dropped) or UTF-16; lines end
// with LF or CRLF (a CRLF file is rewritten with CRLF). Binary data is
// refused. In an expected output, a word that looks like an HRESULT name
// (VSS_E_*, VSS_S_*, E_*, S_*) must be a known one and "rule=ID" must name
// one of sim.Rules: a typo is an error at its file:line, not a mismatch.
//
// # Limits
//
// A file costs bounded time, memory and output: at most MaxFileSize bytes
// (checked before reading), MaxLineLength bytes a line, MaxArgs arguments
// a command, MaxWriters writers, MaxObjects objects, MaxVolumes volumes,
// MaxInjections injected faults and MaxTraceEntries trace entries;
// durations are at most MaxDuration and counts at most MaxCount.
// Each limit is an error at file:line. A run stops after MaxFailures failed
// expectations (Result.Stopped). A file that compares nothing (empty, or
// without any "----") passes, but Result.NothingChecked reports it with
// ErrNoExpectations so that a caller does not count it as tested.
//
// # Through COM
//
// With VSSSIM_BACKEND=windows and VSSSIM_ADDR set (a vsssim serve, and
// vsssim's vssapi.dll installed in the Wine prefix), the windows backend
// runs against the simulator of the server: world commands go to the
// server, requestor calls go through COM, and the rule of a
// VSS_E_BAD_STATE is fetched from the server, so every file runs.
//
// # Commands
//
// World (before the first requestor call):
//
//	requires fake-writers|sim            skip the file on a backend without it
//	option NAME=VALUE ...               a sim.Options field (see Options below)
//	writer NAME [preset=FILE] [level=front-end|back-end|system|system-rm] [freeze-timeout=DUR]
//	writers PATH                        every writer of a customer's documents, by its own name
//	fault WRITER EVENT [fail=HRESULT] [retryable] [nonretryable] [false] [times=N]
//	      [latency=DUR] [hang] [panic=TEXT] [garbage] [stamp=TEXT] [metadata=TEXT]
//	volume NAME [unsupported] [nested] [max-shadow-copies=N] [root=DIR]
//	provider-timing flush=DUR hold=DUR
//	privilege yes|no                    also between calls: later calls see it
//	inject METHOD HRESULT [async] [times=N] [object=N]
//	provider NAME id=GUID [type=software|hardware|system]
//	provider-hook NAME PreCommitSnapshots|CommitSnapshots|PostCommitSnapshots
//	      [fail=HRESULT] [times=N] [latency=DUR] [until-wait]
//	register-provider NAME [type=hardware|software|system] [id=GUID] [volumes=C:\,D:\]
//	volume-in-use VOLUME [yes|no]                another program holds the volume open
//
// A volume's root=DIR (relative to the file) is the host directory holding
// its files: vsssim serve freezes a copy of it at each shadow copy's commit
// and gives the shadow copy a device object that opens that copy under
// Wine. The simulator itself never reads it.
//
// Any command may end with only=sim|windows|com or skip=sim|windows|com:
// it then runs, and its expectation is checked, only on that backend (for
// places where real Windows is known to differ). com means "through the
// COM ABI": real Windows, or the simulator behind vsssim serve (where
// only=sim also holds), for what cannot cross COM, such as a call on a
// released object. The simulator is the backend here.
//
// Requestor:
//
//	new                                 a new IVssBackupComponents (#1, #2, ...); later calls go to it
//	use N                               make #N the current object
//	call METHOD [ARGS]                  prints the HRESULT (and the rule of a VSS_E_BAD_STATE)
//	select-all                          AddComponent for every selectable component of every writer
//	wait [timeout=DUR]                  IVssAsync::Wait on the last async, prints its status
//	query-status                        IVssAsync::QueryStatus on the last async (a poll: see below)
//	poll [max=N]                        QueryStatus until not PENDING (at most N, default 1000), as a
//	                                    requestor that never calls Wait; prints the status and the count
//	cancel                              IVssAsync::Cancel on the last async
//	advance DUR                         moves the virtual clock
//	status                              the writer status table (GatherWriterStatus ... FreeWriterStatus)
//	read-excludes INDEX                 GetWriterMetadata INDEX, then GetExcludeFile and
//	                                    GetExcludeFromSnapshotFile for every entry, printed
//	check [N] [abort-from-start] [ignore=NAME,...]
//	                                    the requestor conformance findings (sim.Checks) of
//	                                    object N, or of every object, now; "no findings"
//	trace [all]                         the trace since the last trace command (events only unless all)
//	shadows                             the shadow copies that exist
//	now                                 the virtual time
//
// IVssAsync::QueryStatus on a pending operation is a poll: the simulation
// runs to its next event (sim.Options.Poll), so a requestor that polls
// sees the end at the same virtual time as one that calls Wait. The wait
// command prints the status without polling. An operation is complete for
// the requestor only once wait, query-status, poll or cancel saw it end
// (sim.Options.StrictAsync): a call that needs it before then gets
// VSS_E_BAD_STATE rule=§3 observe.
//
// A provider's hook takes latency= of virtual time at its commit point
// (the writers stay frozen meanwhile) and returns fail= (times= times, or
// always); with until-wait it holds until the requestor's wait (latency=
// then bounds the hold), as qemu-ga's provider holds CommitSnapshots until
// the guest agent's thaw; the trace shows "event CommitSnapshots -> provider NAME (frozen:
// ...)" and its reply.
//
// METHOD arguments, by method: SetContext CONTEXT; SetBackupState
// [select=yes] [bootable=no] [type=VSS_BT_FULL] [partial=no];
// Enable/DisableWriterClasses WRITER...; DisableWriterInstances WRITER...;
// GetWriterMetadata INDEX; AddComponent WRITER COMPONENT [path=LOGICALPATH]
// [type=VSS_CT_FILEGROUP]; SetBackupOptions / SetPreviousBackupStamp WRITER
// COMPONENT VALUE; AddToSnapshotSet VOLUME [provider=GUID];
// IsVolumeSupported VOLUME; GetWriterStatus(Ex) INDEX; SetBackupSucceeded
// WRITER COMPONENT [ok=yes]; InitializeForBackup [bcd=saved] (the BCD of
// the last SaveAsXML); Query [type=VSS_OBJECT_SNAPSHOT] [details] (details:
// a line per shadow copy with its state, attributes and exposed name and
// path); GetSnapshotProperties [snapshot=N] [of=K]; DeleteSnapshots
// [snapshot=N | set].
//
// Management and Ex–Ex4 calls: snapshot=N of=K names the N-th snapshot
// object #K added (default: the first, of the current object), of=K the set
// object #K started; an unknown one is a well-formed id nobody has.
// ImportSnapshots; BreakSnapshotSet [of=K]; BreakSnapshotSetEx [of=K]
// [flags=VSS_BREAKEX_FLAG_*|...]; ExposeSnapshot ATTRIBUTES [expose=NAME]
// [path=FROMROOT] [snapshot=N] [of=K] (ATTRIBUTES:
// VSS_VOLSNAP_ATTR_EXPOSED_LOCALLY or _REMOTELY; prints exposed=NAME);
// UnexposeSnapshot [snapshot=N] [of=K]; RevertToSnapshot [snapshot=N]
// [of=K] [force=yes]; QueryRevertStatus VOLUME; GetWriterMetadataEx INDEX;
// PreFastRecovery / FastRecovery [of=K] [flags=N];
// AddSnapshotToRecoverySet [snapshot=N] [of=K] [flags=N]
// [destination=VOLUME]; RecoverSet [flags=VSS_RECOVERY_*|...];
// GetSessionId (prints null=no once a session id exists);
// GetRootAndLogicalPrefixPaths PATH [fqdn=no] (prints root= and prefix=).
//
// preset=FILE is a WMD next to the scenario, or NAME (sqlserver, system,
// ...) in a testdata/writers directory above it or among the built-in
// presets (fakewriter.PresetNames). writers PATH reads what a customer can
// send (fakewriter.Load): a directory of Writer Metadata Documents, the
// output of vshadow -wm3, or a diskshadow metadata folder (Manifest.xml
// and its WM*.xml files).
//
// Restore: InitializeForRestore [bcd=saved|none|garbage|FILE.xml] (default
// saved; FILE.xml is a saved Backup Components Document next to the
// scenario, such as the customer's);
// SetRestoreState VSS_RTYPE_*; GetWriterComponentsCount; GetWriterComponents
// INDEX; SetSelectedForRestore WRITER COMPONENT [selected=yes];
// SetRestoreOptions WRITER COMPONENT OPTIONS; SetAdditionalRestores WRITER
// COMPONENT [additional=yes]; AddRestoreSubcomponent WRITER COMPONENT
// SUBPATH SUBNAME; AddNewTarget WRITER COMPONENT FILEPATH FILESPEC
// ALTERNATEPATH [recursive=no]; SetFileRestoreStatus WRITER COMPONENT
// VSS_RS_*; AddAlternativeLocationMapping WRITER COMPONENT FILEPATH FILESPEC
// DESTINATION [recursive=no]; SetRangesFilePath WRITER COMPONENT INDEX FILE;
// PreRestore; PostRestore. All component calls take [path=LOGICALPATH]
// [type=VSS_CT_*].
//
// # Checks
//
// check prints one finding a line, "#2 error abort-missing: MESSAGE"; the
// checks that look at the end of a backup (abort-missing, release-missing,
// ...) take "now" as the end. abort-from-start reads the AbortBackup page
// literally (sim.CheckOptions.AbortFromStartSnapshotSet). The catalog has a
// file check_<name>.txt per check in which object #1 does it right and #2
// trips the check. vsssim run -check reports every file's findings at its
// end (before the runner releases what the file left).
package scenarios
