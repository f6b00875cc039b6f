// What the matter editor and the bundle editor share: a draft loaded (GET catalog/<kind>/:code/draft),
// edited in inputs bound to its values, saved (PUT …/draft) and published (POST …/publish); what the
// API refuses (problem+json errors[].field) or what is not even JSON or a number shown in place — an
// error summary that takes focus and links to each input, and the message by the input.
import { useState, type ReactNode, type TextareaHTMLAttributes } from 'react';
import { BackLink } from '../components/BackLink.tsx';
import { ErrorSummary } from '../components/ErrorSummary.tsx';
import { Loading } from '../components/Loading.tsx';
import { NotificationBanner } from '../components/NotificationBanner.tsx';
import { TextInput } from '../components/TextInput.tsx';
import { Textarea } from '../components/Textarea.tsx';
import { useI18n } from '../i18n/context.tsx';
import type { MessageKey } from '../i18n/messages.ts';
import { problemMessageKey, type Problem } from '../lib/problem.ts';
import { usePageTitle } from '../lib/title.ts';
import { ErrorPage } from '../pages/ErrorPage.tsx';
import { fieldErrors, none, useFieldWords, useLabelled, type Errors } from './bits.tsx';
import { enc, useFresh, useSend } from './data.ts';

/** The catalog's editable kinds, as their paths say them. */
type Kind = 'matters' | 'bundles';

/** The draft of catalog/<kind>/:code, loading and failing as a page; then `children` edit it. */
export function DraftLoader<D>({
  kind,
  params,
  children,
}: {
  kind: Kind;
  params: Record<string, string>;
  children: (code: string, draft: D) => ReactNode;
}) {
  const code = params['code'] ?? '';
  const draft = useFresh<D>(`catalog/${kind}/${enc(code)}/draft`);
  if (draft.state === 'loading') return <Loading />;
  if (draft.state === 'error') return <ErrorPage problem={draft.problem} />;
  return <>{children(code, draft.data)}</>;
}

/** The names and descriptions every draft has, by input id. */
interface Named {
  nameZh: string;
  nameEn: string;
  descriptionZh: string;
  descriptionEn: string;
}

/** The API's field (body.x / draft.x) → the id of the input that holds it, else ''. */
export function inputsOf(direct: readonly string[]): (field: string) => string {
  return (field) => {
    const [head, sub] = field.replace(/^(body|draft)\./, '').split('.');
    if (head === 'name') return sub === 'en' ? 'nameEn' : 'nameZh';
    if (head === 'description') return sub === 'en' ? 'descriptionEn' : 'descriptionZh';
    return head && direct.includes(head) ? head : '';
  };
}

type Done = { kind: 'saved' } | { kind: 'published'; version: number } | null;

/**
 * One draft's editing: its values, the errors shown, what was last done, and `save` — the draft
 * put, then published when asked, the API's refusal mapped onto the inputs (`inputOf`, else
 * `fallbackInput`).
 */
export function useDraftEditor<V extends Named>(options: {
  kind: Kind;
  code: string;
  initial: () => V;
  title: MessageKey;
  inputOf: (field: string) => string;
  fallbackInput: string;
}) {
  const { kind, code, inputOf, fallbackInput } = options;
  const { t, text } = useI18n();
  const send = useSend();
  const words = useFieldWords();
  const labelled = useLabelled();
  const latest = useFresh<{ version: number; publishedAt: string }>(`catalog/${kind}/${enc(code)}`);
  const [values, setValues] = useState<V>(options.initial);
  const [errors, setErrors] = useState<Errors>(none);
  const [round, setRound] = useState(0);
  const [done, setDone] = useState<Done>(null);
  const [busy, setBusy] = useState(false);
  const name = text({ zh: values.nameZh || code, en: values.nameEn || code });
  usePageTitle(t(options.title, { name }), errors.summary.length > 0);

  const set = (k: keyof V & string) => (e: { currentTarget: { value: string } }) => {
    const value = e.currentTarget.value;
    setValues((v) => ({ ...v, [k]: value }));
  };
  /** An input's id, value, change and error, to spread on it. */
  const bind = (k: keyof V & string) => ({
    id: k as string,
    value: values[k] as string,
    onChange: set(k),
    error: errors.byInput[k],
  });
  const fail = (e: Errors) => {
    setDone(null);
    setErrors(e);
    setRound((r) => r + 1);
  };
  /** The message for an input the page could not read, after its label when the page shows one. */
  const unreadable = (input: string, key: 'console.matter.notJson' | 'console.matter.notWholeNumber') =>
    labelled(input, t(key)) ?? t(key);
  const refused = (problem: Problem) => {
    const mapped = fieldErrors(problem, inputOf, words, fallbackInput, labelled);
    if (mapped.summary.length === 0) mapped.summary.push({ field: 'nameZh', text: t(problemMessageKey(problem.code)) });
    fail(mapped);
  };

  const save = async (body: unknown, publish: boolean) => {
    const path = `catalog/${kind}/${enc(code)}`;
    setBusy(true);
    try {
      const saved = await send(`${path}/draft`, 'PUT', body);
      if (!saved.ok) return refused(saved.problem);
      if (!publish) {
        setErrors(none);
        setDone({ kind: 'saved' });
        return;
      }
      const published = await send<{ version: number }>(`${path}/publish`, 'POST');
      if (!published.ok) return refused(published.problem);
      setErrors(none);
      setDone({ kind: 'published', version: published.data.version });
      latest.reload();
    } finally {
      setBusy(false);
    }
  };

  return { kind, code, name, values, setValues, bind, errors, round, done, busy, latest, fail, unreadable, save };
}

/** What the shared pieces read of an editor, whatever else its draft has. */
type Editing = Pick<
  ReturnType<typeof useDraftEditor<Named>>,
  'kind' | 'code' | 'name' | 'errors' | 'round' | 'done' | 'latest' | 'bind'
>;

/**
 * The top of an editor: the way back, the error summary, what was done, the draft's code and
 * name, and the version now published.
 */
export function EditorHead({ editor, back, caption }: { editor: Editing; back: string; caption: string }) {
  const { t, number, date } = useI18n();
  const { kind, code, errors, done, latest } = editor;
  return (
    <>
      <BackLink href={`/console/${kind}`}>{back}</BackLink>
      {errors.summary.length > 0 && <ErrorSummary key={editor.round} errors={errors.summary} />}
      {done?.kind === 'published' && (
        <NotificationBanner type="success" title={t('console.matter.published', { version: number(done.version) })}>
          <p className="body">
            {/* A full page load: this visit's cached guide would still show the version before. */}
            <a className="link" href={`/${kind}/${enc(code)}`}>
              {t('console.matter.seeGuide')}
            </a>
          </p>
        </NotificationBanner>
      )}
      {done?.kind === 'saved' && (
        <NotificationBanner type="success" title={t('console.saved')}>
          <p className="body">{t('console.matter.draftSaved')}</p>
        </NotificationBanner>
      )}
      <span className="caption">{caption}</span>
      <h1 className="heading-l">{editor.name}</h1>
      {latest.state === 'ok' && (
        <p className="body secondary-text" id="current-version">
          {t('console.matter.current', { version: number(latest.data.version), date: date(latest.data.publishedAt) })}
        </p>
      )}
    </>
  );
}

/** The draft's names and descriptions, Chinese beside English. */
export function NameFields({ editor }: { editor: Editing }) {
  const { t } = useI18n();
  const { bind } = editor;
  return (
    <div className="editor editor--two">
      <TextInput {...bind('nameZh')} label={t('console.name.zh')} lang="zh-CN" />
      <TextInput {...bind('nameEn')} label={t('console.name.en')} lang="en" />
      <Textarea {...bind('descriptionZh')} label={t('console.description.zh')} rows={3} lang="zh-CN" />
      <Textarea {...bind('descriptionEn')} label={t('console.description.en')} rows={3} lang="en" />
    </div>
  );
}

/** A text area for JSON: monospaced, not spell-checked. */
export function JsonArea(
  props: Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, 'id'> & {
    id: string;
    label: ReactNode;
    hint?: ReactNode;
    error?: string | undefined;
  },
) {
  return <Textarea className="textarea--code" spellCheck={false} {...props} />;
}
