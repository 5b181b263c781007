package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"

	"github.com/vsssim/vsssim/scenarios"
	"github.com/vsssim/vsssim/service"
	"github.com/vsssim/vsssim/service/wire"
)

const serveUsage = `usage: vsssim serve [-addr 127.0.0.1:PORT] [-world FILE] [-trace FILE] [-env FILE] [-quiet]

Runs the simulated VSS service of one machine until interrupted, for the
vssapi.dll of vsssim (make wine-vss) and other clients. It prints
VSSSIM_ADDR=... and VSSSIM_TOKEN=...: export both where the Windows program
runs. The token is random unless VSSSIM_TOKEN is set.`

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
	srv, err := service.Listen(service.Config{Addr: *addr, Token: os.Getenv(wire.EnvToken), NewWorld: newWorld, Log: logw})
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
