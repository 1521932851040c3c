// The app's services (AppServices, as the desktop app runs them) for tests: in a data folder
// of their own, off the LAN (mDNS is tested inside network namespaces, test/netns), hosting
// a room. What to end afterwards goes onto the caller's cleanups.
import { AppServices } from '../../main/services/services.ts';
import { tempDir } from './host.ts';

export async function servicesHosting(room: string, cleanups: Array<() => unknown>) {
  const dir = tempDir();
  const s = new AppServices({ dataDir: dir.path, mdns: false, defaultPort: 0 });
  cleanups.push(() => dir.remove());
  cleanups.push(() => s.shutdown());
  const started = await s.handlers['host:start']({ room });
  if (!started.ok) throw new Error(started.error);
  return { dir, s, started: started.value };
}
