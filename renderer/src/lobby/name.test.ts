import { describe, expect, it } from 'vitest';
import { nameProblem } from './name.ts';

describe('the name as typed', () => {
  it('is fine empty (the room picks a friendly one) and when valid', () => {
    expect(nameProblem('')).toBeUndefined();
    expect(nameProblem('   ')).toBeUndefined();
    expect(nameProblem('Alice')).toBeUndefined();
    expect(nameProblem('🔥'.repeat(32))).toBeUndefined();
  });

  it('says why it cannot be used, never swapping it for another', () => {
    expect(nameProblem('x'.repeat(33))).toBe('Name is longer than 32 characters.');
    expect(nameProblem('zero\u200Bwidth')).toBe('Name cannot contain control or invisible characters.');
  });
});
