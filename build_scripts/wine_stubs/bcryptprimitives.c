/* Test-only stand-in for bcryptprimitives.dll, which Wine 8.0 lacks: the newest `cryptography`
 * (pulled in by trustme for the test suite under Wine) calls ProcessPrng. Answered with
 * RtlGenRandom (advapi32 SystemFunction036). Lives in a Wine prefix made by build_scripts/wine.py;
 * never part of the bundle or the installer.
 */
#include <windows.h>

#define EXPORT __declspec(dllexport)
BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

EXPORT BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length) {
    while (length > 0) {
        ULONG chunk = length > 0x10000000 ? 0x10000000 : (ULONG)length;
        if (!SystemFunction036(data, chunk)) return FALSE;
        data += chunk;
        length -= chunk;
    }
    return TRUE;
}
