; Inno Setup script: Windows installer of the negative-emissions kiosk (Inno Setup 6.3 or later).
;
; 1. On Windows, build the bundle:   python packaging\build.py --smoke
;    -> dist\negative-emissions-kiosk-<version>-windows-x86_64\
; 2. Compile the installer:          iscc packaging\windows\kiosk.iss
;    -> dist\negative-emissions-kiosk-<version>-windows-x86_64-setup.exe
;
; The version is read from kiosk\__init__.py (__version__, the one source of truth), so it is
; never typed here. Override for a test build:  iscc /DAppVersion=0.1.0 /DBundleDir=C:\path kiosk.iss
;
; What the installer does:
; - installs the bundle to {autopf}\Negative Emissions Kiosk (Program Files; per-user
;   %LOCALAPPDATA%\Programs when installed without administrator rights);
; - puts content.yaml, content.schema.json and assets\ next to the program, where the kiosk finds
;   them before its built-in defaults; operators may edit them (Users get "modify" rights), and
;   an update or uninstall never overwrites or deletes an edited content.yaml or asset;
; - Start-menu entries: the kiosk, a windowed preview, "Check content", "Edit content";
; - optional tasks: start the kiosk at logon (Startup folder), desktop icon.

#define AppName "Negative Emissions Kiosk"
#define AppSlug "negative-emissions-kiosk"
#define AppExeName "negative-emissions-kiosk.exe"
#define AppCliName "kiosk-cli.exe"
#define AppPublisher "Negative-emissions kiosk contributors"
#define RepoRoot AddBackslash(SourcePath) + "..\.."

; ---- version from kiosk\__init__.py, the line:  __version__ = "X.Y.Z"
; (a #define inside a #sub is local unless `public`; '"' is a one-character string)
#ifndef AppVersion
  #define VersionFile FileOpen(RepoRoot + "\kiosk\__init__.py")
  #if !VersionFile
    #error Cannot open kiosk\__init__.py to read the version
  #endif
  #define AppVersion ""
  #sub ReadVersionLine
    #define VersionLine = FileRead(VersionFile)
    #if Pos("__version__", VersionLine) == 1 && Pos('"', VersionLine) > 0
      #define public AppVersion = Copy(VersionLine, Pos('"', VersionLine) + 1, RPos('"', VersionLine) - Pos('"', VersionLine) - 1)
    #endif
  #endsub
  #for {0; AppVersion == "" && !FileEof(VersionFile); 0} ReadVersionLine
  #expr FileClose(VersionFile)
  #if AppVersion == ""
    #error No __version__ = "..." line found in kiosk\__init__.py
  #endif
#endif

#ifndef BundleDir
  #define BundleDir RepoRoot + "\dist\" + AppSlug + "-" + AppVersion + "-windows-x86_64"
#endif
#ifnexist BundleDir + "\" + AppExeName
  #error The bundle is missing: build it first with  python packaging\build.py  (looked in BundleDir)
#endif

[Setup]
; AppId identifies the kiosk for updates and uninstall: never change it.
AppId={{D987AFD7-E7B2-4AD9-A0CC-41E50161E073}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher={#AppPublisher}
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
; Administrator install by default (all users, Program Files); the user may choose a per-user
; install instead on the first page.
PrivilegesRequired=admin
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir={#RepoRoot}\dist
OutputBaseFilename={#AppSlug}-{#AppVersion}-windows-x86_64-setup
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
UninstallDisplayIcon={app}\{#AppExeName}
UninstallDisplayName={#AppName} {#AppVersion}
; A running kiosk holds its files open: ask it to close during an update.
CloseApplications=yes

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"
Name: "german"; MessagesFile: "compiler:Languages\German.isl"
Name: "french"; MessagesFile: "compiler:Languages\French.isl"
Name: "spanish"; MessagesFile: "compiler:Languages\Spanish.isl"

[Tasks]
; {autostartup}: the Startup folder of all users (administrator install) or of this user only
; (per-user install). Windows starts everything in it after logon.
Name: "autostart"; Description: "Start the kiosk automatically after logon"; GroupDescription: "Kiosk:"; Flags: unchecked
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Dirs]
; Operators may add images and icons here without administrator rights.
Name: "{app}\assets"; Permissions: users-modify; Flags: uninsneveruninstall

[Files]
; The program: the whole one-folder bundle (replaced on update).
Source: "{#BundleDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs
; The editable content next to the program (found before the bundled default, see README.txt).
; onlyifdoesntexist: an update keeps the operator's content; uninsneveruninstall: so does uninstall.
Source: "{#BundleDir}\_internal\content.yaml"; DestDir: "{app}"; Flags: onlyifdoesntexist uninsneveruninstall; Permissions: users-modify
Source: "{#BundleDir}\_internal\assets\*"; DestDir: "{app}\assets"; Flags: onlyifdoesntexist uninsneveruninstall recursesubdirs createallsubdirs; Permissions: users-modify
; The schema always matches the installed version (editors use it to check content.yaml).
Source: "{#BundleDir}\_internal\content.schema.json"; DestDir: "{app}"; Flags: ignoreversion skipifsourcedoesntexist

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExeName}"; Parameters: "run --supervise"; WorkingDir: "{app}"
Name: "{autoprograms}\{#AppName} (window preview)"; Filename: "{app}\{#AppExeName}"; Parameters: "run --windowed"; WorkingDir: "{app}"
Name: "{autoprograms}\Check kiosk content"; Filename: "{cmd}"; Parameters: "/k """"{app}\{#AppCliName}"" check"""; WorkingDir: "{app}"
Name: "{autoprograms}\Edit kiosk content"; Filename: "{win}\notepad.exe"; Parameters: """{app}\content.yaml"""; WorkingDir: "{app}"
Name: "{autoprograms}\Third-party notices"; Filename: "{win}\notepad.exe"; Parameters: """{app}\THIRD_PARTY_NOTICES.md"""; WorkingDir: "{app}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExeName}"; Parameters: "run --supervise"; WorkingDir: "{app}"; Tasks: desktopicon
Name: "{autostartup}\{#AppName}"; Filename: "{app}\{#AppExeName}"; Parameters: "run --supervise"; WorkingDir: "{app}"; Tasks: autostart

[Run]
Filename: "{app}\{#AppExeName}"; Parameters: "run --windowed"; WorkingDir: "{app}"; Description: "{cm:LaunchProgram,{#StringChange(AppName, '&', '&&')}}"; Flags: nowait postinstall skipifsilent unchecked
