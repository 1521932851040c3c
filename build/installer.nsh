; Windows firewall: allow Hearth to accept room connections (TCP 47800) and to speak mDNS
; (UDP 5353) on private networks, so the first "Host a room" does not silently fail.
!macro customInstall
  nsExec::Exec 'netsh advfirewall firewall add rule name="Hearth room" dir=in action=allow protocol=TCP localport=47800 profile=private program="$INSTDIR\Hearth.exe"'
  nsExec::Exec 'netsh advfirewall firewall add rule name="Hearth discovery" dir=in action=allow protocol=UDP localport=5353 profile=private program="$INSTDIR\Hearth.exe"'
!macroend

!macro customUnInstall
  nsExec::Exec 'netsh advfirewall firewall delete rule name="Hearth room"'
  nsExec::Exec 'netsh advfirewall firewall delete rule name="Hearth discovery"'
!macroend
