// What publishing checks (发布校验), without a database: forms against the data-element
// dictionary, deadlines and codes of a matter, a bundle's items and dependencies, and the merged
// form (一表申请) of a bundle.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { FieldError } from '@tongban/kernel';
import type {
  Bundle,
  BundleItem,
  DataElement,
  FormField,
  FormSchema,
  Matter,
  MatterVersion,
} from '../src/domain/model.ts';
import { checkBundle, checkForm, checkMatter, findCycle, mergeForms } from '../src/domain/publish.ts';

const text = (zh: string, en: string) => ({ zh, en });

const dictionary: readonly DataElement[] = [
  { id: 'person.name', name: text('申请人姓名', "Applicant's name"), type: 'string', maxLength: 50 },
  { id: 'child.birthWeight', name: text('出生体重（克）', 'Birth weight (grams)'), type: 'integer' },
  { id: 'child.birthDate', name: text('出生日期', 'Date of birth'), type: 'date' },
  {
    id: 'person.gender',
    name: text('性别', 'Gender'),
    type: 'code',
    values: [
      { code: '1', name: text('男', 'Male') },
      { code: '2', name: text('女', 'Female') },
    ],
  },
];
const elements: ReadonlyMap<string, DataElement> = new Map(dictionary.map((e) => [e.id, e]));
const departments: ReadonlySet<string> = new Set(['330100-WJW']);
const refs = { elements, departments };

const bind = (element: string, narrowing: Record<string, unknown> = {}): FormField => ({
  'x-data-element': element,
  ...narrowing,
});

function form(properties: Record<string, FormField>, required: string[] = Object.keys(properties)): FormSchema {
  return { type: 'object', properties, required };
}

function matter(overrides: Partial<Matter> = {}): Matter {
  return {
    code: 'M-1',
    name: text('出生医学证明签发', 'Issue of the Medical Certificate of Birth'),
    description: text('说明', 'About'),
    departmentCode: '330100-WJW',
    legalDays: 5,
    promisedDays: 1,
    fees: [],
    materials: [{ code: 'mother-id-card', name: text('母亲居民身份证', "Mother's ID card"), required: true }],
    form: form({
      childName: bind('person.name'),
      birthDate: bind('child.birthDate', { type: 'string', format: 'date' }),
    }),
    lifeEvents: ['birth'],
    ...overrides,
  };
}

function published(code: string, formSchema: FormSchema = form({ name: bind('person.name') })): MatterVersion {
  return { ...matter({ code, form: formSchema }), version: 1, publishedAt: '2026-01-05T00:00:00.000Z' };
}

/** `field code` of each problem, the part an operator's screen keys on. */
const found = (errors: readonly FieldError[]) => errors.map((e) => `${e.field} ${e.code}`);

describe('a matter form binds every field to the data-element dictionary', () => {
  it('a well-formed matter has nothing to fix', () => {
    assert.deepEqual(checkMatter(matter(), refs), []);
  });

  it('a field bound to an unknown data element is refused at its x-data-element', () => {
    const errors = checkForm(form({ x: bind('person.nickname') }), elements);
    assert.deepEqual(found(errors), ['form.properties.x.x-data-element unknown_data_element']);
    assert.match(errors[0]!.message, /person\.nickname/);
  });

  it('a field without x-data-element is refused: every field binds to an element', () => {
    const unbound = { type: 'string' } as unknown as FormField;
    assert.deepEqual(found(checkForm(form({ free: unbound }), elements)), [
      'form.properties.free.x-data-element unbound_field',
    ]);
  });

  it('a field may not contradict the type of its element', () => {
    const errors = checkForm(
      form({
        weight: bind('child.birthWeight', { type: 'string' }),
        name: bind('person.name', { type: 'integer' }),
      }),
      elements,
    );
    assert.deepEqual(found(errors), [
      'form.properties.weight.type contradicts_data_element',
      'form.properties.name.type contradicts_data_element',
    ]);
  });

  it('a field may repeat the type of its element', () => {
    assert.deepEqual(
      checkForm(
        form({ weight: bind('child.birthWeight', { type: 'integer' }), name: bind('person.name', { type: 'string' }) }),
        elements,
      ),
      [],
    );
  });

  it('a date field keeps the date format', () => {
    assert.deepEqual(
      found(checkForm(form({ born: bind('child.birthDate', { type: 'string', format: 'date-time' }) }), elements)),
      ['form.properties.born.format contradicts_data_element'],
    );
    assert.deepEqual(checkForm(form({ born: bind('child.birthDate', { format: 'date' }) }), elements), []);
  });

  it("enum values must lie inside a code element's value domain (值域)", () => {
    const errors = checkForm(form({ gender: bind('person.gender', { enum: ['1', '3'] }) }), elements);
    assert.deepEqual(found(errors), ['form.properties.gender.enum contradicts_data_element']);
    assert.match(errors[0]!.message, /\b3\b/);
    assert.deepEqual(
      checkForm(form({ gender: bind('person.gender', { enum: ['2'] }) }), elements),
      [],
      'a narrower domain is fine',
    );
  });

  it('only a code element can be narrowed to an enum', () => {
    assert.deepEqual(found(checkForm(form({ name: bind('person.name', { enum: ['张三'] }) }), elements)), [
      'form.properties.name.enum contradicts_data_element',
    ]);
  });

  it('a form that is not valid JSON Schema is refused as a whole', () => {
    for (const broken of [{ type: 12 }, { minLength: -1 }]) {
      const errors = checkForm(form({ a: bind('person.name', broken) }), elements);
      assert.deepEqual(found(errors), ['form invalid_schema'], JSON.stringify(broken));
      assert.match(errors[0]!.message, /not a valid JSON Schema/);
    }
  });

  it("a field's pattern that does not compile is named by its field", () => {
    assert.deepEqual(found(checkForm(form({ a: bind('person.name', { pattern: '(' }) }), elements)), [
      'form.properties.a.pattern invalid_pattern',
    ]);
  });

  it('a required field must be one of the properties', () => {
    assert.deepEqual(found(checkForm(form({ name: bind('person.name') }, ['name', 'ghost']), elements)), [
      'form.required unknown_field',
    ]);
  });

  it('a form that declares an $id can be checked again for its next version', () => {
    const withId = (): FormSchema => ({ ...form({ name: bind('person.name') }), $id: 'https://forms.example.org/M-1' });
    assert.deepEqual(checkForm(withId(), elements), []);
    assert.deepEqual(checkForm(withId(), elements), [], 'the second check is not refused as a duplicate $id');
  });
});

describe('a matter keeps its promises and codes in order', () => {
  it('the promised deadline (承诺时限) may not exceed the legal deadline (法定时限)', () => {
    assert.deepEqual(found(checkMatter(matter({ legalDays: 5, promisedDays: 6 }), refs)), [
      'promisedDays promise_exceeds_law',
    ]);
    assert.deepEqual(
      checkMatter(matter({ legalDays: 5, promisedDays: 5 }), refs),
      [],
      'promising the legal deadline itself is fine',
    );
  });

  it('material and fee codes are unique within a matter', () => {
    const material = (code: string) => ({ code, name: text('材料', 'Material'), required: true });
    const fee = (code: string) => ({ code, name: text('费用', 'Fee'), amountFen: 0 });
    const errors = checkMatter(
      matter({
        materials: [material('id-card'), material('photo'), material('id-card')],
        fees: [fee('stamp'), fee('stamp')],
      }),
      refs,
    );
    assert.deepEqual(found(errors), ['materials.2.code duplicate_code', 'fees.1.code duplicate_code']);
  });

  it('秒批 rules must compile as CEL over the variables the workflow binds, give a boolean, and have unique ids', () => {
    const rule = (id: string, when: string) => ({ id, name: text('规则', 'Rule'), when });
    assert.deepEqual(
      checkMatter(
        matter({ autoApprove: [rule('parent', 'form.relation in ["1", "2"] && prerequisites["A"] == "approved"')] }),
        refs,
      ),
      [],
    );
    const errors = checkMatter(
      matter({
        autoApprove: [
          rule('broken', 'form.relation ==='),
          rule('stranger', 'secret.x == 1'),
          rule('number', 'size(form)'),
          rule('broken', 'true'),
        ],
      }),
      refs,
    );
    assert.deepEqual(found(errors), [
      'autoApprove.3.id duplicate_code',
      'autoApprove.0.when invalid_rule',
      'autoApprove.1.when invalid_rule',
      'autoApprove.2.when rule_not_boolean',
    ]);
  });

  it('the department must exist', () => {
    assert.deepEqual(found(checkMatter(matter({ departmentCode: '330100-XX' }), refs)), [
      'departmentCode unknown_department',
    ]);
  });

  it('every problem is reported at once, so the operator fixes the draft in one go', () => {
    const errors = checkMatter(
      matter({
        promisedDays: 9,
        form: form({ x: bind('nobody.knows'), gender: bind('person.gender', { enum: ['7'] }) }),
      }),
      refs,
    );
    assert.deepEqual(found(errors), [
      'promisedDays promise_exceeds_law',
      'form.properties.x.x-data-element unknown_data_element',
      'form.properties.gender.enum contradicts_data_element',
    ]);
  });
});

describe('a bundle (一件事) runs published matters in dependency order', () => {
  const item = (matterCode: string, ...dependsOn: string[]): BundleItem => ({ matterCode, dependsOn });
  const bundle = (...items: BundleItem[]): Bundle => ({
    code: 'B',
    name: text('出生一件事', 'Birth'),
    description: text('说明', 'About'),
    lifeEvent: 'birth',
    items,
    promisedDays: 5,
  });
  const all = (...codes: string[]) => new Map(codes.map((c) => [c, published(c)]));

  it('published matters without a cycle make a valid bundle', () => {
    assert.deepEqual(checkBundle(bundle(item('A'), item('B', 'A'), item('C', 'A', 'B')), all('A', 'B', 'C')), []);
  });

  it('every item must have a published matter', () => {
    assert.deepEqual(found(checkBundle(bundle(item('A'), item('B', 'A')), all('A'))), [
      'items.1.matterCode matter_not_published',
    ]);
  });

  it('a dependency must be another item of the same bundle', () => {
    assert.deepEqual(found(checkBundle(bundle(item('A', 'Z')), all('A'))), ['items.0.dependsOn.0 unknown_dependency']);
  });

  it('a matter cannot depend on itself', () => {
    assert.deepEqual(found(checkBundle(bundle(item('A'), item('B', 'A', 'B')), all('A', 'B'))), [
      'items.1.dependsOn.1 self_dependency',
    ]);
  });

  it('a matter appears only once in a bundle', () => {
    assert.deepEqual(found(checkBundle(bundle(item('A'), item('A')), all('A'))), ['items.1.matterCode duplicate_code']);
  });

  it('a dependency cycle is reported with its path', () => {
    const errors = checkBundle(bundle(item('A', 'B'), item('B', 'C'), item('C', 'A')), all('A', 'B', 'C'));
    assert.deepEqual(found(errors), ['items dependency_cycle']);
    assert.match(errors[0]!.message, /A → B → C → A/);
    assert.deepEqual(findCycle([item('A', 'B'), item('B', 'C'), item('C', 'A')]), ['A', 'B', 'C', 'A']);
  });
});

describe('findCycle agrees with topological ordering', () => {
  /** Kahn's algorithm: whether every item can be scheduled after the items it depends on. */
  function hasTopologicalOrder(items: readonly BundleItem[]): boolean {
    const codes = new Set(items.map((i) => i.matterCode));
    const waiting = new Map(
      items.map((i) => [i.matterCode, new Set(i.dependsOn.filter((d) => codes.has(d) && d !== i.matterCode))]),
    );
    let progress = true;
    while (progress) {
      progress = false;
      for (const [code, deps] of waiting) {
        if (deps.size > 0) continue;
        waiting.delete(code);
        for (const other of waiting.values()) other.delete(code);
        progress = true;
      }
    }
    return waiting.size === 0;
  }

  // Up to 7 matters; "i depends on j" edges with j < i form a DAG, then a few edges in any
  // direction (including to matters outside the bundle) may or may not close a cycle.
  const graphs = fc.integer({ min: 1, max: 7 }).chain((n) =>
    fc
      .record({
        forward: fc.array(fc.boolean(), { minLength: n * n, maxLength: n * n }),
        extra: fc.array(fc.tuple(fc.nat(n - 1), fc.nat(n)), { maxLength: 3 }),
      })
      .map(({ forward, extra }) => {
        const code = (i: number) => `M${i}`;
        return Array.from({ length: n }, (_, i): BundleItem => ({
          matterCode: code(i),
          dependsOn: [
            ...Array.from({ length: i }, (_, j) => j)
              .filter((j) => forward[i * n + j])
              .map(code),
            ...extra.filter(([from]) => from === i).map(([, to]) => code(to)),
          ],
        }));
      }),
  );

  it('a cycle is found exactly when no topological order exists', () => {
    fc.assert(
      fc.property(graphs, (items) => {
        assert.equal(findCycle(items) !== undefined, !hasTopologicalOrder(items));
      }),
      { numRuns: 500 },
    );
  });

  it('a cycle found is a closed path along real dependencies', () => {
    fc.assert(
      fc.property(graphs, (items) => {
        const cycle = findCycle(items);
        if (!cycle) return;
        const deps = new Map(items.map((i) => [i.matterCode, i.dependsOn]));
        assert.ok(cycle.length >= 3, 'at least two distinct matters: self-dependency is reported on its own');
        assert.equal(cycle[0], cycle.at(-1));
        for (let k = 0; k + 1 < cycle.length; k++)
          assert.ok(deps.get(cycle[k]!)?.includes(cycle[k + 1]!), `${cycle[k]} depends on ${cycle[k + 1]}`);
      }),
      { numRuns: 500 },
    );
  });
});

describe("a bundle's merged form (一表申请) asks each data element once", () => {
  const birthCertificate = published(
    '330100-WJW-001',
    form(
      {
        childName: bind('person.name', { maxLength: 30 }),
        gender: bind('person.gender', { enum: ['1', '2'] }),
        weight: bind('child.birthWeight', { minimum: 500 }),
      },
      ['childName'],
    ),
  );
  const registration = published(
    '330100-GA-001',
    form(
      {
        name: bind('person.name', { maxLength: 20 }),
        sex: bind('person.gender', { enum: ['2', '1'] }),
        born: bind('child.birthDate'),
      },
      ['sex'],
    ),
  );
  const women = published('330100-YB-002', form({ sex: bind('person.gender', { enum: ['2'] }) }, []));
  const { form: merged, fields } = mergeForms([birthCertificate, registration, women], elements);

  it('each shared data element becomes one field, whatever the matters call it', () => {
    assert.deepEqual(Object.keys(merged.properties).sort(), [
      'child.birthDate',
      'child.birthWeight',
      'person.gender',
      'person.name',
    ]);
    assert.deepEqual(fields.map((f) => f.element).sort(), Object.keys(merged.properties).sort());
  });

  it('a field lists the matters that need it', () => {
    assert.deepEqual(merged.properties['person.gender']!['x-matters'], [
      '330100-WJW-001',
      '330100-GA-001',
      '330100-YB-002',
    ]);
    assert.deepEqual(merged.properties['child.birthDate']!['x-matters'], ['330100-GA-001']);
  });

  it('a field is required when any matter requires it', () => {
    assert.deepEqual([...(merged.required ?? [])].sort(), ['person.gender', 'person.name']);
  });

  it('the strictest narrowing wins: the shortest maxLength, the common enum values, the highest minimum', () => {
    assert.equal(merged.properties['person.name']!.maxLength, 20);
    assert.deepEqual(merged.properties['person.gender']!.enum, ['2']);
    assert.equal(merged.properties['child.birthWeight']!.minimum, 500);
    assert.equal(merged.properties['child.birthDate']!.format, 'date', 'the element says what a date is');
  });

  it("a field cannot loosen its element's own limits", () => {
    const loose = mergeForms([published('X', form({ name: bind('person.name', { maxLength: 500 }) }))], elements);
    assert.equal(loose.form.properties['person.name']!.maxLength, 50);
  });

  it('the merged form is itself a valid form bound to the dictionary', () => {
    assert.deepEqual(checkForm(merged, elements), []);
  });
});
