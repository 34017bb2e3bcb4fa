import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bytesText, costQuestion, costText } from '../../src/commands/costGuard';

const GiB = 1024 ** 3;

test('bytes read in binary units, as BigQuery bills them', () => {
  assert.equal(bytesText(0), '0 bytes');
  assert.equal(bytesText(1023), '1,023 bytes');
  assert.equal(bytesText(1536), '1.5 KiB');
  assert.equal(bytesText(49 * GiB), '49.0 GiB');
  assert.equal(bytesText(300 * GiB), '300 GiB');
  assert.equal(bytesText(3 * 1024 * GiB), '3.0 TiB');
});

test('cost at the on-demand price: $6.25 per TiB', () => {
  assert.equal(costText(1024 * GiB), 'about $6.25');
  assert.equal(costText(GiB), 'under $0.01');
  assert.equal(costText(10 * 1024 * GiB), 'about $63');
});

test('asks only above the threshold; a negative threshold never asks', () => {
  assert.equal(costQuestion(10 * GiB, 10 * GiB, 'prod'), undefined, 'at the threshold: no question');
  const q = costQuestion(10 * GiB + 1, 10 * GiB, 'prod');
  assert.ok(q);
  assert.match(q.message, /scan 10\.0 GiB on BigQuery \("prod"\)/);
  assert.match(q.detail, /syncLogs\.bigquery\.confirmBytesAbove/);
  assert.ok(costQuestion(1, 0, 'prod'), 'threshold 0 asks for anything that scans');
  assert.equal(
    costQuestion(0, 0, 'prod'),
    undefined,
    'a query that scans nothing (cached, metadata) is not asked about',
  );
  assert.equal(costQuestion(1e15, -1, 'prod'), undefined);
});
