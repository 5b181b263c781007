package scenarios

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/vsssim/vsssim/requestor/vss"
	"github.com/vsssim/vsssim/service/wire"
)

// remote is the control connection to vsssim serve when the windows
// backend runs against the simulator through vsssim's vssapi.dll
// (VSSSIM_ADDR is set): world commands go to the server, requestor calls go
// through COM, and the rule behind a VSS_E_BAD_STATE (which COM does not
// carry) is fetched from the server.
type remote struct {
	c *wire.Conn
}

// remoteFromEnv connects to the server VSSSIM_ADDR names, or returns nil
// when it is not set.
func remoteFromEnv(scenario string) (*remote, error) {
	if os.Getenv(wire.EnvAddr) == "" {
		return nil, nil
	}
	c, err := wire.DialEnv(wire.RoleControl)
	if err != nil {
		return nil, err
	}
	rm := &remote{c: c}
	abs, err := filepath.Abs(scenario)
	if err != nil {
		abs = scenario
	}
	if _, err := c.Control("reset " + abs); err != nil {
		c.Close()
		return nil, fmt.Errorf("vsssim serve: reset: %w", err)
	}
	return rm, nil
}

func (rm *remote) close() { rm.c.Close() }

// world runs a world or simulator command on the server.
func (rm *remote) world(d *Directive) (string, error) {
	out, err := rm.c.Control("world " + d.Raw)
	var ve *vss.Error
	if errors.As(err, &ve) && ve.HR == vss.E_INVALIDARG {
		return "", errors.New(ve.Detail) // the server's description of the usage error
	}
	return out, err
}

// withRule adds the server's rule to a VSS_E_BAD_STATE that came through COM.
func (rm *remote) withRule(err error) error {
	var ve *vss.Error
	if vss.Code(err) != vss.VSS_E_BAD_STATE || errors.As(err, &ve) && ve.Rule != "" {
		return err
	}
	rule, cerr := rm.c.Control("rule")
	if cerr != nil || rule == "" {
		return err
	}
	return vss.Errorf(vss.VSS_E_BAD_STATE, "", "%v", err).WithRule(rule)
}

// trace and status are the server's trace and final writer status.
func (rm *remote) trace() string  { out, _ := rm.c.Control("trace"); return out }
func (rm *remote) status() string { out, _ := rm.c.Control("status"); return out }

// writerIDs resolves a declared writer's name on the server.
func (rm *remote) writerIDs(name string) (vss.ID, vss.ID, error) {
	out, err := rm.c.Control("writer " + name)
	if err != nil {
		var ve *vss.Error
		if errors.As(err, &ve) {
			return vss.ID{}, vss.ID{}, errors.New(ve.Detail)
		}
		return vss.ID{}, vss.ID{}, err
	}
	inst, class, _ := strings.Cut(out, " ")
	i, err := vss.ParseID(inst)
	if err != nil {
		return vss.ID{}, vss.ID{}, fmt.Errorf("vsssim serve: writer %s: %q: %w", name, out, err)
	}
	c, err := vss.ParseID(class)
	if err != nil {
		return vss.ID{}, vss.ID{}, fmt.Errorf("vsssim serve: writer %s: %q: %w", name, out, err)
	}
	return i, c, nil
}
