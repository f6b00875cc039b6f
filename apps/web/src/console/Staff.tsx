// 工作人员: what identity lets an operator do with a staff account — find it by its id
// (GET identity/accounts/:id/summary) and set its roles, departments and jurisdiction
// (PUT identity/accounts/:id/roles, multi-factor). Identity lists no accounts and does not show
// an account's current roles, so the form sets them whole.
import { useState, type FormEvent } from 'react';
import { Checkboxes } from '../components/Choices.tsx';
import { Button } from '../components/Button.tsx';
import { ErrorSummary } from '../components/ErrorSummary.tsx';
import { NotificationBanner } from '../components/NotificationBanner.tsx';
import { SummaryList } from '../components/SummaryList.tsx';
import { TextInput } from '../components/TextInput.tsx';
import { useI18n } from '../i18n/context.tsx';
import type { MessageKey } from '../i18n/messages.ts';
import { problemMessageKey } from '../lib/problem.ts';
import { usePageTitle } from '../lib/title.ts';
import type { Department } from '../lib/catalog.ts';
import { enc, useFresh, useSend } from './data.ts';
import { fieldErrors, none, one, useFieldWords, useLabelled, type Errors } from './bits.tsx';

interface Summary {
  id: string;
  kind: string;
  active: boolean;
}

const ROLES: { value: string; label: MessageKey }[] = [
  { value: 'officer', label: 'console.role.officer' },
  { value: 'approver', label: 'console.role.approver' },
  { value: 'lead', label: 'console.role.lead' },
  { value: 'counter', label: 'console.role.counter' },
  { value: 'identity.recovery', label: 'console.role.recovery' },
];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function Staff() {
  const { t, text } = useI18n();
  usePageTitle(t('console.staff.title'));
  const send = useSend();
  const words = useFieldWords();
  const labelled = useLabelled();
  const departments = useFresh<Department[]>('catalog/departments');
  const [id, setId] = useState('');
  const [found, setFound] = useState<Summary | null>(null);
  const [roles, setRoles] = useState<string[]>([]);
  const [depts, setDepts] = useState<string[]>([]);
  const [regions, setRegions] = useState('');
  const [errors, setErrors] = useState<Errors>(none);
  const [round, setRound] = useState(0);
  const [saved, setSaved] = useState(false);
  const fail = (e: Errors) => {
    setErrors(e);
    setRound((r) => r + 1);
  };

  const find = async (event: FormEvent) => {
    event.preventDefault();
    setSaved(false);
    setFound(null);
    if (!UUID.test(id.trim())) return fail(one('account', t('console.staff.idInvalid')));
    const r = await send<Summary>(`identity/accounts/${enc(id.trim())}/summary`, 'GET');
    if (!r.ok)
      return fail(
        one('account', r.problem.status === 404 ? t('console.staff.notFound') : t(problemMessageKey(r.problem.code))),
      );
    setErrors(none);
    setFound(r.data);
  };

  const save = async (event: FormEvent) => {
    event.preventDefault();
    if (!found) return;
    const regionList = regions
      .split(/[\s,，、]+/)
      .map((s) => s.trim())
      .filter(Boolean);
    if (regionList.some((r) => !/^[0-9]{6}$/.test(r))) return fail(one('regions', t('console.staff.regionsInvalid')));
    const r = await send(`identity/accounts/${enc(found.id)}/roles`, 'PUT', {
      roles,
      departments: depts,
      regions: regionList,
    });
    if (!r.ok) {
      const mapped = fieldErrors(
        r.problem,
        (f) => (f.startsWith('body.roles') ? 'roles' : f.startsWith('body.departments') ? 'departments' : 'regions'),
        words,
        'roles',
        labelled,
      );
      if (mapped.summary.length === 0)
        mapped.summary.push({ field: 'roles', text: t(problemMessageKey(r.problem.code)) });
      return fail(mapped);
    }
    setErrors(none);
    setSaved(true);
  };

  /** A text input's id, value, change and error, to spread on it. */
  const typed = (input: string, value: string, setValue: (value: string) => void) => ({
    id: input,
    value,
    onChange: (e: { currentTarget: { value: string } }) => setValue(e.currentTarget.value),
    error: errors.byInput[input],
  });
  /** A group of checkboxes' id and name, ticked values, change and error, to spread on it. */
  const ticked = (input: string, values: string[], setValues: (values: string[]) => void) => ({
    id: input,
    name: input,
    values,
    onChange: setValues,
    error: errors.byInput[input],
  });

  return (
    <>
      {errors.summary.length > 0 && <ErrorSummary key={round} errors={errors.summary} />}
      {saved && (
        <NotificationBanner type="success" title={t('console.saved')}>
          <p className="body">{t('console.staff.saved')}</p>
        </NotificationBanner>
      )}
      <h1 className="heading-l">{t('console.staff.title')}</h1>
      <p className="body">{t('console.staff.intro')}</p>
      <form className="inline-form" onSubmit={find} noValidate>
        <TextInput
          {...typed('account', id, setId)}
          label={t('console.staff.account')}
          hint={t('console.staff.accountHint')}
          autoComplete="off"
          spellCheck={false}
        />
        <Button type="submit" variant="secondary">
          {t('console.staff.find')}
        </Button>
      </form>
      {found && (
        <>
          <h2 className="heading-m">{t('console.staff.accountHeading')}</h2>
          <SummaryList
            rows={[
              { key: t('console.staff.id'), value: found.id },
              { key: t('console.staff.kind'), value: found.kind },
              { key: t('console.staff.active'), value: t(found.active ? 'console.yes' : 'console.no') },
            ]}
          />
          {found.kind === 'officer' || found.kind === 'operator' ? (
            <form onSubmit={save} noValidate>
              <p className="body">{t('console.staff.whole')}</p>
              <Checkboxes
                {...ticked('roles', roles, setRoles)}
                legend={t('console.staff.roles')}
                items={ROLES.map((r) => ({ value: r.value, label: t(r.label) }))}
              />
              <Checkboxes
                {...ticked('departments', depts, setDepts)}
                legend={t('console.staff.departments')}
                items={
                  departments.state === 'ok'
                    ? departments.data.map((d) => ({ value: d.code, label: text(d.name) }))
                    : []
                }
              />
              <TextInput
                {...typed('regions', regions, setRegions)}
                label={t('console.staff.regions')}
                hint={t('console.staff.regionsHint')}
              />
              <Button type="submit">{t('console.save')}</Button>
            </form>
          ) : (
            <p className="body">{t('console.staff.notStaff')}</p>
          )}
        </>
      )}
    </>
  );
}
