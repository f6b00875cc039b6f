// Department names for the console's tables, read afresh on each page (an operator may just have
// renamed one); a department's code until the list has arrived.
import { useCallback } from 'react';
import { useI18n } from '../i18n/context.tsx';
import type { Department } from '../lib/catalog.ts';
import { useFresh } from './data.ts';

export function useDepartmentNames(): (code: string) => string {
  const { text } = useI18n();
  const list = useFresh<Department[]>('catalog/departments');
  const data = list.state === 'ok' ? list.data : undefined;
  return useCallback(
    (code: string) => {
      const d = data?.find((x) => x.code === code);
      return d ? text(d.name) : code;
    },
    [data, text],
  );
}
