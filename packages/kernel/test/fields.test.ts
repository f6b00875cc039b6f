// Sealed fields (crypto/fields.ts): envelope encryption with data keys wrapped by a master key,
// rotation of both while reads continue, the 国密 profile (SM4-GCM, HMAC-SM3) and blind indexes
// that survive a master-key rotation. On PGlite and, with TONGBAN_TEST_DATABASE_URL, PostgreSQL.
import assert from 'node:assert/strict';
import { createHmac, randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { aead } from '../src/crypto/aead.ts';
import { keyedMac } from '../src/crypto/hmac.ts';
import { Sm4Gcm } from '../src/crypto/sm4-gcm.ts';
import { loadConfig } from '../src/config.ts';
import { defineModule, localKeyManager, masterKeyId, openFieldKeys, type AnyKysely } from '../src/index.ts';
import { configuredKeyManager, startPlatform } from '../src/platform.ts';
import { rmSync } from 'node:fs';
import { createTestDatabase, databaseLabel, startTestPlatform, testConfig, type TestPlatform } from '../src/testing.ts';

const alpha = defineModule({ name: 'alpha', title: { zh: '甲', en: 'Alpha' } });
const beta = defineModule({ name: 'beta', title: { zh: '乙', en: 'Beta' } });
const AAD = 'alpha.person.id_number';
const SEALED = /^tb1\.(a256gcm|sm4gcm)\.dk-[0-9a-f]{20}\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]+$/;

const hex = (s: string) => Buffer.from(s, 'hex');
const key = () => randomBytes(32);

interface KeyRow {
  id: string;
  purpose: string;
  wrapped: string;
  master_key_id: string;
  algorithm: string;
  retired_at: unknown;
}
const keyRows = async (db: AnyKysely, module = 'alpha') =>
  (await sql<KeyRow>`select * from ${sql.raw(`"${module}".data_key`)} order by created_at, id`.execute(db)).rows;

/** Changes one character of the ciphertext part of a sealed value. */
const tamper = (sealed: string) => {
  const i = sealed.length - 5;
  return sealed.slice(0, i) + (sealed[i] === 'A' ? 'B' : 'A') + sealed.slice(i + 1);
};

describe('SM4-GCM (GB/T 36624)', () => {
  test('matches the RFC 8998 Appendix A.1 vector, and refuses a changed tag, ciphertext or AAD', () => {
    const gcm = new Sm4Gcm(hex('0123456789ABCDEFFEDCBA9876543210'));
    const iv = hex('00001234567800000000ABCD');
    const aad = hex('FEEDFACEDEADBEEFFEEDFACEDEADBEEFABADDAD2');
    const plain = hex(
      'AAAAAAAAAAAAAAAABBBBBBBBBBBBBBBBCCCCCCCCCCCCCCCCDDDDDDDDDDDDDDDD' +
        'EEEEEEEEEEEEEEEEFFFFFFFFFFFFFFFFEEEEEEEEEEEEEEEEAAAAAAAAAAAAAAAA',
    );
    const { ciphertext, tag } = gcm.encrypt(iv, plain, aad);
    assert.equal(
      ciphertext.toString('hex').toUpperCase(),
      '17F399F08C67D5EE19D0DC9969C4BB7D5FD46FD3756489069157B282BB200735' +
        'D82710CA5C22F0CCFA7CBF93D496AC15A56834CBCF98C397B4024A2691233B8D',
    );
    assert.equal(tag.toString('hex').toUpperCase(), '83DE3541E4C2B58177E065A9BF7B62EC');
    assert.deepEqual(gcm.decrypt(iv, ciphertext, tag, aad), plain);
    const flipped = Buffer.from(tag);
    flipped[0]! ^= 1;
    assert.throws(() => gcm.decrypt(iv, ciphertext, flipped, aad), /authenticate/);
    const changed = Buffer.from(ciphertext);
    changed[10]! ^= 0x80;
    assert.throws(() => gcm.decrypt(iv, changed, tag, aad), /authenticate/);
    assert.throws(() => gcm.decrypt(iv, ciphertext, tag, Buffer.from('other')), /authenticate/);
  });

  test('round trips every length around the block size, and the empty value', () => {
    const gcm = new Sm4Gcm(randomBytes(16));
    for (const n of [0, 1, 15, 16, 17, 31, 32, 33, 1000]) {
      const iv = randomBytes(12);
      const plain = randomBytes(n);
      const { ciphertext, tag } = gcm.encrypt(iv, plain, Buffer.from('aad'));
      assert.deepEqual(gcm.decrypt(iv, ciphertext, tag, Buffer.from('aad')), plain, `length ${n}`);
    }
  });
});

describe('the AEAD (aead.ts)', () => {
  test('IVs are never repeated, across pools and ciphers: 20,000 seals (several IV pools), 20,000 distinct IVs', () => {
    const ciphers = [aead('a256gcm', randomBytes(32)), aead('sm4gcm', randomBytes(16))];
    const ivs = new Set<string>();
    for (let i = 0; i < 20_000; i++) ivs.add(ciphers[i % 2]!.seal(Buffer.from('v'), Buffer.from('aad')).split('.')[0]!);
    assert.equal(ivs.size, 20_000);
  });

  test('a sealed value opens with its key and AAD only', () => {
    const k = randomBytes(32);
    const sealed = aead('a256gcm', k).seal(Buffer.from('张三'), Buffer.from('aad'));
    assert.equal(aead('a256gcm', k).open(sealed, Buffer.from('aad')).toString(), '张三');
    assert.throws(() => aead('a256gcm', k).open(sealed, Buffer.from('other')));
    assert.throws(() => aead('a256gcm', randomBytes(32)).open(sealed, Buffer.from('aad')));
  });
});

describe(`sealed fields (${databaseLabel})`, () => {
  const k1 = key();
  const k2 = key();
  let p: TestPlatform;
  let db: AnyKysely;
  before(async () => {
    // Step 1 of a rotation on several replicas: the next master key (k2) is already known here.
    p = await startTestPlatform([alpha, beta], {
      keyManager: localKeyManager({ current: k1, retired: [k2], algorithm: 'a256gcm' }),
    });
    db = p.database.db as AnyKysely;
  });
  after(() => p?.dispose());
  const fields = (module = 'alpha') => p.contexts.get(module)!.fields;

  test('a value round trips; the column holds tb1.<alg>.<data key>.<iv>.<ct+tag> naming the active data key', async () => {
    const sealed = await fields().seal('110101199003077777', AAD);
    assert.match(sealed, SEALED);
    assert.equal(sealed.split('.')[1], 'a256gcm');
    assert.equal(sealed.split('.')[2], p.fieldKeys.get('alpha')!.activeDataKey());
    assert.ok(!sealed.includes('110101'));
    assert.equal(await fields().open(sealed, AAD), '110101199003077777');
    assert.notEqual(await fields().seal('110101199003077777', AAD), sealed, 'a fresh IV each time');
    assert.equal(await fields().open(await fields().seal('', AAD), AAD), '', 'the empty value too');
    assert.equal(await fields().open(await fields().seal('张三 👪', AAD), AAD), '张三 👪');
    assert.ok(fields().isSealed(sealed));
    assert.ok(!fields().isSealed('JBSWY3DPEHPK3PXP'));
  });

  test('another column, a changed byte, a changed header or another module: the value does not open', async () => {
    const sealed = await fields().seal('13800138000', AAD);
    await assert.rejects(fields().open(sealed, 'alpha.person.mobile'), /does not open/);
    await assert.rejects(fields().open(tamper(sealed), AAD), /does not open/);
    const [v, , id, iv, body] = sealed.split('.');
    await assert.rejects(fields().open([v, 'sm4gcm', id, iv, body].join('.'), AAD), /another algorithm/);
    await assert.rejects(fields().open(`${v}.a256gcm.dk-00000000000000000000.${iv}.${body}`, AAD), /no data key/);
    await assert.rejects(fields().open('JBSWY3DPEHPK3PXP', AAD), /not a field ciphertext/);
    await assert.rejects(fields('beta').open(sealed, AAD), /no data key/, "beta's keys are its own");
  });

  test('the key table holds only wrapped keys, each naming its master key by thumbprint', async () => {
    const rows = await keyRows(db);
    assert.deepEqual(rows.map((r) => r.purpose).sort(), ['data', 'index']);
    for (const row of rows) {
      assert.equal(row.master_key_id, masterKeyId(k1));
      assert.match(row.wrapped, /^a256gcm\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{64,}$/);
    }
    assert.match(masterKeyId(k1), /^mk-[A-Za-z0-9_-]{22}$/);
    assert.notEqual(masterKeyId(k1), masterKeyId(k2));
  });

  test('blind indexes: deterministic, per module and kind, never the value', () => {
    const a = fields().blindIndex('id-number', '110101199003077777');
    assert.equal(a, fields().blindIndex('id-number', '110101199003077777'));
    assert.match(a, /^[A-Za-z0-9_-]{43}$/);
    assert.notEqual(a, fields().blindIndex('mobile', '110101199003077777'));
    assert.notEqual(a, fields('beta').blindIndex('id-number', '110101199003077777'));
    assert.notEqual(a, fields().blindIndex('id-number', '110101199003077778'));
  });

  test('master- and data-key rotation while reads and writes continue: no read fails, blind indexes stay', async () => {
    const index = fields().blindIndex('id-number', '110101199003077777');
    const written: { sealed: string; plain: string }[] = [];
    for (let i = 0; i < 20; i++) written.push({ plain: `v${i}`, sealed: await fields().seal(`v${i}`, AAD) });
    const oldKey = p.fieldKeys.get('alpha')!.activeDataKey();
    // Step 2 on another replica: k2 current, k1 retired; it re-wraps and rotates the data key.
    const replica = await openFieldKeys({
      db: p.contexts.get('alpha')!.db as AnyKysely,
      module: 'alpha',
      keys: localKeyManager({ current: k2, retired: [k1], algorithm: 'a256gcm' }),
      profile: 'standard',
    });
    let started!: () => void;
    const halfway = new Promise<void>((resolve) => (started = resolve));
    const failures: unknown[] = [];
    const loop = async (cipher: typeof replica.cipher, n: number) => {
      for (let i = 0; i < n; i++) {
        if (i === 10) started();
        try {
          const sample = written[i % written.length]!;
          assert.equal(await cipher.open(sample.sealed, AAD), sample.plain);
          const plain = `w${i}-${randomBytes(4).toString('hex')}`;
          const sealed = await cipher.seal(plain, AAD);
          written.push({ plain, sealed });
          assert.equal(await cipher.open(sealed, AAD), plain);
        } catch (error) {
          failures.push(error);
        }
      }
    };
    const rotation = (async () => {
      await halfway;
      const first = await replica.rewrap();
      assert.equal(first.rewrapped, 2, 'the data key and the index secret');
      assert.equal(first.remaining, 0);
      await replica.rotateDataKey();
      await p.fieldKeys.get('alpha')!.refresh(); // this replica hears of the new data key
    })();
    await Promise.all([loop(fields(), 200), loop(replica.cipher, 200), rotation]);
    assert.deepEqual(failures, []);
    const rows = await keyRows(db);
    assert.ok(
      rows.every((r) => r.master_key_id === masterKeyId(k2)),
      'every data key is under the new master key',
    );
    assert.equal(rows.filter((r) => r.purpose === 'data' && r.retired_at === null).length, 1);
    assert.notEqual(p.fieldKeys.get('alpha')!.activeDataKey(), oldKey);
    assert.equal(p.fieldKeys.get('alpha')!.activeDataKey(), replica.activeDataKey());

    // Step 3: k1 is gone; everything written before, during and after still opens.
    const after = await openFieldKeys({
      db: p.contexts.get('alpha')!.db as AnyKysely,
      module: 'alpha',
      keys: localKeyManager({ current: k2, algorithm: 'a256gcm' }),
      profile: 'standard',
    });
    for (const w of written) assert.equal(await after.cipher.open(w.sealed, AAD), w.plain);
    assert.equal(
      after.cipher.blindIndex('id-number', '110101199003077777'),
      index,
      'the index secret is re-wrapped, not replaced',
    );
    assert.equal(replica.cipher.blindIndex('id-number', '110101199003077777'), index);
    // reseal moves an old row to the active data key, and leaves a current one alone
    const old = written[0]!;
    const moved = await after.cipher.reseal(old.sealed, AAD);
    assert.ok(moved && moved.split('.')[2] === after.activeDataKey());
    assert.equal(await after.cipher.open(moved, AAD), old.plain);
    assert.equal(await after.cipher.reseal(moved, AAD), undefined);
  });

  test('without the master key a data key does not unwrap', async () => {
    await assert.rejects(
      openFieldKeys({
        db: p.contexts.get('alpha')!.db as AnyKysely,
        module: 'alpha',
        keys: localKeyManager({ current: key(), algorithm: 'a256gcm' }),
        profile: 'standard',
      }),
      /not configured/,
    );
  });
});

describe(`the 国密 profile (${databaseLabel})`, () => {
  let p: TestPlatform;
  before(async () => {
    p = await startTestPlatform([alpha], { env: { TONGBAN_FIELDS_CRYPTO: 'gm' } });
  });
  after(() => p?.dispose());

  test('SM4-GCM ciphertexts, SM4-GCM wrapping and an HMAC-SM3 index secret', async () => {
    const fields = p.contexts.get('alpha')!.fields;
    const sealed = await fields.seal('110101199003077777', AAD);
    assert.match(sealed, SEALED);
    assert.equal(sealed.split('.')[1], 'sm4gcm');
    assert.equal(await fields.open(sealed, AAD), '110101199003077777');
    await assert.rejects(fields.open(tamper(sealed), AAD), /does not open/);
    await assert.rejects(fields.open(sealed, 'alpha.other'), /does not open/);
    const rows = await keyRows(p.database.db as AnyKysely);
    assert.deepEqual(rows.map((r) => `${r.purpose} ${r.algorithm} ${r.wrapped.split('.')[0]}`).sort(), [
      'data sm4gcm sm4gcm',
      'index hmac-sm3 sm4gcm',
    ]);
    assert.match(fields.blindIndex('id-number', '110101199003077777'), /^[A-Za-z0-9_-]{43}$/);
  });
});

describe(`profile switch on one database (${databaseLabel})`, () => {
  let p: TestPlatform;
  const master = key();
  before(async () => {
    p = await startTestPlatform([alpha], {
      keyManager: localKeyManager({ current: master, algorithm: 'a256gcm' }),
    });
  });
  after(() => p?.dispose());

  test('standard rows open after the switch to gm; new writes are SM4; blind indexes stay', async () => {
    const aes = p.contexts.get('alpha')!.fields;
    const sealed = await aes.seal('13800138000', AAD);
    const index = aes.blindIndex('mobile', '13800138000');
    const gm = await openFieldKeys({
      db: p.contexts.get('alpha')!.db as AnyKysely,
      module: 'alpha',
      keys: localKeyManager({ current: master, algorithm: 'sm4gcm' }),
      profile: 'gm',
    });
    await gm.refresh();
    assert.equal(await gm.cipher.open(sealed, AAD), '13800138000');
    const fresh = await gm.cipher.seal('13800138000', AAD);
    assert.equal(fresh.split('.')[1], 'sm4gcm');
    assert.equal(await aes.open(fresh, AAD), '13800138000', 'a replica on the old profile opens it too');
    assert.equal(gm.cipher.blindIndex('mobile', '13800138000'), index);
  });

  test('a data key older than the maximum age is replaced on refresh', async () => {
    const db = p.contexts.get('alpha')!.db as AnyKysely;
    const later = new Date(Date.now() + 91 * 86_400_000);
    const keys = await openFieldKeys({
      db,
      module: 'alpha',
      keys: localKeyManager({ current: master, algorithm: 'a256gcm' }),
      profile: 'standard',
      maxAgeDays: 90,
      now: () => later,
    });
    const before = keys.activeDataKey();
    await keys.refresh();
    assert.notEqual(keys.activeDataKey(), before);
    await keys.refresh();
    const active = (await keyRows(db)).filter((r) => r.purpose === 'data' && r.retired_at === null);
    assert.deepEqual(
      active.map((r) => r.id),
      [keys.activeDataKey()],
      'a young key is kept',
    );
  });
});

describe('master keys from configuration', () => {
  test('production refuses to start without TONGBAN_SECRET_FIELD_MASTER_KEY', async () => {
    const config = loadConfig({
      NODE_ENV: 'production',
      TONGBAN_DATABASE_URL: 'postgres://nowhere.invalid/tongban',
      TONGBAN_PUBLIC_URL: 'https://gov.example',
      TONGBAN_OPERATOR_TOKEN: randomBytes(32).toString('base64url'),
      TONGBAN_LOG_LEVEL: 'silent',
    });
    const saved = process.env.TONGBAN_SECRET_FIELD_MASTER_KEY;
    delete process.env.TONGBAN_SECRET_FIELD_MASTER_KEY;
    try {
      await assert.rejects(startPlatform({ config, modules: [] }), /TONGBAN_SECRET_FIELD_MASTER_KEY/);
    } finally {
      if (saved !== undefined) process.env.TONGBAN_SECRET_FIELD_MASTER_KEY = saved;
    }
  });

  test('a short master key is refused; retired ones are read from their variable; ids are thumbprints', () => {
    const config = loadConfig({ TONGBAN_LOG_LEVEL: 'silent' });
    assert.throws(() => configuredKeyManager(config, () => 'c2hvcnQ'), /at least 32 random bytes/);
    const current = key();
    const retired = [key(), key()];
    const keys = configuredKeyManager(config, () => current.toString('base64url'), {
      TONGBAN_SECRET_FIELD_MASTER_KEYS_RETIRED: retired.map((k) => k.toString('base64url')).join(', '),
    });
    assert.equal(keys.currentKeyId, masterKeyId(current));
    assert.ok(retired.every((k) => keys.has(masterKeyId(k))));
    assert.ok(!keys.has(masterKeyId(key())));
  });
});

describe(`master-key rotation by configuration, across restarts (${databaseLabel})`, () => {
  const MASTER = 'TONGBAN_SECRET_FIELD_MASTER_KEY';
  const RETIRED = 'TONGBAN_SECRET_FIELD_MASTER_KEYS_RETIRED';
  const saved = { master: process.env[MASTER], retired: process.env[RETIRED] };
  const restore = () => {
    for (const [name, value] of [
      [MASTER, saved.master],
      [RETIRED, saved.retired],
    ] as const)
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
  };
  after(restore);

  test('the operator steps: new key current with the old retired, the start re-wraps, then the old key goes', async () => {
    const database = await createTestDatabase();
    const config = testConfig({ TONGBAN_DATABASE_URL: database.url });
    const [k1, k2] = [key().toString('base64url'), key().toString('base64url')];
    const start = async (master: string, retired?: string) => {
      process.env[MASTER] = master;
      if (retired) process.env[RETIRED] = retired;
      else delete process.env[RETIRED];
      return startPlatform({ config, modules: [alpha], background: false });
    };
    try {
      const first = await start(k1);
      const sealed = await first.contexts.get('alpha')!.fields.seal('110101199003077777', AAD);
      const index = first.contexts.get('alpha')!.fields.blindIndex('id-number', '110101199003077777');
      await first.close();

      const second = await start(k2, k1);
      assert.equal(await second.contexts.get('alpha')!.fields.open(sealed, AAD), '110101199003077777');
      await second.maintainFieldKeys(); // what the start runs in the background, and the timer after
      const rows = await keyRows(second.database.db as AnyKysely);
      assert.ok(rows.every((r) => r.master_key_id === masterKeyId(Buffer.from(k2, 'base64url'))));
      await second.close();

      const third = await start(k2);
      assert.equal(await third.contexts.get('alpha')!.fields.open(sealed, AAD), '110101199003077777');
      assert.equal(third.contexts.get('alpha')!.fields.blindIndex('id-number', '110101199003077777'), index);
      await third.close();

      // Had the old key gone before the re-wrap, its data keys would not open: the start refuses.
      await assert.rejects(start(key().toString('base64url')), /not configured/);
    } finally {
      restore();
      await database.drop();
      rmSync(config.dataDir, { recursive: true, force: true });
    }
  });
});

describe('keyedMac', () => {
  test('is HMAC: the same bytes as createHmac for SHA-256 and SM3, short, block-long and long keys, text and bytes', () => {
    for (const hash of ['sha256', 'sm3'] as const)
      for (const keyLength of [0, 16, 32, 64, 65, 200]) {
        const key = randomBytes(keyLength);
        const mac = keyedMac(hash, key);
        for (const message of ['', '330106199001011234', '张三'.repeat(50), randomBytes(100)]) {
          assert.deepEqual(mac(message), createHmac(hash, key).update(message).digest(), `${hash} key ${keyLength}`);
          assert.deepEqual(mac(message), mac(message), 'the keyed states are copied, never consumed');
        }
      }
  });
});
