package scenarios_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/vsssim/vsssim/scenarios"
)

// Bad use of poll, provider, provider-hook and the new options is an
// error naming file:line, never a panic.
func TestNewCommandsRejectBadInput(t *testing.T) {
	for _, tc := range []struct{ src, want string }{
		{"new\ncall InitializeForBackup\npoll\n", "no async operation yet"},
		{"writer A\nnew\ncall InitializeForBackup\ncall GatherWriterMetadata\npoll max=0\n", "max=\"0\""},
		{"provider P\n", "want: provider NAME id=GUID"},
		{"provider P id=nope\n", "nope"},
		{"provider P id=3629d4ed-ee09-4e0e-9a5c-6d8ba2872aef type=odd\n", "type=\"odd\""},
		{"provider P id=3629d4ed-ee09-4e0e-9a5c-6d8ba2872aef\nprovider P id=3629d4ed-ee09-4e0e-9a5c-6d8ba2872aef\n", "already declared"},
		{"provider-hook P CommitSnapshots\n", "no provider \"P\""},
		{"provider P id=3629d4ed-ee09-4e0e-9a5c-6d8ba2872aef\nprovider-hook P Commit\n", "not a commit point"},
		{"provider P id=3629d4ed-ee09-4e0e-9a5c-6d8ba2872aef\nprovider-hook P CommitSnapshots fail=S_OK\n", "not a failure code"},
		{"provider P id=3629d4ed-ee09-4e0e-9a5c-6d8ba2872aef\nprovider-hook P CommitSnapshots times=2\n", "times= needs fail="},
		{"option Poll=Sometimes\n", "NextEvent, Quantum or Frozen"},
		{"option StrictAsync=maybe\n", "StrictAsync"},
	} {
		f, err := scenarios.Parse("bad.txt", []byte(tc.src))
		require.NoError(t, err, tc.src)
		_, err = scenarios.Run(f)
		require.Error(t, err, tc.src)
		require.Contains(t, err.Error(), "bad.txt:", tc.src)
		require.Contains(t, err.Error(), tc.want, tc.src)
	}
}

// A provider-hook failure with times=N fails the first N commits only.
func TestProviderHookTimes(t *testing.T) {
	src := `provider P id=3629d4ed-ee09-4e0e-9a5c-6d8ba2872aef
provider-hook P PreCommitSnapshots fail=VSS_E_PROVIDER_VETO times=1
new
call InitializeForBackup
----
S_OK

call SetContext VSS_CTX_FILE_SHARE_BACKUP
----
S_OK

call StartSnapshotSet
----
S_OK

call AddToSnapshotSet C:\ provider=3629d4ed-ee09-4e0e-9a5c-6d8ba2872aef
----
S_OK snapshot=1

call DoSnapshotSet
----
S_OK

wait
----
VSS_E_PROVIDER_VETO

new
call InitializeForBackup
----
S_OK

call SetContext VSS_CTX_FILE_SHARE_BACKUP
----
S_OK

call StartSnapshotSet
----
S_OK

call AddToSnapshotSet C:\ provider=3629d4ed-ee09-4e0e-9a5c-6d8ba2872aef
----
S_OK snapshot=1

call DoSnapshotSet
----
S_OK

wait
----
VSS_S_ASYNC_FINISHED
`
	f, err := scenarios.Parse("times.txt", []byte(src))
	require.NoError(t, err)
	res, err := scenarios.Run(f)
	require.NoError(t, err)
	require.True(t, res.OK(), "%v", res.Failures)
}
