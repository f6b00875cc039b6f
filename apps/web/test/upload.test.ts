// A material's upload (src/journey/upload.ts): which files are sent, what a screen reader is told
// of the progress, and how a size reads.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { announcedStep, isUploadRef, mediaTypeOf, precheck, sizeText } from '../src/journey/upload.ts';

test('the declared type is the browser’s, or the extension’s when the browser gives none', () => {
  assert.equal(mediaTypeOf({ name: 'a.pdf', type: 'application/pdf' }), 'application/pdf');
  assert.equal(mediaTypeOf({ name: 'scan.JPEG', type: '' }), 'image/jpeg');
  assert.equal(mediaTypeOf({ name: 'x.png', type: 'application/octet-stream' }), 'image/png');
  assert.equal(mediaTypeOf({ name: 'x.png', type: 'image/gif' }), undefined, 'the browser knows better than the name');
  assert.equal(mediaTypeOf({ name: 'x.heic', type: '' }), undefined);
});

test('a file of another type, an empty one and one over 10 MB are refused before any upload, with the server’s codes', () => {
  assert.equal(precheck({ name: 'a.gif', type: 'image/gif', size: 10 }), 'WORKFLOW_DOCUMENT_TYPE_UNSUPPORTED');
  assert.equal(precheck({ name: 'a.png', type: 'image/png', size: 0 }), 'WORKFLOW_DOCUMENT_EMPTY');
  assert.equal(
    precheck({ name: 'a.pdf', type: 'application/pdf', size: 10 * 1024 * 1024 + 1 }),
    'WORKFLOW_DOCUMENT_TOO_LARGE',
  );
  assert.equal(precheck({ name: 'a.pdf', type: 'application/pdf', size: 10 * 1024 * 1024 }), undefined);
});

test('progress is announced in steps of 25 %, not at every event', () => {
  const heard = new Set([0, 0.1, 0.24, 0.25, 0.49, 0.5, 0.74, 0.8, 0.99, 1].map(announcedStep));
  assert.deepEqual([...heard], [0, 25, 50, 75, 100]);
});

test('sizes read in KB below a megabyte and MB above', () => {
  assert.equal(sizeText(500, 'en'), '1 KB');
  assert.equal(sizeText(12_345, 'zh-CN'), '12 KB');
  assert.equal(sizeText(3.5 * 1024 * 1024, 'en'), '3.5 MB');
});

test('only doc:<uuid> is an upload; a typed number is not', () => {
  assert.ok(isUploadRef('doc:01890a5d-ac96-774b-bcce-b302099a8057'));
  assert.ok(!isUploadRef('doc:parent-id-cards'));
  assert.ok(!isUploadRef('licence:resident-id-card:mother'));
});
