// The catalog's data elements (数据元, public): the words for a form's keys and code values.
import type { DataElementView } from '@tongban/contracts';
import { useMemo } from 'react';
import { useApi } from '../lib/useApi.ts';
import { paths } from './types.ts';

export type Elements = ReadonlyMap<string, DataElementView>;

export function useElements(): Elements | undefined {
  const list = useApi<DataElementView[]>(paths.elements());
  return useMemo(() => (list.state === 'ok' ? new Map(list.data.map((e) => [e.id, e])) : undefined), [list]);
}
