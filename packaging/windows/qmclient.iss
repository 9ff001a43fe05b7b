; Inno Setup 6 script for the Windows installer of qmclient.
; Build the one-folder program first (packaging\build-windows.ps1 does both), then:
;   ISCC.exe /DAppVersion=0.1.0 packaging\windows\qmclient.iss
; Output: dist\qmclient-<version>-windows-x64-setup.exe
;
; Installs per user by default (no administrator rights, which office PCs often lack);
; an administrator may choose "for all users" in the first dialog.  The user's data
; (%APPDATA%\qmclient) is never touched by the uninstaller.

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#define AppName "质量月活动总结报送"
#define AppNameEn "qmclient"
#define SourceDir "..\..\build\dist\qmclient"

[Setup]
AppId={{8C5B4F3E-2B7A-4C1D-9E6F-5A3D2C1B0E9F}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=qmclient
DefaultDirName={autopf}\qmclient
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
; Qt 6 runs on Windows 10 1809 and later
MinVersion=10.0.17763
OutputDir=..\..\dist
OutputBaseFilename=qmclient-{#AppVersion}-windows-x64-setup
SetupIconFile=qmclient.ico
UninstallDisplayIcon={app}\qmclient.exe
UninstallDisplayName={#AppName} ({#AppNameEn})
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
CloseApplications=yes
RestartApplications=no

[Languages]
; ChineseSimplified.isl ships with Inno Setup 6.4 and later (in older versions it is in
; Languages\Unofficial\; copy it next to this script and drop the "compiler:" prefix).
Name: "zh_CN"; MessagesFile: "compiler:Languages\ChineseSimplified.isl"
Name: "en"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"

[Files]
Source: "{#SourceDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\qmclient.exe"; Comment: "起草、检查并报送质量月活动情况总结"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\qmclient.exe"; Tasks: desktopicon

[Run]
; Prove the installed program works before offering to start it (offscreen, temporary data).
Filename: "{app}\qmclient-cli.exe"; Parameters: "--self-test"; Flags: runhidden waituntilterminated; StatusMsg: "正在自检 / self-test…"
Filename: "{app}\qmclient.exe"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent
