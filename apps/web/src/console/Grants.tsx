// 数据共享授权: which consumer (a system, or a department's officers) may read which items of a
// data resource, for which purpose — listed (GET datahub/grants), added (POST) and revoked (DELETE).
import { useState, type FormEvent } from 'react';
import { Button } from '../components/Button.tsx';
import { Checkboxes } from '../components/Choices.tsx';
import { ErrorSummary } from '../components/ErrorSummary.tsx';
import { Loading } from '../components/Loading.tsx';
import { NotificationBanner } from '../components/NotificationBanner.tsx';
import { Select } from '../components/Select.tsx';
import { TextInput } from '../components/TextInput.tsx';
import { useI18n } from '../i18n/context.tsx';
import type { LocalizedText } from '../i18n/messages.ts';
import { problemMessageKey } from '../lib/problem.ts';
import { useApi } from '../lib/useApi.ts';
import { usePageTitle } from '../lib/title.ts';
import { fieldErrors, none, ProblemNote, useFieldWords, useLabelled, type Errors } from './bits.tsx';
import { enc, useFresh, useSend } from './data.ts';

interface Grant {
  id: string;
  consumer: string;
  resource: string;
  purpose: string;
  items: string[];
  grantedBy: string;
  grantedAt: string;
  revokedAt: string | null;
}

const FIELDS = ['consumer', 'resource', 'purpose', 'items'] as const;
const itemList = (v: string) =>
  v
    .split(/[\s,，、]+/)
    .map((s) => s.trim())
    .filter(Boolean);

interface Resource {
  definition: { code: string; name: LocalizedText; items: { key: string; name: LocalizedText }[] };
}

export function Grants() {
  const { t, text, date } = useI18n();
  usePageTitle(t('console.grants.title'));
  const send = useSend();
  const words = useFieldWords();
  const labelled = useLabelled();
  const [showRevoked, setShowRevoked] = useState<string[]>([]);
  const list = useFresh<Grant[]>(`datahub/grants${showRevoked.length ? '?revoked=true' : ''}`);
  const [values, setValues] = useState({ consumer: '', resource: '', purpose: '', items: '' });
  const resources = useApi<Resource[]>('datahub/resources');
  const catalogue = resources.state === 'ok' ? resources.data : [];
  const chosen = catalogue.find((r) => r.definition.code === values.resource);
  const [errors, setErrors] = useState<Errors>(none);
  const [round, setRound] = useState(0);
  const [notice, setNotice] = useState<string | null>(null);
  const fail = (e: Errors) => {
    setNotice(null);
    setErrors(e);
    setRound((r) => r + 1);
  };

  const add = async (event: FormEvent) => {
    event.preventDefault();
    const items = itemList(values.items);
    const missing = FIELDS.filter((k) => (k === 'items' ? items.length === 0 : values[k].trim() === ''));
    if (missing.length)
      return fail({
        byInput: Object.fromEntries(missing.map((k) => [k, t(`console.grants.${k}.missing`)])),
        summary: missing.map((k) => ({ field: k, text: t(`console.grants.${k}.missing`) })),
      });
    const r = await send<Grant>('datahub/grants', 'POST', {
      consumer: values.consumer.trim(),
      resource: values.resource.trim(),
      purpose: values.purpose.trim(),
      items,
    });
    if (!r.ok) {
      const mapped = fieldErrors(
        r.problem,
        (f) => FIELDS.find((k) => f.startsWith(`body.${k}`)) ?? '',
        words,
        'consumer',
        labelled,
      );
      if (mapped.summary.length === 0)
        mapped.summary.push({ field: 'consumer', text: t(problemMessageKey(r.problem.code)) });
      return fail(mapped);
    }
    setErrors(none);
    setValues({ consumer: '', resource: '', purpose: '', items: '' });
    setNotice(t('console.grants.added', { consumer: r.data.consumer, resource: r.data.resource }));
    list.reload();
  };

  const revoke = async (grant: Grant) => {
    const r = await send<Grant>(`datahub/grants/${enc(grant.id)}`, 'DELETE');
    if (!r.ok) return fail({ byInput: {}, summary: [{ field: 'grants', text: t(problemMessageKey(r.problem.code)) }] });
    setErrors(none);
    setNotice(t('console.grants.revoked', { consumer: grant.consumer, resource: grant.resource }));
    list.reload();
  };

  return (
    <>
      {errors.summary.length > 0 && <ErrorSummary key={round} errors={errors.summary} />}
      {notice && (
        <NotificationBanner type="success" title={t('console.saved')}>
          <p className="body">{notice}</p>
        </NotificationBanner>
      )}
      <h1 className="heading-l">{t('console.grants.title')}</h1>
      <p className="body">{t('console.grants.intro')}</p>
      <Checkboxes
        id="show-revoked"
        name="show-revoked"
        legend={t('console.grants.filter')}
        values={showRevoked}
        onChange={setShowRevoked}
        items={[{ value: 'yes', label: t('console.grants.showRevoked') }]}
      />
      <div id="grants" tabIndex={-1}>
        {list.state === 'loading' ? (
          <Loading />
        ) : list.state === 'error' ? (
          <ProblemNote problem={list.problem} />
        ) : (
          // Wider than a phone: it scrolls sideways by itself, a region the keyboard can reach.
          <div className="table-wrap" role="region" aria-labelledby="grants-caption" tabIndex={0}>
            <table className="table table--wide">
              <caption id="grants-caption">{t('console.grants.list')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('console.grants.consumer')}</th>
                  <th scope="col">{t('console.grants.resource')}</th>
                  <th scope="col">{t('console.grants.purpose')}</th>
                  <th scope="col">{t('console.grants.items')}</th>
                  <th scope="col">{t('console.grants.grantedAt')}</th>
                  <th scope="col">{t('console.actions')}</th>
                </tr>
              </thead>
              <tbody>
                {list.data.length === 0 && (
                  <tr>
                    <td colSpan={6}>{t('console.grants.none')}</td>
                  </tr>
                )}
                {list.data.map((g) => (
                  <tr key={g.id}>
                    <th scope="row">{g.consumer}</th>
                    <td>{g.resource}</td>
                    <td>{g.purpose}</td>
                    <td>{g.items.join(', ')}</td>
                    <td>{date(g.grantedAt)}</td>
                    <td>
                      {g.revokedAt ? (
                        t('console.grants.revokedOn', { date: date(g.revokedAt) })
                      ) : (
                        <Button variant="warning" onClick={() => void revoke(g)}>
                          {t('console.grants.revoke')}
                          <span className="visually-hidden">
                            {' '}
                            {t('console.grants.revokeWhat', { consumer: g.consumer, resource: g.resource })}
                          </span>
                        </Button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </div>

      <h2 className="heading-m">{t('console.grants.add')}</h2>
      <form onSubmit={add} noValidate>
        {FIELDS.map((k) => {
          const error = errors.byInput[k];
          const change = (value: string) => setValues((v) => ({ ...v, [k]: value }));
          // The data hub's public catalogue names the resources and their items, when it answers.
          if (k === 'resource' && catalogue.length > 0)
            return (
              <Select
                key={k}
                id={k}
                label={t('console.grants.resource')}
                value={values.resource}
                error={error}
                onChange={(e) => {
                  const value = e.currentTarget.value;
                  setValues((v) => ({ ...v, resource: value, items: '' }));
                }}
                options={[
                  { value: '', label: t('console.preview.choose') },
                  ...catalogue.map((r) => ({
                    value: r.definition.code,
                    label: `${text(r.definition.name)} (${r.definition.code})`,
                  })),
                ]}
              />
            );
          if (k === 'items' && chosen)
            return (
              <Checkboxes
                key={k}
                id={k}
                name={k}
                legend={t('console.grants.items')}
                error={error}
                values={itemList(values.items)}
                onChange={(list) => change(list.join(', '))}
                items={chosen.definition.items.map((i) => ({ value: i.key, label: `${text(i.name)} (${i.key})` }))}
              />
            );
          return (
            <TextInput
              key={k}
              id={k}
              label={t(`console.grants.${k}`)}
              hint={t(`console.grants.${k}.hint`)}
              value={values[k]}
              onChange={(e) => change(e.currentTarget.value)}
              error={error}
              autoComplete="off"
              spellCheck={false}
            />
          );
        })}
        <Button type="submit">{t('console.grants.addButton')}</Button>
      </form>
    </>
  );
}
