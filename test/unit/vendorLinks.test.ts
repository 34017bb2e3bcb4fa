import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DEBUGGER_NOTE,
  VendorLinkError,
  checkedBaseUrl,
  isVendorTarget,
  slugProblem,
  vendorUrl,
} from '../../src/shared/vendorLinks';
import { isAnalysisWebviewMessage } from '../../src/shared/analysisProtocol';

// The links back to Hightouch: built on the host from ids and settings only. A webview's message
// carries ids; anything that is not one, and any slug or base that could point elsewhere, is refused.

describe('vendorUrl', () => {
  test('sync, run and debugger pages under the workspace slug', () => {
    assert.equal(
      vendorUrl({ kind: 'sync', syncId: '1127166' }, 'acme-prod'),
      'https://app.hightouch.com/acme-prod/syncs/1127166',
    );
    assert.equal(
      vendorUrl({ kind: 'run', syncId: '12', syncRunId: '345' }, 'acme-prod'),
      'https://app.hightouch.com/acme-prod/syncs/12/runs/345',
    );
    // The debugger opens from the run's page (the vendor's docs); without a run, the sync's Runs tab.
    assert.equal(
      vendorUrl({ kind: 'debugger', syncId: '12', syncRunId: '345' }, 'acme-prod'),
      'https://app.hightouch.com/acme-prod/syncs/12/runs/345',
    );
    assert.equal(
      vendorUrl({ kind: 'debugger', syncId: '12' }, 'acme-prod'),
      'https://app.hightouch.com/acme-prod/syncs/12/runs',
    );
  });

  test('an EU or private host from the base URL setting; trailing slashes dropped', () => {
    assert.equal(
      vendorUrl({ kind: 'sync', syncId: '7' }, 'acme', 'https://app.eu.hightouch.com/'),
      'https://app.eu.hightouch.com/acme/syncs/7',
    );
    assert.equal(checkedBaseUrl(''), 'https://app.hightouch.com');
    assert.equal(checkedBaseUrl('https://ht.internal.example/app//'), 'https://ht.internal.example/app');
  });

  test('refuses a base that is not plain https', () => {
    for (const bad of [
      'http://app.hightouch.com',
      'javascript:alert(1)',
      'https://user:pw@app.hightouch.com',
      'https://app.hightouch.com/?x=1',
      'https://app.hightouch.com/#f',
      'not a url',
    ]) {
      assert.throws(() => vendorUrl({ kind: 'sync', syncId: '1' }, 'acme', bad), VendorLinkError, bad);
    }
  });

  test('refuses slugs and ids that could change the path or the host', () => {
    for (const slug of [
      '',
      '  ',
      'Acme',
      'acme/../x',
      'acme?x',
      '-acme',
      'acme-',
      'a b',
      '//evil.example',
      'acme%2f',
    ]) {
      assert.ok(slugProblem(slug), `slug ${JSON.stringify(slug)} refused`);
      assert.throws(() => vendorUrl({ kind: 'sync', syncId: '1' }, slug), VendorLinkError);
    }
    for (const id of ['', '../1', '1/runs/2', '1?x', '1#x', 'a b', '1\n', '%2e%2e', 'x'.repeat(101)]) {
      assert.throws(() => vendorUrl({ kind: 'sync', syncId: id }, 'acme'), VendorLinkError, JSON.stringify(id));
      assert.throws(
        () => vendorUrl({ kind: 'run', syncId: '1', syncRunId: id }, 'acme'),
        VendorLinkError,
        JSON.stringify(id),
      );
    }
  });

  test('says once what the debugger keeps', () => {
    assert.match(DEBUGGER_NOTE, /7 days/);
  });
});

describe('the openVendor message', () => {
  test('accepts typed targets of plain ids only', () => {
    assert.ok(isAnalysisWebviewMessage({ type: 'openVendor', target: { kind: 'run', syncId: '1', syncRunId: '2' } }));
    assert.ok(isAnalysisWebviewMessage({ type: 'openVendor', target: { kind: 'debugger', syncId: '1' } }));
    assert.ok(isAnalysisWebviewMessage({ type: 'showSql' }));
    for (const target of [
      { kind: 'run', syncId: '1' },
      { kind: 'sync', syncId: '1', syncRunId: '2' },
      { kind: 'url', syncId: '1' },
      { kind: 'sync', syncId: 'https://evil.example' },
      { kind: 'sync', syncId: 1 },
      null,
    ]) {
      assert.ok(!isVendorTarget(target), JSON.stringify(target));
      assert.ok(!isAnalysisWebviewMessage({ type: 'openVendor', target }), JSON.stringify(target));
    }
  });
});
