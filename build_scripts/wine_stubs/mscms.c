/* Test-only stand-in for the four mscms.dll colour-profile calls Qt's `windows` platform plugin
 * makes. Wine 8.0's builtin WcsCreateIccProfile aborts the plugin; here every profile call fails,
 * so Qt goes on without a screen colour profile. Loaded with the DLL override mscms=n inside a
 * Wine prefix made by build_scripts/wine.py; never part of the bundle or the installer.
 */
#include <windows.h>

#define EXPORT __declspec(dllexport)
typedef HANDLE HPROFILE;

EXPORT HPROFILE WINAPI OpenColorProfileW(void *profile, DWORD access, DWORD share, DWORD create) {
    (void)profile; (void)access; (void)share; (void)create;
    SetLastError(ERROR_NOT_SUPPORTED);
    return NULL;
}
EXPORT BOOL WINAPI CloseColorProfile(HPROFILE profile) { (void)profile; return TRUE; }
EXPORT BOOL WINAPI GetColorProfileFromHandle(HPROFILE profile, BYTE *buffer, DWORD *size) {
    (void)profile; (void)buffer;
    if (size) *size = 0;
    SetLastError(ERROR_NOT_SUPPORTED);
    return FALSE;
}
EXPORT HPROFILE WINAPI WcsCreateIccProfile(HPROFILE profile, DWORD options) {
    (void)profile; (void)options;
    SetLastError(ERROR_NOT_SUPPORTED);
    return NULL;
}
