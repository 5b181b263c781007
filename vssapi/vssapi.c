/*
 * vssapi.dll of vsssim: the IVssBackupComponents of the VSS service, with
 * the service played by `vsssim serve` (a native process holding the
 * simulator). Every call is forwarded over loopback TCP to the server named
 * by VSSSIM_ADDR, presenting VSSSIM_TOKEN; see service/wire for the
 * protocol. Build: make -C vssapi (x86_64-w64-mingw32-gcc).
 *
 * The stubs, the vtables and the compile-time checks of every slot against
 * mingw-w64's vsbackup.h are generated from the method table in
 * service/comtable (vssapi_gen.h); this file holds the transport, the
 * objects and the methods the DLL implements itself (IUnknown, the
 * IVssEnumObject of Query, IVssWMComponent::FreeComponentInfo). The
 * metadata readers (IVssExamineWriterMetadata, IVssWMComponent,
 * IVssWMFiledesc, IVssWMDependency) and the IVssWriterComponentsExt /
 * IVssComponent of GetWriterComponents are server objects: the DLL holds
 * a handle and forwards every getter.
 *
 * Failures of the DLL itself, as HRESULTs:
 *   0x800700CB ERROR_ENVVAR_NOT_FOUND   VSSSIM_ADDR or VSSSIM_TOKEN is not set
 *   0x800706BA RPC_S_SERVER_UNAVAILABLE the server cannot be reached, or
 *                                       the connection broke during a call
 *   0x80070005 E_ACCESSDENIED           the server refused the token
 *   0x800706F7 RPC_X_BAD_STUB_DATA      the server's reply was malformed
 * each with one line on stderr.
 */
#define COBJMACROS
#define WIN32_LEAN_AND_MEAN
#include <winsock2.h>
#include <ws2tcpip.h>
#include <windows.h>
#include <objbase.h>
#include <oleauto.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <vss.h>
#include <vswriter.h>
#include <vsbackup.h>

/* Protocol constants (service/wire). */
#define VS_MAGIC "VSSSIM"
#define VS_VERSION 1
#define VS_ROLE_COM 1
#define VS_MSG_CREATE 1
#define VS_MSG_CALL 2
#define VS_MSG_RELEASE 3
#define VS_MSG_CREATE_EXAMINE 5
#define VS_MAX_MESSAGE (4u << 20)
#define VS_NULL_STRING 0xFFFFFFFFu
#define VS_IO_TIMEOUT_MS 120000

#define VS_E_ENVVAR HRESULT_FROM_WIN32(ERROR_ENVVAR_NOT_FOUND)
#define VS_E_UNAVAILABLE HRESULT_FROM_WIN32(RPC_S_SERVER_UNAVAILABLE)
#define VS_E_BAD_DATA HRESULT_FROM_WIN32(RPC_X_BAD_STUB_DATA)

#define IFACE_BC 1
#define IFACE_ASYNC 2
#define IFACE_EXAMINE 4
#define IFACE_WMFILEDESC 5
#define IFACE_WMDEPENDENCY 6
#define IFACE_WMCOMPONENT 7
#define IFACE_WRITERCOMPONENTS 8
#define IFACE_COMPONENT 9

/* A connection to the server: one per IVssBackupComponents, shared with
 * its IVssAsync objects (refs counts the objects using it). */
typedef struct vs_conn {
    SOCKET s;
    CRITICAL_SECTION lock;
    LONG refs;
    int broken;
} vs_conn;

typedef struct vs_bc {
    IVssBackupComponentsEx4 iface;
    LONG refs;
    vs_conn *conn;
    uint32_t handle;
} vs_bc;

typedef struct vs_async {
    IVssAsync iface;
    LONG refs;
    vs_conn *conn;
    uint32_t handle;
} vs_async;

typedef struct vs_enum {
    IVssEnumObject iface;
    LONG refs;
    VSS_OBJECT_PROP *props; /* owned: strings freed on the last Release */
    ULONG n, pos;
} vs_enum;

/* A server object (service/comtable: Iface.Object): its vtable, then, for
 * IVssWriterComponentsExt only, the vtable of its IUnknown base (the
 * layout of the Windows SDK: the class derives from IVssWriterComponents,
 * which has no IUnknown, and from IUnknown, so a C++ program's Release
 * goes through the second vtable pointer); NULL for the others. */
typedef struct vs_obj {
    const void *vtbl;
    const void *unk_vtbl;
    LONG refs;
    vs_conn *conn;
    uint32_t handle;
    int iface;
} vs_obj;

/* One request being built, then its reply being read. */
typedef struct vs_msg {
    vs_conn *conn;
    unsigned char *buf;
    size_t len, cap, pos;
    int bad; /* the reply ran short or was malformed */
} vs_msg;

static int vs_debug(void)
{
    static int v = -1;
    if (v < 0) {
        const char *e = getenv("VSSSIM_DEBUG");
        v = e && *e && strcmp(e, "0") != 0;
    }
    return v;
}

/* ---- building and reading messages ---- */

static void vs_grow(vs_msg *m, size_t n)
{
    if (m->bad) return;
    if (m->len + n > m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 256;
        while (cap < m->len + n) cap *= 2;
        unsigned char *b = realloc(m->buf, cap);
        if (!b) { m->bad = 1; return; }
        m->buf = b;
        m->cap = cap;
    }
}

static void vs_put(vs_msg *m, const void *p, size_t n)
{
    vs_grow(m, n);
    if (m->bad) return;
    memcpy(m->buf + m->len, p, n);
    m->len += n;
}

static void vs_put_u8(vs_msg *m, uint8_t v) { vs_put(m, &v, 1); }
static void vs_put_u32(vs_msg *m, uint32_t v) { vs_put(m, &v, 4); } /* x64 is little-endian */
static void vs_put_guid(vs_msg *m, const VSS_ID *id) { vs_put(m, id, 16); }

static void vs_put_wstr(vs_msg *m, LPCWSTR s)
{
    if (!s) { vs_put_u32(m, VS_NULL_STRING); return; }
    size_t n = wcslen(s);
    vs_put_u32(m, (uint32_t)n);
    vs_put(m, s, n * 2);
}

static void vs_put_guids(vs_msg *m, const VSS_ID *ids, UINT n)
{
    if (!ids) n = 0;
    vs_put_u32(m, n);
    vs_put(m, ids, (size_t)n * 16);
}

static const unsigned char *vs_take(vs_msg *m, size_t n)
{
    if (m->bad || !m->buf || m->len - m->pos < n) { m->bad = 1; return NULL; }
    const unsigned char *p = m->buf + m->pos;
    m->pos += n;
    return p;
}

static uint32_t vs_u32(vs_msg *m)
{
    const unsigned char *p = vs_take(m, 4);
    uint32_t v = 0;
    if (p) memcpy(&v, p, 4);
    return v;
}

static uint64_t vs_u64(vs_msg *m)
{
    const unsigned char *p = vs_take(m, 8);
    uint64_t v = 0;
    if (p) memcpy(&v, p, 8);
    return v;
}

static void vs_guid(vs_msg *m, VSS_ID *id)
{
    const unsigned char *p = vs_take(m, 16);
    if (p) memcpy(id, p, 16);
    else memset(id, 0, 16);
}

/* vs_wstr reads a string into memory from alloc (NULL for a NULL string). */
static WCHAR *vs_wstr(vs_msg *m, void *(*alloc)(size_t))
{
    uint32_t n = vs_u32(m);
    if (m->bad || n == VS_NULL_STRING) return NULL;
    const unsigned char *p = vs_take(m, (size_t)n * 2);
    if (!p) return NULL;
    WCHAR *s = alloc(((size_t)n + 1) * 2);
    if (!s) { m->bad = 1; return NULL; }
    memcpy(s, p, (size_t)n * 2);
    s[n] = 0;
    return s;
}

static void *vs_cotask_alloc(size_t n) { return CoTaskMemAlloc(n); }

/* ---- transport ---- */

static int vs_send_all(SOCKET s, const unsigned char *p, size_t n)
{
    while (n > 0) {
        int k = send(s, (const char *)p, n > 65536 ? 65536 : (int)n, 0);
        if (k <= 0) return 0;
        p += k;
        n -= (size_t)k;
    }
    return 1;
}

static int vs_recv_all(SOCKET s, unsigned char *p, size_t n)
{
    while (n > 0) {
        int k = recv(s, (char *)p, n > 65536 ? 65536 : (int)n, 0);
        if (k <= 0) return 0;
        p += k;
        n -= (size_t)k;
    }
    return 1;
}

/* vs_exchange sends m's request and replaces it with the reply; it
 * returns the reply's HRESULT, positioned after the description. */
static HRESULT vs_exchange(vs_msg *m, const char *what)
{
    vs_conn *c = m->conn;
    if (m->bad) { free(m->buf); m->buf = NULL; return E_OUTOFMEMORY; }
    uint32_t len = (uint32_t)m->len;
    EnterCriticalSection(&c->lock);
    int ok = !c->broken && vs_send_all(c->s, (unsigned char *)&len, 4) && vs_send_all(c->s, m->buf, m->len);
    uint32_t rlen = 0;
    ok = ok && vs_recv_all(c->s, (unsigned char *)&rlen, 4) && rlen <= VS_MAX_MESSAGE;
    unsigned char *reply = ok ? malloc(rlen ? rlen : 1) : NULL;
    ok = ok && reply && vs_recv_all(c->s, reply, rlen);
    if (!ok) c->broken = 1;
    LeaveCriticalSection(&c->lock);
    free(m->buf);
    m->buf = reply;
    m->len = rlen;
    m->cap = rlen;
    m->pos = 0;
    if (!ok) {
        m->bad = 1;
        fprintf(stderr, "vssapi (vsssim): %s: the connection to vsssim serve broke (RPC_S_SERVER_UNAVAILABLE)\n", what);
        return VS_E_UNAVAILABLE;
    }
    HRESULT hr = (HRESULT)vs_u32(m);
    uint32_t tn = vs_u32(m);
    const unsigned char *text = vs_take(m, tn);
    if (m->bad) {
        fprintf(stderr, "vssapi (vsssim): %s: malformed reply from vsssim serve\n", what);
        return VS_E_BAD_DATA;
    }
    if (tn > 0 && (vs_debug() || hr == VS_E_BAD_DATA))
        fprintf(stderr, "vssapi (vsssim): %s: 0x%08lX: %.*s\n", what, (unsigned long)hr, (int)tn, (const char *)text);
    return hr;
}

static void vs_conn_release(vs_conn *c)
{
    if (InterlockedDecrement(&c->refs) == 0) {
        closesocket(c->s);
        DeleteCriticalSection(&c->lock);
        free(c);
    }
}

static int vs_is_loopback(const char *host)
{
    return strcmp(host, "127.0.0.1") == 0 || strcmp(host, "::1") == 0 || strcmp(host, "localhost") == 0;
}

/* vs_env reads a variable from the process environment (not the C
 * runtime's copy: a program may set it after start, as Go's os.Setenv
 * does); NULL when unset or too long. */
static const char *vs_env(const char *name, char *buf, DWORD size)
{
    DWORD n = GetEnvironmentVariableA(name, buf, size);
    return n > 0 && n < size ? buf : NULL;
}

/* vs_connect opens a connection and says hello. */
static HRESULT vs_connect(vs_conn **out)
{
    *out = NULL;
    char addrbuf[128], tokenbuf[300];
    const char *addr = vs_env("VSSSIM_ADDR", addrbuf, sizeof addrbuf);
    const char *token = vs_env("VSSSIM_TOKEN", tokenbuf, sizeof tokenbuf);
    const char *given = addr;
    if (!addr || !*addr) {
        fprintf(stderr, "vssapi (vsssim): VSSSIM_ADDR is not set: start `vsssim serve` and export the VSSSIM_ADDR and VSSSIM_TOKEN it prints\n");
        return VS_E_ENVVAR;
    }
    if (!token || !*token) {
        fprintf(stderr, "vssapi (vsssim): VSSSIM_TOKEN is not set: export the token `vsssim serve` printed\n");
        return VS_E_ENVVAR;
    }
    char host[64];
    const char *colon = strrchr(addr, ':');
    size_t hl = colon ? (size_t)(colon - addr) : 0;
    if (hl >= 2 && addr[0] == '[' && addr[hl - 1] == ']') { addr++; hl -= 2; }
    if (!colon || hl == 0 || hl >= sizeof host) {
        fprintf(stderr, "vssapi (vsssim): VSSSIM_ADDR=%s is not HOST:PORT\n", given);
        return VS_E_UNAVAILABLE;
    }
    memcpy(host, addr, hl);
    host[hl] = 0;
    if (!vs_is_loopback(host)) {
        fprintf(stderr, "vssapi (vsssim): VSSSIM_ADDR=%s is not a loopback address (vsssim serve listens on 127.0.0.1 only)\n", given);
        return VS_E_UNAVAILABLE;
    }
    WSADATA wsa;
    if (WSAStartup(MAKEWORD(2, 2), &wsa) != 0) {
        fprintf(stderr, "vssapi (vsssim): WSAStartup failed\n");
        return VS_E_UNAVAILABLE;
    }
    struct addrinfo hints, *ai = NULL;
    memset(&hints, 0, sizeof hints);
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_protocol = IPPROTO_TCP;
    if (getaddrinfo(host, colon + 1, &hints, &ai) != 0 || !ai) {
        fprintf(stderr, "vssapi (vsssim): cannot resolve VSSSIM_ADDR=%s\n", given);
        WSACleanup();
        return VS_E_UNAVAILABLE;
    }
    SOCKET s = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
    int ok = s != INVALID_SOCKET && connect(s, ai->ai_addr, (int)ai->ai_addrlen) == 0;
    freeaddrinfo(ai);
    if (!ok) {
        fprintf(stderr, "vssapi (vsssim): cannot connect to vsssim serve at %s (is it running?)\n", given);
        if (s != INVALID_SOCKET) closesocket(s);
        WSACleanup();
        return VS_E_UNAVAILABLE;
    }
    BOOL one = TRUE;
    DWORD timeout = VS_IO_TIMEOUT_MS;
    setsockopt(s, IPPROTO_TCP, TCP_NODELAY, (const char *)&one, sizeof one);
    setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, (const char *)&timeout, sizeof timeout);
    setsockopt(s, SOL_SOCKET, SO_SNDTIMEO, (const char *)&timeout, sizeof timeout);
    vs_conn *c = calloc(1, sizeof *c);
    if (!c) { closesocket(s); return E_OUTOFMEMORY; }
    c->s = s;
    c->refs = 1;
    InitializeCriticalSection(&c->lock);

    vs_msg m = {c, NULL, 0, 0, 0, 0};
    size_t tl = strlen(token);
    vs_put(&m, VS_MAGIC, 6);
    uint16_t ver = VS_VERSION;
    vs_put(&m, &ver, 2);
    vs_put_u8(&m, VS_ROLE_COM);
    vs_put_u32(&m, (uint32_t)tl);
    vs_put(&m, token, tl);
    HRESULT hr = vs_exchange(&m, "hello");
    if (SUCCEEDED(hr) && m.pos != m.len) hr = VS_E_BAD_DATA;
    if (FAILED(hr) && hr != VS_E_UNAVAILABLE && hr != VS_E_BAD_DATA) {
        uint32_t tn = 0;
        memcpy(&tn, m.buf + 4, 4);
        fprintf(stderr, "vssapi (vsssim): vsssim serve at %s refused the connection: %.*s\n", given,
                (int)(m.len >= 8 + tn ? tn : 0), (const char *)m.buf + 8);
    }
    free(m.buf);
    if (FAILED(hr)) {
        vs_conn_release(c);
        return hr;
    }
    *out = c;
    return S_OK;
}

/* ---- what the generated stubs call ---- */

static HRESULT vs_begin(vs_msg *m, vs_conn *c, uint32_t handle, int iface, int slot)
{
    memset(m, 0, sizeof *m);
    m->conn = c;
    if (c->broken) return VS_E_UNAVAILABLE;
    vs_put_u8(m, VS_MSG_CALL);
    vs_put_u32(m, handle);
    vs_put_u8(m, (uint8_t)iface);
    vs_put_u8(m, (uint8_t)slot);
    return S_OK;
}

static HRESULT vs_begin_bc(vs_msg *m, IVssBackupComponentsEx4 *This, int slot)
{
    vs_bc *b = (vs_bc *)This;
    return vs_begin(m, b->conn, b->handle, IFACE_BC, slot);
}

static HRESULT vs_begin_as(vs_msg *m, IVssAsync *This, int slot)
{
    vs_async *a = (vs_async *)This;
    return vs_begin(m, a->conn, a->handle, IFACE_ASYNC, slot);
}

static HRESULT vs_begin_obj(vs_msg *m, void *This, int iface, int slot)
{
    vs_obj *o = This;
    return vs_begin(m, o->conn, o->handle, iface, slot);
}

static HRESULT vs_call(vs_msg *m, const char *what) { return vs_exchange(m, what); }

static HRESULT vs_end(vs_msg *m, HRESULT hr)
{
    int bad = m->bad || m->pos != m->len;
    free(m->buf);
    m->buf = NULL;
    if (bad && hr != VS_E_UNAVAILABLE && hr != VS_E_BAD_DATA && hr != E_OUTOFMEMORY) {
        fprintf(stderr, "vssapi (vsssim): malformed reply from vsssim serve\n");
        return VS_E_BAD_DATA;
    }
    return hr;
}

static void vs_get_u32(vs_msg *m, uint32_t *p) { *p = vs_u32(m); }
static void vs_get_guid(vs_msg *m, VSS_ID *p) { vs_guid(m, p); }

static void *vs_bstr_alloc(size_t n)
{
    /* SysAllocStringLen wants a length in characters (n counts the NUL). */
    return SysAllocStringLen(NULL, (UINT)(n / 2 - 1));
}

static void vs_get_bstr(vs_msg *m, BSTR *p) { *p = vs_wstr(m, vs_bstr_alloc); }
static void vs_get_cotask(vs_msg *m, VSS_PWSZ *p) { *p = vs_wstr(m, vs_cotask_alloc); }

static const IVssAsyncVtbl as_vtbl;
static const IVssEnumObjectVtbl en_vtbl;
static void vs_get_object(vs_msg *m, void **pp, int iface);
static ULONG vs_obj_addref(void *This);
static ULONG vs_obj_release(void *This);
static HRESULT vs_obj_qi(void *This, int iface, REFIID riid, void **ppv);

/* boolean* is one byte. */
static void vs_get_bool(vs_msg *m, boolean *p) { *p = vs_u32(m) ? 1 : 0; }

/* vs_get_component_info allocates the VSSCOMPONENTINFO and its BSTRs;
 * IVssWMComponent::FreeComponentInfo frees them (wm_FreeComponentInfo). */
static void vs_get_component_info(vs_msg *m, PVSSCOMPONENTINFO *pp)
{
    *pp = NULL;
    VSS_COMPONENTINFO *c = CoTaskMemAlloc(sizeof *c);
    if (!c) { m->bad = 1; return; }
    memset(c, 0, sizeof *c);
    c->type = (VSS_COMPONENT_TYPE)vs_u32(m);
    c->bstrLogicalPath = vs_wstr(m, vs_bstr_alloc);
    c->bstrComponentName = vs_wstr(m, vs_bstr_alloc);
    c->bstrCaption = vs_wstr(m, vs_bstr_alloc);
    uint32_t n = vs_u32(m);
    const unsigned char *icon = vs_take(m, n);
    if (icon && n > 0) {
        c->pbIcon = CoTaskMemAlloc(n);
        if (c->pbIcon) {
            memcpy(c->pbIcon, icon, n);
            c->cbIcon = n;
        }
    }
    c->bRestoreMetadata = vs_u32(m) != 0;
    c->bNotifyOnBackupComplete = vs_u32(m) != 0;
    c->bSelectable = vs_u32(m) != 0;
    c->bSelectableForRestore = vs_u32(m) != 0;
    c->dwComponentFlags = vs_u32(m);
    c->cFileCount = vs_u32(m);
    c->cDatabases = vs_u32(m);
    c->cLogFiles = vs_u32(m);
    c->cDependencies = vs_u32(m);
    *pp = c;
}

static HRESULT STDMETHODCALLTYPE wm_FreeComponentInfo(IVssWMComponent *This, PVSSCOMPONENTINFO pInfo)
{
    (void)This;
    if (!pInfo) return S_OK;
    SysFreeString(pInfo->bstrLogicalPath);
    SysFreeString(pInfo->bstrComponentName);
    SysFreeString(pInfo->bstrCaption);
    CoTaskMemFree(pInfo->pbIcon);
    CoTaskMemFree((void *)(uintptr_t)pInfo);
    return S_OK;
}

static void vs_get_async(vs_msg *m, IVssAsync **pp)
{
    uint32_t h = vs_u32(m);
    *pp = NULL;
    if (m->bad || h == 0) return;
    vs_async *a = calloc(1, sizeof *a);
    if (!a) return;
    a->iface.lpVtbl = (IVssAsyncVtbl *)&as_vtbl;
    a->refs = 1;
    a->conn = m->conn;
    a->handle = h;
    InterlockedIncrement(&m->conn->refs);
    *pp = &a->iface;
}

static void vs_read_snapshot(vs_msg *m, VSS_SNAPSHOT_PROP *p)
{
    memset(p, 0, sizeof *p);
    vs_guid(m, &p->m_SnapshotId);
    vs_guid(m, &p->m_SnapshotSetId);
    p->m_lSnapshotsCount = (LONG)vs_u32(m);
    p->m_pwszSnapshotDeviceObject = vs_wstr(m, vs_cotask_alloc);
    p->m_pwszOriginalVolumeName = vs_wstr(m, vs_cotask_alloc);
    p->m_pwszOriginatingMachine = vs_wstr(m, vs_cotask_alloc);
    p->m_pwszServiceMachine = vs_wstr(m, vs_cotask_alloc);
    p->m_pwszExposedName = vs_wstr(m, vs_cotask_alloc);
    p->m_pwszExposedPath = vs_wstr(m, vs_cotask_alloc);
    vs_guid(m, &p->m_ProviderId);
    p->m_lSnapshotAttributes = (LONG)vs_u32(m);
    p->m_tsCreationTimestamp = (VSS_TIMESTAMP)vs_u64(m);
    p->m_eStatus = (VSS_SNAPSHOT_STATE)vs_u32(m);
}

static void vs_get_snapshot_prop(vs_msg *m, VSS_SNAPSHOT_PROP *p) { vs_read_snapshot(m, p); }

void APIENTRY VssFreeSnapshotPropertiesInternal(VSS_SNAPSHOT_PROP *p)
{
    if (!p) return;
    CoTaskMemFree(p->m_pwszSnapshotDeviceObject);
    CoTaskMemFree(p->m_pwszOriginalVolumeName);
    CoTaskMemFree(p->m_pwszOriginatingMachine);
    CoTaskMemFree(p->m_pwszServiceMachine);
    CoTaskMemFree(p->m_pwszExposedName);
    CoTaskMemFree(p->m_pwszExposedPath);
    p->m_pwszSnapshotDeviceObject = p->m_pwszOriginalVolumeName = p->m_pwszOriginatingMachine = NULL;
    p->m_pwszServiceMachine = p->m_pwszExposedName = p->m_pwszExposedPath = NULL;
}

static void vs_free_object_prop(VSS_OBJECT_PROP *o)
{
    if (o->Type == VSS_OBJECT_PROVIDER) {
        CoTaskMemFree(o->Obj.Prov.m_pwszProviderName);
        CoTaskMemFree(o->Obj.Prov.m_pwszProviderVersion);
    } else {
        VssFreeSnapshotPropertiesInternal(&o->Obj.Snap);
    }
}

/* vs_copy_object_prop deep-copies o's strings (CoTaskMemAlloc). */
static WCHAR *vs_dup(const WCHAR *s)
{
    if (!s) return NULL;
    size_t n = (wcslen(s) + 1) * 2;
    WCHAR *d = CoTaskMemAlloc(n);
    if (d) memcpy(d, s, n);
    return d;
}

static void vs_copy_object_prop(VSS_OBJECT_PROP *dst, const VSS_OBJECT_PROP *src)
{
    *dst = *src;
    if (src->Type == VSS_OBJECT_PROVIDER) {
        dst->Obj.Prov.m_pwszProviderName = vs_dup(src->Obj.Prov.m_pwszProviderName);
        dst->Obj.Prov.m_pwszProviderVersion = vs_dup(src->Obj.Prov.m_pwszProviderVersion);
        return;
    }
    const VSS_SNAPSHOT_PROP *s = &src->Obj.Snap;
    VSS_SNAPSHOT_PROP *d = &dst->Obj.Snap;
    d->m_pwszSnapshotDeviceObject = vs_dup(s->m_pwszSnapshotDeviceObject);
    d->m_pwszOriginalVolumeName = vs_dup(s->m_pwszOriginalVolumeName);
    d->m_pwszOriginatingMachine = vs_dup(s->m_pwszOriginatingMachine);
    d->m_pwszServiceMachine = vs_dup(s->m_pwszServiceMachine);
    d->m_pwszExposedName = vs_dup(s->m_pwszExposedName);
    d->m_pwszExposedPath = vs_dup(s->m_pwszExposedPath);
}

static IVssEnumObject *vs_new_enum(VSS_OBJECT_PROP *props, ULONG n, ULONG pos)
{
    vs_enum *e = calloc(1, sizeof *e);
    if (!e) return NULL;
    e->iface.lpVtbl = (IVssEnumObjectVtbl *)&en_vtbl;
    e->refs = 1;
    e->props = props;
    e->n = n;
    e->pos = pos;
    return &e->iface;
}

static void vs_get_enum(vs_msg *m, IVssEnumObject **pp)
{
    uint32_t n = vs_u32(m);
    *pp = NULL;
    if (m->bad || (uint64_t)n * 16 > m->len - m->pos) { m->bad = 1; return; }
    VSS_OBJECT_PROP *props = calloc(n ? n : 1, sizeof *props);
    if (!props) { m->bad = 1; return; }
    for (uint32_t i = 0; i < n && !m->bad; i++) {
        VSS_OBJECT_PROP *o = &props[i];
        o->Type = (VSS_OBJECT_TYPE)vs_u32(m);
        if (o->Type == VSS_OBJECT_PROVIDER) {
            VSS_PROVIDER_PROP *p = &o->Obj.Prov;
            vs_guid(m, &p->m_ProviderId);
            p->m_pwszProviderName = vs_wstr(m, vs_cotask_alloc);
            p->m_eProviderType = (VSS_PROVIDER_TYPE)vs_u32(m);
            p->m_pwszProviderVersion = vs_wstr(m, vs_cotask_alloc);
            vs_guid(m, &p->m_ProviderVersionId);
            vs_guid(m, &p->m_ClassId);
        } else {
            vs_read_snapshot(m, &o->Obj.Snap);
        }
    }
    *pp = vs_new_enum(props, n, 0);
}

/* vs_notimpl: a slot the simulator does not model. The server is told too
 * (it logs the name), so a run's server log lists what a program missed. */
static HRESULT vs_notimpl(void *This, int iface, int slot, const char *name)
{
    fprintf(stderr, "vssapi (vsssim): %s is not modelled: E_NOTIMPL\n", name);
    if (iface == IFACE_BC || iface == IFACE_ASYNC || iface >= IFACE_EXAMINE) {
        vs_msg m;
        HRESULT hr = iface == IFACE_BC ? vs_begin_bc(&m, This, slot)
                     : iface == IFACE_ASYNC ? vs_begin_as(&m, This, slot)
                                            : vs_begin_obj(&m, This, iface, slot);
        if (SUCCEEDED(hr)) {
            vs_exchange(&m, name);
            free(m.buf);
        }
    }
    return E_NOTIMPL;
}

static void vs_release_remote(vs_conn *c, uint32_t handle, const char *what)
{
    vs_msg m;
    memset(&m, 0, sizeof m);
    m.conn = c;
    if (c->broken) return;
    vs_put_u8(&m, VS_MSG_RELEASE);
    vs_put_u32(&m, handle);
    vs_exchange(&m, what);
    free(m.buf);
}

#include "vssapi_gen.h"

/* ---- IVssBackupComponents: IUnknown ---- */

static HRESULT STDMETHODCALLTYPE bc_QueryInterface(IVssBackupComponentsEx4 *This, REFIID riid, void **ppv)
{
    if (!ppv) return E_POINTER;
    if (IsEqualIID(riid, &IID_IUnknown) || IsEqualIID(riid, &IID_IVssBackupComponents) ||
        IsEqualIID(riid, &IID_IVssBackupComponentsEx) || IsEqualIID(riid, &IID_IVssBackupComponentsEx2) ||
        IsEqualIID(riid, &IID_IVssBackupComponentsEx3) || IsEqualIID(riid, &IID_IVssBackupComponentsEx4)) {
        *ppv = This;
        bc_AddRef(This);
        return S_OK;
    }
    *ppv = NULL;
    return E_NOINTERFACE;
}

static ULONG STDMETHODCALLTYPE bc_AddRef(IVssBackupComponentsEx4 *This)
{
    return (ULONG)InterlockedIncrement(&((vs_bc *)This)->refs);
}

/* The last Release is the modelled one: the server sends BackupShutdown
 * and deletes auto-release shadow copies. The connection stays open while
 * IVssAsync objects of this object live (restic never releases them). */
static ULONG STDMETHODCALLTYPE bc_Release(IVssBackupComponentsEx4 *This)
{
    vs_bc *b = (vs_bc *)This;
    LONG n = InterlockedDecrement(&b->refs);
    if (n == 0) {
        vs_release_remote(b->conn, b->handle, "IVssBackupComponents::Release");
        vs_conn_release(b->conn);
        free(b);
    }
    return (ULONG)n;
}

/* ---- IVssAsync: IUnknown ---- */

static HRESULT STDMETHODCALLTYPE as_QueryInterface(IVssAsync *This, REFIID riid, void **ppv)
{
    if (!ppv) return E_POINTER;
    if (IsEqualIID(riid, &IID_IUnknown) || IsEqualIID(riid, &IID_IVssAsync)) {
        *ppv = This;
        as_AddRef(This);
        return S_OK;
    }
    *ppv = NULL;
    return E_NOINTERFACE;
}

static ULONG STDMETHODCALLTYPE as_AddRef(IVssAsync *This)
{
    return (ULONG)InterlockedIncrement(&((vs_async *)This)->refs);
}

static ULONG STDMETHODCALLTYPE as_Release(IVssAsync *This)
{
    vs_async *a = (vs_async *)This;
    LONG n = InterlockedDecrement(&a->refs);
    if (n == 0) {
        vs_release_remote(a->conn, a->handle, "IVssAsync::Release");
        vs_conn_release(a->conn);
        free(a);
    }
    return (ULONG)n;
}

/* ---- IVssEnumObject ---- */

static HRESULT STDMETHODCALLTYPE en_QueryInterface(IVssEnumObject *This, REFIID riid, void **ppv)
{
    if (!ppv) return E_POINTER;
    if (IsEqualIID(riid, &IID_IUnknown) || IsEqualIID(riid, &IID_IVssEnumObject)) {
        *ppv = This;
        en_AddRef(This);
        return S_OK;
    }
    *ppv = NULL;
    return E_NOINTERFACE;
}

static ULONG STDMETHODCALLTYPE en_AddRef(IVssEnumObject *This)
{
    return (ULONG)InterlockedIncrement(&((vs_enum *)This)->refs);
}

static ULONG STDMETHODCALLTYPE en_Release(IVssEnumObject *This)
{
    vs_enum *e = (vs_enum *)This;
    LONG n = InterlockedDecrement(&e->refs);
    if (n == 0) {
        for (ULONG i = 0; i < e->n; i++) vs_free_object_prop(&e->props[i]);
        free(e->props);
        free(e);
    }
    return (ULONG)n;
}

/* Next copies elements out; the caller frees their strings. */
static HRESULT STDMETHODCALLTYPE en_Next(IVssEnumObject *This, ULONG celt, VSS_OBJECT_PROP *rgelt, ULONG *pceltFetched)
{
    vs_enum *e = (vs_enum *)This;
    if (!rgelt || (!pceltFetched && celt != 1)) return E_POINTER;
    ULONG k = 0;
    while (k < celt && e->pos < e->n) vs_copy_object_prop(&rgelt[k++], &e->props[e->pos++]);
    if (pceltFetched) *pceltFetched = k;
    return k == celt ? S_OK : S_FALSE;
}

static HRESULT STDMETHODCALLTYPE en_Skip(IVssEnumObject *This, ULONG celt)
{
    vs_enum *e = (vs_enum *)This;
    ULONG left = e->n - e->pos;
    e->pos += celt < left ? celt : left;
    return celt <= left ? S_OK : S_FALSE;
}

static HRESULT STDMETHODCALLTYPE en_Reset(IVssEnumObject *This)
{
    ((vs_enum *)This)->pos = 0;
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE en_Clone(IVssEnumObject *This, IVssEnumObject **ppenum)
{
    vs_enum *e = (vs_enum *)This;
    if (!ppenum) return E_POINTER;
    VSS_OBJECT_PROP *props = calloc(e->n ? e->n : 1, sizeof *props);
    if (!props) return E_OUTOFMEMORY;
    for (ULONG i = 0; i < e->n; i++) vs_copy_object_prop(&props[i], &e->props[i]);
    *ppenum = vs_new_enum(props, e->n, e->pos);
    return *ppenum ? S_OK : E_OUTOFMEMORY;
}

/* ---- server objects ---- */

/* The IUnknown of IVssWriterComponentsExt: its second vtable pointer. */
static vs_obj *wcu_obj(IUnknown *This) { return (vs_obj *)((char *)This - offsetof(vs_obj, unk_vtbl)); }
static HRESULT STDMETHODCALLTYPE wcu_QueryInterface(IUnknown *This, REFIID riid, void **ppv)
{
    return vs_obj_qi(wcu_obj(This), IFACE_WRITERCOMPONENTS, riid, ppv);
}
static ULONG STDMETHODCALLTYPE wcu_AddRef(IUnknown *This) { return vs_obj_addref(wcu_obj(This)); }
static ULONG STDMETHODCALLTYPE wcu_Release(IUnknown *This) { return vs_obj_release(wcu_obj(This)); }
static const IUnknownVtbl wcu_vtbl = {wcu_QueryInterface, wcu_AddRef, wcu_Release};

static const void *vs_vtbl(int iface)
{
    switch (iface) {
    case IFACE_EXAMINE: return &ex_vtbl;
    case IFACE_WMFILEDESC: return &wf_vtbl;
    case IFACE_WMDEPENDENCY: return &wd_vtbl;
    case IFACE_WMCOMPONENT: return &wm_vtbl;
    case IFACE_WRITERCOMPONENTS: return &wc_vtbl;
    case IFACE_COMPONENT: return &co_vtbl;
    }
    return NULL;
}

static vs_obj *vs_new_obj(vs_conn *c, uint32_t handle, int iface)
{
    vs_obj *o = calloc(1, sizeof *o);
    if (!o) return NULL;
    o->vtbl = vs_vtbl(iface);
    o->unk_vtbl = iface == IFACE_WRITERCOMPONENTS ? &wcu_vtbl : NULL;
    o->refs = 1;
    o->conn = c;
    o->handle = handle;
    o->iface = iface;
    InterlockedIncrement(&c->refs);
    return o;
}

/* vs_get_object reads a server object's handle (0: NULL). */
static void vs_get_object(vs_msg *m, void **pp, int iface)
{
    uint32_t h = vs_u32(m);
    *pp = NULL;
    if (m->bad || h == 0) return;
    *pp = vs_new_obj(m->conn, h, iface);
}

static ULONG vs_obj_addref(void *This) { return (ULONG)InterlockedIncrement(&((vs_obj *)This)->refs); }

/* The last Release frees the server's handle. */
static ULONG vs_obj_release(void *This)
{
    vs_obj *o = This;
    LONG n = InterlockedDecrement(&o->refs);
    if (n == 0) {
        vs_release_remote(o->conn, o->handle, "Release");
        vs_conn_release(o->conn);
        free(o);
    }
    return (ULONG)n;
}

static HRESULT vs_obj_qi(void *This, int iface, REFIID riid, void **ppv)
{
    vs_obj *o = This;
    if (!ppv) return E_POINTER;
    *ppv = NULL;
    int ok = 0;
    switch (iface) {
    case IFACE_EXAMINE:
        ok = IsEqualIID(riid, &IID_IVssExamineWriterMetadata) || IsEqualIID(riid, &IID_IVssExamineWriterMetadataEx) ||
             IsEqualIID(riid, &IID_IVssExamineWriterMetadataEx2);
        break;
    case IFACE_WMFILEDESC: ok = IsEqualIID(riid, &IID_IVssWMFiledesc); break;
    case IFACE_WMDEPENDENCY: ok = IsEqualIID(riid, &IID_IVssWMDependency); break;
    case IFACE_WMCOMPONENT: ok = IsEqualIID(riid, &IID_IVssWMComponent); break;
    case IFACE_COMPONENT:
        ok = IsEqualIID(riid, &IID_IVssComponent) || IsEqualIID(riid, &IID_IVssComponentEx) ||
             IsEqualIID(riid, &IID_IVssComponentEx2);
        break;
    case IFACE_WRITERCOMPONENTS:
        /* IUnknown is the second base; IVssWriterComponentsExt the object. */
        if (IsEqualIID(riid, &IID_IUnknown)) {
            *ppv = &o->unk_vtbl;
            vs_obj_addref(o);
            return S_OK;
        }
        ok = IsEqualIID(riid, &IID_IVssWriterComponentsExt);
        break;
    }
    if (!ok && !IsEqualIID(riid, &IID_IUnknown)) return E_NOINTERFACE;
    *ppv = o;
    vs_obj_addref(o);
    return S_OK;
}

/* ---- exports ---- */

/* vs_create connects and sends a creation message (type, then the XML for
 * CreateVssExamineWriterMetadata); on success *c is the new connection
 * and *h the object's handle. */
static HRESULT vs_create(uint8_t type, BSTR xml, const char *what, vs_conn **c, uint32_t *h)
{
    HRESULT hr = vs_connect(c);
    if (FAILED(hr)) return hr;
    vs_msg m;
    memset(&m, 0, sizeof m);
    m.conn = *c;
    vs_put_u8(&m, type);
    if (xml) vs_put_wstr(&m, xml);
    hr = vs_exchange(&m, what);
    *h = vs_u32(&m);
    hr = vs_end(&m, hr);
    if (FAILED(hr) || *h == 0) {
        vs_conn_release(*c);
        *c = NULL;
        return FAILED(hr) ? hr : VS_E_BAD_DATA;
    }
    return S_OK;
}

HRESULT STDAPICALLTYPE CreateVssBackupComponentsInternal(IVssBackupComponents **ppBackup)
{
    if (!ppBackup) return E_INVALIDARG;
    *ppBackup = NULL;
    vs_conn *c;
    uint32_t h;
    HRESULT hr = vs_create(VS_MSG_CREATE, NULL, "CreateVssBackupComponents", &c, &h);
    if (FAILED(hr)) return hr;
    vs_bc *b = calloc(1, sizeof *b);
    if (!b) { vs_conn_release(c); return E_OUTOFMEMORY; }
    b->iface.lpVtbl = (IVssBackupComponentsEx4Vtbl *)&bc_vtbl;
    b->refs = 1;
    b->conn = c;
    b->handle = h;
    *ppBackup = (IVssBackupComponents *)&b->iface;
    return S_OK;
}

/* CreateVssExamineWriterMetadata: the server parses the XML and holds the
 * reader (one connection per reader, as for IVssBackupComponents). */
HRESULT STDAPICALLTYPE CreateVssExamineWriterMetadataInternal(BSTR bstrXML, IVssExamineWriterMetadata **ppMetadata)
{
    if (!ppMetadata) return E_INVALIDARG;
    *ppMetadata = NULL;
    if (!bstrXML) return E_INVALIDARG;
    vs_conn *c;
    uint32_t h;
    HRESULT hr = vs_create(VS_MSG_CREATE_EXAMINE, bstrXML, "CreateVssExamineWriterMetadata", &c, &h);
    if (FAILED(hr)) return hr;
    vs_obj *o = vs_new_obj(c, h, IFACE_EXAMINE);
    vs_conn_release(c); /* the object holds its own reference */
    if (!o) return E_OUTOFMEMORY;
    *ppMetadata = (IVssExamineWriterMetadata *)o;
    return S_OK;
}

HRESULT APIENTRY IsVolumeSnapshottedInternal(VSS_PWSZ pwszVolumeName, WINBOOL *pbSnapshotsPresent, LONG *plSnapshotCapability)
{
    (void)pwszVolumeName;
    if (pbSnapshotsPresent) *pbSnapshotsPresent = FALSE;
    if (plSnapshotCapability) *plSnapshotCapability = 0;
    fprintf(stderr, "vssapi (vsssim): IsVolumeSnapshotted is not modelled: E_NOTIMPL\n");
    return E_NOTIMPL;
}

HRESULT APIENTRY ShouldBlockRevertInternal(LPCWSTR wszVolumeName, boolean *pbBlock)
{
    (void)wszVolumeName;
    if (pbBlock) *pbBlock = 0;
    fprintf(stderr, "vssapi (vsssim): ShouldBlockRevert is not modelled: E_NOTIMPL\n");
    return E_NOTIMPL;
}

HRESULT APIENTRY GetProviderMgmtInterfaceInternal(VSS_ID ProviderId, IID InterfaceId, IUnknown **ppItf)
{
    (void)ProviderId;
    (void)InterfaceId;
    if (ppItf) *ppItf = NULL;
    fprintf(stderr, "vssapi (vsssim): GetProviderMgmtInterface is not modelled: E_NOTIMPL\n");
    return E_NOTIMPL;
}
