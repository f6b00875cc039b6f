// Checkpoint signatures: Ed25519 round trips, and SM2 reproduces the worked example of
// GB/T 32918.5-2017 / GM/T 0003.5-2012 Annex A (recommended curve) bit for bit.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sm2 } from 'sm-crypto-v2';
import { signerFromSeed, sm2Signer, SM2_DEFAULT_ID, verifySignature } from '../src/domain/signing.ts';

// GB/T 32918.5-2017 Annex A (= GM/T 0003.5-2012 A.2): signature on the recommended curve.
const A = {
  message: 'message digest',
  id: '1234567812345678',
  d: '3945208F7B2144B13F36E38AC6D39F95889393692860B51A42FB81EF4DF7C5B8',
  x: '09F9DF311E5421A150DD7D161E4BC5C672179FAD1833FC076BB08FF356F35020',
  y: 'CCEA490CE26775A52DC6EA718CC1AA600AED05FBF35E084A6632F6072DA9AD13',
  z: 'B2E14C5C79C6DF5B85F4FE7ED8DB7A262B9DA7E07CCB0EA9F4747B8CCDA8A4F3',
  e: 'F0B43E94BA45ACCAACE692ED534382EB17E6AB5A19CE7B31F4486FDFC0D28640',
  k: '59276E27D506861A16680F3AD9C02DCCEF3CC1FA3CDBE4CE6D54B80DEAC1BC21',
  r: 'F5A03B0648D2C4630EEAC513E1BB81A15944DA3827D5B74143AC7EACEEE720B3',
  s: 'B1B6AA29DF212FD8763182BC0D421CA1BB9038FD1F7F42D4840B69C485BBC1AA',
};
const publicKey = `04${A.x}${A.y}`.toLowerCase();

test('SM2 (GB/T 32918): the standard example — public key, Z_A with the identifier, e, and the signature with its k', () => {
  assert.equal(sm2.getPublicKeyFromPrivateKey(A.d.toLowerCase()), publicKey);
  assert.equal(Buffer.from(sm2.getZ(publicKey, A.id)).toString('hex').toUpperCase(), A.z);
  assert.equal(sm2.getHash(Buffer.from(A.message).toString('hex'), publicKey, A.id).toUpperCase(), A.e);
  // Sign with the standard's k: x1 is the x coordinate of kG.
  const kG = sm2.getPublicKeyFromPrivateKey(A.k.toLowerCase());
  const point = { k: BigInt(`0x${A.k}`), x1: BigInt(`0x${kG.slice(2, 66)}`) } as Parameters<
    typeof sm2.doSignature
  >[2] extends { pointPool?: (infer P)[] }
    ? P
    : never;
  const signature = sm2.doSignature(A.message, A.d.toLowerCase(), {
    hash: true,
    publicKey,
    userId: A.id,
    pointPool: [point],
  });
  assert.equal(signature.toUpperCase(), A.r + A.s);
  const b64 = Buffer.from(A.r + A.s, 'hex').toString('base64');
  assert.ok(verifySignature({ algorithm: 'sm2', key: publicKey, signerId: A.id }, A.message, b64));
  assert.equal(
    verifySignature({ algorithm: 'sm2', key: publicKey, signerId: 'ALICE123@YAHOO.COM' }, A.message, b64),
    false,
    'another identifier is another signature',
  );
  assert.equal(verifySignature({ algorithm: 'sm2', key: publicKey, signerId: A.id }, 'message digesT', b64), false);
});

test('SM2 signer: signs with its identifier and verifies; the default identifier is GM/T 0009’s', () => {
  assert.equal(SM2_DEFAULT_ID, A.id);
  const signer = sm2Signer(A.d.toLowerCase(), 'tongban-ledger');
  const signature = signer.sign('checkpoint body');
  assert.ok(verifySignature(signer.publicKey, 'checkpoint body', signature));
  assert.equal(verifySignature({ ...signer.publicKey, signerId: SM2_DEFAULT_ID }, 'checkpoint body', signature), false);
});

test('keys derived from a seed are stable per purpose; Ed25519 signatures verify and a flipped bit fails', () => {
  for (const algorithm of ['ed25519', 'sm2'] as const) {
    const a = signerFromSeed(algorithm, 'seed-1', 'log:audit');
    assert.deepEqual(signerFromSeed(algorithm, 'seed-1', 'log:audit').publicKey, a.publicKey);
    assert.notDeepEqual(signerFromSeed(algorithm, 'seed-1', 'witness').publicKey, a.publicKey);
    const signature = a.sign('tongban.gov.cn/audit\n3\nroot\n');
    assert.ok(verifySignature(a.publicKey, 'tongban.gov.cn/audit\n3\nroot\n', signature), algorithm);
    const bytes = Buffer.from(signature, 'base64');
    bytes[5]! ^= 0x10;
    assert.equal(verifySignature(a.publicKey, 'tongban.gov.cn/audit\n3\nroot\n', bytes.toString('base64')), false);
    assert.equal(verifySignature(a.publicKey, 'tongban.gov.cn/audit\n4\nroot\n', signature), false);
  }
});
