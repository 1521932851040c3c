import { describe, expect, it } from 'vitest';
import { MAX_DRAFT_UNITS, loadDraft, saveDraft, type DraftStorage } from './saved-draft.ts';

function memoryStorage(): DraftStorage & { map: Map<string, string> } {
  const map = new Map<string, string>();
  return { map, getItem: (k) => map.get(k) ?? null, setItem: (k, v) => void map.set(k, v), removeItem: (k) => void map.delete(k) };
}

describe('the saved draft', () => {
  const kitchen = 'ws://192.168.1.7:5000/ws';
  const studio = 'ws://192.168.1.9:5000/ws';

  it('is kept per room and given back', () => {
    const storage = memoryStorage();
    saveDraft(storage, kitchen, 'half a thought');
    saveDraft(storage, studio, 'another');
    expect(loadDraft(storage, kitchen)).toBe('half a thought');
    expect(loadDraft(storage, studio)).toBe('another');
  });

  it('is forgotten once empty (sent or cleared)', () => {
    const storage = memoryStorage();
    saveDraft(storage, kitchen, 'half a thought');
    saveDraft(storage, kitchen, '');
    expect(loadDraft(storage, kitchen)).toBe('');
    expect(storage.map.size).toBe(0);
  });

  it('is bounded: a huge paste is not written whole', () => {
    const storage = memoryStorage();
    saveDraft(storage, kitchen, 'x'.repeat(MAX_DRAFT_UNITS * 3));
    expect(loadDraft(storage, kitchen)).toHaveLength(MAX_DRAFT_UNITS);
  });

  it('ignores a storage that fails or is missing', () => {
    const broken: DraftStorage = {
      getItem: () => {
        throw new Error('SecurityError');
      },
      setItem: () => {
        throw new Error('QuotaExceededError');
      },
      removeItem: () => {
        throw new Error('SecurityError');
      },
    };
    expect(() => saveDraft(broken, kitchen, 'hi')).not.toThrow();
    expect(loadDraft(broken, kitchen)).toBe('');
    expect(loadDraft(undefined, kitchen)).toBe('');
  });
});

describe('the saved draft, cut to its bound', () => {
  it('never keeps half an emoji', () => {
    const storage: DraftStorage & { value?: string } = {
      getItem: () => null,
      setItem(_k, v) {
        this.value = v;
      },
      removeItem: () => {},
    };
    saveDraft(storage, 'ws://h/ws', `x${'🔥'.repeat(MAX_DRAFT_UNITS)}`);
    expect(storage.value).toHaveLength(MAX_DRAFT_UNITS - 1);
    expect(storage.value!.endsWith('🔥')).toBe(true);
  });
});
