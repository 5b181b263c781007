/*
 * cvshadow: a small vshadow-style VSS requestor written in C against
 * mingw-w64's vsbackup.h, for vsssim. It is built with
 * x86_64-w64-mingw32-gcc, linked with -lvssapi like any SDK program, and run
 * under Wine with vsssim's vssapi.dll against `vsssim serve`: it proves that a
 * C program compiled against the SDK headers sees what the Go API sees.
 *
 * Usage: cvshadow [-wm] [-ws] [-nw] [-bc=FILE] [-r=FILE] [VOLUME...]
 *   -wm        print the writers' metadata (after GatherWriterMetadata)
 *   -ws        print the writers' status (after GatherWriterStatus)
 *   -nw        no writers: a non-component backup (select nothing)
 *   -bc=FILE   save the Backup Components Document to FILE (UTF-8)
 *   -r=FILE    restore from the BCD in FILE instead of backing up
 *   VOLUME...  create an auto-release shadow copy set of these volumes,
 *              with every selectable component of every writer
 *
 * Output is deterministic (no times, no pointers) so that CI can compare it.
 * Every COM call is checked; a failure prints "ERROR: METHOD returned
 * 0xHRESULT" and exits 2. Exit 0 means the whole sequence succeeded.
 */
#define COBJMACROS
#define WIN32_LEAN_AND_MEAN
#include <windows.h>
#include <objbase.h>
#include <oleauto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <vss.h>
#include <vswriter.h>
#include <vsbackup.h>

static int verbose_calls;

static void die(const char *method, HRESULT hr) {
    printf("ERROR: %s returned 0x%08lX\n", method, (unsigned long)hr);
    fflush(stdout);
    exit(2);
}

#define CHECK(method, expr)                \
    do {                                   \
        HRESULT hr_ = (expr);              \
        if (verbose_calls)                 \
            printf("# %s\n", method);      \
        if (FAILED(hr_)) die(method, hr_); \
    } while (0)

static void print_guid(const VSS_ID *id) {
    printf("{%08lx-%04x-%04x-%02x%02x-%02x%02x%02x%02x%02x%02x}", (unsigned long)id->Data1, id->Data2,
           id->Data3, id->Data4[0], id->Data4[1], id->Data4[2], id->Data4[3], id->Data4[4], id->Data4[5],
           id->Data4[6], id->Data4[7]);
}

static const wchar_t *wstr(const wchar_t *s) { return s ? s : L""; }

/* wait_async waits for an IVssAsync and returns its final status. The
 * pointer is released, as the IVssAsync page asks. */
static HRESULT wait_async(const char *method, IVssAsync *a) {
    HRESULT status = E_FAIL;
    CHECK("IVssAsync::Wait", IVssAsync_Wait(a, INFINITE));
    CHECK("IVssAsync::QueryStatus", IVssAsync_QueryStatus(a, &status, NULL));
    IVssAsync_Release(a);
    if (status != VSS_S_ASYNC_FINISHED) die(method, status);
    return status;
}

static const char *state_name(VSS_WRITER_STATE s) {
    static const char *names[] = {"VSS_WS_UNKNOWN",
                                  "VSS_WS_STABLE",
                                  "VSS_WS_WAITING_FOR_FREEZE",
                                  "VSS_WS_WAITING_FOR_THAW",
                                  "VSS_WS_WAITING_FOR_POST_SNAPSHOT",
                                  "VSS_WS_WAITING_FOR_BACKUP_COMPLETE",
                                  "VSS_WS_FAILED_AT_IDENTIFY",
                                  "VSS_WS_FAILED_AT_PREPARE_BACKUP",
                                  "VSS_WS_FAILED_AT_PREPARE_SNAPSHOT",
                                  "VSS_WS_FAILED_AT_FREEZE",
                                  "VSS_WS_FAILED_AT_THAW",
                                  "VSS_WS_FAILED_AT_POST_SNAPSHOT",
                                  "VSS_WS_FAILED_AT_BACKUP_COMPLETE",
                                  "VSS_WS_FAILED_AT_PRE_RESTORE",
                                  "VSS_WS_FAILED_AT_POST_RESTORE",
                                  "VSS_WS_FAILED_AT_BACKUPSHUTDOWN"};
    if ((unsigned)s < sizeof names / sizeof names[0]) return names[s];
    return "VSS_WS_?";
}

static const char *ct_name(VSS_COMPONENT_TYPE t) {
    switch (t) {
    case VSS_CT_DATABASE: return "VSS_CT_DATABASE";
    case VSS_CT_FILEGROUP: return "VSS_CT_FILEGROUP";
    default: return "VSS_CT_UNDEFINED";
    }
}

static void print_filedesc(const char *label, IVssWMFiledesc *f) {
    BSTR path = NULL, spec = NULL, alt = NULL;
    boolean rec = 0;
    CHECK("IVssWMFiledesc::GetPath", IVssWMFiledesc_GetPath(f, &path));
    CHECK("IVssWMFiledesc::GetFilespec", IVssWMFiledesc_GetFilespec(f, &spec));
    CHECK("IVssWMFiledesc::GetRecursive", IVssWMFiledesc_GetRecursive(f, &rec));
    CHECK("IVssWMFiledesc::GetAlternateLocation", IVssWMFiledesc_GetAlternateLocation(f, &alt));
    printf("       - %s: Path = %ls, Filespec = %ls, Recursive = %d", label, wstr(path), wstr(spec), rec ? 1 : 0);
    if (alt && *alt) printf(", Alternate location = %ls", alt);
    printf("\n");
    SysFreeString(path);
    SysFreeString(spec);
    SysFreeString(alt);
    IVssWMFiledesc_Release(f);
}

/* A component the backup selects. */
typedef struct {
    VSS_ID instance, writer;
    VSS_COMPONENT_TYPE type;
    BSTR logical, name;
} selected;

static selected *sel;
static unsigned nsel, capsel;

static void add_selected(VSS_ID instance, VSS_ID writer, VSS_COMPONENT_TYPE type, BSTR logical, BSTR name) {
    if (nsel == capsel) {
        capsel = capsel ? 2 * capsel : 16;
        sel = realloc(sel, capsel * sizeof *sel);
        if (!sel) die("realloc", E_OUTOFMEMORY);
    }
    sel[nsel].instance = instance;
    sel[nsel].writer = writer;
    sel[nsel].type = type;
    sel[nsel].logical = SysAllocString(wstr(logical));
    sel[nsel].name = SysAllocString(wstr(name));
    nsel++;
}

/* walk_metadata reads every writer's metadata through
 * IVssExamineWriterMetadata, prints it (-wm) and remembers the selectable
 * components. */
static void walk_metadata(IVssBackupComponents *bc, int print, int select) {
    UINT n = 0;
    CHECK("GetWriterMetadataCount", IVssBackupComponents_GetWriterMetadataCount(bc, &n));
    if (print) printf("Writers: %u\n", n);
    for (UINT i = 0; i < n; i++) {
        VSS_ID inst, inst2, wid;
        IVssExamineWriterMetadata *md = NULL;
        BSTR wname = NULL;
        VSS_USAGE_TYPE usage;
        VSS_SOURCE_TYPE source;
        UINT incl = 0, excl = 0, comps = 0;
        CHECK("GetWriterMetadata", IVssBackupComponents_GetWriterMetadata(bc, i, &inst, &md));
        CHECK("IVssExamineWriterMetadata::GetIdentity",
              IVssExamineWriterMetadata_GetIdentity(md, &inst2, &wid, &wname, &usage, &source));
        CHECK("IVssExamineWriterMetadata::GetFileCounts",
              IVssExamineWriterMetadata_GetFileCounts(md, &incl, &excl, &comps));
        if (print) {
            printf("* WRITER \"%ls\"\n", wstr(wname));
            printf("   - WriterId   = ");
            print_guid(&wid);
            printf("\n   - InstanceId = ");
            print_guid(&inst2);
            printf("\n   - Usage type = %d, Source type = %d\n", (int)usage, (int)source);
            if (memcmp(&inst, &inst2, sizeof inst) != 0) printf("   - MISMATCH: GetWriterMetadata instance id differs\n");
        }
        for (UINT e = 0; e < excl; e++) {
            IVssWMFiledesc *f = NULL;
            CHECK("IVssExamineWriterMetadata::GetExcludeFile", IVssExamineWriterMetadata_GetExcludeFile(md, e, &f));
            if (print)
                print_filedesc("Exclude", f);
            else
                IVssWMFiledesc_Release(f);
        }
        for (UINT c = 0; c < comps; c++) {
            IVssWMComponent *wc = NULL;
            PVSSCOMPONENTINFO info = NULL;
            CHECK("IVssExamineWriterMetadata::GetComponent", IVssExamineWriterMetadata_GetComponent(md, c, &wc));
            CHECK("IVssWMComponent::GetComponentInfo", IVssWMComponent_GetComponentInfo(wc, &info));
            if (print) {
                printf("   - Component \"%ls\\%ls\"\n", wstr(info->bstrLogicalPath), wstr(info->bstrComponentName));
                printf("       - Type: %s\n", ct_name(info->type));
                printf("       - Caption: %ls\n", wstr(info->bstrCaption));
                printf("       - Is selectable: %s\n", info->bSelectable ? "TRUE" : "FALSE");
                printf("       - Files: %u, databases: %u, logs: %u, dependencies: %u\n", info->cFileCount,
                       info->cDatabases, info->cLogFiles, info->cDependencies);
                for (UINT k = 0; k < info->cFileCount; k++) {
                    IVssWMFiledesc *f = NULL;
                    CHECK("IVssWMComponent::GetFile", IVssWMComponent_GetFile(wc, k, &f));
                    print_filedesc("File", f);
                }
                for (UINT k = 0; k < info->cDatabases; k++) {
                    IVssWMFiledesc *f = NULL;
                    CHECK("IVssWMComponent::GetDatabaseFile", IVssWMComponent_GetDatabaseFile(wc, k, &f));
                    print_filedesc("Database", f);
                }
                for (UINT k = 0; k < info->cLogFiles; k++) {
                    IVssWMFiledesc *f = NULL;
                    CHECK("IVssWMComponent::GetDatabaseLogFile", IVssWMComponent_GetDatabaseLogFile(wc, k, &f));
                    print_filedesc("Log", f);
                }
            }
            /* vshadow selects every selectable component; it trusts that a
             * non-selectable one is top level (the writer backs it up). */
            if (select && info->bSelectable) add_selected(inst, wid, info->type, info->bstrLogicalPath, info->bstrComponentName);
            CHECK("IVssWMComponent::FreeComponentInfo", IVssWMComponent_FreeComponentInfo(wc, info));
            IVssWMComponent_Release(wc);
        }
        SysFreeString(wname);
        IVssExamineWriterMetadata_Release(md);
    }
}

/* print_status gathers the writers' status (as vshadow does after each
 * step, so that a failed writer stops the sequence) and prints it if print
 * is set. */
static void print_status(IVssBackupComponents *bc, const char *when, int print) {
    IVssAsync *a = NULL;
    UINT n = 0;
    CHECK("GatherWriterStatus", IVssBackupComponents_GatherWriterStatus(bc, &a));
    wait_async("GatherWriterStatus", a);
    CHECK("GetWriterStatusCount", IVssBackupComponents_GetWriterStatusCount(bc, &n));
    if (print) printf("Status %s (%u writers)\n", when, n);
    for (UINT i = 0; i < n; i++) {
        VSS_ID inst, wid;
        BSTR name = NULL;
        VSS_WRITER_STATE st;
        HRESULT failure;
        CHECK("GetWriterStatus", IVssBackupComponents_GetWriterStatus(bc, i, &inst, &wid, &name, &st, &failure));
        if (print) {
            printf("* WRITER \"%ls\"\n", wstr(name));
            printf("   - Status: %d (%s)\n", (int)st, state_name(st));
            printf("   - Writer Failure code: 0x%08lX\n", (unsigned long)failure);
        }
        SysFreeString(name);
    }
    CHECK("FreeWriterStatus", IVssBackupComponents_FreeWriterStatus(bc));
}

static char *read_file(const char *path) {
    FILE *f = fopen(path, "rb");
    long n;
    char *buf;
    if (!f) {
        printf("ERROR: cannot open %s\n", path);
        exit(2);
    }
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    fseek(f, 0, SEEK_SET);
    buf = malloc((size_t)n + 1);
    if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n) die("read", E_FAIL);
    buf[n] = 0;
    fclose(f);
    return buf;
}

static BSTR utf8_to_bstr(const char *s) {
    int n = MultiByteToWideChar(CP_UTF8, 0, s, -1, NULL, 0);
    BSTR b = SysAllocStringLen(NULL, n > 0 ? (UINT)(n - 1) : 0);
    if (n > 0) MultiByteToWideChar(CP_UTF8, 0, s, -1, b, n);
    return b;
}

static void save_bcd(IVssBackupComponents *bc, const char *path) {
    BSTR xml = NULL;
    FILE *f;
    int n;
    char *u;
    CHECK("SaveAsXML", IVssBackupComponents_SaveAsXML(bc, &xml));
    n = WideCharToMultiByte(CP_UTF8, 0, xml, -1, NULL, 0, NULL, NULL);
    u = malloc((size_t)n);
    WideCharToMultiByte(CP_UTF8, 0, xml, -1, u, n, NULL, NULL);
    f = fopen(path, "wb");
    if (!f) {
        printf("ERROR: cannot write %s\n", path);
        exit(2);
    }
    fwrite(u, 1, strlen(u), f);
    fclose(f);
    free(u);
    SysFreeString(xml);
    printf("BCD saved to %s\n", path);
}

static int backup(IVssBackupComponents *bc, int wm, int ws, int nowriters, const char *bcd, int nvol, char **vols) {
    IVssAsync *a = NULL;
    VSS_ID set, *snaps;
    CHECK("InitializeForBackup", IVssBackupComponents_InitializeForBackup(bc, NULL));
    CHECK("SetBackupState", IVssBackupComponents_SetBackupState(bc, !nowriters, 0, VSS_BT_FULL, 0));
    CHECK("GatherWriterMetadata", IVssBackupComponents_GatherWriterMetadata(bc, &a));
    wait_async("GatherWriterMetadata", a);
    walk_metadata(bc, wm, !nowriters && nvol > 0);
    for (unsigned i = 0; i < nsel; i++)
        CHECK("AddComponent", IVssBackupComponents_AddComponent(bc, sel[i].instance, sel[i].writer, sel[i].type,
                                                                 sel[i].logical, sel[i].name));
    CHECK("FreeWriterMetadata", IVssBackupComponents_FreeWriterMetadata(bc));
    if (ws && nvol == 0) print_status(bc, "after GatherWriterMetadata", 1);
    if (nvol == 0) return 0;

    snaps = calloc((size_t)nvol, sizeof *snaps);
    CHECK("StartSnapshotSet", IVssBackupComponents_StartSnapshotSet(bc, &set));
    for (int i = 0; i < nvol; i++) {
        BSTR v = utf8_to_bstr(vols[i]);
        CHECK("AddToSnapshotSet", IVssBackupComponents_AddToSnapshotSet(bc, v, GUID_NULL, &snaps[i]));
        SysFreeString(v);
    }
    CHECK("PrepareForBackup", IVssBackupComponents_PrepareForBackup(bc, &a));
    wait_async("PrepareForBackup", a);
    print_status(bc, "after PrepareForBackup", ws);
    CHECK("DoSnapshotSet", IVssBackupComponents_DoSnapshotSet(bc, &a));
    wait_async("DoSnapshotSet", a);
    print_status(bc, "after DoSnapshotSet", ws);
    printf("Snapshot set: %d shadow copies\n", nvol);
    for (int i = 0; i < nvol; i++) {
        VSS_SNAPSHOT_PROP p;
        CHECK("GetSnapshotProperties", IVssBackupComponents_GetSnapshotProperties(bc, snaps[i], &p));
        printf("* SNAPSHOT of %ls\n", wstr(p.m_pwszOriginalVolumeName));
        printf("   - Shadow copy device name: %ls\n", wstr(p.m_pwszSnapshotDeviceObject));
        printf("   - Snapshots in set: %ld\n", (long)p.m_lSnapshotsCount);
        printf("   - Attributes: 0x%08lx\n", (unsigned long)p.m_lSnapshotAttributes);
        VssFreeSnapshotProperties(&p);
    }
    for (unsigned i = 0; i < nsel; i++)
        CHECK("SetBackupSucceeded", IVssBackupComponents_SetBackupSucceeded(bc, sel[i].instance, sel[i].writer,
                                                                             sel[i].type, sel[i].logical,
                                                                             sel[i].name, 1));
    if (bcd) save_bcd(bc, bcd);
    CHECK("BackupComplete", IVssBackupComponents_BackupComplete(bc, &a));
    wait_async("BackupComplete", a);
    print_status(bc, "after BackupComplete", ws);
    free(snaps);
    return 0;
}

/* restore follows the documented restore sequence: every component in the
 * BCD is selected and its files reported as restored. */
static int restore(IVssBackupComponents *bc, const char *bcdfile, int ws) {
    IVssAsync *a = NULL;
    char *xml = read_file(bcdfile);
    BSTR bxml = utf8_to_bstr(xml);
    UINT n = 0;
    free(xml);
    CHECK("InitializeForRestore", IVssBackupComponents_InitializeForRestore(bc, bxml));
    SysFreeString(bxml);
    CHECK("GatherWriterMetadata", IVssBackupComponents_GatherWriterMetadata(bc, &a));
    wait_async("GatherWriterMetadata", a);
    CHECK("GetWriterComponentsCount", IVssBackupComponents_GetWriterComponentsCount(bc, &n));
    printf("Writers in the BCD: %u\n", n);
    for (UINT i = 0; i < n; i++) {
        IVssWriterComponentsExt *wc = NULL;
        VSS_ID inst, wid;
        UINT nc = 0;
        CHECK("GetWriterComponents", IVssBackupComponents_GetWriterComponents(bc, i, &wc));
        CHECK("IVssWriterComponents::GetWriterInfo", IVssWriterComponentsExt_GetWriterInfo(wc, &inst, &wid));
        CHECK("IVssWriterComponents::GetComponentCount", IVssWriterComponentsExt_GetComponentCount(wc, &nc));
        printf("* WRITER ");
        print_guid(&wid);
        printf(" (%u components)\n", nc);
        for (UINT c = 0; c < nc; c++) {
            IVssComponent *comp = NULL;
            BSTR lp = NULL, name = NULL;
            VSS_COMPONENT_TYPE ct;
            boolean ok = 0;
            CHECK("IVssWriterComponents::GetComponent", IVssWriterComponentsExt_GetComponent(wc, c, &comp));
            CHECK("IVssComponent::GetLogicalPath", IVssComponent_GetLogicalPath(comp, &lp));
            CHECK("IVssComponent::GetComponentName", IVssComponent_GetComponentName(comp, &name));
            CHECK("IVssComponent::GetComponentType", IVssComponent_GetComponentType(comp, &ct));
            CHECK("IVssComponent::GetBackupSucceeded", IVssComponent_GetBackupSucceeded(comp, &ok));
            printf("   - Component \"%ls\\%ls\" backup succeeded: %s\n", wstr(lp), wstr(name), ok ? "TRUE" : "FALSE");
            add_selected(inst, wid, ct, lp, name);
            SysFreeString(lp);
            SysFreeString(name);
            IVssComponent_Release(comp);
        }
        /* IVssWriterComponentsExt's IUnknown is its second base: in the
         * MSVC layout the object holds a second vtable pointer right after
         * the IVssWriterComponents one, and Release lives there. mingw's
         * header leaves that base out, so reach it by hand. */
        {
            IUnknown *unk = (IUnknown *)((void **)wc + 1);
            IUnknown_Release(unk);
        }
    }
    CHECK("FreeWriterMetadata", IVssBackupComponents_FreeWriterMetadata(bc));
    for (unsigned k = 0; k < nsel; k++)
        CHECK("SetSelectedForRestore", IVssBackupComponents_SetSelectedForRestore(bc, sel[k].writer, sel[k].type,
                                                                                   sel[k].logical, sel[k].name, 1));
    CHECK("PreRestore", IVssBackupComponents_PreRestore(bc, &a));
    wait_async("PreRestore", a);
    print_status(bc, "after PreRestore", ws);
    for (unsigned k = 0; k < nsel; k++)
        CHECK("SetFileRestoreStatus",
              IVssBackupComponents_SetFileRestoreStatus(bc, sel[k].writer, sel[k].type, sel[k].logical, sel[k].name,
                                                        VSS_RS_ALL));
    CHECK("PostRestore", IVssBackupComponents_PostRestore(bc, &a));
    wait_async("PostRestore", a);
    print_status(bc, "after PostRestore", ws);
    printf("Restore complete: %u components\n", nsel);
    return 0;
}

int main(int argc, char **argv) {
    int wm = 0, ws = 0, nw = 0, nvol = 0;
    const char *bcd = NULL, *rfile = NULL;
    char **vols = calloc((size_t)argc, sizeof *vols);
    IVssBackupComponents *bc = NULL;
    int rc;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-wm") == 0)
            wm = 1;
        else if (strcmp(argv[i], "-ws") == 0)
            ws = 1;
        else if (strcmp(argv[i], "-nw") == 0)
            nw = 1;
        else if (strcmp(argv[i], "-calls") == 0)
            verbose_calls = 1;
        else if (strncmp(argv[i], "-bc=", 4) == 0)
            bcd = argv[i] + 4;
        else if (strncmp(argv[i], "-r=", 3) == 0)
            rfile = argv[i] + 3;
        else if (argv[i][0] == '-') {
            printf("usage: cvshadow [-wm] [-ws] [-nw] [-calls] [-bc=FILE] [-r=FILE] [VOLUME...]\n");
            return 2;
        } else
            vols[nvol++] = argv[i];
    }
    CHECK("CoInitializeEx", CoInitializeEx(NULL, COINIT_MULTITHREADED));
    CHECK("CreateVssBackupComponents", CreateVssBackupComponents(&bc));
    rc = rfile ? restore(bc, rfile, ws) : backup(bc, wm, ws, nw, bcd, nvol, vols);
    IVssBackupComponents_Release(bc);
    CoUninitialize();
    printf("cvshadow: done\n");
    return rc;
}
