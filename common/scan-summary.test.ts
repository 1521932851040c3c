import { describe, expect, it } from 'vitest';
import { describeScan } from './scan-summary.ts';

describe('a scan in words', () => {
  it('says what is being scanned, then what answered', () => {
    expect(describeScan({ state: 'scanning', subnets: ['10.0.0.0/24'] })).toBe('Scanning 10.0.0.0/24…');
    expect(describeScan({ state: 'done', subnets: ['10.0.0.0/24'], found: 2, asked: 253, planned: 253 })).toBe('Found 2 rooms by scanning 10.0.0.0/24.');
    expect(describeScan({ state: 'done', subnets: ['10.0.0.0/24'], found: 1, asked: 253, planned: 253 })).toBe('Found 1 room by scanning 10.0.0.0/24.');
    expect(describeScan({ state: 'done', subnets: ['10.0.0.0/24'], found: 0, asked: 253, planned: 253 })).toBe('No Hearth rooms answered on 10.0.0.0/24.');
  });

  it('says when the deadline came before every address was asked, and when there was nothing to scan', () => {
    expect(describeScan({ state: 'done', subnets: ['10.0.0.0/22'], found: 0, asked: 700, planned: 1021 })).toBe(
      'No Hearth rooms answered on 10.0.0.0/22 (700 of 1021 addresses asked in time).',
    );
    expect(describeScan({ state: 'done', subnets: [], found: 0, asked: 0, planned: 0 })).toMatch(/^There is no local network to scan/);
  });
});
