// The load generator writes the protocol version out rather than loading the schema module
// (valibot and every schema cost a saturated generator its p99: 35 → 55 ms in the broadcast
// scenario); this keeps the two the same.
import { expect, it } from 'vitest';
import { PROTOCOL_VERSION as generatorVersion } from '../bench/load.ts';
import { PROTOCOL_VERSION } from '../common/protocol.ts';

it('the benchmark speaks the protocol version the host does', () => {
  expect(generatorVersion).toBe(PROTOCOL_VERSION);
});
