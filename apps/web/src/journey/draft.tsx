// What every page of a draft needs: the subject's questions and the draft itself, read fresh (it
// may have been changed on another device), and the words for a question's prefill source.
import type { MouseEvent, ReactNode } from 'react';
import { Button } from '../components/Button.tsx';
import { Loading } from '../components/Loading.tsx';
import { Tag } from '../components/Tag.tsx';
import { useI18n } from '../i18n/context.tsx';
import { catalogPaths, type Department } from '../lib/catalog.ts';
import { useApiAll } from '../lib/useApi.ts';
import { ErrorPage } from '../pages/ErrorPage.tsx';
import { useFresh, useSubject, type Fresh } from './data.ts';
import { hasMessage } from './words.ts';
import { questionGroups, type ApplicationView, type Group, type PrefillField, type Subject } from './model.ts';

export interface DraftPageProps {
  code: string;
  subject: Subject;
  groups: Group[];
  draft: ApplicationView;
  reload(): void;
}

export function useDraft(id: string): Fresh<ApplicationView> {
  return useFresh<ApplicationView>(`workflow/applications/${encodeURIComponent(id)}`);
}

/** Loads the subject and the draft, then renders `page`; a draft already submitted goes to its case page. */
export function WithDraft({
  code,
  id,
  children,
}: {
  code: string;
  id: string;
  children: (props: DraftPageProps) => ReactNode;
}) {
  const draft = useDraft(id);
  const subject = useSubject(code, draft.state === 'ok' ? draft.data.subject.kind : undefined);
  if (draft.state === 'error') return <ErrorPage problem={draft.problem} />;
  if (subject.state === 'error') return <ErrorPage problem={subject.problem} />;
  if (draft.state !== 'ok' || subject.state !== 'ok') return <Loading />;
  return (
    <>
      {children({
        code,
        subject: subject.data,
        groups: questionGroups(subject.data),
        draft: draft.data,
        reload: draft.reload,
      })}
    </>
  );
}

/** The departments named by prefill sources, by code (for "verified by 杭州市公安局"). */
export function useSourceDepartments(fields: Record<string, PrefillField>): Map<string, Department> {
  const codes = [...new Set(Object.values(fields).flatMap((f) => (f.source.department ? [f.source.department] : [])))];
  const loaded = useApiAll<Department>(codes.length ? codes.sort().map((c) => catalogPaths.department(c)) : null);
  return new Map(loaded.state === 'ok' ? loaded.data.map((d) => [d.code, d]) : []);
}

/** "已核验 · 杭州市公安局（人口信息）": where a locked value came from. */
export function SourceTag({ field, departments }: { field: PrefillField; departments: Map<string, Department> }) {
  const { t, text } = useI18n();
  const dept = field.source.department ? departments.get(field.source.department) : undefined;
  const resourceKey = `journey.source.${field.source.resource}`;
  const resource = hasMessage(resourceKey) ? t(resourceKey) : field.source.resource;
  const from = dept ? t('journey.source.from', { department: text(dept.name), resource }) : resource;
  return (
    <Tag colour={field.locked ? 'green' : 'blue'}>
      {t(field.locked ? 'journey.source.verified' : 'journey.source.prefilled', { from })}
    </Tag>
  );
}

/** A draft page's two ways out: save and go on, or save and come back later (from any device). */
export function SaveButtons({ busy, onLater }: { busy: boolean; onLater: (e: MouseEvent<HTMLButtonElement>) => void }) {
  const { t } = useI18n();
  return (
    <div className="button-group">
      <Button type="submit" disabled={busy}>
        {t('journey.saveContinue')}
      </Button>
      <Button variant="secondary" disabled={busy} onClick={onLater}>
        {t('journey.saveLater')}
      </Button>
    </div>
  );
}
