; NSIS script of the Windows installer, built on Debian by packaging/windows/build.sh
; (./qm bundle-windows) or on Windows with NSIS 3:
;   makensis -INPUTCHARSET UTF8 -DVERSION=0.1.0 -DSRCDIR=build\windist\qmclient ^
;            -DOUTFILE=dist\qmclient-0.1.0-windows-x64-setup.exe packaging\windows\qmclient.nsi
;
; A per-user install (no administrator rights, which office PCs often lack) into
; %LOCALAPPDATA%\Programs\qmclient; shortcuts in the Start menu and on the desktop; the
; .qmpkg and .qmconnect files open with qmclient (HKCU).  The user's reports
; (%APPDATA%\qmclient) are kept on uninstall unless the user ticks "删除我的报送数据".
; Silent: setup.exe /S  (install or update, data kept);  uninstall.exe /S  (data kept).

Target amd64-unicode ; a 64-bit installer (Unicode): it runs where qmclient runs, and under wine64
ManifestDPIAware true
SetCompressor /SOLID lzma
RequestExecutionLevel user

!ifndef VERSION
  !define VERSION "0.1.0"
!endif
!ifndef SRCDIR
  !define SRCDIR "..\..\build\windist\qmclient"
!endif
!ifndef OUTFILE
  !define OUTFILE "qmclient-${VERSION}-windows-x64-setup.exe"
!endif
!define APPNAME "质量月活动总结报送"
!define UNINSTKEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\qmclient"

Name "${APPNAME}"
OutFile "${OUTFILE}"
InstallDir "$LOCALAPPDATA\Programs\qmclient"
InstallDirRegKey HKCU "Software\qmclient" "InstallDir"
BrandingText "qmclient ${VERSION}"

VIProductVersion "${VERSION}.0"
VIAddVersionKey /LANG=2052 "ProductName" "${APPNAME} (qmclient)"
VIAddVersionKey /LANG=2052 "FileDescription" "${APPNAME} 安装程序"
VIAddVersionKey /LANG=2052 "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=2052 "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=2052 "CompanyName" "qmclient"
VIAddVersionKey /LANG=2052 "LegalCopyright" "MIT License"

!include "MUI2.nsh"
!include "x64.nsh"
!include "WinVer.nsh"

!define MUI_ICON "qmclient.ico"
!define MUI_UNICON "qmclient.ico"
!define MUI_ABORTWARNING
!define MUI_WELCOMEPAGE_TEXT "本向导将在您的电脑上安装 ${APPNAME} ${VERSION}。$\r$\n$\r$\n只为当前用户安装，不需要管理员权限。已有的报送数据会保留。$\r$\n$\r$\n点击“下一步”继续。"
!define MUI_FINISHPAGE_RUN "$INSTDIR\qmclient.exe"
!define MUI_FINISHPAGE_RUN_TEXT "现在启动 ${APPNAME}"

!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH

!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_COMPONENTS
!insertmacro MUI_UNPAGE_INSTFILES

!insertmacro MUI_LANGUAGE "SimpChinese"

Function .onInit
  ${IfNot} ${RunningX64}
    MessageBox MB_ICONSTOP "${APPNAME} 只能安装在 64 位 Windows 10 或 11 上。" /SD IDOK
    Abort
  ${EndIf}
  ${IfNot} ${AtLeastWin10}
    MessageBox MB_ICONSTOP "${APPNAME} 需要 Windows 10 或 11；Windows 7 和 8 不受支持（Qt 6 不能在其上运行），请在其他电脑上填报。" /SD IDOK
    Abort
  ${EndIf}
FunctionEnd

; The program cannot be replaced or removed while it runs (Windows keeps a running .exe
; from being written): say so and stop before anything is touched.
!macro REFUSE_IF_RUNNING EXE
  IfFileExists "$INSTDIR\${EXE}" 0 +7
  ClearErrors
  FileOpen $0 "$INSTDIR\${EXE}" a
  IfErrors 0 +4
    MessageBox MB_ICONEXCLAMATION "${APPNAME} 正在运行。请先关闭它（包括命令行窗口），再重试。" /SD IDOK
    SetErrorLevel 3
    Quit
  FileClose $0
!macroend
!macro REFUSE_WHILE_RUNNING
  !insertmacro REFUSE_IF_RUNNING "qmclient.exe"
  !insertmacro REFUSE_IF_RUNNING "qmclient-cli.exe"
!macroend

Section "!${APPNAME}" SecMain
  SectionIn RO
  SetOutPath "$INSTDIR"
  !insertmacro REFUSE_WHILE_RUNNING
  ; an update replaces the program folder; the data folder is elsewhere and untouched
  RMDir /r "$INSTDIR\_internal"
  File /r "${SRCDIR}\*.*"
  WriteUninstaller "$INSTDIR\uninstall.exe"

  CreateDirectory "$SMPROGRAMS\${APPNAME}"
  CreateShortcut "$SMPROGRAMS\${APPNAME}\${APPNAME}.lnk" "$INSTDIR\qmclient.exe"
  CreateShortcut "$SMPROGRAMS\${APPNAME}\卸载 ${APPNAME}.lnk" "$INSTDIR\uninstall.exe"
  CreateShortcut "$DESKTOP\${APPNAME}.lnk" "$INSTDIR\qmclient.exe"

  ; file associations, for this user only
  WriteRegStr HKCU "Software\Classes\.qmpkg" "" "qmclient.qmpkg"
  WriteRegStr HKCU "Software\Classes\qmclient.qmpkg" "" "质量月报送数据包"
  WriteRegStr HKCU "Software\Classes\qmclient.qmpkg\DefaultIcon" "" "$INSTDIR\qmclient.exe,0"
  WriteRegStr HKCU "Software\Classes\qmclient.qmpkg\shell\open\command" "" '"$INSTDIR\qmclient.exe" "%1"'
  WriteRegStr HKCU "Software\Classes\.qmconnect" "" "qmclient.qmconnect"
  WriteRegStr HKCU "Software\Classes\qmclient.qmconnect" "" "质量月报送连接文件"
  WriteRegStr HKCU "Software\Classes\qmclient.qmconnect\DefaultIcon" "" "$INSTDIR\qmclient.exe,0"
  WriteRegStr HKCU "Software\Classes\qmclient.qmconnect\shell\open\command" "" '"$INSTDIR\qmclient.exe" "%1"'
  System::Call 'shell32::SHChangeNotify(i 0x08000000, i 0, p 0, p 0)'

  WriteRegStr HKCU "Software\qmclient" "InstallDir" "$INSTDIR"
  WriteRegStr HKCU "${UNINSTKEY}" "DisplayName" "${APPNAME}"
  WriteRegStr HKCU "${UNINSTKEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINSTKEY}" "Publisher" "qmclient"
  WriteRegStr HKCU "${UNINSTKEY}" "DisplayIcon" "$INSTDIR\qmclient.exe,0"
  WriteRegStr HKCU "${UNINSTKEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINSTKEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKCU "${UNINSTKEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD HKCU "${UNINSTKEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINSTKEY}" "NoRepair" 1
SectionEnd

Section "un.程序和快捷方式" UnSecMain
  SectionIn RO
  !insertmacro REFUSE_WHILE_RUNNING
  Delete "$DESKTOP\${APPNAME}.lnk"
  RMDir /r "$SMPROGRAMS\${APPNAME}"
  RMDir /r "$INSTDIR\_internal"
  Delete "$INSTDIR\qmclient.exe"
  Delete "$INSTDIR\qmclient-cli.exe"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"
  DeleteRegKey HKCU "Software\Classes\qmclient.qmpkg"
  DeleteRegKey HKCU "Software\Classes\qmclient.qmconnect"
  ReadRegStr $0 HKCU "Software\Classes\.qmpkg" ""
  StrCmp $0 "qmclient.qmpkg" 0 +2
    DeleteRegKey HKCU "Software\Classes\.qmpkg"
  ReadRegStr $0 HKCU "Software\Classes\.qmconnect" ""
  StrCmp $0 "qmclient.qmconnect" 0 +2
    DeleteRegKey HKCU "Software\Classes\.qmconnect"
  DeleteRegKey HKCU "${UNINSTKEY}"
  DeleteRegKey HKCU "Software\qmclient"
  System::Call 'shell32::SHChangeNotify(i 0x08000000, i 0, p 0, p 0)'
SectionEnd

; Not selected unless the user ticks it: the reports, photos and videos stay otherwise.
Section /o "un.删除我的报送数据" UnSecData
  RMDir /r "$APPDATA\qmclient"
  RMDir /r "$LOCALAPPDATA\qmclient"
SectionEnd

!insertmacro MUI_UNFUNCTION_DESCRIPTION_BEGIN
  !insertmacro MUI_DESCRIPTION_TEXT ${UnSecMain} "删除程序、开始菜单和桌面快捷方式。"
  !insertmacro MUI_DESCRIPTION_TEXT ${UnSecData} "同时删除本机保存的全部报送数据（报告、照片、视频），不可恢复。不勾选则数据保留，重新安装后可继续使用。"
!insertmacro MUI_UNFUNCTION_DESCRIPTION_END
