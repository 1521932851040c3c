// A scan of the local subnets in one sentence, the same in the lobby and in
// `hearth rooms --scan`.
import type { ScanState } from './ipc.ts';

export function describeScan(scan: ScanState): string {
  const where = scan.subnets.join(', ');
  if (scan.state === 'scanning') return scan.subnets.length > 0 ? `Scanning ${where}…` : 'Asking the rooms you joined before…';
  if (scan.found > 0) return `Found ${scan.found} ${scan.found === 1 ? 'room' : 'rooms'} by scanning ${where || 'the rooms you joined before'}.`;
  if (scan.subnets.length === 0) return 'There is no local network to scan (no LAN interface with an IPv4 address).';
  // A silent subnet bigger than the deadline allows: say it was not asked whole.
  const partial = scan.asked < scan.planned ? ` (${scan.asked} of ${scan.planned} addresses asked in time)` : '';
  return `No Hearth rooms answered on ${where}${partial}.`;
}
