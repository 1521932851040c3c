; Windows Defender Firewall: let people on the LAN reach Hearth, so a hosted room can be
; joined. One program rule for Hearth's executable: any port (hosting falls back to another
; port when 47800 is taken) and any protocol (the room's TCP, mDNS on UDP 5353).
; Private and domain networks only: a network Windows calls Public is one its user has not
; said they trust, and rooms are unencrypted ws://. There the app says what to do
; (main/network-check/firewall.ts). The installer is per-machine (electron-builder.yml: perMachine),
; so it runs elevated and netsh can add the rule; a failure is shown, never ignored.
!define HEARTH_FIREWALL_RULE "Hearth (LAN rooms)"

!macro hearthDeleteFirewallRules
  ; Ours from an earlier install, and the port-pinned rules of earlier builds. nsExec
  ; pushes netsh's exit code: popped, so nothing is left on the stack.
  nsExec::Exec 'netsh advfirewall firewall delete rule name="${HEARTH_FIREWALL_RULE}"'
  Pop $0
  nsExec::Exec 'netsh advfirewall firewall delete rule name="Hearth room"'
  Pop $0
  nsExec::Exec 'netsh advfirewall firewall delete rule name="Hearth discovery"'
  Pop $0
!macroend

!macro customInstall
  Push $0
  !insertmacro hearthDeleteFirewallRules
  nsExec::ExecToLog 'netsh advfirewall firewall add rule name="${HEARTH_FIREWALL_RULE}" dir=in action=allow enable=yes profile=private,domain program="$INSTDIR\${APP_EXECUTABLE_FILENAME}" description="Lets people on your local network join the rooms you host in Hearth."'
  Pop $0
  ${If} $0 != 0
    DetailPrint "Adding the Windows Firewall rule failed (netsh exit code $0)."
    MessageBox MB_OK|MB_ICONEXCLAMATION "Hearth could not add its Windows Firewall rule (netsh exit code $0). Others may not be able to join the rooms you host; Hearth says so when you host one." /SD IDOK
  ${EndIf}
  Pop $0
!macroend

!macro customUnInstall
  Push $0
  !insertmacro hearthDeleteFirewallRules
  Pop $0
!macroend
