// Package scenarios runs VSS scenario files: plain-text conformance
// scenarios that declare a world (writers, volumes, faults, model options),
// call IVssBackupComponents methods by their SDK names, wait on, query and
// cancel async operations, move the virtual clock, and state what must come
// out. The same files run under go test (scenarios_test.go, over
// testdata/scenarios) and from the command line (vsssim run).
//
// # Format
//
// A file is a list of commands. A command may be followed by "----" and its
// expected output, which ends at a blank line (or, for output with blank
// lines, sits between a doubled "----" and a doubled "----"). Lines starting
// with # are comments. A command whose output differs from the expectation
// fails with file:line and a diff; go test -rewrite (or vsssim run
// -rewrite) writes the simulator's output back into the file: read the diff
// before committing it.
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
//	fault WRITER EVENT [fail=HRESULT] [retryable] [nonretryable] [false] [times=N]
//	      [latency=DUR] [hang] [panic=TEXT] [garbage] [stamp=TEXT] [metadata=TEXT]
//	volume NAME [unsupported] [nested] [max-shadow-copies=N] [root=DIR]
//	provider-timing flush=DUR hold=DUR
//	privilege yes|no
//	inject METHOD HRESULT [async] [times=N] [object=N]
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
//	query-status                        IVssAsync::QueryStatus on the last async
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
// METHOD arguments, by method: SetContext CONTEXT; SetBackupState
// [select=yes] [bootable=no] [type=VSS_BT_FULL] [partial=no];
// Enable/DisableWriterClasses WRITER...; DisableWriterInstances WRITER...;
// GetWriterMetadata INDEX; AddComponent WRITER COMPONENT [path=LOGICALPATH]
// [type=VSS_CT_FILEGROUP]; SetBackupOptions / SetPreviousBackupStamp WRITER
// COMPONENT VALUE; AddToSnapshotSet VOLUME [provider=GUID];
// IsVolumeSupported VOLUME; GetWriterStatus(Ex) INDEX; SetBackupSucceeded
// WRITER COMPONENT [ok=yes]; InitializeForBackup [bcd=saved] (the BCD of
// the last SaveAsXML); Query [type=VSS_OBJECT_SNAPSHOT]; GetSnapshotProperties
// [snapshot=N]; DeleteSnapshots [snapshot=N | set].
//
// Restore: InitializeForRestore [bcd=saved|none|garbage] (default saved);
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
