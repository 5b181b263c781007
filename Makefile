# vsssim: `make test` is what CI runs (.ci/run) and what a new user runs.
GO ?= go

.PHONY: test vet race windows test-windows wine-vss bench backup coverage fmt docs

test: vet race windows

vet:
	@test -z "$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))" || { echo "gofmt needed:"; gofmt -l .; exit 1; }
	$(GO) vet ./...

race:
	$(GO) test -race -count=1 ./...

# The Windows backend must always type-check and its test binaries compile.
windows:
	GOOS=windows GOARCH=amd64 $(GO) vet ./...
	GOOS=windows GOARCH=amd64 $(GO) test -count=1 -exec=true ./...
	GOOS=windows GOARCH=arm64 $(GO) vet ./requestor/...
	GOOS=windows GOARCH=386 $(GO) vet ./requestor/...
	@# The 32-bit struct layouts (VSS_SNAPSHOT_PROP 96 bytes, VSS_OBJECT_PROP 104),
	@# run natively as linux/386 where the kernel can (a failing test fails the build).
	GOARCH=386 $(GO) test -c -o /tmp/vsssim-386.test ./requestor
	@if /tmp/vsssim-386.test -test.run '^$$' >/dev/null 2>&1; then \
		echo "GOARCH=386 go test -run 'Layout|Vtable' ./requestor"; /tmp/vsssim-386.test -test.count=1 -test.run 'Layout|Vtable'; \
	else echo "NOTE: this kernel cannot run 386 binaries: the 32-bit layout tests did not run"; fi

# The Windows build of the test suite, run under Wine 8.0 (apt-get install
# wine64 gcc-mingw-w64-x86-64). Real VSS is not there: the tests check that
# the COM backend reports it unavailable.
# Then the catalog through the COM backend against vsssim serve, via
# vsssim's vssapi.dll (.ci/wine-service; its last line is the summary).
# Then our C requestor cvshadow (.ci/wine-cvshadow: compared with the Go
# API and the server's trace) and unmodified restic.exe (.ci/wine-restic)
# against vsssim serve.
test-windows:
	.ci/wine-setup
	GOOS=windows GOARCH=amd64 $(GO) test -count=1 -exec $(CURDIR)/.ci/wine-exec ./...
	.ci/wine-service
	.ci/wine-cvshadow
	.ci/wine-restic

# vsssim's vssapi.dll (the simulator as the VSS service, through vsssim
# serve), built and installed in the Wine prefix's system32 with the
# vssapi=native override (VSSSIM_WINEPREFIX, default /tmp/vsssim-wine).
WINEPREFIX_DIR = $${VSSSIM_WINEPREFIX:-$${TMPDIR:-/tmp}/vsssim-wine}
wine-vss:
	$(MAKE) -s -C vssapi
	.ci/wine-setup
	cp vssapi/vssapi.dll "$(WINEPREFIX_DIR)/drive_c/windows/system32/vssapi.dll"
	WINEPREFIX="$(WINEPREFIX_DIR)" WINEDEBUG=-all $${WINE64:-/usr/lib/wine/wine64} reg add 'HKCU\Software\Wine\DllOverrides' /v vssapi /d native /f >/dev/null
	@echo "wine-vss: vssapi.dll installed in $(WINEPREFIX_DIR) (override vssapi=native)"

bench:
	$(GO) test -run='^$$' -bench=. -benchmem ./...

# The README's first command: a simulated backup with its trace (exit 0 although
# SqlServerWriter fails: -allow-failed-writers).
backup:
	$(GO) run ./cmd/vsssim backup -presets builtin -veto SqlServerWriter:PostSnapshot -keep-going -allow-failed-writers

# Every REFERENCE §1.3 row and §2.3 rule the scenario catalog exercises.
coverage:
	$(GO) run ./cmd/vsssim coverage testdata/scenarios

fmt:
	gofmt -w $$(git ls-files '*.go')

# Regenerate docs/*.md from the code (TestDocs fails when they drift).
docs:
	$(GO) test ./cmd/vsssim -run TestDocs -update-docs
