// Package service is vsssim serve: the VSS service of one simulated
// machine, reachable from other processes. It holds one sim.Coordinator
// (given by a World) and answers the vssapi.dll of vsssim (built from the
// method table in service/comtable) over the protocol of service/wire, so
// that a Windows requestor under Wine drives the simulator through the real
// COM vtables.
//
// The server listens on loopback only and admits a client only with the
// per-run token. Each client connection is a session; each
// IVssBackupComponents it creates is one sim.BackupComponents, numbered in
// the coordinator's trace. Sessions share the coordinator, so two clients
// meet the system-wide creation slot as two processes do. A client that
// disconnects is treated like a requestor process that died: its objects
// are abandoned (sim.BackupComponents.Abandon). A control connection runs
// world commands and fetches the trace, the writer status and the rule of
// the last VSS_E_BAD_STATE. The simulator stays free of I/O: this package
// is its client.
package service

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"os"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/vsssim/vsssim/requestor/vss"
	"github.com/vsssim/vsssim/scenarios"
	"github.com/vsssim/vsssim/service/comtable"
	"github.com/vsssim/vsssim/service/wire"
	"github.com/vsssim/vsssim/sim"
)

// World is the simulated machine a server serves.
type World interface {
	// Coordinator returns the current coordinator.
	Coordinator() (*sim.Coordinator, error)
	// Exec runs a world command of the scenario language.
	Exec(line string) (string, error)
	// WriterIDs returns the instance and class ids of a declared writer.
	WriterIDs(name string) (instance, class vss.ID, err error)
}

// Config configures a Server.
type Config struct {
	// Addr is the address to listen on: 127.0.0.1:PORT or [::1]:PORT, port
	// 0 for any free port. Other addresses are refused.
	Addr string
	// Token is the secret every client presents; empty means a random one
	// (Server.Token).
	Token string
	// NewWorld returns the world at start and after a control "reset"; the
	// argument is the scenario file the world commands will come from ("" at
	// start). Nil means an empty scenarios.World.
	NewWorld func(name string) (World, error)
	// Log receives one line per connection event and per refused or
	// malformed request; nil discards.
	Log io.Writer
	// IOTimeout bounds the wait for a client's next message (0: none): a
	// client that stops talking is cut off and cleaned up like one that
	// disconnected.
	IOTimeout time.Duration
	// ShadowDir is where the frozen copies of volumes with a root go (one
	// directory per shadow copy); empty means a new temporary directory,
	// removed at Close.
	ShadowDir string
	// OnCommit, if set, is called after each frozen copy is made, at the
	// commit instant (the writers are frozen, the requestor's DoSnapshotSet
	// has not finished): a test changes the live files here to check that
	// a program reads the shadow copy.
	OnCommit func(ShadowCopy)
}

// Server is a running vsssim serve.
type Server struct {
	cfg   Config
	ln    net.Listener
	log   *log.Logger
	token string

	mu       sync.Mutex // guards world, hooked, objects, lastRule, conns
	world    World
	hooked   *sim.Coordinator // the coordinator that has the commit hook
	frozen   frozen
	objects  []*sim.BackupComponents // of the current coordinator, in creation order
	lastRule string
	findings []string // of the sessions that ended, in order (at most maxFindings)
	conns    map[net.Conn]struct{}
	closed   bool

	wg sync.WaitGroup
}

// ErrNotLoopback is returned by Listen for an address that is not a
// loopback address.
var ErrNotLoopback = errors.New("service: vsssim serve listens on loopback only (127.0.0.1 or ::1)")

// CheckLoopback returns an error unless addr's host is a loopback IP.
func CheckLoopback(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("service: address %q: %w", addr, err)
	}
	ip := net.ParseIP(host)
	if ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("%w: %q", ErrNotLoopback, addr)
	}
	return nil
}

// Listen checks the configuration, creates the world and starts listening.
// Call Serve to accept clients.
func Listen(cfg Config) (*Server, error) {
	if cfg.Addr == "" {
		cfg.Addr = "127.0.0.1:0"
	}
	if err := CheckLoopback(cfg.Addr); err != nil {
		return nil, err
	}
	if cfg.NewWorld == nil {
		cfg.NewWorld = func(name string) (World, error) { return scenarios.NewWorld(name), nil }
	}
	s := &Server{cfg: cfg, token: cfg.Token, conns: map[net.Conn]struct{}{}}
	if cfg.Log == nil {
		cfg.Log = io.Discard
	}
	s.log = log.New(cfg.Log, "vsssim serve: ", log.LstdFlags|log.Lmicroseconds)
	if s.token == "" {
		var b [16]byte
		if _, err := rand.Read(b[:]); err != nil {
			return nil, err
		}
		s.token = hex.EncodeToString(b[:])
	}
	if len(s.token) > wire.MaxToken {
		return nil, fmt.Errorf("service: token longer than %d bytes", wire.MaxToken)
	}
	w, err := cfg.NewWorld("")
	if err != nil {
		return nil, err
	}
	s.world = w
	s.frozen = frozen{dir: cfg.ShadowDir, copies: map[string]ShadowCopy{}}
	if s.frozen.dir == "" {
		if s.frozen.dir, err = os.MkdirTemp("", "vsssim-shadows-"); err != nil {
			return nil, err
		}
		s.frozen.owned = true
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		s.closeShadows()
		return nil, err
	}
	s.ln = ln
	return s, nil
}

// Addr is the address the server listens on (VSSSIM_ADDR).
func (s *Server) Addr() string { return s.ln.Addr().String() }

// Token is the token clients must present (VSSSIM_TOKEN).
func (s *Server) Token() string { return s.token }

// Coordinator is the current world's coordinator.
func (s *Server) Coordinator() (*sim.Coordinator, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.coordinator()
}

// coordinator returns the world's coordinator with the server's commit
// hook installed (s.mu held).
func (s *Server) coordinator() (*sim.Coordinator, error) {
	c, err := s.world.Coordinator()
	if err == nil && c != s.hooked {
		c.SetCommitHook(s.commitHook)
		s.hooked = c
	}
	return c, err
}

// Sessions is the number of client connections being served (a
// disconnected client's objects are cleaned up before it stops counting).
func (s *Server) Sessions() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.conns)
}

// Serve accepts clients until Close; it returns nil after Close.
func (s *Server) Serve() error {
	for {
		c, err := s.ln.Accept()
		if err != nil {
			s.mu.Lock()
			closed := s.closed
			s.mu.Unlock()
			if closed {
				return nil
			}
			return err
		}
		s.mu.Lock()
		if s.closed {
			s.mu.Unlock()
			c.Close()
			return nil
		}
		s.conns[c] = struct{}{}
		s.wg.Add(1)
		s.mu.Unlock()
		go s.serveConn(c)
	}
}

// Close stops listening, disconnects every client (their objects are
// abandoned) and waits for the sessions to end.
func (s *Server) Close() error {
	s.mu.Lock()
	s.closed = true
	for c := range s.conns {
		c.Close()
	}
	s.mu.Unlock()
	err := s.ln.Close()
	s.wg.Wait()
	s.closeShadows()
	return err
}

// session is one client connection.
type session struct {
	s      *Server
	c      net.Conn
	id     string
	role   uint8
	next   uint32
	bcs    map[uint32]*sim.BackupComponents
	asyncs map[uint32]vss.Async
	objs   map[uint32]srvObj
	// created are the objects the session created (released or not), with
	// their coordinator, for its conformance findings.
	created []*sim.BackupComponents
	coords  []*sim.Coordinator
}

// maxFindings bounds the findings a server keeps (the oldest go first).
const maxFindings = 10000

func (s *Server) serveConn(c net.Conn) {
	defer s.wg.Done()
	defer func() {
		c.Close()
		s.mu.Lock()
		delete(s.conns, c)
		s.mu.Unlock()
	}()
	if tc, ok := c.(*net.TCPConn); ok {
		_ = tc.SetNoDelay(true)
	}
	ss := &session{s: s, c: c, id: c.RemoteAddr().String(), bcs: map[uint32]*sim.BackupComponents{}, asyncs: map[uint32]vss.Async{}, objs: map[uint32]srvObj{}}
	defer ss.cleanup()
	if !ss.hello() {
		return
	}
	for {
		if s.cfg.IOTimeout > 0 {
			_ = c.SetReadDeadline(time.Now().Add(s.cfg.IOTimeout))
		}
		msg, err := wire.ReadMessage(c)
		if err != nil {
			if errors.Is(err, wire.ErrMalformed) {
				s.log.Printf("%s: %v: closing the connection", ss.id, err)
			} else if !errors.Is(err, io.EOF) && !errors.Is(err, net.ErrClosed) {
				s.log.Printf("%s: %v", ss.id, err)
			}
			return
		}
		reply := ss.handle(msg)
		s.sweepShadows()
		if err := wire.WriteMessage(c, reply); err != nil {
			s.log.Printf("%s: writing a reply: %v", ss.id, err)
			return
		}
	}
}

// hello checks the client's first message: protocol, version and token.
func (ss *session) hello() bool {
	s := ss.s
	_ = ss.c.SetReadDeadline(time.Now().Add(wire.DialTimeout))
	msg, err := wire.ReadMessage(ss.c)
	_ = ss.c.SetReadDeadline(time.Time{})
	if err != nil {
		s.log.Printf("%s: no hello: %v", ss.id, err)
		return false
	}
	h, err := wire.DecodeHello(msg)
	refuse := func(hr vss.HRESULT, why string) bool {
		s.log.Printf("%s: refused: %s", ss.id, why)
		_ = wire.WriteMessage(ss.c, wire.Reply(hr, "vsssim serve: "+why).B)
		return false
	}
	switch {
	case err != nil:
		return refuse(wire.BadMessage, err.Error())
	case h.Version != wire.Version:
		return refuse(vss.VSS_E_UNEXPECTED, fmt.Sprintf("protocol version %d, this server speaks %d", h.Version, wire.Version))
	case subtle.ConstantTimeCompare([]byte(h.Token), []byte(s.token)) != 1:
		if h.Token == "" {
			return refuse(vss.E_ACCESSDENIED, "no token (set "+wire.EnvToken+")")
		}
		return refuse(vss.E_ACCESSDENIED, "wrong token")
	}
	ss.role = h.Role
	role := "COM"
	if h.Role == wire.RoleControl {
		role = "control"
	}
	s.log.Printf("%s: %s client connected", ss.id, role)
	return wire.WriteMessage(ss.c, wire.Reply(vss.S_OK, "").B) == nil
}

// cleanup abandons the session's objects, as VSS does for a requestor
// process that ended.
func (ss *session) cleanup() {
	n := 0
	for _, o := range ss.bcs {
		if err := o.Abandon(); err != nil {
			ss.s.log.Printf("%s: abandoning object #%d: %v", ss.id, o.Number(), err)
		}
		n++
	}
	ss.s.sweepShadows()
	ss.reportFindings()
	if len(ss.objs) > 0 || len(ss.asyncs) > 0 {
		ss.s.log.Printf("%s: %d IVssAsync and %d other objects were never released", ss.id, len(ss.asyncs), len(ss.objs))
	}
	if n > 0 {
		ss.s.log.Printf("%s: disconnected with %d unreleased objects: aborted and released", ss.id, n)
	} else if ss.role != 0 {
		ss.s.log.Printf("%s: disconnected", ss.id)
	}
}

// reportFindings runs the requestor conformance checks (sim.CheckObject)
// on each object the session created, once it has ended: logs them and
// keeps them for the control command "findings".
func (ss *session) reportFindings() {
	var lines []string
	for i, o := range ss.created {
		for _, f := range ss.coords[i].CheckObject(o.Number(), sim.CheckOptions{}) {
			lines = append(lines, fmt.Sprintf("%s %v", ss.id, f))
		}
	}
	if len(ss.created) == 0 {
		return
	}
	s := ss.s
	if len(lines) == 0 {
		s.log.Printf("%s: no findings", ss.id)
	}
	for _, l := range lines {
		s.log.Printf("finding: %s", l)
	}
	s.mu.Lock()
	s.findings = append(s.findings, lines...)
	if over := len(s.findings) - maxFindings; over > 0 {
		s.findings = append([]string(nil), s.findings[over:]...)
	}
	s.mu.Unlock()
}

// handle answers one request; a malformed one gets E_INVALIDARG and a log
// line.
func (ss *session) handle(msg []byte) []byte {
	d := &wire.Decoder{B: msg}
	typ := d.U8()
	bad := func(err error) []byte {
		ss.s.log.Printf("%s: %v", ss.id, err)
		return wire.Reply(wire.BadMessage, "vsssim serve: "+err.Error()).B
	}
	if err := d.Err(); err != nil {
		return bad(err)
	}
	switch {
	case typ == wire.MsgControl && ss.role == wire.RoleControl:
		cmd := d.Text()
		if err := d.End(); err != nil {
			return bad(err)
		}
		out, err := ss.s.control(cmd)
		if err != nil {
			e := wire.Reply(vss.E_INVALIDARG, err.Error())
			e.Text("")
			return e.B
		}
		e := wire.Reply(vss.S_OK, "")
		e.Text(out)
		return e.B
	case ss.role != wire.RoleCOM:
		return bad(fmt.Errorf("message type %d on a %s connection", typ, map[uint8]string{wire.RoleCOM: "COM", wire.RoleControl: "control"}[ss.role]))
	case typ == wire.MsgCreate:
		if err := d.End(); err != nil {
			return bad(err)
		}
		return ss.create()
	case typ == wire.MsgRelease:
		h := d.U32()
		if err := d.End(); err != nil {
			return bad(err)
		}
		return ss.release(h)
	case typ == wire.MsgCall:
		return ss.call(d, bad)
	case typ == wire.MsgCreateExamine:
		xml, _ := d.WStr()
		if err := d.End(); err != nil {
			return bad(err)
		}
		return ss.createExamine(xml)
	}
	return bad(fmt.Errorf("%w: unknown message type %d", wire.ErrMalformed, typ))
}

func (ss *session) create() []byte {
	s := ss.s
	s.mu.Lock()
	c, err := s.coordinator()
	var o *sim.BackupComponents
	if err == nil {
		o = c.NewBackupComponents()
		s.objects = append(s.objects, o)
	}
	s.mu.Unlock()
	if err != nil {
		s.log.Printf("%s: CreateVssBackupComponents: %v", ss.id, err)
		e := wire.Reply(vss.VSS_E_UNEXPECTED, "vsssim serve: the world cannot start: "+err.Error())
		e.U32(0)
		return e.B
	}
	ss.next++
	ss.bcs[ss.next] = o
	ss.created = append(ss.created, o)
	ss.coords = append(ss.coords, c)
	e := wire.Reply(vss.S_OK, "")
	e.U32(ss.next)
	return e.B
}

// createExamine is CreateVssExamineWriterMetadata: a metadata reader over
// the parsed XML (a document that does not parse gets the parser's
// HRESULT and no object).
func (ss *session) createExamine(xml string) []byte {
	md, err := vss.CreateVssExamineWriterMetadata(xml)
	if err != nil {
		e := wire.Reply(vss.Code(err), err.Error())
		e.U32(0)
		return e.B
	}
	ss.next++
	ss.objs[ss.next] = srvObj{iface: comtable.ExamineWriterMetadata, v: md}
	e := wire.Reply(vss.S_OK, "")
	e.U32(ss.next)
	return e.B
}

func (ss *session) release(h uint32) []byte {
	if o, ok := ss.bcs[h]; ok {
		delete(ss.bcs, h)
		err := o.Release()
		ss.s.noteRule(err)
		return wire.Reply(vss.Code(err), errText(err)).B
	}
	if _, ok := ss.asyncs[h]; ok {
		delete(ss.asyncs, h)
		return wire.Reply(vss.S_OK, "").B
	}
	if _, ok := ss.objs[h]; ok {
		delete(ss.objs, h)
		return wire.Reply(vss.S_OK, "").B
	}
	return wire.Reply(vss.E_INVALIDARG, fmt.Sprintf("vsssim serve: no object %d in this session", h)).B
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// noteRule remembers the rule of the last call (empty when it had none).
func (s *Server) noteRule(err error) {
	rule := ""
	var ve *vss.Error
	if errors.As(err, &ve) {
		rule = ve.Rule
	}
	s.mu.Lock()
	s.lastRule = rule
	s.mu.Unlock()
}

// control runs a control command:
//
//	reset [FILE]   a fresh world (world commands will come from FILE)
//	world LINE     a world command of the scenario language
//	rule           the rule of the last call's VSS_E_BAD_STATE ("" if none;
//	               the last call of any client)
//	writer NAME    the instance and class ids of a declared writer
//	trace          the whole trace
//	status         each object's writer status (vshadow -ws layout)
//	findings       the conformance findings of the client sessions that
//	               ended, one a line: "ADDR #N SEVERITY CHECK: MESSAGE"
func (s *Server) control(cmd string) (string, error) {
	defer s.sweepShadows()
	verb, arg, _ := strings.Cut(cmd, " ")
	s.mu.Lock()
	defer s.mu.Unlock()
	switch verb {
	case "reset":
		w, err := s.cfg.NewWorld(hostPath(arg))
		if err != nil {
			return "", err
		}
		s.world, s.objects, s.lastRule, s.findings = w, nil, "", nil
		s.log.Printf("control: reset %s", arg)
		return "", nil
	case "world":
		return s.world.Exec(arg)
	case "rule":
		return s.lastRule, nil
	case "writer":
		inst, class, err := s.world.WriterIDs(arg)
		if err != nil {
			return "", err
		}
		return inst.String() + " " + class.String(), nil
	case "trace":
		c, err := s.coordinator()
		if err != nil {
			return "", err
		}
		return c.Trace().String(), nil
	case "findings":
		if len(s.findings) == 0 {
			return "", nil
		}
		return strings.Join(s.findings, "\n") + "\n", nil
	case "status":
		var b strings.Builder
		for _, o := range s.objects {
			fmt.Fprintf(&b, "#%d:\n", o.Number())
			b.WriteString(scenarios.StatusLines(o.PeekWriterStatus()))
		}
		return b.String(), nil
	}
	return "", fmt.Errorf("unknown control command %q (reset, world, rule, trace, status, findings)", verb)
}

// hostPath turns a path a Wine client sent (Z:\work\x.txt: Wine maps Z:
// to /) into the host's path; other paths are kept.
func hostPath(p string) string {
	if runtime.GOOS != "windows" && len(p) >= 3 && (p[0] == 'Z' || p[0] == 'z') && p[1] == ':' && p[2] == '\\' {
		return strings.ReplaceAll(p[2:], `\`, "/")
	}
	return p
}
