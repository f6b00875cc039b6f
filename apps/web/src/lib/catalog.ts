// The catalog's public answers, as the portal reads them. Published versions and departments are
// the contracts' own types (type-only: nothing of typebox reaches the bundle); the search and
// life-event shapes are the catalog module's (modules/catalog/src/api/schemas.ts).
import type { BundleVersionView, DepartmentView, MatterVersionView } from '@tongban/contracts';
import type { LocalizedText } from '../i18n/messages.ts';

export type Matter = MatterVersionView;
export type Bundle = BundleVersionView;
export type Department = DepartmentView;

export interface LifeEvent {
  code: string;
  name: LocalizedText;
}

export interface SearchItem {
  kind: 'matter' | 'bundle' | string;
  code: string;
  version: number;
  name: LocalizedText;
  departmentCode?: string;
  lifeEvents: string[];
}

export interface SearchResult {
  total: number;
  items: SearchItem[];
}

const enc = encodeURIComponent;

export const catalogPaths = {
  lifeEvents: () => 'catalog/life-events',
  search: (query: URLSearchParams) => `catalog/search?${query.toString()}`,
  matter: (code: string, version?: number) => `catalog/matters/${enc(code)}${version ? `?version=${version}` : ''}`,
  bundle: (code: string) => `catalog/bundles/${enc(code)}`,
  department: (code: string) => `catalog/departments/${enc(code)}`,
};

/** The page of a search result. */
export function guideHref(item: Pick<SearchItem, 'kind' | 'code'>): string {
  return `/${item.kind === 'bundle' ? 'bundles' : 'matters'}/${enc(item.code)}`;
}
