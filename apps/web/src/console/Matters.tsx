// 事项: the published matters, found by words (GET catalog/search?kind=matter), each opening its draft.
import { useState, type FormEvent } from 'react';
import { Button } from '../components/Button.tsx';
import { Loading } from '../components/Loading.tsx';
import { TextInput } from '../components/TextInput.tsx';
import { useI18n } from '../i18n/context.tsx';
import type { SearchResult } from '../lib/catalog.ts';
import { usePageTitle } from '../lib/title.ts';
import { CatalogTable } from './CatalogTable.tsx';
import { useFresh } from './data.ts';
import { ProblemNote } from './bits.tsx';
import { useDepartmentNames } from './names.ts';

export function Matters() {
  const { t, n } = useI18n();
  usePageTitle(t('console.matters.title'));
  const names = useDepartmentNames();
  const [q, setQ] = useState('');
  const [query, setQuery] = useState('');
  const params = new URLSearchParams({ kind: 'matter', limit: '50' });
  if (query) params.set('q', query);
  const list = useFresh<SearchResult>(`catalog/search?${params.toString()}`);
  const search = (event: FormEvent) => {
    event.preventDefault();
    setQuery(q.trim().slice(0, 100));
  };
  return (
    <>
      <h1 className="heading-l">{t('console.matters.title')}</h1>
      <form className="inline-form" onSubmit={search} role="search">
        <TextInput
          id="q"
          label={t('console.matters.search')}
          value={q}
          onChange={(e) => setQ(e.currentTarget.value)}
          maxLength={100}
        />
        <Button type="submit" variant="secondary">
          {t('console.matters.searchButton')}
        </Button>
      </form>
      {list.state === 'loading' ? (
        <Loading />
      ) : list.state === 'error' ? (
        <ProblemNote problem={list.problem} />
      ) : (
        <>
          <p className="body" role="status">
            {n('console.matters.count', list.data.total)}
          </p>
          <CatalogTable
            caption={t('console.matters.title')}
            kind="matters"
            items={list.data.items}
            department={names}
          />
        </>
      )}
    </>
  );
}
