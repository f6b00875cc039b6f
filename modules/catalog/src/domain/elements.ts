import type { DataElement } from './model.ts';

type JsonType = 'string' | 'integer' | 'number' | 'boolean';

const JSON_TYPE: Record<DataElement['type'], JsonType> = {
  string: 'string', integer: 'integer', number: 'number', boolean: 'boolean', date: 'string', code: 'string',
};

export function jsonTypeOf(element: DataElement): JsonType {
  return JSON_TYPE[element.type];
}

/** The JSON Schema a data element implies for any field bound to it. */
export function elementSchema(element: DataElement): Record<string, unknown> {
  const schema: Record<string, unknown> = { type: jsonTypeOf(element), title: element.name.zh, 'x-title-en': element.name.en };
  if (element.type === 'date') schema.format = 'date';
  if (element.type === 'code' && element.values) schema.enum = element.values.map((v) => v.code);
  if (element.pattern) schema.pattern = element.pattern;
  if (element.maxLength !== undefined) schema.maxLength = element.maxLength;
  return schema;
}
