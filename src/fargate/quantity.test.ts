import assert from 'node:assert/strict';
import { test } from 'node:test';
import { QuantityError, quantityMilliValue, quantityValue } from './quantity.js';

const cases: [string | number, number, number][] = [
  // input, Value (units, rounded up), MilliValue (thousandths, rounded up)
  ['1', 1, 1000],
  [1, 1, 1000],
  [0.25, 1, 250],
  ['0.25', 1, 250],
  ['.5', 1, 500],
  ['1.', 1, 1000],
  ['100m', 1, 100],
  ['1500m', 2, 1500],
  ['250m', 1, 250],
  ['1u', 1, 1],
  ['1n', 1, 1],
  ['0', 0, 0],
  ['1k', 1000, 1000000],
  ['512Mi', 536870912, 536870912000],
  ['1Gi', 1073741824, 1073741824000],
  ['2.5Gi', 2684354560, 2684354560000],
  ['1Ki', 1024, 1024000],
  ['1M', 1000000, 1000000000],
  ['2.5G', 2500000000, 2500000000000],
  ['8G', 8000000000, 8000000000000],
  ['1e3', 1000, 1000000],
  ['1E3', 1000, 1000000],
  ['1.5e+2', 150, 150000],
  ['5e-3', 1, 5],
  ['+2', 2, 2000],
  ['-100m', 0, -100],
  ['-1.5', -1, -1500],
  ['1Ti', 1099511627776, 1099511627776000],
  ['129e6', 129000000, 129000000000],
];

for (const [input, value, milli] of cases) {
  test(`quantity ${JSON.stringify(input)} → ${value} units, ${milli} milli`, () => {
    assert.equal(quantityValue(input), value);
    assert.equal(quantityMilliValue(input), milli);
  });
}

for (const bad of ['', 'abc', '1KB', '1K', '1 Gi', '1Gib', 'Gi', '1.2.3', '1e', '--1', '1mi']) {
  test(`quantity ${JSON.stringify(bad)} is rejected`, () => {
    assert.throws(() => quantityValue(bad), QuantityError);
  });
}
