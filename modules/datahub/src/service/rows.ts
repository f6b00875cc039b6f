// How a resource's row is stored: its items sealed as one JSON value, its key and indexed items
// as keyed blind indexes, and the persons it is about as person keys (the ledger's subjects).
// Every writer (seed, import, API) goes through sealRow, every reader through openRow.
import { createHash } from 'node:crypto';
import type { FieldCipher } from '@tongban/kernel';
import type { ResourceDefinition } from '../domain/resource.ts';

/**
 * A row's ciphertext is bound to its place (resource and record key): one row's data copied over
 * another's, by anyone who can write the table, does not open.
 */
export const recordAad = (resource: string, recordKey: string): string =>
  `datahub.record.data:${resource}:${recordKey}`;

/** Row values by item key, as cleaned (strings, numbers; dates as YYYY-MM-DD). */
export type RowValues = Readonly<Record<string, string | number | null>>;

export interface SealedRow {
  readonly record_key: string;
  readonly lookup: string[];
  readonly subjects: string[];
  readonly data: string;
}

/** A person's key in the hub and the ledger's subject: `pk-` and 32 hex characters, keyed by the hub. */
export const personKey = (fields: FieldCipher, idNumber: string): string =>
  `pk-${createHash('sha256').update(fields.blindIndex('person', idNumber.toUpperCase())).digest('hex').slice(0, 32)}`;

/** The blind index of a row's key value. */
export const recordKey = (fields: FieldCipher, resource: string, value: string): string =>
  fields.blindIndex(`key:${resource}`, value.toUpperCase());

/** The lookup entry of an indexed item's value: `<item>=<blind index>`. */
export const lookupKey = (fields: FieldCipher, resource: string, item: string, value: string): string =>
  `${item}=${fields.blindIndex(`item:${resource}.${item}`, value.toUpperCase())}`;

export async function sealRow(
  fields: FieldCipher,
  resource: ResourceDefinition,
  values: RowValues,
): Promise<SealedRow> {
  const key = values[resource.keyItem];
  if (key === null || key === undefined || key === '') throw new Error(`row without its key item ${resource.keyItem}`);
  const lookup: string[] = [];
  const subjects: string[] = [];
  for (const item of resource.items) {
    const v = values[item.key];
    if (v === null || v === undefined || v === '') continue;
    if (item.indexed) lookup.push(lookupKey(fields, resource.code, item.key, String(v)));
    if (item.subject) subjects.push(personKey(fields, String(v)));
  }
  const record_key = recordKey(fields, resource.code, String(key));
  return {
    record_key,
    lookup,
    subjects: [...new Set(subjects)],
    data: await fields.seal(JSON.stringify(values), recordAad(resource.code, record_key)),
  };
}

export async function openRow(
  fields: FieldCipher,
  row: { readonly resource_code: string; readonly record_key: string; readonly data: string },
): Promise<RowValues> {
  return JSON.parse(await fields.open(row.data, recordAad(row.resource_code, row.record_key))) as RowValues;
}
