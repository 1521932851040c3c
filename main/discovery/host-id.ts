// A stable id for this host, kept in its data directory: a renamed or restarted room is
// the same row in everyone's list, and the id keeps instance names unique on the LAN.
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { HOST_ID } from '../../common/invite.ts';

export function loadHostId(dataDir: string): string {
  const file = join(dataDir, 'host-id');
  try {
    const id = readFileSync(file, 'utf8').trim();
    if (HOST_ID.test(id)) return id;
  } catch {
    // First start: make one below.
  }
  const id = newHostId();
  try {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, `${id}\n`);
  } catch {
    // A read-only data directory still gets an id for this run.
  }
  return id;
}

export function newHostId(): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  return [...randomBytes(12)].map((b) => alphabet[b % alphabet.length]).join('');
}
