package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/vsssim/vsssim/scenarios"
	"github.com/vsssim/vsssim/service"
	"github.com/vsssim/vsssim/service/wire"
)

const serveUsage = `usage: vsssim serve [-addr 127.0.0.1:PORT] [-world FILE] [-trace FILE] [-env FILE] [-quiet]
                    [-shadows DIR] [-on-commit COMMAND]

Runs the simulated VSS service of one machine until interrupted, for the
vssapi.dll of vsssim (make wine-vss) and other clients. It prints
VSSSIM_ADDR=... and VSSSIM_TOKEN=...: export both where the Windows program
runs. The token is random unless VSSSIM_TOKEN is set.

A volume declared with root=DIR in the world file gets readable shadow
copies: at each commit the server copies DIR into its shadow directory, and
the shadow copy's device object is that copy's path under Wine
(\\?\Z:\...). Deleting the shadow copy, or stopping the server, removes
the copy. -on-commit runs COMMAND (sh -c) right after each copy, while the
writers are frozen, with VSSSIM_SHADOW_VOLUME, VSSSIM_SHADOW_ROOT and
VSSSIM_SHADOW_DIR set: a test changes live files there to check that a
program reads the shadow copy.`

// serve is vsssim serve (package service does the work).
func serve(args []string, stdout, stderr io.Writer) int {
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(stop)
	return serveUntil(args, stdout, stderr, stop)
}

func serveUntil(args []string, stdout, stderr io.Writer, stop <-chan os.Signal) int {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprintln(stderr, serveUsage); fs.PrintDefaults() }
	addr := fs.String("addr", "127.0.0.1:0", "listen address: loopback only; port 0 picks a free port")
	worldFile := fs.String("world", "", "world commands of the scenario language (writer, volume, fault, option, ...)")
	traceFile := fs.String("trace", "", "write the trace here when the server stops")
	envFile := fs.String("env", "", "also write the VSSSIM_ADDR and VSSSIM_TOKEN lines to this file")
	quiet := fs.Bool("quiet", false, "no connection log on stderr")
	shadows := fs.String("shadows", "", "directory for the frozen copies of volumes with root=DIR (default: a temporary one)")
	onCommit := fs.String("on-commit", "", "shell command run after each frozen copy, while the writers are frozen")
	if err := fs.Parse(args); errors.Is(err, flag.ErrHelp) {
		return 0
	} else if err != nil {
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "vsssim serve: unexpected argument %q\n", fs.Arg(0))
		return 2
	}
	newWorld := func(name string) (service.World, error) {
		if name != "" {
			return scenarios.NewWorld(name), nil
		}
		if *worldFile != "" {
			return scenarios.LoadWorld(*worldFile)
		}
		wd, _ := os.Getwd()
		return scenarios.NewWorld(filepath.Join(wd, "world")), nil
	}
	var logw io.Writer = stderr
	if *quiet {
		logw = nil
	}
	cfg := service.Config{Addr: *addr, Token: os.Getenv(wire.EnvToken), NewWorld: newWorld, Log: logw, ShadowDir: *shadows}
	if *onCommit != "" {
		cfg.OnCommit = func(sc service.ShadowCopy) { runOnCommit(*onCommit, sc, stderr) }
	}
	srv, err := service.Listen(cfg)
	if err != nil {
		fmt.Fprintf(stderr, "vsssim serve: %v\n", err)
		return 1
	}
	env := fmt.Sprintf("%s=%s\n%s=%s\n", wire.EnvAddr, srv.Addr(), wire.EnvToken, srv.Token())
	fmt.Fprint(stdout, env)
	if f, ok := stdout.(*os.File); ok {
		_ = f.Sync()
	}
	if *envFile != "" {
		if err := os.WriteFile(*envFile, []byte(env), 0o600); err != nil {
			fmt.Fprintf(stderr, "vsssim serve: %v\n", err)
			srv.Close()
			return 1
		}
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve() }()
	select {
	case <-stop:
	case err = <-done:
	}
	srv.Close()
	if err != nil {
		fmt.Fprintf(stderr, "vsssim serve: %v\n", err)
		return 1
	}
	if *traceFile != "" {
		c, err := srv.Coordinator()
		if err == nil {
			err = os.WriteFile(*traceFile, []byte(c.Trace().String()), 0o644)
		}
		if err != nil {
			fmt.Fprintf(stderr, "vsssim serve: trace: %v\n", err)
			return 1
		}
	}
	return 0
}

// runOnCommit runs serve's -on-commit command for one frozen copy; its
// output goes to stderr, a failure is reported there.
func runOnCommit(command string, sc service.ShadowCopy, stderr io.Writer) {
	cmd := exec.Command("sh", "-c", command)
	cmd.Env = append(os.Environ(), "VSSSIM_SHADOW_VOLUME="+sc.Volume, "VSSSIM_SHADOW_ROOT="+sc.Root, "VSSSIM_SHADOW_DIR="+sc.Dir)
	cmd.Stdout, cmd.Stderr = stderr, stderr
	if err := cmd.Run(); err != nil {
		fmt.Fprintf(stderr, "vsssim serve: -on-commit for %s: %v\n", sc.Volume, err)
	}
}

// ctl is vsssim ctl: one control command to the vsssim serve that
// VSSSIM_ADDR and VSSSIM_TOKEN name (trace, status, findings, world LINE,
// reset, rule, writer NAME), its output on stdout.
func ctl(args []string, stdout, stderr io.Writer) int {
	const usage = "usage: vsssim ctl trace|status|findings|rule|writer NAME|world LINE|reset [FILE]"
	if len(args) == 1 && (args[0] == "-h" || args[0] == "-help" || args[0] == "--help") {
		fmt.Fprintln(stdout, usage+"\n\nSend one control command to the vsssim serve that VSSSIM_ADDR and VSSSIM_TOKEN name, and print its answer.\n\nExample:\n  vsssim ctl findings")
		return 0
	}
	if len(args) == 0 {
		fmt.Fprintln(stderr, usage)
		return 2
	}
	c, err := wire.DialEnv(wire.RoleControl)
	if err != nil {
		fmt.Fprintf(stderr, "vsssim ctl: %v\n", err)
		return 1
	}
	defer c.Close()
	out, err := c.Control(strings.Join(args, " "))
	if err != nil {
		fmt.Fprintf(stderr, "vsssim ctl: %v\n", err)
		return 1
	}
	fmt.Fprint(stdout, out)
	if out != "" && !strings.HasSuffix(out, "\n") {
		fmt.Fprintln(stdout)
	}
	return 0
}
