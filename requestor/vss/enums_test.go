package vss

import (
	"fmt"
	"strings"
	"testing"

	gocmp "github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"
)

func TestEnumTablesOrderedAndUnique(t *testing.T) {
	for _, spec := range enumSpecs() {
		require.NotEmpty(t, spec.Values, spec.GoType)
		names := map[string]bool{}
		for i, v := range spec.Values {
			if i > 0 && spec.Values[i-1].Value >= v.Value {
				t.Errorf("%s: All* not strictly ascending at %s after %s", spec.GoType, v.Name, spec.Values[i-1].Name)
			}
			if names[v.Name] {
				t.Errorf("%s: duplicate name %s", spec.GoType, v.Name)
			}
			names[v.Name] = true
			if !strings.HasPrefix(v.Name, "VSS_") {
				t.Errorf("%s: value %d has no SDK name (String gives %q)", spec.GoType, v.Value, v.Name)
			}
		}
	}
}

func TestEnumAllReturnsCopy(t *testing.T) {
	a := AllWriterStates()
	a[0] = 99
	if diff := gocmp.Diff(VSS_WS_UNKNOWN, AllWriterStates()[0]); diff != "" {
		t.Errorf("AllWriterStates shares its backing array (-want +got):\n%s", diff)
	}
}

func TestEnumSpotValues(t *testing.T) {
	// A few values quoted in REFERENCE.md, checked without the headers.
	got := []string{
		fmt.Sprintf("%s=%d", VSS_RS_UNDEFINED, VSS_RS_UNDEFINED),
		fmt.Sprintf("%s=%d", VSS_APP_FRONT_END, VSS_APP_FRONT_END),
		fmt.Sprintf("%s=%d", VSS_APP_AUTO, VSS_APP_AUTO),
		fmt.Sprintf("%s=%d", VSS_PROV_SYSTEM, VSS_PROV_SYSTEM),
		fmt.Sprintf("%s=%d", VSS_BT_FULL, VSS_BT_FULL),
		fmt.Sprintf("%s=%d", VSS_BT_COPY, VSS_BT_COPY),
		fmt.Sprintf("%s=%d", VSS_WS_WAITING_FOR_BACKUP_COMPLETE, VSS_WS_WAITING_FOR_BACKUP_COMPLETE),
		fmt.Sprintf("%s=%d", VSS_SS_CREATED, VSS_SS_CREATED),
		fmt.Sprintf("%s=%d", VSS_CTX_ALL, VSS_CTX_ALL),
		fmt.Sprintf("%s=%#x", VSS_CTX_CLIENT_ACCESSIBLE, int32(VSS_CTX_CLIENT_ACCESSIBLE)),
		fmt.Sprintf("%s=%#x", VSS_FSBT_CREATED_DURING_BACKUP, int32(VSS_FSBT_CREATED_DURING_BACKUP)),
	}
	want := []string{
		"VSS_RS_UNDEFINED=0",
		"VSS_APP_FRONT_END=3",
		"VSS_APP_AUTO=-1",
		"VSS_PROV_SYSTEM=1",
		"VSS_BT_FULL=1",
		"VSS_BT_COPY=5",
		"VSS_WS_WAITING_FOR_BACKUP_COMPLETE=5",
		"VSS_SS_CREATED=12",
		"VSS_CTX_ALL=-1",
		"VSS_CTX_CLIENT_ACCESSIBLE=0x1d",
		"VSS_FSBT_CREATED_DURING_BACKUP=0x10000",
	}
	if diff := gocmp.Diff(want, got); diff != "" {
		t.Errorf("spot values (-want +got):\n%s", diff)
	}
	// Contexts are built from attribute bits.
	require.Equal(t, int32(VSS_VOLSNAP_ATTR_PERSISTENT|VSS_VOLSNAP_ATTR_NO_AUTO_RELEASE), int32(VSS_CTX_APP_ROLLBACK))
	require.Equal(t, int32(VSS_VOLSNAP_ATTR_NO_WRITERS), int32(VSS_CTX_FILE_SHARE_BACKUP))
	ctxAll, smAll := VSS_CTX_ALL, VSS_SM_ALL_FLAGS
	require.Equal(t, uint32(0xFFFFFFFF), uint32(ctxAll))
	require.Equal(t, uint32(0xFFFFFFFF), uint32(smAll))
}

func TestEnumStringUnknown(t *testing.T) {
	got := []string{
		WriterState(17).String(),
		WriterState(-1).String(),
		BackupType(7).String(),
		RestoreType(4).String(),
		ComponentType(3).String(),
		ObjectType(6).String(),
		ApplicationLevel(-2).String(),
		UsageType(5).String(),
		SourceType(4).String(),
		SnapshotState(17).String(),
		ProviderType(5).String(),
		RestoreMethod(9).String(),
		WriterRestore(4).String(),
		FileRestoreStatus(4).String(),
		RestoreTarget(5).String(),
		AlternateWriterState(4).String(),
		RollForwardType(4).String(),
		SnapshotPropertyID(14).String(),
	}
	want := []string{
		"WriterState(17)",
		"WriterState(-1)",
		"BackupType(7)",
		"RestoreType(4)",
		"ComponentType(3)",
		"ObjectType(6)",
		"ApplicationLevel(-2)",
		"UsageType(5)",
		"SourceType(4)",
		"SnapshotState(17)",
		"ProviderType(5)",
		"RestoreMethod(9)",
		"WriterRestore(4)",
		"FileRestoreStatus(4)",
		"RestoreTarget(5)",
		"AlternateWriterState(4)",
		"RollForwardType(4)",
		"SnapshotPropertyID(14)",
	}
	if diff := gocmp.Diff(want, got); diff != "" {
		t.Errorf("unknown values (-want +got):\n%s", diff)
	}
}

func TestBitmaskString(t *testing.T) {
	cases := []struct {
		v    fmt.Stringer
		want string
	}{
		{VolumeSnapshotAttributes(0), "0"},
		{VSS_VOLSNAP_ATTR_TRANSPORTABLE, "VSS_VOLSNAP_ATTR_TRANSPORTABLE"},
		{VSS_VOLSNAP_ATTR_NO_WRITERS | VSS_VOLSNAP_ATTR_PERSISTENT, "VSS_VOLSNAP_ATTR_PERSISTENT|VSS_VOLSNAP_ATTR_NO_WRITERS"},
		{VSS_VOLSNAP_ATTR_PERSISTENT | 0x100, "VSS_VOLSNAP_ATTR_PERSISTENT|0x100"},
		{VolumeSnapshotAttributes(-1 << 31), "0x80000000"},
		{BackupSchema(0), "VSS_BS_UNDEFINED"},
		{BackupSchema(881), "VSS_BS_DIFFERENTIAL|VSS_BS_COPY|VSS_BS_TIMESTAMPED|VSS_BS_LAST_MODIFY|VSS_BS_WRITER_SUPPORTS_NEW_TARGET|VSS_BS_WRITER_SUPPORTS_RESTORE_WITH_MOVE"},
		{BackupSchema(0x800), "0x800"},
		{FileSpecBackupType(0), "0"},
		{FileSpecBackupType(0xF0F), "VSS_FSBT_ALL_BACKUP_REQUIRED|VSS_FSBT_ALL_SNAPSHOT_REQUIRED"},
		{FileSpecBackupType(0x10F), "VSS_FSBT_ALL_BACKUP_REQUIRED|VSS_FSBT_FULL_SNAPSHOT_REQUIRED"},
		{FileSpecBackupType(0x3), "VSS_FSBT_FULL_BACKUP_REQUIRED|VSS_FSBT_DIFFERENTIAL_BACKUP_REQUIRED"},
		{FileSpecBackupType(0x10F0F), "VSS_FSBT_ALL_BACKUP_REQUIRED|VSS_FSBT_ALL_SNAPSHOT_REQUIRED|VSS_FSBT_CREATED_DURING_BACKUP"},
		{VSS_FSBT_ALL_BACKUP_REQUIRED, "VSS_FSBT_ALL_BACKUP_REQUIRED"},
		{ComponentFlags(0), "0"},
		{ComponentFlags(3), "VSS_CF_BACKUP_RECOVERY|VSS_CF_APP_ROLLBACK_RECOVERY"},
		{ComponentFlags(0x14), "VSS_CF_NOT_SYSTEM_STATE|0x10"},
		{SubscribeMask(-1), "VSS_SM_ALL_FLAGS"},
		{SubscribeMask(0x6), "VSS_SM_BACKUP_EVENTS_FLAG|VSS_SM_RESTORE_EVENTS_FLAG"},
		{SubscribeMask(0x12), "VSS_SM_BACKUP_EVENTS_FLAG|0x10"},
		{SubscribeMask(0), "0"},
		{ProviderCapabilities(0x201), "VSS_PRV_CAPABILITY_LEGACY|VSS_PRV_CAPABILITY_CLUSTERED"},
		{HardwareOptions(0x803), "VSS_BREAKEX_FLAG_MASK_LUNS|VSS_BREAKEX_FLAG_MAKE_READ_WRITE|VSS_ONLUNSTATECHANGE_DO_MASK_LUNS"},
		{RecoveryOptions(0x300), "VSS_RECOVERY_REVERT_IDENTITY_ALL|VSS_RECOVERY_NO_VOLUME_CHECK"},
		{RecoveryOptions(0), "0"},
		{SnapshotCompatibility(3), "VSS_SC_DISABLE_DEFRAG|VSS_SC_DISABLE_CONTENTINDEX"},
	}
	for _, c := range cases {
		if diff := gocmp.Diff(c.want, c.v.String()); diff != "" {
			t.Errorf("%T(%#x) (-want +got):\n%s", c.v, c.v, diff)
		}
	}
}

func TestSnapshotContextString(t *testing.T) {
	qemu := SnapshotContext(int32(VSS_CTX_APP_ROLLBACK) | int32(VSS_VOLSNAP_ATTR_TRANSPORTABLE|VSS_VOLSNAP_ATTR_NO_AUTORECOVERY|VSS_VOLSNAP_ATTR_TXF_RECOVERY))
	cases := []struct {
		v    SnapshotContext
		want string
	}{
		{VSS_CTX_ALL, "VSS_CTX_ALL"},
		{VSS_CTX_BACKUP, "VSS_CTX_BACKUP"},
		{VSS_CTX_NAS_ROLLBACK, "VSS_CTX_NAS_ROLLBACK"},
		{qemu, "VSS_CTX_APP_ROLLBACK|VSS_VOLSNAP_ATTR_NO_AUTORECOVERY|VSS_VOLSNAP_ATTR_TRANSPORTABLE|VSS_VOLSNAP_ATTR_TXF_RECOVERY"},
		{0x20, "VSS_CTX_BACKUP|VSS_VOLSNAP_ATTR_TRANSPORTABLE"},
		{0x1D | 0x20000, "VSS_CTX_CLIENT_ACCESSIBLE|VSS_VOLSNAP_ATTR_DIFFERENTIAL"},
		{0x11, "VSS_CTX_FILE_SHARE_BACKUP|VSS_VOLSNAP_ATTR_PERSISTENT"},
		{0x1B, "VSS_CTX_NAS_ROLLBACK|VSS_VOLSNAP_ATTR_NO_AUTORECOVERY"},
		{SnapshotContext(-1 << 31), "VSS_CTX_BACKUP|0x80000000"},
	}
	for _, c := range cases {
		if diff := gocmp.Diff(c.want, c.v.String()); diff != "" {
			t.Errorf("SnapshotContext(%#x) (-want +got):\n%s", uint32(c.v), diff)
		}
	}
}

func TestWriterStateIsFailed(t *testing.T) {
	var got []WriterState
	for _, s := range AllWriterStates() {
		if s.IsFailed() {
			got = append(got, s)
		}
	}
	want := []WriterState{
		VSS_WS_FAILED_AT_IDENTIFY,
		VSS_WS_FAILED_AT_PREPARE_BACKUP,
		VSS_WS_FAILED_AT_PREPARE_SNAPSHOT,
		VSS_WS_FAILED_AT_FREEZE,
		VSS_WS_FAILED_AT_THAW,
		VSS_WS_FAILED_AT_POST_SNAPSHOT,
		VSS_WS_FAILED_AT_BACKUP_COMPLETE,
		VSS_WS_FAILED_AT_PRE_RESTORE,
		VSS_WS_FAILED_AT_POST_RESTORE,
		VSS_WS_FAILED_AT_BACKUPSHUTDOWN,
	}
	if diff := gocmp.Diff(want, got); diff != "" {
		t.Errorf("IsFailed states (-want +got):\n%s", diff)
	}
	// Cross-check against the naming convention.
	for _, s := range AllWriterStates() {
		require.Equal(t, strings.HasPrefix(s.String(), "VSS_WS_FAILED_AT_"), s.IsFailed(), s.String())
	}
	require.False(t, WriterState(99).IsFailed())
	require.False(t, WriterState(-1).IsFailed())
}
