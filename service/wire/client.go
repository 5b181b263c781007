package wire

import (
	"fmt"
	"net"
	"os"
	"time"

	"github.com/vsssim/vsssim/requestor/vss"
)

// Conn is a client connection to vsssim serve: one request at a time.
type Conn struct {
	c net.Conn
}

// DialTimeout bounds connecting and the hello.
const DialTimeout = 10 * time.Second

// Dial connects to the server at addr, says hello with token in role and
// returns the connection, or an error naming what failed (a refused token
// is a *vss.Error with E_ACCESSDENIED).
func Dial(addr, token string, role uint8) (*Conn, error) {
	c, err := net.DialTimeout("tcp", addr, DialTimeout)
	if err != nil {
		return nil, fmt.Errorf("vsssim serve at %s: %w", addr, err)
	}
	if tc, ok := c.(*net.TCPConn); ok {
		_ = tc.SetNoDelay(true)
	}
	conn := &Conn{c: c}
	_ = c.SetDeadline(time.Now().Add(DialTimeout))
	d, err := conn.Roundtrip(Hello{Version: Version, Role: role, Token: token}.Encode())
	if err == nil {
		_ = c.SetDeadline(time.Time{})
		if err = d.End(); err == nil {
			return conn, nil
		}
	}
	c.Close()
	return nil, fmt.Errorf("vsssim serve at %s: hello: %w", addr, err)
}

// DialEnv dials the server VSSSIM_ADDR names with VSSSIM_TOKEN.
func DialEnv(role uint8) (*Conn, error) {
	addr, token := os.Getenv(EnvAddr), os.Getenv(EnvToken)
	if addr == "" {
		return nil, fmt.Errorf("%s is not set (start vsssim serve and export what it prints)", EnvAddr)
	}
	if token == "" {
		return nil, fmt.Errorf("%s is not set (start vsssim serve and export what it prints)", EnvToken)
	}
	return Dial(addr, token, role)
}

// Close closes the connection.
func (c *Conn) Close() error { return c.c.Close() }

// Roundtrip sends msg and reads the reply. A failed HRESULT comes back as a
// *vss.Error carrying the server's description; the Decoder is positioned
// after the description either way (a call's outputs follow).
func (c *Conn) Roundtrip(msg []byte) (*Decoder, error) {
	if err := WriteMessage(c.c, msg); err != nil {
		return nil, err
	}
	reply, err := ReadMessage(c.c)
	if err != nil {
		return nil, err
	}
	d := &Decoder{B: reply}
	hr := vss.HRESULT(d.U32())
	text := d.Text()
	if err := d.Err(); err != nil {
		return nil, err
	}
	if hr.Failed() {
		return d, vss.Errorf(hr, "", "%s", text)
	}
	return d, nil
}

// Control runs a control command and returns its output.
func (c *Conn) Control(cmd string) (string, error) {
	var e Encoder
	e.U8(MsgControl)
	e.Text(cmd)
	d, err := c.Roundtrip(e.B)
	if err != nil {
		return "", err
	}
	out := d.Text()
	return out, d.End()
}
