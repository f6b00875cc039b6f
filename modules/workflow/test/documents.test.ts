// The document store's pure rules: magic bytes against the declared type, the kept file name, the
// attachment header, and which material references are uploads of this store. The routes, the
// sealing and who may open a document: apps/server/test/workflow/documents.test.ts.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  bareMediaType,
  contentDisposition,
  documentRefs,
  magicMatches,
  NAME_MAX,
  sanitiseFileName,
} from '../src/domain/documents.ts';

test('each declared type must begin with its own signature', () => {
  assert.ok(magicMatches('application/pdf', Buffer.from('%PDF-1.7 …')));
  assert.ok(magicMatches('image/jpeg', Buffer.from([0xff, 0xd8, 0xff, 0xdb])));
  assert.ok(magicMatches('image/png', Buffer.from('89504e470d0a1a0a0000', 'hex')));
  assert.ok(!magicMatches('application/pdf', Buffer.from('%PDF')), 'a prefix of the signature is not enough');
  assert.ok(!magicMatches('image/png', Buffer.from('%PDF-1.7')));
  assert.ok(!magicMatches('image/jpeg', Buffer.from([0xff, 0xd8])));
  assert.ok(!magicMatches('image/png', Buffer.from('89504e470d0a1a00', 'hex')), 'the DOS line-ending check byte');
});

test('a content type is compared without its parameters, in lower case', () => {
  assert.equal(bareMediaType('Image/PNG; charset=binary'), 'image/png');
  assert.equal(bareMediaType(undefined), '');
});

test('a file name loses folders, controls and bidirectional overrides, and is cut to 200 characters keeping its extension', () => {
  assert.equal(sanitiseFileName(encodeURIComponent('出生证明.pdf'), 'application/pdf'), '出生证明.pdf');
  assert.equal(sanitiseFileName('..%2F..%2Fetc%2Fpasswd', 'application/pdf'), 'passwd');
  assert.equal(sanitiseFileName(encodeURIComponent('a\u202egpj.exe'), 'image/png'), 'a_gpj.exe');
  assert.equal(sanitiseFileName(encodeURIComponent('a<b>:"c"|?*.png'), 'image/png'), 'a_b___c____.png');
  assert.equal(sanitiseFileName('...', 'image/jpeg'), 'document.jpg');
  assert.equal(sanitiseFileName(undefined, 'image/png'), 'document.png');
  assert.equal(sanitiseFileName('%E4%ZZ', 'image/png'), undefined, 'not percent-encoding');
  assert.equal(sanitiseFileName('%FF', 'image/png'), undefined, 'not UTF-8');
  const long = sanitiseFileName(encodeURIComponent('长'.repeat(300) + '.pdf'), 'application/pdf')!;
  assert.equal([...long].length, NAME_MAX);
  assert.ok(long.endsWith('长.pdf'));
});

test('the attachment header carries the UTF-8 name (RFC 8187) and an ASCII fallback', () => {
  assert.equal(
    contentDisposition('证明 (1).pdf'),
    `attachment; filename="__ (1).pdf"; filename*=UTF-8''%E8%AF%81%E6%98%8E%20%281%29.pdf`,
  );
  assert.equal(contentDisposition('a"b\\.pdf'), `attachment; filename="a_b_.pdf"; filename*=UTF-8''a%22b%5C.pdf`);
});

test('only doc:<uuid> references are uploads of this store, with their positions', () => {
  const id = '01890a5d-ac96-774b-bcce-b302099a8057';
  assert.deepEqual(
    documentRefs([
      { ref: 'licence:resident-id-card:mother' },
      { ref: `doc:${id}` },
      { ref: 'doc:archive-001' },
      { ref: `DOC:${id.toUpperCase()}` },
    ]),
    [
      { index: 1, id },
      { index: 3, id },
    ],
  );
});
