// sdklayout: what a C++ requestor compiled against the Windows SDK does
// with the IVssWriterComponentsExt of GetWriterComponents. In the SDK's
// vsbackup.h, IVssWriterComponents has no IUnknown base and
// IVssWriterComponentsExt derives from IVssWriterComponents and IUnknown,
// so the object holds two vtable pointers and wc->Release() goes through
// the second (mingw-w64's header declares the class differently, hence the
// SDK shape spelled out below). Built with x86_64-w64-mingw32-g++, run
// under Wine against vsssim serve by .ci/wine-cvshadow:
//   sdklayout BCD.xml
// Prints one line per check; exit 0 when all hold.
#define WIN32_LEAN_AND_MEAN
#include <windows.h>
#include <objbase.h>
#include <oleauto.h>
#include <stdio.h>
#include <stdlib.h>
#include <vss.h>
#include <vswriter.h>
#include <vsbackup.h>

// The SDK's declarations (vsbackup.h of the Windows SDK).
struct SdkWriterComponents {
    virtual HRESULT STDMETHODCALLTYPE GetComponentCount(UINT *pcComponents) = 0;
    virtual HRESULT STDMETHODCALLTYPE GetWriterInfo(VSS_ID *pidInstance, VSS_ID *pidWriter) = 0;
    virtual HRESULT STDMETHODCALLTYPE GetComponent(UINT iComponent, IVssComponent **ppComponent) = 0;
};
struct SdkWriterComponentsExt : public SdkWriterComponents, public IUnknown {};

static int failures;

static void expect(const char *what, bool ok) {
    printf("%s: %s\n", what, ok ? "ok" : "FAILED");
    if (!ok) failures++;
}

static void must(const char *what, HRESULT hr) {
    if (FAILED(hr)) {
        printf("ERROR: %s returned 0x%08lX\n", what, (unsigned long)hr);
        exit(2);
    }
}

static BSTR read_bstr(const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) {
        printf("ERROR: cannot open %s\n", path);
        exit(2);
    }
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = (char *)malloc((size_t)n + 1);
    if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n) exit(2);
    buf[n] = 0;
    fclose(f);
    int w = MultiByteToWideChar(CP_UTF8, 0, buf, -1, NULL, 0);
    BSTR b = SysAllocStringLen(NULL, (UINT)(w - 1));
    MultiByteToWideChar(CP_UTF8, 0, buf, -1, b, w);
    free(buf);
    return b;
}

int main(int argc, char **argv) {
    if (argc != 2) {
        printf("usage: sdklayout BCD.xml\n");
        return 2;
    }
    must("CoInitializeEx", CoInitializeEx(NULL, COINIT_MULTITHREADED));
    IVssBackupComponents *bc = NULL;
    must("CreateVssBackupComponents", CreateVssBackupComponents(&bc));
    BSTR xml = read_bstr(argv[1]);
    must("InitializeForRestore", bc->InitializeForRestore(xml));
    SysFreeString(xml);
    IVssAsync *a = NULL;
    must("GatherWriterMetadata", bc->GatherWriterMetadata(&a));
    must("Wait", a->Wait(INFINITE));
    HRESULT st = E_FAIL;
    must("QueryStatus", a->QueryStatus(&st, NULL));
    a->Release();
    UINT writers = 0;
    must("GetWriterComponentsCount", bc->GetWriterComponentsCount(&writers));
    UINT total = 0;
    for (UINT i = 0; i < writers; i++) {
        IVssWriterComponentsExt *raw = NULL;
        must("GetWriterComponents", bc->GetWriterComponents(i, &raw));
        SdkWriterComponentsExt *wc = reinterpret_cast<SdkWriterComponentsExt *>(raw);
        IUnknown *unk = wc;  // the IUnknown base: this + 8
        expect("IUnknown is the second vtable pointer", (char *)unk == (char *)wc + sizeof(void *));
        UINT n = 0;
        VSS_ID inst, writer;
        must("IVssWriterComponents::GetComponentCount", wc->GetComponentCount(&n));
        must("IVssWriterComponents::GetWriterInfo", wc->GetWriterInfo(&inst, &writer));
        for (UINT c = 0; c < n; c++) {
            IVssComponent *comp = NULL;
            must("IVssWriterComponents::GetComponent", wc->GetComponent(c, &comp));
            BSTR name = NULL;
            must("IVssComponent::GetComponentName", comp->GetComponentName(&name));
            expect("component has a name", name != NULL && SysStringLen(name) > 0);
            SysFreeString(name);
            comp->Release();
        }
        total += n;
        IUnknown *q = NULL;
        must("QueryInterface(IID_IUnknown)", wc->QueryInterface(IID_IUnknown, (void **)&q));
        expect("QueryInterface(IID_IUnknown) gives the IUnknown base", q == unk);
        IVssWriterComponentsExt *ext = NULL;
        must("QueryInterface(IID_IVssWriterComponentsExt)", wc->QueryInterface(IID_IVssWriterComponentsExt, (void **)&ext));
        expect("QueryInterface(IID_IVssWriterComponentsExt) gives the object", (void *)ext == (void *)wc);
        expect("AddRef counts", wc->AddRef() == 4);
        q->Release();
        reinterpret_cast<SdkWriterComponentsExt *>(ext)->Release();
        wc->Release();
        expect("the last Release frees it", wc->Release() == 0);
    }
    printf("writers: %u, components: %u\n", writers, total);
    must("FreeWriterMetadata", bc->FreeWriterMetadata());
    bc->AbortBackup();
    bc->Release();
    CoUninitialize();
    printf("sdklayout: %s\n", failures ? "FAILED" : "done");
    return failures ? 1 : 0;
}
