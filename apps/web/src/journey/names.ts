// The catalog's names for what an application's tasks point at: matters (at the version pinned)
// and departments, read through useApi's catalog cache.
import type { LocalizedText } from '../i18n/messages.ts';
import { catalogPaths, type Department, type Matter } from '../lib/catalog.ts';
import { useApiAll } from '../lib/useApi.ts';
import type { TaskView } from './model.ts';

export interface Names {
  matter(code: string): LocalizedText | undefined;
  department(code: string): LocalizedText | undefined;
}

export function useTaskNames(
  tasks: readonly Pick<TaskView, 'matterCode' | 'matterVersion' | 'departmentCode'>[],
): Names {
  const matterPaths = [...new Set(tasks.map((t) => catalogPaths.matter(t.matterCode, t.matterVersion)))].sort();
  const deptPaths = [...new Set(tasks.map((t) => catalogPaths.department(t.departmentCode)))].sort();
  const matters = useApiAll<Matter>(matterPaths.length ? matterPaths : null);
  const depts = useApiAll<Department>(deptPaths.length ? deptPaths : null);
  const m = new Map(matters.state === 'ok' ? matters.data.map((x) => [x.code, x.name]) : []);
  const d = new Map(depts.state === 'ok' ? depts.data.map((x) => [x.code, x.name]) : []);
  return { matter: (code) => m.get(code), department: (code) => d.get(code) };
}
