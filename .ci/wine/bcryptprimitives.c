/*
 * A stand-in for Windows' bcryptprimitives.dll, for the Wine runs of
 * .ci/windows only. NEVER SHIPPED: every Windows since 8 has the real one;
 * Wine 8 (Debian 12) does not, and Rust's standard library imports
 * ProcessPrng from it, so no Rust .exe starts under that Wine without it.
 * .ci/windows builds it with mingw-w64 and copies it beside the test
 * programs and the .exe in target/ (never into the release artifacts).
 *
 * ProcessPrng fills the buffer from RtlGenRandom (advapi32's
 * SystemFunction036), which Wine has.
 */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length)
{
    while (length > 0) {
        ULONG chunk = length > 0x10000000 ? 0x10000000 : (ULONG)length;
        if (!SystemFunction036(data, chunk))
            return FALSE;
        data += chunk;
        length -= chunk;
    }
    return TRUE;
}
