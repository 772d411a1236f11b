import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type LoggingEvent, loggingEvent } from './logging-event.js';

const cases: [string | undefined, LoggingEvent | undefined][] = [
  ['LoggingEnabled', { type: 'Normal', reason: 'LoggingEnabled', message: 'Successfully enabled logging for pod' }],
  [
    'LoggingDisabled: LOGGING_CONFIGMAP_NOT_FOUND',
    {
      type: 'Warning',
      reason: 'LoggingDisabled',
      message: 'Disabled logging because aws-logging configmap was not found. configmap "aws-logging" not found',
    },
  ],
  [
    'LoggingDisabled: SOMETHING_ELSE',
    { type: 'Warning', reason: 'LoggingDisabled', message: 'Disabled logging because of SOMETHING_ELSE' },
  ],
  [
    'LoggingDisabled',
    { type: 'Warning', reason: 'LoggingDisabled', message: 'Disabled logging because of an unknown reason' },
  ],
  [undefined, undefined],
  ['', undefined],
  ['whatever', undefined],
];

for (const [annotation, expected] of cases) {
  test(`Logging: ${JSON.stringify(annotation)}`, () => assert.deepEqual(loggingEvent(annotation), expected));
}
