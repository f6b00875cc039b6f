// Department names for the console's tables: one read of the list (the portal's cached useApi).
import { useCallback } from 'react';
import { useI18n } from '../i18n/context.tsx';
import type { Department } from '../lib/catalog.ts';
import { useApi } from '../lib/useApi.ts';

export function useDepartmentNames(): (code: string) => string {
  const { text } = useI18n();
  const list = useApi<Department[]>('catalog/departments');
  const data = list.state === 'ok' ? list.data : undefined;
  return useCallback(
    (code: string) => {
      const d = data?.find((x) => x.code === code);
      return d ? text(d.name) : code;
    },
    [data, text],
  );
}
