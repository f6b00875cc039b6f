// Synthetic registries (合成数据) at any scale, valid and consistent with each other: households
// of Hangzhou (region codes 3301xx) whose children name parents that exist in the population,
// hospital birth records of those children, enterprises whose legal representatives are residents,
// and real estate owned by household heads. Every ID number passes GB 11643 (a real date of
// birth, the sex digit, the check character), every credit code GB 32100. Deterministic: the same
// persons and seed give the same rows, so a seed is resumable and idempotent like a file.
import { creditCodeCheckChar, residentIdCheckChar } from '@tongban/kernel';
import { REGISTRY } from './registries.ts';

export type Row = Record<string, string | number | null>;
export type RegistryCode = (typeof REGISTRY)[keyof typeof REGISTRY];

export interface SyntheticOptions {
  readonly persons: number;
  readonly seed?: number;
  /** No one is born after this day (YYYY-MM-DD). */
  readonly today?: string;
}

/** Hangzhou's districts and counties (杭州市辖区/县): GB/T 2260 codes. */
export const HANGZHOU_DISTRICTS = [
  ['330102', '上城区'],
  ['330105', '拱墅区'],
  ['330106', '西湖区'],
  ['330108', '滨江区'],
  ['330109', '萧山区'],
  ['330110', '余杭区'],
  ['330111', '富阳区'],
  ['330112', '临安区'],
  ['330113', '临平区'],
  ['330114', '钱塘区'],
  ['330122', '桐庐县'],
  ['330127', '淳安县'],
  ['330182', '建德市'],
] as const;

const SURNAMES = [
  ...'王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤',
];
const GIVEN_MALE = [...'伟强磊军洋勇杰涛明超刚平辉鹏华飞鑫波斌宇浩凯健俊帆帅旭宁龙林欢阳建国峰亮成志'];
const GIVEN_FEMALE = [...'芳娜敏静丽艳娟霞秀英华慧巧美娅婷雪琳晶妍茜秋珊莎锦黛青倩婧璐瑶怡梦欣悦萱涵'];
const STREETS = [
  ...'文三路 文二路 天目山路 教工路 莫干山路 学院路 延安路 庆春路 解放路 江南大道 滨盛路 金城路 文一西路 良渚路 临平大道'.split(
    ' ',
  ),
];
const HOSPITALS = [
  '浙江大学医学院附属妇产科医院',
  '杭州市妇产科医院',
  '浙江省人民医院',
  '杭州市第一人民医院',
  '浙江大学医学院附属邵逸夫医院',
];
const WORDS = [...'华 新 恒 盛 达 信 通 汇 鼎 泰 弘 智 云 锐 宏 安 源 远 景 和'.split(' ')];
const TRADES = ['科技', '贸易', '网络', '餐饮', '建筑', '物流', '文化传媒', '电子商务', '生物医药', '咨询'];
/** 企业类型 codes (GB/T 38650-style, as the SAMR register writes them). */
const ENTERPRISE_TYPES = ['1100', '1120', '1151', '2100', '4100'];

const CREDIT_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';

/** mulberry32: a small fast deterministic PRNG, plenty for synthetic data. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const DAY_MS = 86_400_000;
const EPOCH = Date.UTC(1900, 0, 1);
const iso = (day: number) => new Date(EPOCH + day * DAY_MS).toISOString().slice(0, 10);
const dayOf = (isoDate: string) => Math.round((Date.parse(`${isoDate}T00:00:00Z`) - EPOCH) / DAY_MS);

interface Person {
  readonly idNumber: string;
  readonly name: string;
  readonly gender: '1' | '2';
  readonly birthDay: number;
}

export interface SyntheticRow {
  readonly resource: RegistryCode;
  readonly values: Row;
}

/** The rows of all four registries, household by household. */
export function* generateRegistries(options: SyntheticOptions): Generator<SyntheticRow> {
  const random = prng(options.seed ?? 20260101);
  const today = dayOf(options.today ?? '2026-06-30');
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const between = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
  // GB 11643 sequence numbers per district, birth day and sex: odd for men, even for women.
  const days = today + 1;
  const sequences = new Uint16Array(HANGZHOU_DISTRICTS.length * days * 2);
  const person = (district: number, birthDay: number, gender: '1' | '2', surname: string): Person => {
    const slot = (district * days + birthDay) * 2 + (gender === '1' ? 0 : 1);
    const n = sequences[slot]!;
    if (n >= 499) {
      // this district and day are full (500 per sex): the next day has room
      return person(district, birthDay > 0 ? birthDay - 1 : birthDay + 1, gender, surname);
    }
    sequences[slot] = n + 1;
    const seq = String(n * 2 + (gender === '1' ? 1 : 2)).padStart(3, '0');
    const first17 = `${HANGZHOU_DISTRICTS[district]![0]}${iso(birthDay).replaceAll('-', '')}${seq}`;
    const given = gender === '1' ? GIVEN_MALE : GIVEN_FEMALE;
    const name = surname + pick(given) + (random() < 0.6 ? pick(given) : '');
    return { idNumber: first17 + residentIdCheckChar(first17), name, gender, birthDay };
  };
  const mobile = () => `1${pick(['3', '5', '7', '8', '9'])}${String(between(0, 999_999_999)).padStart(9, '0')}`;
  const populationRow = (
    p: Person,
    address: string,
    householdId: string,
    father: Person | null,
    mother: Person | null,
  ): SyntheticRow => ({
    resource: REGISTRY.population,
    values: {
      idNumber: p.idNumber,
      name: p.name,
      gender: p.gender,
      birthDate: iso(p.birthDay),
      address,
      householdAddress: address,
      householdId,
      fatherIdNumber: father?.idNumber ?? null,
      motherIdNumber: mother?.idNumber ?? null,
      mobile: today - p.birthDay > 16 * 365 ? mobile() : null,
    },
  });
  let persons = 0;
  let household = 0;
  let certificates = 0;
  let enterprises = 0;
  let deeds = 0;
  const adults: Person[] = []; // a sample of residents to be legal representatives
  while (persons < options.persons) {
    household++;
    const district = Math.floor(random() * HANGZHOU_DISTRICTS.length);
    const [, districtName] = HANGZHOU_DISTRICTS[district]!;
    const address = `浙江省杭州市${districtName}${pick(STREETS)}${between(1, 999)}号${between(1, 30)}幢${between(101, 2804)}室`;
    const householdId = `${HANGZHOU_DISTRICTS[district]![0]}${String(household).padStart(9, '0')}`;
    const fatherBirth = between(dayOf('1950-01-01'), dayOf('1998-12-31'));
    const father = person(district, fatherBirth, '1', pick(SURNAMES));
    yield populationRow(father, address, householdId, null, null);
    persons++;
    adults.push(father);
    let mother: Person | null = null;
    if (persons < options.persons && random() < 0.85) {
      mother = person(
        district,
        Math.min(today - 18 * 365, fatherBirth + between(-5 * 365, 5 * 365)),
        '2',
        pick(SURNAMES),
      );
      yield populationRow(mother, address, householdId, null, null);
      persons++;
      const r = random();
      const children = r < 0.25 ? 0 : r < 0.7 ? 1 : r < 0.95 ? 2 : 3;
      for (let c = 0; c < children && persons < options.persons; c++) {
        const born = mother.birthDay + between(22 * 365, 40 * 365);
        if (born > today) break;
        const gender = random() < 0.51 ? '1' : '2';
        const child = person(district, born, gender, father.name[0]!);
        yield populationRow(child, address, householdId, father, mother);
        persons++;
        certificates++;
        yield {
          resource: REGISTRY.birthRecord,
          values: {
            certificateNumber: `${String.fromCharCode(65 + (Math.floor(born / 3650) % 26))}${String(certificates).padStart(9, '0')}`,
            childName: child.name,
            childGender: child.gender,
            birthDate: iso(born),
            birthPlace: pick(HOSPITALS),
            birthWeight: between(2500, 4300),
            motherIdNumber: mother.idNumber,
            motherName: mother.name,
            fatherIdNumber: father.idNumber,
            fatherName: father.name,
          },
        };
      }
    }
    if (random() < 0.8) {
      deeds++;
      const year = between(2000, 2025);
      yield {
        resource: REGISTRY.realEstate,
        values: {
          certificateNumber: `浙(${year})杭州市不动产权第${String(deeds).padStart(7, '0')}号`,
          address,
          area: Math.round((40 + random() * 160) * 100) / 100,
          ownerIdNumber: father.idNumber,
          ownerName: father.name,
        },
      };
    }
    if (adults.length >= 40) {
      enterprises++;
      const representative = pick(adults);
      adults.length = 0;
      // GB 32100: 9 (registered by SAMR) 1 (enterprise), the region, a 9-character organisation code
      let org = '';
      for (let n = enterprises, k = 0; k < 8; k++, n = Math.floor(n / 31)) org = CREDIT_ALPHABET[n % 31]! + org;
      const first17 = `91${HANGZHOU_DISTRICTS[district]![0]}${org}${between(0, 9)}`;
      yield {
        resource: REGISTRY.enterprise,
        values: {
          creditCode: first17 + creditCodeCheckChar(first17),
          name: `杭州${pick(WORDS)}${pick(WORDS)}${pick(TRADES)}有限公司`,
          type: pick(ENTERPRISE_TYPES),
          legalRepresentativeIdNumber: representative.idNumber,
          address,
          registeredCapital: between(10, 5000),
          establishedOn: iso(between(dayOf('1995-01-01'), today)),
        },
      };
    }
  }
}

/** How many rows of each registry `generateRegistries(options)` yields. */
export function countRegistries(options: SyntheticOptions): Record<RegistryCode, number> {
  const counts: Record<string, number> = {};
  for (const { resource } of generateRegistries(options)) counts[resource] = (counts[resource] ?? 0) + 1;
  return counts as Record<RegistryCode, number>;
}
