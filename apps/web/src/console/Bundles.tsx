// 一件事: the published bundles (GET catalog/search?kind=bundle), and one's draft edited
// (GET/PUT catalog/bundles/:code/draft) and published (POST …/publish) as the matter editor does:
// the API's field errors shown in place.
import type { FormEvent } from 'react';
import type { BundleVersionView } from '@tongban/contracts';
import { Button } from '../components/Button.tsx';
import { Loading } from '../components/Loading.tsx';
import { Select } from '../components/Select.tsx';
import { TextInput } from '../components/TextInput.tsx';
import { useI18n } from '../i18n/context.tsx';
import { catalogPaths, type LifeEvent, type SearchResult } from '../lib/catalog.ts';
import { useApi } from '../lib/useApi.ts';
import { usePageTitle } from '../lib/title.ts';
import { one, ProblemNote } from './bits.tsx';
import { CatalogTable } from './CatalogTable.tsx';
import { useFresh } from './data.ts';
import { DraftLoader, EditorHead, inputsOf, JsonArea, NameFields, useDraftEditor } from './editor.tsx';

type Draft = Omit<BundleVersionView, 'version' | 'publishedAt' | 'matterVersions' | 'form'>;

export function Bundles() {
  const { t, n } = useI18n();
  usePageTitle(t('console.bundles.title'));
  const list = useFresh<SearchResult>('catalog/search?kind=bundle&limit=50');
  return (
    <>
      <h1 className="heading-l">{t('console.bundles.title')}</h1>
      {list.state === 'loading' ? (
        <Loading />
      ) : list.state === 'error' ? (
        <ProblemNote problem={list.problem} />
      ) : (
        <>
          <p className="body">{n('console.bundles.count', list.data.total)}</p>
          <CatalogTable caption={t('console.bundles.title')} kind="bundles" items={list.data.items} />
        </>
      )}
    </>
  );
}

export function BundleEditor({ params }: { params: Record<string, string> }) {
  return (
    <DraftLoader<Draft> kind="bundles" params={params}>
      {(code, draft) => <Editor code={code} draft={draft} />}
    </DraftLoader>
  );
}

const inputOf = inputsOf(['lifeEvent', 'promisedDays', 'items']);

function Editor({ code, draft }: { code: string; draft: Draft }) {
  const { t, text } = useI18n();
  const editor = useDraftEditor({
    kind: 'bundles',
    code,
    initial: () => ({
      nameZh: draft.name.zh,
      nameEn: draft.name.en,
      descriptionZh: draft.description.zh,
      descriptionEn: draft.description.en,
      lifeEvent: draft.lifeEvent,
      promisedDays: String(draft.promisedDays),
      items: JSON.stringify(draft.items, null, 2),
    }),
    title: 'console.bundle.title',
    inputOf,
    fallbackInput: 'items',
  });
  const lifeEvents = useApi<LifeEvent[]>(catalogPaths.lifeEvents());
  const { values, bind, fail, unreadable } = editor;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    let items: unknown;
    try {
      items = JSON.parse(values.items);
    } catch {
      return fail(one('items', unreadable('items', 'console.matter.notJson')));
    }
    if (!/^\s*\d+\s*$/.test(values.promisedDays)) {
      return fail(one('promisedDays', unreadable('promisedDays', 'console.matter.notWholeNumber')));
    }
    await editor.save(
      {
        name: { zh: values.nameZh.trim(), en: values.nameEn.trim() },
        description: { zh: values.descriptionZh.trim(), en: values.descriptionEn.trim() },
        lifeEvent: values.lifeEvent.trim(),
        promisedDays: Number(values.promisedDays),
        items,
      },
      true,
    );
  };

  return (
    <>
      <EditorHead editor={editor} back={t('console.bundle.back')} caption={t('console.bundle.caption', { code })} />
      <form onSubmit={submit} noValidate>
        <NameFields editor={editor} />
        {lifeEvents.state === 'ok' ? (
          <Select
            {...bind('lifeEvent')}
            label={t('console.bundle.lifeEvent')}
            options={lifeEvents.data.map((l) => ({ value: l.code, label: text(l.name) }))}
          />
        ) : (
          <TextInput
            {...bind('lifeEvent')}
            label={t('console.bundle.lifeEvent')}
            hint={t('console.bundle.lifeEventHint')}
            spellCheck={false}
          />
        )}
        <TextInput
          {...bind('promisedDays')}
          label={t('console.matter.promisedDays')}
          inputMode="numeric"
          className="input--width-5"
        />
        <JsonArea {...bind('items')} label={t('console.bundle.items')} hint={t('console.bundle.itemsHint')} rows={16} />
        <Button type="submit" disabled={editor.busy}>
          {t('console.matter.publish')}
        </Button>
      </form>
    </>
  );
}
