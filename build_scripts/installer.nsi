; The Windows installer of Enrollment Viewer: EnrollmentViewer-<version>-Setup.exe (NSIS 3).
; Built by build_scripts/build.py (on Windows with makensis on PATH, or on Linux with --windows),
; which passes the defines below. By hand:
;   makensis -DVERSION=0.1.0 -DVERSION_QUAD=0.1.0.0 -DSOURCE_DIR=dist\enroll-viewer
;            -DOUTFILE=dist\EnrollmentViewer-0.1.0-Setup.exe -DICON=resources\icons\icon.ico
;            [-DESTIMATED_SIZE=<KiB>] [-DURL_SCHEME=enroll-viewer] build_scripts\installer.nsi
;
; Per user by default: %LOCALAPPDATA%\Programs\Enrollment Viewer, no administrator rights, no UAC.
; Command line:  /S  silent   /D=<folder>  where (last, unquoted)   /ALLUSERS  per machine into
; Program Files, shortcuts for every user (needs an administrator)   /CONFIG=<path>  copy IT's
; preset config.ini to %ProgramData%\enroll-viewer\config.ini, where the app reads it.
; Upgrade: the old program files go wholesale, then the new ones come; the user's connections,
; keys, settings and logs (%APPDATA% and %LOCALAPPDATA%\enroll-viewer) are never touched, by the
; installer or by the uninstaller.

Unicode true
; A 64-bit installer. NSIS from Debian/Ubuntu carries the amd64 stubs; the official Windows build of
; NSIS does not, and there the installer falls back to the 32-bit stub, which installs the same
; 64-bit app into the same places (the registry's 64-bit view, Program Files, not "(x86)").
!if /FileExists "${NSISDIR}\Stubs\lzma_solid-amd64-unicode"
  Target amd64-unicode
!else
  !warning "no amd64-unicode stubs in ${NSISDIR}: building a 32-bit installer stub"
  Target x86-unicode
  !define X86_STUB
!endif
SetCompressor /SOLID lzma
SetCompressorDictSize 64
ManifestDPIAware true
RequestExecutionLevel user

!ifndef VERSION
  !error "pass -DVERSION=... (build_scripts/build.py does)"
!endif
!ifndef SOURCE_DIR
  !error "pass -DSOURCE_DIR=... (build_scripts/build.py does)"
!endif
!ifndef OUTFILE
  !error "pass -DOUTFILE=... (build_scripts/build.py does)"
!endif
!ifndef ICON
  !error "pass -DICON=... (build_scripts/build.py does)"
!endif
!ifndef VERSION_QUAD
  !define VERSION_QUAD "${VERSION}.0"
!endif

!define APP_NAME "Enrollment Viewer"
!define APP_ID "enroll-viewer"
!define PUBLISHER "Enrollment Viewer"
!define EXE "enroll-viewer.exe"
!define CLI_EXE "enroll-viewer-cli.exe"
!define UNINSTALLER "Uninstall.exe"
!define UNINSTALL_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\EnrollmentViewer"
!define SHORTCUT "${APP_NAME}.lnk"

Name "${APP_NAME}"
OutFile "${OUTFILE}"
InstallDir "$LOCALAPPDATA\Programs\${APP_NAME}"
BrandingText "${APP_NAME} ${VERSION}"
ShowInstDetails nevershow
ShowUninstDetails nevershow

VIProductVersion "${VERSION_QUAD}"
VIFileVersion "${VERSION_QUAD}"
VIAddVersionKey /LANG=1033 "ProductName" "${APP_NAME}"
VIAddVersionKey /LANG=1033 "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=1033 "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=1033 "FileDescription" "${APP_NAME} ${VERSION} Setup"
VIAddVersionKey /LANG=1033 "CompanyName" "${PUBLISHER}"
VIAddVersionKey /LANG=1033 "LegalCopyright" "Enrollment Viewer contributors"

!include MUI2.nsh
!include FileFunc.nsh
!include LogicLib.nsh
!include WordFunc.nsh

!define MUI_ICON "${ICON}"
!define MUI_UNICON "${ICON}"
!define MUI_ABORTWARNING
!define MUI_FINISHPAGE_RUN "$INSTDIR\${EXE}"
!define MUI_FINISHPAGE_RUN_TEXT "Run ${APP_NAME}"

!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "English"

; Where signing is set up, build.py writes an !uninstfinalize line that signs the uninstaller as
; it is made (build.py --sign-file); the installer itself is signed after makensis.
!ifdef SIGN_INCLUDE
  !include "${SIGN_INCLUDE}"
!endif

Var AllUsers     ; 1 with /ALLUSERS
Var ConfigFile   ; the path given with /CONFIG=
Var ProgramData  ; C:\ProgramData (where the app reads IT's config.ini)

; The program files of a folder, and only those: a folder the user picked may hold other things.
!macro RemoveProgramFiles DIR
  RMDir /r "${DIR}\_internal"
  Delete "${DIR}\${EXE}"
  Delete "${DIR}\${CLI_EXE}"
  Delete "${DIR}\${UNINSTALLER}"
!macroend

!macro UseContext
  ${If} $AllUsers == 1
    SetShellVarContext all
  ${Else}
    SetShellVarContext current
  ${EndIf}
!macroend

Function .onInit
  !ifdef X86_STUB
    SetRegView 64
  !endif
  StrCpy $AllUsers 0
  ${GetParameters} $R0
  ClearErrors
  ${GetOptions} $R0 "/ALLUSERS" $R1
  ${IfNot} ${Errors}
    StrCpy $AllUsers 1
  ${EndIf}
  ; "/CONFIG=C:\a b\config.ini" (how PowerShell and CreateProcess quote it) -> /CONFIG="C:\a b\..."
  ${WordReplace} $R0 '"/CONFIG=' '/CONFIG="' "+" $R0
  ClearErrors
  ${GetOptions} $R0 "/CONFIG=" $ConfigFile
  ${If} ${Errors}
    StrCpy $ConfigFile ""
  ${EndIf}
  ; Quotes GetOptions left on.
  ${If} $ConfigFile != ""
    StrCpy $R2 $ConfigFile 1
    ${If} $R2 == '"'
      StrCpy $ConfigFile $ConfigFile "" 1
    ${EndIf}
    StrCpy $R2 $ConfigFile "" -1
    ${If} $R2 == '"'
      StrCpy $ConfigFile $ConfigFile -1
    ${EndIf}
    ${IfNot} ${FileExists} $ConfigFile
      MessageBox MB_ICONSTOP "The preset $ConfigFile does not exist." /SD IDOK
      SetErrorLevel 2
      Quit
    ${EndIf}
  ${EndIf}

  SetShellVarContext all
  StrCpy $ProgramData $APPDATA
  SetShellVarContext current

  ${If} $AllUsers == 1
    UserInfo::GetAccountType
    Pop $R3
    ${If} $R3 != "Admin"
      MessageBox MB_ICONSTOP "Installing for all users (/ALLUSERS) needs an administrator." /SD IDOK
      SetErrorLevel 740 ; ERROR_ELEVATION_REQUIRED
      Quit
    ${EndIf}
    ; Program Files unless /D= picked another folder.
    ${If} $INSTDIR == "$LOCALAPPDATA\Programs\${APP_NAME}"
      StrCpy $INSTDIR "$PROGRAMFILES64\${APP_NAME}"
    ${EndIf}
  ${EndIf}
  !insertmacro UseContext
FunctionEnd

Section "${APP_NAME}" SecProgram
  SectionIn RO
  !insertmacro UseContext

  ; Upgrade: remove the previous version's program files wholesale (no stale DLLs), wherever it
  ; was installed, then install. User data lives elsewhere and is not touched.
  ReadRegStr $R0 SHCTX "${UNINSTALL_KEY}" "InstallLocation"
  ${If} $R0 != ""
  ${AndIf} ${FileExists} "$R0\${EXE}"
    !insertmacro RemoveProgramFiles $R0
    ${If} $R0 != $INSTDIR
      RMDir $R0 ; only when empty
    ${EndIf}
  ${EndIf}
  !insertmacro RemoveProgramFiles $INSTDIR

  SetOutPath "$INSTDIR"
  File /r "${SOURCE_DIR}\*.*"
  WriteUninstaller "$INSTDIR\${UNINSTALLER}"

  ; Shortcuts: the desktop icon registrars start the app from, and the Start menu.
  SetOutPath "$INSTDIR" ; the shortcuts' working folder
  CreateShortCut "$DESKTOP\${SHORTCUT}" "$INSTDIR\${EXE}" "" "$INSTDIR\${EXE}" 0 \
    SW_SHOWNORMAL "" "Look up class enrollments"
  CreateShortCut "$SMPROGRAMS\${SHORTCUT}" "$INSTDIR\${EXE}" "" "$INSTDIR\${EXE}" 0 \
    SW_SHOWNORMAL "" "Look up class enrollments"

  ; Settings > Apps (Installed apps).
  ${If} $AllUsers == 1
    StrCpy $R1 ' /ALLUSERS'
  ${Else}
    StrCpy $R1 ''
  ${EndIf}
  WriteRegStr SHCTX "${UNINSTALL_KEY}" "DisplayName" "${APP_NAME}"
  WriteRegStr SHCTX "${UNINSTALL_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr SHCTX "${UNINSTALL_KEY}" "Publisher" "${PUBLISHER}"
  WriteRegStr SHCTX "${UNINSTALL_KEY}" "DisplayIcon" "$INSTDIR\${EXE},0"
  WriteRegStr SHCTX "${UNINSTALL_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr SHCTX "${UNINSTALL_KEY}" "UninstallString" '"$INSTDIR\${UNINSTALLER}"$R1'
  WriteRegStr SHCTX "${UNINSTALL_KEY}" "QuietUninstallString" '"$INSTDIR\${UNINSTALLER}" /S$R1'
  WriteRegDWORD SHCTX "${UNINSTALL_KEY}" "NoModify" 1
  WriteRegDWORD SHCTX "${UNINSTALL_KEY}" "NoRepair" 1
  !ifdef ESTIMATED_SIZE
    WriteRegDWORD SHCTX "${UNINSTALL_KEY}" "EstimatedSize" ${ESTIMATED_SIZE}
  !else
    ${GetSize} "$INSTDIR" "/S=0K" $R2 $R3 $R4
    IntFmt $R2 "0x%08X" $R2
    WriteRegDWORD SHCTX "${UNINSTALL_KEY}" "EstimatedSize" $R2
  !endif

  !ifdef URL_SCHEME
    ; Links such as ${URL_SCHEME}://... open the app (per user; per machine with /ALLUSERS).
    WriteRegStr SHCTX "Software\Classes\${URL_SCHEME}" "" "URL:${APP_NAME}"
    WriteRegStr SHCTX "Software\Classes\${URL_SCHEME}" "URL Protocol" ""
    WriteRegStr SHCTX "Software\Classes\${URL_SCHEME}\DefaultIcon" "" '"$INSTDIR\${EXE}",0'
    WriteRegStr SHCTX "Software\Classes\${URL_SCHEME}\shell\open\command" "" \
      '"$INSTDIR\${EXE}" "%1"'
  !endif

  ; IT's preset: the connections every registrar on this machine starts with.
  ${If} $ConfigFile != ""
    CreateDirectory "$ProgramData\${APP_ID}"
    ClearErrors
    CopyFiles /SILENT "$ConfigFile" "$ProgramData\${APP_ID}\config.ini"
    ${If} ${Errors}
      MessageBox MB_ICONSTOP "Could not copy $ConfigFile to $ProgramData\${APP_ID}." /SD IDOK
      SetErrorLevel 2
    ${EndIf}
  ${EndIf}
SectionEnd

Function un.onInit
  !ifdef X86_STUB
    SetRegView 64
  !endif
  StrCpy $AllUsers 0
  ${GetParameters} $R0
  ClearErrors
  ${GetOptions} $R0 "/ALLUSERS" $R1
  ${IfNot} ${Errors}
    StrCpy $AllUsers 1
  ${EndIf}
  !insertmacro UseContext
FunctionEnd

Section "Uninstall"
  !insertmacro UseContext
  ; Program files, shortcuts and registry entries. Not the user's connections, keys, settings
  ; and logs, nor IT's config.ini (the README says how to remove those).
  Delete "$DESKTOP\${SHORTCUT}"
  Delete "$SMPROGRAMS\${SHORTCUT}"
  !insertmacro RemoveProgramFiles $INSTDIR
  RMDir "$INSTDIR" ; only when empty: a folder the user picked may hold other things
  DeleteRegKey SHCTX "${UNINSTALL_KEY}"
  !ifdef URL_SCHEME
    DeleteRegKey SHCTX "Software\Classes\${URL_SCHEME}"
  !endif
SectionEnd
