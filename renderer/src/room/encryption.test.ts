import { describe, expect, it } from 'vitest';
import { parseAddress } from '../../../common/address.ts';
import { hidePlainNotice, isEncryptedUrl, plainNoticeHidden, roomSocketUrl, type NoticeStorage } from './encryption.ts';

class MemoryStorage implements NoticeStorage {
  private readonly items = new Map<string, string>();
  getItem(key: string): string | null {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    this.items.set(key, value);
  }
}

describe('isEncryptedUrl', () => {
  it('is true for wss:// only', () => {
    expect(isEncryptedUrl('wss://192.168.1.7:47800/')).toBe(true);
    expect(isEncryptedUrl('WSS://host.local:47800/')).toBe(true);
    expect(isEncryptedUrl('ws://192.168.1.7:47800/')).toBe(false);
    expect(isEncryptedUrl('ws://127.0.0.1:47800/wss://')).toBe(false);
    expect(isEncryptedUrl('')).toBe(false);
  });
});

describe('roomSocketUrl: the URL the room socket opens, and so what the notice speaks about', () => {
  const at = (text: string) => {
    const parsed = parseAddress(text);
    if (!parsed.ok) throw new Error(parsed.reason);
    return parsed.address;
  };

  it('is wss on the same host and port for a secure (pinned) join, whatever form the address was typed in', () => {
    expect(roomSocketUrl(at('192.168.1.7:47800'), true)).toBe('wss://192.168.1.7:47800/ws');
    expect(roomSocketUrl(at('http://[fe80::1]:47800/'), true)).toBe('wss://[fe80::1]:47800/ws');
    expect(isEncryptedUrl(roomSocketUrl(at('ws://laptop.local:5000'), true))).toBe(true);
  });

  it('is the address as it is otherwise: ws for a plain join, wss for a page served over https', () => {
    expect(roomSocketUrl(at('192.168.1.7:47800'), false)).toBe('ws://192.168.1.7:47800/ws');
    expect(isEncryptedUrl(roomSocketUrl(at('192.168.1.7:47800'), false))).toBe(false);
    expect(roomSocketUrl(at('https://192.168.1.7:47800/'), false)).toBe('wss://192.168.1.7:47800/ws');
  });
});

describe('the plain-connection notice, hidden for the session', () => {
  it('is shown until hidden, per room', () => {
    const storage = new MemoryStorage();
    expect(plainNoticeHidden(storage, 'ws://a:1/')).toBe(false);
    hidePlainNotice(storage, 'ws://a:1/');
    expect(plainNoticeHidden(storage, 'ws://a:1/')).toBe(true);
    expect(plainNoticeHidden(storage, 'ws://b:1/')).toBe(false);
  });

  it('is shown when there is no storage, and hiding does not throw', () => {
    expect(plainNoticeHidden(undefined, 'ws://a:1/')).toBe(false);
    expect(() => hidePlainNotice(undefined, 'ws://a:1/')).not.toThrow();
  });

  it('survives storage that throws', () => {
    const broken: NoticeStorage = {
      getItem: () => {
        throw new Error('blocked');
      },
      setItem: () => {
        throw new Error('blocked');
      },
    };
    expect(plainNoticeHidden(broken, 'ws://a:1/')).toBe(false);
    expect(() => hidePlainNotice(broken, 'ws://a:1/')).not.toThrow();
  });
});
