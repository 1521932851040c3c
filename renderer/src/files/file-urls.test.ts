import { describe, expect, it } from 'vitest';
import { fileUrl, roomHttpBase, uploadEndpoint, uploadIdOf } from './file-urls.ts';

describe('file URLs', () => {
  it('takes the socket’s host and port, http for ws and https for wss', () => {
    expect(roomHttpBase('ws://192.168.1.7:47800/ws')).toBe('http://192.168.1.7:47800');
    expect(roomHttpBase('wss://192.168.1.7:47800/ws')).toBe('https://192.168.1.7:47800');
    expect(roomHttpBase('wss://[fe80::1]:5000/ws')).toBe('https://[fe80::1]:5000');
    expect(uploadEndpoint('http://10.0.0.2:80')).toBe('http://10.0.0.2:80/files/uploads');
  });

  it('builds download and inline URLs with the member’s download token, none without one', () => {
    const base = 'https://10.0.0.2:47800';
    expect(fileUrl(base, 12, 'u1.a/b+c')).toBe('https://10.0.0.2:47800/files/12?t=u1.a%2Fb%2Bc');
    expect(fileUrl(base, 12, 'tok', { inline: true })).toBe('https://10.0.0.2:47800/files/12?t=tok&inline=1');
    expect(fileUrl(base, 12, undefined)).toBeUndefined();
  });

  it('reads an upload’s id from the URL the host gave it, and nothing from anything else', () => {
    expect(uploadIdOf('http://10.0.0.2:47800/files/uploads/3f2a9c')).toBe('3f2a9c');
    expect(uploadIdOf('http://10.0.0.2:47800/elsewhere/3f2a9c')).toBeUndefined();
    expect(uploadIdOf('http://10.0.0.2:47800/files/uploads/')).toBeUndefined();
    expect(uploadIdOf('http://10.0.0.2:47800/files/uploads/a%2Fb')).toBeUndefined();
  });
});
