// The demo city's data hub: the four registries in the resource catalogue, rows consistent with
// identity's demo accounts (张三, 李四, their newborn, 张三's company and flat, and a few more
// residents), and the workflow's grants: for each demo matter and bundle, the items of each
// registry that the data elements of its form are read from, and the population items a
// counter's resolve reads.
import { creditCodeCheckChar, residentIdCheckChar, type ModuleContext } from '@tongban/kernel';
import { CatalogApi } from '@tongban/contracts';
import { randomUUID } from 'node:crypto';
import { ELEMENT_SOURCES, ROLE_SOURCES, type RowFinder } from '../domain/prefill.ts';
import { BIRTH_RECORD, ENTERPRISE, POPULATION, REAL_ESTATE, REGISTRIES } from '../domain/registries.ts';
import type { ResourceDefinition } from '../domain/resource.ts';
import { SEED_STEWARD } from '../service/access.ts';
import { RESOLVE_ITEMS } from '../service/resolve.ts';
import { sealRow, type RowValues } from '../service/rows.ts';
import { catalogElements, publishResource } from '../service/resources.ts';
import { insertGrant } from '../store/grants.ts';
import { upsertRecords } from '../store/records.ts';
import { countResources } from '../store/resources.ts';
import { typed } from '../store/tables.ts';

export const WORKFLOW_CONSUMER = 'tongban-workflow';
const id = (first17: string) => first17 + residentIdCheckChar(first17);

export const DEMO = {
  zhang: id('33010619900101123'),
  li: id('33010219920315234'),
  creditCode: '91330100MA2H00001' + creditCodeCheckChar('91330100MA2H00001'),
} as const;

/** The demo matters and bundles (modules/catalog/src/seed/demo-city.ts) the workflow may prefill for. */
export const DEMO_PURPOSES = {
  matters: [
    '330100-WJW-001',
    '330100-CDC-001',
    '330100-GA-001',
    '330100-YB-001',
    '330100-RS-001',
    '330100-YB-002',
    '330100-SCJG-001',
    '330100-GA-002',
    '330100-GA-003',
    '330100-SW-001',
    '330100-RS-002',
    '330100-GJJ-001',
    '330100-SJZY-001',
    '330100-SW-002',
    '330100-BDC-001',
    '330100-GS-001',
    '330100-GD-001',
    '330100-RQ-001',
  ],
  bundles: ['BIRTH', 'BUSINESS-STARTUP', 'PROPERTY-TRANSFER'],
} as const;

/** A day `days` before `now`'s date in China (UTC+8, no daylight saving). */
const chinaDaysBefore = (now: Date, days: number) =>
  new Date(now.getTime() + 8 * 3600_000 - days * 86400_000).toISOString().slice(0, 10);

export function demoRows(now: Date): { resource: ResourceDefinition; values: RowValues }[] {
  const person = (values: RowValues) => ({ resource: POPULATION, values });
  return [
    person({
      idNumber: DEMO.zhang,
      name: '张三',
      gender: '1',
      birthDate: '1990-01-01',
      address: '浙江省杭州市西湖区文三路 1 号',
      householdAddress: '浙江省杭州市西湖区文三路 1 号',
      householdId: '330106000123',
      fatherIdNumber: id('33010619620312101'),
      motherIdNumber: id('33010619640704102'),
      mobile: '13800000001',
    }),
    person({
      idNumber: DEMO.li,
      name: '李四',
      gender: '2',
      birthDate: '1992-03-15',
      address: '浙江省杭州市西湖区文三路 1 号',
      householdAddress: '浙江省杭州市上城区解放路 18 号',
      householdId: '330102000456',
      fatherIdNumber: null,
      motherIdNumber: null,
      mobile: '13800000002',
    }),
    person({
      idNumber: id('33010619620312101'),
      name: '张建国',
      gender: '1',
      birthDate: '1962-03-12',
      address: '浙江省杭州市西湖区文三路 1 号',
      householdAddress: '浙江省杭州市西湖区文三路 1 号',
      householdId: '330106000123',
      fatherIdNumber: null,
      motherIdNumber: null,
      mobile: '13900000011',
    }),
    person({
      idNumber: id('33010619640704102'),
      name: '王秀英',
      gender: '2',
      birthDate: '1964-07-04',
      address: '浙江省杭州市西湖区文三路 1 号',
      householdAddress: '浙江省杭州市西湖区文三路 1 号',
      householdId: '330106000123',
      fatherIdNumber: null,
      motherIdNumber: null,
      mobile: '13900000012',
    }),
    person({
      idNumber: id('33010519881122301'),
      name: '欧阳娜娜',
      gender: '2',
      birthDate: '1988-11-22',
      address: '浙江省杭州市拱墅区湖墅南路 99 号',
      householdAddress: '浙江省杭州市拱墅区湖墅南路 99 号',
      householdId: '330105000789',
      fatherIdNumber: null,
      motherIdNumber: null,
      mobile: '13700000003',
    }),
    {
      resource: BIRTH_RECORD,
      values: {
        certificateNumber: 'Q330100' + chinaDaysBefore(now, 3).replaceAll('-', '') + '0001',
        childName: '张小宝',
        childGender: '1',
        birthDate: chinaDaysBefore(now, 3),
        birthPlace: '浙江大学医学院附属妇产科医院',
        birthWeight: 3400,
        motherIdNumber: DEMO.li,
        motherName: '李四',
        fatherIdNumber: DEMO.zhang,
        fatherName: '张三',
      },
    },
    {
      resource: ENTERPRISE,
      values: {
        creditCode: DEMO.creditCode,
        name: '杭州通办示范科技有限公司',
        type: '1',
        legalRepresentativeIdNumber: DEMO.zhang,
        address: '浙江省杭州市西湖区文三路 1 号 5 楼',
        registeredCapital: 100,
        establishedOn: '2020-06-01',
      },
    },
    {
      resource: REAL_ESTATE,
      values: {
        certificateNumber: '浙(2020)杭州市不动产权第0000001号',
        address: '浙江省杭州市西湖区文二路 8 号 3 幢 201 室',
        area: 89.5,
        ownerIdNumber: DEMO.zhang,
        ownerName: '张三',
      },
    },
  ];
}

/** Items of each registry that a form binding these elements is read from (links included). */
export function itemsForElements(elements: Iterable<string>): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  const add = (resource: string, item: string) => {
    let set = out.get(resource);
    if (!set) out.set(resource, (set = new Set()));
    set.add(item);
  };
  for (const element of elements) {
    for (const c of ELEMENT_SOURCES[element] ?? []) {
      add(ROLE_SOURCES[c.role].resource, c.item);
      const find: RowFinder = ROLE_SOURCES[c.role].find;
      if (find.kind === 'link') add(ROLE_SOURCES[find.from].resource, find.item);
    }
  }
  return out;
}

export async function seedDatahub(ctx: ModuleContext): Promise<string[]> {
  if ((await countResources(typed(ctx.db))) > 0) return [];
  const elements = ctx.modules.locate('catalog') ? await catalogElements(ctx) : undefined;
  for (const r of REGISTRIES) await publishResource(ctx, r, SEED_STEWARD, elements);

  const now = ctx.clock.now();
  const rows = await Promise.all(
    demoRows(now).map(async ({ resource, values }) => ({
      resourceCode: resource.code,
      ...(await sealRow(ctx.fields, resource, values)),
      source: 'seed',
      collectedAt: now,
      tags: ['demo'],
    })),
  );
  await upsertRecords(typed(ctx.db), rows);

  let grants = 0;
  if (ctx.modules.locate('catalog')) {
    const forms: [string, Iterable<string>][] = [];
    for (const code of DEMO_PURPOSES.matters) {
      const m = await ctx.modules.call(CatalogApi.latestMatter, [code]).catch(() => undefined);
      if (m) forms.push([code, Object.values(m.form.properties).map((p) => p['x-data-element'])]);
    }
    for (const code of DEMO_PURPOSES.bundles) {
      const b = await ctx.modules.call(CatalogApi.latestBundle, [code]).catch(() => undefined);
      if (b) forms.push([code, Object.values(b.form.properties).map((p) => p['x-data-element'])]);
    }
    await ctx.transaction(async (trx, events) => {
      for (const [purpose, bound] of forms) {
        const needed = itemsForElements(bound);
        // A counter filing the matter resolves the applicant by ID number first (service/resolve.ts).
        const population = needed.get(POPULATION.code) ?? new Set<string>();
        for (const item of RESOLVE_ITEMS) population.add(item);
        needed.set(POPULATION.code, population);
        for (const [resource, items] of needed) {
          const grant = await insertGrant(typed(trx), {
            id: randomUUID(),
            consumer: WORKFLOW_CONSUMER,
            resource,
            purpose,
            items: [...items].sort(),
            by: 'seed',
          });
          await events.publish('datahub.grant.changed', {
            grantId: grant.id,
            consumer: grant.consumer,
            resource,
            purpose,
            items: [...grant.items],
            change: 'created',
            by: 'seed',
          });
          grants++;
        }
      }
    });
  }
  ctx.log.info({ resources: REGISTRIES.length, rows: rows.length, grants }, 'data hub demo seeded');
  return [];
}
