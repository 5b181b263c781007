package sim

import (
	"github.com/vsssim/vsssim/requestor/vss"
)

// The model looks writers, sessions and components up by id and name on
// every event and requestor call; these indexes keep each lookup O(1) so
// that a backup costs time linear in its writers and components (issue 9:
// linear scans made it quadratic).

// compKey names a component as the BCD and the WMD identify it: writer
// class, logical path and name, compared without case (REFERENCE §1.2).
type compKey struct {
	writer     vss.ID
	path, name string
}

func newCompKey(writer vss.ID, logicalPath, name string) compKey {
	return compKey{writer: writer, path: vss.FoldKey(logicalPath), name: vss.FoldKey(name)}
}

// bcdIndex indexes the object's BCD (o.doc): the first WriterComponents of
// each writer class and, within it, the first component of each key, as
// vss.BackupComponentsDocument's Writer and Find return them.
type bcdIndex struct {
	writers map[vss.ID]*vss.WriterComponents
	comps   map[compKey]*vss.BCDComponent
	// seen is how many entries of doc.Writers are indexed; components are
	// only added through bcdAdd, so a count of writers tells when the
	// document was replaced or grown behind the index's back.
	seen int
}

func (o *BackupComponents) bcd() *bcdIndex {
	x := &o.bcdIdx
	if x.writers != nil && x.seen == len(o.doc.Writers) {
		return x
	}
	*x = bcdIndex{writers: make(map[vss.ID]*vss.WriterComponents), comps: make(map[compKey]*vss.BCDComponent)}
	for _, w := range o.doc.Writers {
		x.seen++
		if _, dup := x.writers[w.WriterID]; dup {
			continue
		}
		x.writers[w.WriterID] = w
		for _, c := range w.Components {
			k := newCompKey(w.WriterID, c.LogicalPath, c.Name)
			if _, dup := x.comps[k]; !dup {
				x.comps[k] = c
			}
		}
	}
	return x
}

// bcdWriter is o.doc.Writer(id).
func (o *BackupComponents) bcdWriter(id vss.ID) *vss.WriterComponents { return o.bcd().writers[id] }

// bcdFind is o.doc.Find(id, logicalPath, name).
func (o *BackupComponents) bcdFind(id vss.ID, logicalPath, name string) *vss.BCDComponent {
	return o.bcd().comps[newCompKey(id, logicalPath, name)]
}

// bcdAdd appends a new component to w (appending w to the document first
// if it is new) and indexes both.
func (o *BackupComponents) bcdAdd(w *vss.WriterComponents, bc *vss.BCDComponent) {
	x := o.bcd()
	if x.writers[w.WriterID] == nil {
		o.doc.Writers = append(o.doc.Writers, w)
		x.writers[w.WriterID] = w
		x.seen++
	}
	w.Components = append(w.Components, bc)
	if k := newCompKey(w.WriterID, bc.LogicalPath, bc.Name); x.comps[k] == nil && x.writers[w.WriterID] == w {
		x.comps[k] = bc
	}
}

// sessionIndex finds the object's sessions by instance and by class id
// (the first session of each, in writer order).
type sessionIndex struct {
	byInstance map[vss.ID]*session
	byClass    map[vss.ID]*session
	seen       int
}

func (o *BackupComponents) sessionIdx() *sessionIndex {
	x := &o.sessIdx
	if x.byInstance == nil {
		x.byInstance, x.byClass = make(map[vss.ID]*session), make(map[vss.ID]*session)
	}
	for ; x.seen < len(o.sessions); x.seen++ {
		s := o.sessions[x.seen]
		if x.byInstance[s.reg.instanceID] == nil {
			x.byInstance[s.reg.instanceID] = s
		}
		if x.byClass[s.reg.cfg.ClassID] == nil {
			x.byClass[s.reg.cfg.ClassID] = s
		}
	}
	return x
}

func (o *BackupComponents) sessionByInstance(id vss.ID) *session {
	return o.sessionIdx().byInstance[id]
}

func (o *BackupComponents) sessionByClassID(writerID vss.ID) *session {
	return o.sessionIdx().byClass[writerID]
}

// component is s.md.Component(logicalPath, name), through an index built
// on first use (the WMD is sealed and does not change).
func (s *session) component(logicalPath, name string) *vss.ComponentInfo {
	if len(s.md.Components) <= 8 {
		return s.md.Component(logicalPath, name) // a map costs more
	}
	if s.mdComps == nil {
		s.mdComps = make(map[compKey]*vss.ComponentInfo, len(s.md.Components))
		for i := range s.md.Components {
			c := &s.md.Components[i]
			k := newCompKey(vss.ID{}, c.LogicalPath, c.Name)
			if _, dup := s.mdComps[k]; !dup {
				s.mdComps[k] = c
			}
		}
	}
	return s.mdComps[newCompKey(vss.ID{}, logicalPath, name)]
}

// idSet is a set of ids.
type idSet map[vss.ID]struct{}

func newIDSet(ids []vss.ID) idSet {
	set := make(idSet, len(ids))
	for _, id := range ids {
		set[id] = struct{}{}
	}
	return set
}

func (s idSet) has(id vss.ID) bool {
	_, ok := s[id]
	return ok
}
