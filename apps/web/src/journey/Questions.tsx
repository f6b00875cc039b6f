import { useState } from 'react';
import { BackLink } from '../components/BackLink.tsx';
import { Radios } from '../components/Choices.tsx';
import { ErrorSummary, type SummaryError } from '../components/ErrorSummary.tsx';
import { Select } from '../components/Select.tsx';
import { TextInput } from '../components/TextInput.tsx';
import { useI18n } from '../i18n/context.tsx';
import { api, problemFrom } from '../lib/api.ts';
import { problemMessageKey, type FieldError } from '../lib/problem.ts';
import { useLocation, useRouter } from '../lib/router.tsx';
import { useSession } from '../lib/session.tsx';
import { usePageTitle } from '../lib/title.ts';
import type { PageProps } from '../app/table.tsx';
import { NotFound } from '../pages/NotFound.tsx';
import { SaveButtons, SourceTag, useSourceDepartments, WithDraft, type DraftPageProps } from './draft.tsx';
import {
  fieldId,
  formKeyOf,
  isEmpty,
  journeyPaths,
  materialsNeeded,
  toValue,
  type ApplicationView,
  type Question,
} from './model.ts';
import { groupKey } from './words.ts';
import './journey.css';

/** /apply/<code>/<draft>/questions/<group>: one question group per page, saved to the draft. */
export default function QuestionsPage({ params }: PageProps) {
  return (
    <WithDraft code={params['code'] ?? ''} id={params['id'] ?? ''}>
      {(props) => <Questions {...props} groupId={params['group'] ?? ''} />}
    </WithDraft>
  );
}

const AUTOCOMPLETE: Record<string, string> = {
  'person.name': 'name',
  'person.mobile': 'tel-national',
  'person.address': 'street-address',
};

/** The words of one field error: our own for the common codes, the API's otherwise. */
export function useFieldErrorText() {
  const { t, text } = useI18n();
  return (q: Pick<Question, 'label'>, e: Pick<FieldError, 'code' | 'message'>): string => {
    const label = text(q.label);
    switch (e.code) {
      case 'required':
        return t('journey.error.required', { label });
      case 'pattern':
      case 'format':
      case 'type':
      case 'gb11643':
        return t('journey.error.format', { label });
      case 'maxLength':
        return t('journey.error.tooLong', { label });
      case 'minimum':
      case 'maximum':
      case 'minDate':
      case 'maxDate':
        return t('journey.error.range', { label });
      case 'locked_value_changed':
        return t('journey.error.locked', { label });
      default:
        return t('journey.error.other', { label, message: e.message });
    }
  };
}

function Questions({ code, subject, groups, draft, groupId }: DraftPageProps & { groupId: string }) {
  const { t, text, locale } = useI18n();
  const { session } = useSession();
  const { navigate } = useRouter();
  const { query } = useLocation();
  const errorText = useFieldErrorText();
  const index = groups.findIndex((g) => g.id === groupId);
  const group = groups[index];
  const departments = useSourceDepartments(draft.prefill?.fields ?? {});
  const [values, setValues] = useState<Record<string, string>>(() =>
    Object.fromEntries(
      (group?.questions ?? []).map((q) => [q.key, isEmpty(draft.form[q.key]) ? '' : String(draft.form[q.key])]),
    ),
  );
  const [errors, setErrors] = useState<SummaryError[]>([]);
  const [attempt, setAttempt] = useState(0);
  const [busy, setBusy] = useState(false);
  const title = group ? t(groupKey(group.id)) : '';
  usePageTitle(title, errors.length > 0);
  if (!group) return <NotFound />;

  const locked = (q: Question) => draft.prefill?.fields[q.key]?.locked === true;
  const open = group.questions.filter((q) => !locked(q));
  const fixed = group.questions.filter(locked);
  const backToCheck = query.get('return') === 'check';
  const next = () => {
    if (backToCheck) return journeyPaths.check(code, draft.id);
    const after = groups[index + 1];
    if (after) return journeyPaths.group(code, draft.id, after.id);
    return materialsNeeded(subject).length > 0
      ? journeyPaths.materials(code, draft.id)
      : journeyPaths.tasks(code, draft.id);
  };

  const save = async (event: { preventDefault(): void }, later: boolean) => {
    event.preventDefault();
    if (session.state !== 'signedIn') return;
    const shown: SummaryError[] = [];
    if (!later)
      for (const q of open)
        if (q.required && (values[q.key] ?? '').trim() === '')
          shown.push({ field: fieldId(q.key), text: errorText(q, { code: 'required', message: '' }) });
    if (shown.length > 0) {
      setErrors(shown);
      setAttempt((n) => n + 1);
      return;
    }
    const form: Record<string, unknown> = { ...draft.form };
    for (const q of open) {
      const v = toValue(q, values[q.key] ?? '');
      if (v === undefined) delete form[q.key];
      else form[q.key] = v;
    }
    setBusy(true);
    try {
      await api<ApplicationView>(`workflow/drafts/${draft.id}`, {
        locale,
        method: 'PUT',
        body: { version: draft.version, form, materials: draft.materials },
        csrf: session.csrf,
      });
      navigate(later ? '/applications' : next());
    } catch (error) {
      const problem = problemFrom(error);
      const byKey = new Map(group.questions.map((q) => [q.key, q]));
      const mine = (problem.errors ?? []).flatMap((e) => {
        const q = byKey.get(formKeyOf(e.field) ?? '');
        return q ? [{ field: fieldId(q.key), text: errorText(q, e) }] : [];
      });
      setErrors(mine.length > 0 ? mine : [{ field: 'save', text: t(problemMessageKey(problem.code)) }]);
      setAttempt((n) => n + 1);
      setBusy(false);
    }
  };

  const errorOf = (q: Question) => errors.find((e) => e.field === fieldId(q.key))?.text;
  const field = (q: Question) => (
    <QuestionField
      key={q.key}
      q={q}
      value={values[q.key] ?? ''}
      error={errorOf(q)}
      onChange={(v) => setValues((s) => ({ ...s, [q.key]: v }))}
    />
  );

  return (
    <>
      <BackLink href={journeyPaths.tasks(code, draft.id)}>{t('journey.backToTasks')}</BackLink>
      {errors.length > 0 && <ErrorSummary key={attempt} errors={errors} />}
      <span className="caption">{text(subject.name)}</span>
      <h1 className="heading-l">{title}</h1>
      {fixed.length > 0 && (
        <section aria-labelledby="verified-heading" className="verified">
          <h2 className="heading-s" id="verified-heading">
            {t('journey.verified.heading')}
          </h2>
          <p className="body">{t('journey.verified.body')}</p>
          <dl className="summary-list">
            {fixed.map((q) => (
              <div className="summary-list__row" key={q.key}>
                <dt className="summary-list__key">{text(q.label)}</dt>
                <dd className="summary-list__value">
                  <span className="verified__value">{displayValue(q, draft.form[q.key], text)}</span>{' '}
                  <SourceTag field={draft.prefill!.fields[q.key]!} departments={departments} />
                </dd>
              </div>
            ))}
          </dl>
        </section>
      )}
      <form onSubmit={(e) => void save(e, false)} noValidate>
        {open.length === 0 ? <p className="body">{t('journey.verified.all')}</p> : open.map(field)}
        <SaveButtons busy={busy} onLater={(e) => void save(e, true)} />
      </form>
    </>
  );
}

/** A form value as words: a code's name, yes/no, or the value itself. */
export function displayValue(
  q: Question,
  value: unknown,
  text: (v: { zh: string; en: string }) => string,
  yesNo?: (v: boolean) => string,
): string {
  if (isEmpty(value)) return '';
  if (q.values) {
    const named = q.values.find((v) => v.code === String(value));
    if (named) return text(named.name);
  }
  if (typeof value === 'boolean' && yesNo) return yesNo(value);
  return String(value);
}

/** One question as its input: radios for yes/no and a few codes, a select for more, a text box otherwise. */
export function QuestionField({
  q,
  value,
  error,
  onChange,
}: {
  q: Question;
  value: string;
  error: string | undefined;
  onChange(value: string): void;
}) {
  const { t, text } = useI18n();
  const id = fieldId(q.key);
  const label = text(q.label);
  const common = { id, error };
  if (q.type === 'boolean')
    return (
      <Radios
        {...common}
        name={q.key}
        legend={label}
        value={value}
        onChange={onChange}
        items={[
          { value: 'true', label: t('journey.yes') },
          { value: 'false', label: t('journey.no') },
        ]}
      />
    );
  if (q.values && q.values.length <= 4)
    return (
      <Radios
        {...common}
        name={q.key}
        legend={label}
        value={value}
        onChange={onChange}
        items={q.values.map((v) => ({ value: v.code, label: text(v.name) }))}
      />
    );
  if (q.values)
    return (
      <Select
        {...common}
        label={label}
        value={value}
        onChange={(e) => onChange(e.currentTarget.value)}
        options={[
          { value: '', label: t('journey.select') },
          ...q.values.map((v) => ({ value: v.code, label: text(v.name) })),
        ]}
      />
    );
  const numeric = q.type === 'integer' || q.type === 'number';
  return (
    <TextInput
      {...common}
      label={label}
      hint={q.type === 'date' ? t('journey.hint.date') : undefined}
      value={value}
      onChange={(e) => onChange(e.currentTarget.value)}
      inputMode={numeric ? 'numeric' : undefined}
      autoComplete={AUTOCOMPLETE[q.element] ?? 'off'}
      spellCheck={false}
      {...(q.maxLength ? { maxLength: q.maxLength } : {})}
      className={numeric || q.type === 'date' ? 'input--width-10' : undefined}
    />
  );
}
