import assert from 'node:assert/strict';
import { it } from 'node:test';
import { processLogger } from './logger.js';

it('writes every reported error with its component; stacks and debug lines only when debugging', () => {
  const lines: string[] = [];
  const quiet = processLogger((l) => lines.push(l), false);
  quiet.errors('agent')(new Error('sandbox failed'));
  quiet.errors('agent')('plain');
  quiet.debug('agent', 'hidden');
  assert.equal(lines.length, 2);
  assert.match(lines[0]!, /^\d{4}-\d\d-\d\dT\S+ agent: sandbox failed\n$/);
  assert.match(lines[1]!, / agent: plain\n$/);
  const loud = processLogger((l) => lines.push(l), true);
  loud.errors('agent')(new Error('with stack'));
  loud.debug('agent', 'shown');
  assert.match(lines[2]!, /agent: Error: with stack\n {4}at /);
  assert.match(lines[3]!, / agent: shown\n$/);
});
