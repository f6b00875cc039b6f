import { isIsoDate, type FieldError } from '@tongban/kernel';
import type { DataElement } from './model.ts';

type JsonType = 'string' | 'integer' | 'number' | 'boolean';

const JSON_TYPE: Record<DataElement['type'], JsonType> = {
  string: 'string',
  integer: 'integer',
  number: 'number',
  boolean: 'boolean',
  date: 'string',
  code: 'string',
};

export function jsonTypeOf(element: DataElement): JsonType {
  return JSON_TYPE[element.type];
}

/** The JSON Schema a data element implies for any field bound to it. */
export function elementSchema(element: DataElement): Record<string, unknown> {
  const schema: Record<string, unknown> = {
    type: jsonTypeOf(element),
    title: element.name.zh,
    'x-title-en': element.name.en,
  };
  if (element.type === 'date') schema.format = 'date';
  if (element.type === 'code' && element.values) schema.enum = element.values.map((v) => v.code);
  if (element.pattern) schema.pattern = element.pattern;
  if (element.maxLength !== undefined) schema.maxLength = element.maxLength;
  if (element.minimum !== undefined) schema.minimum = element.minimum;
  if (element.maximum !== undefined) schema.maximum = element.maximum;
  return schema;
}

/** The element's own rules fit its type: bounds for numbers and dates, check characters for strings. */
export function checkElementRules(element: DataElement): FieldError[] {
  const errors: FieldError[] = [];
  const only = (field: keyof DataElement, types: readonly DataElement['type'][]) => {
    if (element[field] !== undefined && !types.includes(element.type)) {
      errors.push({ field, code: 'not_allowed', message: `${field} applies to ${types.join(' and ')} elements only` });
    }
  };
  only('minimum', ['integer', 'number']);
  only('maximum', ['integer', 'number']);
  only('minDate', ['date']);
  only('maxDate', ['date']);
  only('check', ['string']);
  if (element.minimum !== undefined && element.maximum !== undefined && element.minimum > element.maximum) {
    errors.push({ field: 'maximum', code: 'empty_range', message: 'maximum is below minimum' });
  }
  for (const field of ['minDate', 'maxDate'] as const) {
    const bound = element[field];
    if (bound !== undefined && !bound.startsWith('today') && !isIsoDate(bound)) {
      errors.push({ field, code: 'invalid_date', message: `${bound} is not a calendar date` });
    }
  }
  if (
    element.minDate &&
    element.maxDate &&
    isIsoDate(element.minDate) &&
    isIsoDate(element.maxDate) &&
    element.minDate > element.maxDate
  ) {
    errors.push({ field: 'maxDate', code: 'empty_range', message: 'maxDate is before minDate' });
  }
  return errors;
}
