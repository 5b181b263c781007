package vss

import (
	"runtime"
	"sync"
	"weak"
)

// ExcludeList names one of the exclude lists of a Writer Metadata Document.
type ExcludeList int

// The exclude lists (REFERENCE §5.1).
const (
	// ExcludeFilesList is EXCLUDE_FILES, read with GetExcludeFile.
	ExcludeFilesList ExcludeList = iota + 1
	// ExcludeFromSnapshotList is EXCLUDE_FILES_FROM_SNAPSHOT, read with
	// GetExcludeFromSnapshotFile.
	ExcludeFromSnapshotList
)

// String names the list.
func (l ExcludeList) String() string {
	switch l {
	case ExcludeFilesList:
		return "exclude files"
	case ExcludeFromSnapshotList:
		return "exclude-from-snapshot files"
	}
	return "ExcludeList(?)"
}

// readWatchers maps a watched WriterMetadata (weakly, so that watching
// never keeps one alive) to its watcher.
var readWatchers sync.Map // weak.Pointer[WriterMetadata] -> func(ExcludeList)

// WatchExcludeReads makes GetExcludeFile and GetExcludeFromSnapshotFile on
// m call f with the list read. This is how the simulator sees that a
// requestor read a writer's exclude lists, as the COM calls
// IVssExamineWriterMetadata::GetExcludeFile and
// IVssExamineWriterMetadataEx2::GetExcludeFromSnapshotFile would show it:
// reading the ExcludeFiles or ExcludeFromSnapshot fields directly, or a
// copy of m, is not seen. f must be safe for concurrent use; it is dropped
// when m is garbage collected, and a nil f stops watching m.
func WatchExcludeReads(m *WriterMetadata, f func(ExcludeList)) {
	k := weak.Make(m)
	if f == nil {
		readWatchers.Delete(k)
		return
	}
	if _, loaded := readWatchers.Swap(k, f); !loaded {
		runtime.AddCleanup(m, func(k weak.Pointer[WriterMetadata]) { readWatchers.Delete(k) }, k)
	}
}

// excludeRead tells m's watcher, if any, that list l was read.
func (m *WriterMetadata) excludeRead(l ExcludeList) {
	if f, ok := readWatchers.Load(weak.Make(m)); ok {
		f.(func(ExcludeList))(l)
	}
}
