// The kernel's SM2 reproduces the worked example of GB/T 32918.5-2017 / GM/T 0003.5-2012 Annex A
// (recommended curve) bit for bit, signs bytes and strings alike, and refuses what is not the
// signer's signature over the message under its identifier.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { sm2 } from 'sm-crypto-v2';
import { SM2_DEFAULT_ID, sm2PrivateKeyFrom, sm2PublicKey, sm2Sign, sm2Verify } from '../src/index.ts';

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
const d = A.d.toLowerCase();
const publicKey = `04${A.x}${A.y}`.toLowerCase();
const standardSignature = Uint8Array.from(Buffer.from(A.r + A.s, 'hex'));

test('SM2 (GB/T 32918.5 Annex A): the public key of d, Z_A under the identifier, e, and the signature with the standard’s k', () => {
  assert.equal(sm2PublicKey(d), publicKey);
  assert.equal(SM2_DEFAULT_ID, A.id, 'GM/T 0009’s default identifier is the example’s');
  // Z_A and e are the library's; the kernel's signing goes through them.
  assert.equal(Buffer.from(sm2.getZ(publicKey, A.id)).toString('hex').toUpperCase(), A.z);
  assert.equal(sm2.getHash(Buffer.from(A.message).toString('hex'), publicKey, A.id).toUpperCase(), A.e);
  // Signing with the standard's k (x1 = the x coordinate of kG) gives the standard's (r, s).
  const kG = sm2PublicKey(A.k.toLowerCase());
  const signature = sm2.doSignature(A.message, d, {
    hash: true,
    publicKey,
    userId: A.id,
    pointPool: [{ k: BigInt(`0x${A.k}`), x1: BigInt(`0x${kG.slice(2, 66)}`) }],
  });
  assert.equal(signature.toUpperCase(), A.r + A.s);
});

test('the standard’s signature verifies — over the string and over its UTF-8 bytes alike — and nothing near it does', () => {
  assert.ok(sm2Verify(A.message, standardSignature, publicKey, A.id));
  assert.ok(sm2Verify(new TextEncoder().encode(A.message), standardSignature, publicKey));
  assert.equal(sm2Verify(A.message, standardSignature, publicKey, 'ALICE123@YAHOO.COM'), false, 'another identifier');
  assert.equal(sm2Verify('message digesT', standardSignature, publicKey, A.id), false, 'another message');
  assert.equal(sm2Verify(A.message, standardSignature.slice(0, 63), publicKey, A.id), false, 'a short signature');
  assert.equal(
    sm2Verify(A.message, standardSignature, sm2PublicKey(sm2PrivateKeyFrom(new Uint8Array(32))), A.id),
    false,
  );
  assert.equal(
    sm2Verify(A.message, standardSignature, '04zz', A.id),
    false,
    'a malformed key is a refusal, not a throw',
  );
});

test('a signature made by sm2Sign verifies under its identifier and key only; a flipped bit anywhere fails', () => {
  fc.assert(
    fc.property(fc.uint8Array({ minLength: 0, maxLength: 64 }), fc.nat({ max: 64 * 8 - 1 }), (message, bit) => {
      const signature = sm2Sign(message, d);
      assert.equal(signature.length, 64);
      assert.ok(sm2Verify(message, signature, publicKey));
      assert.equal(sm2Verify(message, signature, publicKey, 'tongban-licenses'), false);
      const flipped = Uint8Array.from(signature);
      flipped[bit >> 3]! ^= 1 << (bit & 7);
      assert.equal(sm2Verify(message, flipped, publicKey), false);
    }),
    { numRuns: 25 },
  );
});

test('a private key from secret material is a scalar in [1, n − 1], stable for the same material', () => {
  const n = BigInt('0xFFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFF7203DF6B21C6052B53BBF40939D54123');
  for (const material of [new Uint8Array(32), new Uint8Array(32).fill(0xff), Buffer.from(n.toString(16), 'hex')]) {
    const key = sm2PrivateKeyFrom(material);
    assert.match(key, /^[0-9a-f]{64}$/);
    const value = BigInt(`0x${key}`);
    assert.ok(value >= 1n && value < n, key);
    assert.equal(sm2PrivateKeyFrom(material), key);
  }
  assert.throws(() => sm2PrivateKeyFrom(new Uint8Array(16)), RangeError);
});
