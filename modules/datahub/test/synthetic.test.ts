// Synthetic registries: every identifier valid, every reference to a person names one in the
// population, keys unique, and the same options give the same rows.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isValidCreditCode, isValidResidentId } from '@tongban/kernel';
import { cleanRow, defaultCleaning } from '../src/domain/cleaning.ts';
import { REGISTRIES } from '../src/domain/registries.ts';
import { countRegistries, generateRegistries, HANGZHOU_DISTRICTS } from '../src/domain/synthetic.ts';

const rows = [...generateRegistries({ persons: 20_000, seed: 7 })];
const of = (resource: string) => rows.filter((r) => r.resource === resource).map((r) => r.values);
const population = of('population');
const byId = new Map(population.map((p) => [p.idNumber as string, p]));

test('exactly the persons asked for, with unique, valid Hangzhou ID numbers', () => {
  assert.equal(population.length, 20_000);
  assert.equal(byId.size, 20_000);
  const regions = new Set<string>(HANGZHOU_DISTRICTS.map(([code]) => code));
  for (const p of population) {
    const id = p.idNumber as string;
    assert.ok(isValidResidentId(id), id);
    assert.ok(regions.has(id.slice(0, 6)), id);
    assert.equal(id.slice(6, 14), (p.birthDate as string).replaceAll('-', ''));
    assert.equal(Number(id[16]) % 2 === 1 ? '1' : '2', p.gender, 'the sex digit agrees with the gender');
    assert.ok((p.birthDate as string) <= '2026-06-30');
  }
});

test("a child's parents exist in the population, share the household and are older", () => {
  let children = 0;
  for (const p of population) {
    if (!p.fatherIdNumber) continue;
    children++;
    const father = byId.get(p.fatherIdNumber as string)!;
    const mother = byId.get(p.motherIdNumber as string)!;
    assert.ok(father && mother);
    assert.equal(father.gender, '1');
    assert.equal(mother.gender, '2');
    assert.equal(father.householdId, p.householdId);
    assert.ok((mother.birthDate as string) < (p.birthDate as string));
    assert.equal((p.name as string)[0], (father.name as string)[0], 'a child has the father’s surname');
  }
  assert.ok(children > 3000, `${children} children`);
});

test('every birth record is of a child in the population, with its parents', () => {
  const births = of('birth-record');
  assert.ok(births.length > 3000);
  assert.equal(new Set(births.map((b) => b.certificateNumber)).size, births.length);
  for (const b of births) {
    const mother = byId.get(b.motherIdNumber as string)!;
    const father = byId.get(b.fatherIdNumber as string)!;
    assert.equal(mother.name, b.motherName);
    assert.equal(father.name, b.fatherName);
    const child = population.find(
      (p) => p.motherIdNumber === b.motherIdNumber && p.birthDate === b.birthDate && p.name === b.childName,
    );
    assert.ok(child, `a child of ${b.certificateNumber} in the population`);
  }
});

test('enterprises have valid unique credit codes and resident legal representatives; owners exist', () => {
  const enterprises = of('enterprise');
  assert.ok(enterprises.length > 100);
  assert.equal(new Set(enterprises.map((e) => e.creditCode)).size, enterprises.length);
  for (const e of enterprises) {
    assert.ok(isValidCreditCode(e.creditCode as string), e.creditCode as string);
    assert.ok(byId.has(e.legalRepresentativeIdNumber as string));
  }
  const estates = of('real-estate');
  assert.equal(new Set(estates.map((e) => e.certificateNumber)).size, estates.length);
  for (const e of estates) assert.equal(byId.get(e.ownerIdNumber as string)!.name, e.ownerName);
});

test('every row passes its registry’s default cleaning unchanged', () => {
  for (const resource of REGISTRIES) {
    const rules = defaultCleaning(resource);
    for (const values of of(resource.code).slice(0, 2000)) {
      const r = cleanRow(rules, values);
      assert.ok(r.ok, `${resource.code}: ${JSON.stringify(r.ok ? '' : r.rejection)}`);
      assert.deepEqual(r.values, values);
    }
  }
});

test('deterministic: the same options give the same rows; counts agree', () => {
  assert.deepEqual(
    [...generateRegistries({ persons: 500, seed: 7 })],
    [...generateRegistries({ persons: 500, seed: 7 })],
  );
  assert.notDeepEqual(
    [...generateRegistries({ persons: 500, seed: 8 })],
    [...generateRegistries({ persons: 500, seed: 7 })],
  );
  const counts = countRegistries({ persons: 20_000, seed: 7 });
  assert.equal(counts.population, 20_000);
  assert.equal(counts['birth-record'], of('birth-record').length);
});
