// 跨区域互认: the trust list of other regions' licence issuers (GET licenses/trust-list), its
// versions (GET licenses/trust-list/versions), an entry added by pasting another region's
// `/api/licenses/trust-list/self` (POST licenses/trust-list/entries) and one removed (DELETE …).
// Every change makes a new signed version; the API, not this page, decides who may make one.
import { useState, type FormEvent } from 'react';
import type { TrustListVersion, TrustListView } from '@tongban/contracts';
import { Button } from '../components/Button.tsx';
import { ErrorSummary } from '../components/ErrorSummary.tsx';
import { Loading } from '../components/Loading.tsx';
import { NotificationBanner } from '../components/NotificationBanner.tsx';
import { Textarea } from '../components/Textarea.tsx';
import { useI18n } from '../i18n/context.tsx';
import { usePageTitle } from '../lib/title.ts';
import { enc, useFresh, useSend } from './data.ts';
import { fieldErrors, none, one, ProblemNote, useFieldWords, type Errors } from './bits.tsx';

export function TrustList() {
  const { t, text, date } = useI18n();
  usePageTitle(t('console.trust.title'));
  const list = useFresh<TrustListView>('licenses/trust-list');
  const versions = useFresh<{ versions: TrustListVersion[] }>('licenses/trust-list/versions');
  const send = useSend();
  const words = useFieldWords();
  const [pasted, setPasted] = useState('');
  const [errors, setErrors] = useState<Errors>(none);
  const [round, setRound] = useState(0);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<number | undefined>();

  const changed = (version: number) => {
    setDone(version);
    setErrors(none);
    list.reload();
    versions.reload();
  };
  const refuse = (e: Errors) => {
    setErrors(e);
    setRound((r) => r + 1);
  };

  const add = async (event: FormEvent) => {
    event.preventDefault();
    let body: unknown;
    try {
      body = JSON.parse(pasted);
    } catch {
      refuse(one('trust-import', t('console.trust.notJson')));
      return;
    }
    setBusy(true);
    const result = await send<TrustListView>('licenses/trust-list/entries', 'POST', body);
    setBusy(false);
    if (result.ok) {
      setPasted('');
      changed(result.data.version);
      return;
    }
    const mapped = fieldErrors(result.problem, () => 'trust-import', words, 'trust-import');
    refuse(mapped.summary.length > 0 ? mapped : one('trust-import', words(result.problem.code, t('errors.generic'))));
  };

  const remove = async (region: string, issuer: string) => {
    setBusy(true);
    const result = await send<TrustListView>(`licenses/trust-list/entries/${enc(region)}/${enc(issuer)}`, 'DELETE');
    setBusy(false);
    if (result.ok) changed(result.data.version);
    else refuse(one('trust-import', words(result.problem.code, t('errors.generic'))));
  };

  return (
    <>
      {errors.summary.length > 0 && <ErrorSummary key={round} errors={errors.summary} />}
      {done !== undefined && (
        <NotificationBanner type="success" title={t('console.saved')}>
          <p className="body">{t('console.trust.changed', { version: String(done) })}</p>
        </NotificationBanner>
      )}
      <h1 className="heading-l">{t('console.trust.title')}</h1>
      <p className="body">{t('console.trust.lead')}</p>
      {list.state === 'loading' ? (
        <Loading />
      ) : list.state === 'error' ? (
        <ProblemNote problem={list.problem} />
      ) : (
        <>
          <p className="body">{t('console.trust.version', { version: String(list.data.version) })}</p>
          {list.data.entries.length === 0 ? (
            <p className="body">{t('console.trust.empty')}</p>
          ) : (
            <div className="table-wrap">
              <table className="table">
                <caption className="visually-hidden">{t('console.trust.entries')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('console.trust.issuer')}</th>
                    <th scope="col">{t('console.trust.region')}</th>
                    <th scope="col">{t('console.trust.code')}</th>
                    <th scope="col">{t('console.trust.keys')}</th>
                    <th scope="col">{t('console.actions')}</th>
                  </tr>
                </thead>
                <tbody>
                  {list.data.entries.map((e) => (
                    <tr key={`${e.region} ${e.issuer}`}>
                      <th scope="row">{text(e.name)}</th>
                      <td>{e.region}</td>
                      <td>{e.issuer}</td>
                      <td>{e.keys.map((k) => k.kid ?? k.crv).join(', ')}</td>
                      <td>
                        <Button variant="secondary" disabled={busy} onClick={() => void remove(e.region, e.issuer)}>
                          {t('console.trust.remove')}
                          <span className="visually-hidden"> {text(e.name)}</span>
                        </Button>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
      <h2 className="heading-m">{t('console.trust.add')}</h2>
      <form onSubmit={add} noValidate>
        <Textarea
          id="trust-import"
          label={t('console.trust.paste')}
          hint={t('console.trust.pasteHint')}
          value={pasted}
          onChange={(e) => setPasted(e.currentTarget.value)}
          error={errors.byInput['trust-import']}
          rows={8}
          spellCheck={false}
        />
        <Button type="submit" disabled={busy || pasted.trim() === ''}>
          {t('console.trust.addButton')}
        </Button>
      </form>
      <h2 className="heading-m">{t('console.trust.history')}</h2>
      {versions.state === 'loading' ? (
        <Loading />
      ) : versions.state === 'error' ? (
        <ProblemNote problem={versions.problem} />
      ) : (
        <div className="table-wrap">
          <table className="table">
            <caption className="visually-hidden">{t('console.trust.history')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('console.trust.versionColumn')}</th>
                <th scope="col">{t('console.trust.change')}</th>
                <th scope="col">{t('console.trust.who')}</th>
                <th scope="col">{t('console.trust.when')}</th>
              </tr>
            </thead>
            <tbody>
              {versions.data.versions.map((v) => (
                <tr key={v.version}>
                  <th scope="row">{v.version}</th>
                  <td>
                    {t(v.change === 'added' ? 'console.trust.added' : 'console.trust.removed', {
                      issuers: v.changed.map((c) => `${c.region} ${c.issuer}`).join(', '),
                    })}
                  </td>
                  <td>{v.actor.id}</td>
                  <td>{date(v.at)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
