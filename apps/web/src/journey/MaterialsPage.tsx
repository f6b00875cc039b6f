import { useState } from 'react';
import { BackLink } from '../components/BackLink.tsx';
import { ErrorSummary, type SummaryError } from '../components/ErrorSummary.tsx';
import { TextInput } from '../components/TextInput.tsx';
import { useI18n } from '../i18n/context.tsx';
import { api, problemFrom } from '../lib/api.ts';
import { problemMessageKey } from '../lib/problem.ts';
import { useLocation, useRouter } from '../lib/router.tsx';
import { useSession } from '../lib/session.tsx';
import { usePageTitle } from '../lib/title.ts';
import type { PageProps } from '../app/table.tsx';
import { SaveButtons, WithDraft, type DraftPageProps } from './draft.tsx';
import { journeyPaths, materialsNeeded, type ApplicationView, type MaterialRef } from './model.ts';
import './journey.css';

/**
 * /apply/<code>/<draft>/materials: each required material, by the identifier of its electronic
 * licence (电子证照标识, 免证办) or of a document already stored. The workflow takes references,
 * not files: there is no document upload in its API yet.
 */
export default function MaterialsPage({ params }: PageProps) {
  return (
    <WithDraft code={params['code'] ?? ''} id={params['id'] ?? ''}>
      {(props) => <Materials {...props} />}
    </WithDraft>
  );
}

export const materialId = (code: string) => `m-${code.replace(/[^A-Za-z0-9_-]/g, '-')}`;

function Materials({ code, subject, draft }: DraftPageProps) {
  const { t, text, locale } = useI18n();
  const { session } = useSession();
  const { navigate } = useRouter();
  const { query } = useLocation();
  const needed = materialsNeeded(subject);
  const [refs, setRefs] = useState<Record<string, string>>(() =>
    Object.fromEntries(needed.map((m) => [m.code, draft.materials.find((x) => x.code === m.code)?.ref ?? ''])),
  );
  const [errors, setErrors] = useState<SummaryError[]>([]);
  const [attempt, setAttempt] = useState(0);
  const [busy, setBusy] = useState(false);
  const title = t('journey.materials.title');
  usePageTitle(title, errors.length > 0);

  const save = async (event: { preventDefault(): void }, later: boolean) => {
    event.preventDefault();
    if (session.state !== 'signedIn') return;
    const missing = later ? [] : needed.filter((m) => (refs[m.code] ?? '').trim() === '');
    if (missing.length > 0) {
      setErrors(
        missing.map((m) => ({
          field: materialId(m.code),
          text: t('journey.materials.error.required', { name: text(m.name) }),
        })),
      );
      setAttempt((n) => n + 1);
      return;
    }
    const materials: MaterialRef[] = [
      ...draft.materials.filter((m) => !needed.some((n) => n.code === m.code)),
      ...needed.flatMap((m) => {
        const ref = (refs[m.code] ?? '').trim();
        return ref ? [{ code: m.code, ref }] : [];
      }),
    ];
    setBusy(true);
    try {
      await api<ApplicationView>(`workflow/drafts/${draft.id}`, {
        locale,
        method: 'PUT',
        body: { version: draft.version, form: draft.form, materials },
        csrf: session.csrf,
      });
      navigate(
        later
          ? '/applications'
          : query.get('return') === 'check'
            ? journeyPaths.check(code, draft.id)
            : journeyPaths.tasks(code, draft.id),
      );
    } catch (error) {
      setErrors([{ field: 'save', text: t(problemMessageKey(problemFrom(error).code)) }]);
      setAttempt((n) => n + 1);
      setBusy(false);
    }
  };

  return (
    <>
      <BackLink href={journeyPaths.tasks(code, draft.id)}>{t('journey.backToTasks')}</BackLink>
      {errors.length > 0 && <ErrorSummary key={attempt} errors={errors} />}
      <span className="caption">{text(subject.name)}</span>
      <h1 className="heading-l">{title}</h1>
      <p className="body">{t('journey.materials.lead')}</p>
      <form onSubmit={(e) => void save(e, false)} noValidate>
        {needed.map((m) => (
          <TextInput
            key={m.code}
            id={materialId(m.code)}
            label={text(m.name)}
            hint={m.licenceType ? t('journey.materials.hint.licence') : t('journey.materials.hint.document')}
            error={errors.find((e) => e.field === materialId(m.code))?.text}
            value={refs[m.code] ?? ''}
            onChange={(e) => {
              const v = e.currentTarget.value;
              setRefs((s) => ({ ...s, [m.code]: v }));
            }}
            autoComplete="off"
            spellCheck={false}
            maxLength={200}
          />
        ))}
        <SaveButtons busy={busy} onLater={(e) => void save(e, true)} />
      </form>
    </>
  );
}
