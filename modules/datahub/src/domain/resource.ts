// 政务数据资源目录: what a resource is. A resource belongs to one department, is shared
// unconditionally, on conditions (a grant per consumer and purpose) or not at all, carries a
// classification level and an update cycle, and is made of information items (信息项) bound to
// the catalog's data elements, so a value read from it means what a form field bound to the
// same element means.
import type { LocalizedText } from '@tongban/contracts';

export const SHARING_TYPES = ['unconditional', 'conditional', 'none'] as const;
export type SharingType = (typeof SHARING_TYPES)[number];
export const UPDATE_CYCLES = ['realtime', 'daily', 'weekly', 'monthly', 'yearly'] as const;
export type UpdateCycle = (typeof UPDATE_CYCLES)[number];
export const ITEM_TYPES = ['string', 'date', 'code', 'integer', 'number'] as const;
export type ItemType = (typeof ITEM_TYPES)[number];

export interface ResourceItem {
  readonly key: string;
  readonly name: LocalizedText;
  /** The catalog data element the item carries (e.g. `mother.idNumber`), when there is one. */
  readonly element: string | null;
  readonly type: ItemType;
  /** Personal information (个人信息): masked on the way out, read only under a grant. */
  readonly personal: boolean;
  /** Looked up by exact value through a blind index (an ID number in another person's row). */
  readonly indexed?: boolean;
  /** The item is a person's resident ID number: the row is about that person (the ledger's subject). */
  readonly subject?: boolean;
  /** A GB 11643 ID number or a GB 32100 credit code: rows failing the check digit are rejected. */
  readonly check?: 'gb11643' | 'gb32100';
}

export interface ResourceDefinition {
  readonly code: string;
  readonly name: LocalizedText;
  readonly departmentCode: string;
  readonly sharing: SharingType;
  /** Classification level (数据分级), 1 (public) to 4 (most sensitive). */
  readonly level: 1 | 2 | 3 | 4;
  readonly updateCycle: UpdateCycle;
  /** The item whose value identifies a row (an ID number, a certificate number). */
  readonly keyItem: string;
  readonly items: readonly ResourceItem[];
  /** Rows come from an authoritative registry: values read from it are government-verified. */
  readonly authoritative: boolean;
}

export interface DefinitionProblem {
  readonly field: string;
  readonly code: string;
  readonly message: string;
}

/**
 * What is wrong with a definition (shape is the API schema's): duplicate item keys, a key item
 * that is not an item, an element the catalog does not publish (when `elements` is known), an
 * index or subject flag where it cannot work.
 */
export function definitionProblems(
  def: ResourceDefinition,
  elements: ReadonlySet<string> | undefined,
): DefinitionProblem[] {
  const problems: DefinitionProblem[] = [];
  const keys = new Set<string>();
  def.items.forEach((item, i) => {
    const at = `body.items.${i}`;
    if (keys.has(item.key)) problems.push({ field: `${at}.key`, code: 'duplicate', message: `item ${item.key} twice` });
    keys.add(item.key);
    if (item.element !== null && elements && !elements.has(item.element))
      problems.push({ field: `${at}.element`, code: 'unknown_element', message: `no data element ${item.element}` });
    if (item.subject && item.type !== 'string')
      problems.push({ field: `${at}.subject`, code: 'subject_not_text', message: 'a subject item holds an ID number' });
  });
  if (!keys.has(def.keyItem))
    problems.push({ field: 'body.keyItem', code: 'not_an_item', message: `${def.keyItem} is not an item` });
  return problems;
}
