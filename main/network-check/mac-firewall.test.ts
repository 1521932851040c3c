// The macOS application firewall, read from socketfilterfw's outputs
// (fixtures/network/macos-*.txt, in the formats macOS 14–15 print).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkMacFirewall, macFirewallFindings, parseBlockAll, parseGlobalState, parseListApps } from './mac-firewall.ts';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/network/${name}`, import.meta.url), 'utf8');
const HEARTH = '/Applications/Hearth.app/Contents/MacOS/Hearth';

describe('macOS application firewall', () => {
  it('reads the global state and block-all', () => {
    expect(parseGlobalState(fixture('macos-globalstate-on.txt'))).toBe(1);
    expect(parseGlobalState(fixture('macos-globalstate-off.txt'))).toBe(0);
    expect(parseGlobalState(fixture('macos-globalstate-block-all.txt'))).toBe(2);
    expect(parseGlobalState('socketfilterfw: permission denied')).toBeUndefined();
    expect(parseBlockAll(fixture('macos-blockall-on.txt'))).toBe(true);
    expect(parseBlockAll(fixture('macos-blockall-off.txt'))).toBe(false);
  });

  it('reads each listed program with its verdict, on the next line or the same one', () => {
    expect(parseListApps(fixture('macos-listapps.txt'))).toEqual([
      { path: '/Applications/Safari.app', allowed: true },
      { path: '/Applications/Hearth.app', allowed: false },
      { path: '/opt/homebrew/Cellar/node/24.1.0/bin/node', allowed: true },
    ]);
    expect(parseListApps('1 : /Applications/App (Free).app ( Block incoming connections )\n')).toEqual([{ path: '/Applications/App (Free).app', allowed: false }]);
  });

  it('blocks Hearth when its bundle is listed as blocked, with where to allow it', () => {
    const apps = parseListApps(fixture('macos-listapps.txt'));
    const [finding] = macFirewallFindings({ state: 1, blockAll: false, apps }, HEARTH);
    expect(finding).toMatchObject({ level: 'blocking', text: 'The macOS firewall blocks incoming connections to /Applications/Hearth.app, so people cannot join.' });
    expect(finding?.advice).toMatch(/System Settings › Network › Firewall › Options/);
    expect(macFirewallFindings({ state: 1, blockAll: false, apps }, '/opt/homebrew/Cellar/node/24.1.0/bin/node')[0]?.level).toBe('ok');
  });

  it('block-all blocks; an unlisted program is asked about at the first join; off is fine', () => {
    expect(macFirewallFindings({ state: 1, blockAll: true, apps: [] }, HEARTH)[0]?.level).toBe('blocking');
    expect(macFirewallFindings({ state: 2, blockAll: false, apps: [] }, HEARTH)[0]?.text).toBe('The macOS firewall blocks all incoming connections, so people cannot join.');
    expect(macFirewallFindings({ state: 1, blockAll: false, apps: [] }, HEARTH)[0]?.level).toBe('note');
    expect(macFirewallFindings({ state: 0, blockAll: false, apps: [] }, HEARTH)).toEqual([{ level: 'ok', about: 'Firewall', text: 'The macOS firewall is off.' }]);
  });

  it('asks socketfilterfw read-only, and says when it cannot be read', async () => {
    const asked: string[] = [];
    const outputs: Record<string, string> = {
      '--getglobalstate': fixture('macos-globalstate-on.txt'),
      '--getblockall': fixture('macos-blockall-off.txt'),
      '--listapps': fixture('macos-listapps.txt'),
    };
    const findings = await checkMacFirewall(HEARTH, async (_file, args) => {
      asked.push(args.join(' '));
      return outputs[args[0]!]!;
    });
    expect(asked).toEqual(['--getglobalstate', '--getblockall', '--listapps']);
    expect(findings[0]?.level).toBe('blocking');
    expect((await checkMacFirewall(HEARTH, async () => Promise.reject(new Error('ENOENT'))))[0]?.text).toBe('The macOS firewall could not be read.');
  });
});
