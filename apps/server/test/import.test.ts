// `tongban import` and `tongban seed --persons N` as an operator meets them: the report names
// every row not stored and why, a second run stores nothing new, a file in the wrong encoding is
// refused naming the byte, usage mistakes exit 2; and the progress bar on a terminal and off it.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import { residentIdCheckChar } from '@tongban/kernel';
import { createTestDatabase, databaseLabel, type TestDatabase } from '@tongban/kernel/testing';
import { Progress, formatDuration } from '../src/progress.ts';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const bin = fileURLToPath(new URL('../bin/tongban.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'tongban-import-'));
let database: TestDatabase;
before(async () => {
  database = await createTestDatabase();
});
after(async () => {
  await database?.drop();
  rmSync(dir, { recursive: true, force: true });
});

interface Finished {
  code: number;
  stdout: string;
  stderr: string;
}

async function tongban(args: string[]): Promise<Finished> {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(
      ([k]) => !k.startsWith('TONGBAN_') && k !== 'NODE_ENV' && k !== 'NODE_TEST_CONTEXT',
    ),
  );
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [bin, ...args], {
      cwd: root,
      env: {
        ...env,
        TONGBAN_DATA_DIR: join(dir, 'data'),
        TONGBAN_LOG_LEVEL: 'error',
        ...(database.url ? { TONGBAN_DATABASE_URL: database.url } : {}),
      },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const id = (seq: number) => {
  const first = `33010219850615${String(seq).padStart(3, '0')}`;
  return first + residentIdCheckChar(first);
};

describe(`tongban import (${databaseLabel})`, () => {
  const file = join(dir, 'population-2026.csv');
  before(() =>
    writeFileSync(
      file,
      [
        'idNumber,name,gender,birthDate',
        `${id(11)},张三,男,1985/6/15`,
        `${id(12)},李四,女,1985年6月15日`,
        `${id(13).slice(0, 17)}${id(13).endsWith('0') ? '1' : '0'},王五,男,1985-06-15`,
        `${id(15)},赵六,男,1985-06-31`,
      ].join('\n'),
    ),
  );

  test('prints the report: stored, and each row not stored with its number and reason', async () => {
    const r = await tongban(['import', 'population', file]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /imported file:population-2026\.csv into population/);
    assert.match(r.stdout, /stored new\s+2/);
    assert.match(r.stdout, /rejected\s+2/);
    assert.match(
      r.stdout,
      /row 3 \(line 4\)\s+rejected\s+BAD_CHECK_DIGIT\s+idNumber 校验位错误 \/ fails its check digit/,
    );
    assert.match(r.stdout, /row 4 \(line 5\)\s+rejected\s+NO_SUCH_DATE\s+birthDate/);
    // not a terminal: plain progress lines, not redrawn ones
    assert.match(r.stderr, /population .*100%.*rows\/s.*ETA/);
    assert.doesNotMatch(r.stderr, /\r/);
  });

  test('the same file again stores nothing new', async () => {
    const r = await tongban(['import', 'population', file]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /imported completely before .*nothing new stored/);
  });

  test('GBK bytes in a file declared UTF-8: refused, nothing imported, the byte named', async () => {
    const gbk = join(dir, 'gbk.csv');
    writeFileSync(
      gbk,
      Buffer.concat([Buffer.from(`idNumber,name\n${id(17)},`), Buffer.from([0xd5, 0xc5]), Buffer.from('\n')]),
    );
    const r = await tongban(['import', 'population', gbk]);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /refused, nothing imported.*not UTF-8.*--encoding gbk.*row 1, line 2, byte offset 33/);
    const ok = await tongban(['import', 'population', gbk, '--encoding', 'gbk']);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /stored new\s+1/);
  });

  test('a cleaning config naming an unknown step is refused before anything is read', async () => {
    const config = join(dir, 'rules.json');
    writeFileSync(config, JSON.stringify({ resource: 'population', items: { name: ['trim', 'soundex'] } }));
    const r = await tongban(['import', 'population', file, '--config', config]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /unknown step "soundex"/);
  });

  const usage: [string, string[], RegExp][] = [
    ['an unknown resource', ['import', 'pets', 'x.csv'], /no data resource 'pets'/],
    ['no file', ['import', 'population'], /usage: tongban import/],
    ['an unknown encoding', ['import', 'population', 'x.csv', '--encoding', 'latin1'], /--encoding takes utf-8 or gbk/],
    ['an unknown format', ['import', 'population', 'x.csv', '--format', 'xml'], /--format takes csv or json/],
    ['persons not a number', ['seed', '--persons', 'many'], /--persons takes a positive whole number/],
  ];
  for (const [what, args, message] of usage)
    test(`${what}: exit 2 and one line`, async () => {
      const r = await tongban(args);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, message);
    });

  test('seed --persons N fills the registries with a progress bar', async () => {
    const r = await tongban(['seed', '--persons', '300']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /population\s+300 rows: 300 new/);
    assert.match(r.stdout, /birth-record\s+\d+ rows/);
    assert.match(r.stdout, /seeded 300 persons/);
    assert.match(r.stderr, /real-estate .*100%/);
  });
});

describe('the progress bar', () => {
  const output = (isTTY: boolean) => {
    const written: string[] = [];
    return { written, out: { isTTY, write: (s: string) => written.push(s) } };
  };
  test('on a terminal: one line redrawn in place, rows/s and the time left', () => {
    let now = 0;
    const { written, out } = output(true);
    const bar = new Progress({ label: 'population', total: 1000, out, now: () => now });
    now = 1000;
    bar.update(250);
    bar.update(500);
    bar.finish(1000);
    assert.ok(written.every((w) => w.startsWith('\r')));
    assert.match(written[0]!, /\[██████░+\]\s+25%\s+250\/1,000 rows\s+250 rows\/s\s+ETA 0:03/);
    assert.ok(written.at(-1)!.endsWith('\n'));
  });
  test('off a terminal: a line at most every few seconds, and the last one', () => {
    let now = 0;
    const { written, out } = output(false);
    const bar = new Progress({ label: 'population', total: 100, out, lineEveryMs: 5000, now: () => now });
    for (let done = 10; done <= 100; done += 10) {
      now += 1000;
      bar.update(done);
    }
    bar.finish();
    assert.equal(written.length, 3); // at 1 s, at 6 s, and the final
    assert.ok(written.every((w) => w.endsWith('\n') && !w.includes('\r')));
    assert.match(written.at(-1)!, /100%/);
  });
  test('a resumed run counts only its own rows in the rate', () => {
    let now = 0;
    const { written, out } = output(false);
    const bar = new Progress({ label: 'p', total: 1000, startAt: 600, out, now: () => now });
    now = 2000;
    bar.update(800);
    assert.match(written[0]!, /800\/1,000 rows\s+100 rows\/s\s+ETA 0:02/);
  });
  test('durations', () => {
    assert.equal(formatDuration(59), '0:59');
    assert.equal(formatDuration(3725), '1:02:05');
    assert.equal(formatDuration(Infinity), '--:--');
  });
});
