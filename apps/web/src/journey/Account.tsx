import { useState, type FormEvent } from 'react';
import { Button } from '../components/Button.tsx';
import { ErrorSummary } from '../components/ErrorSummary.tsx';
import { Link } from '../components/Link.tsx';
import { Loading } from '../components/Loading.tsx';
import { SummaryList } from '../components/SummaryList.tsx';
import { Tag } from '../components/Tag.tsx';
import { TextInput } from '../components/TextInput.tsx';
import { useI18n } from '../i18n/context.tsx';
import { api, problemFrom } from '../lib/api.ts';
import { problemMessageKey, type Problem } from '../lib/problem.ts';
import { useSession } from '../lib/session.tsx';
import { usePageTitle } from '../lib/title.ts';
import { useFresh } from './data.ts';
import { dateTime } from './time.ts';
import { hasMessage } from './words.ts';
import './journey.css';

interface Consent {
  id: string;
  purpose: string;
  items: string[];
  givenAt: string;
  revokedAt: string | null;
}
interface SessionRow {
  id: string;
  signedInAt: string;
  expiresAt: string | null;
  acr: string | null;
  clients: string[];
  current: boolean;
}
interface UseEntry {
  entry?: {
    action?: string;
    actor?: { kind?: string; id?: string };
    resource?: { resource?: string; items?: string; channel?: string };
    purpose?: string;
    at?: string;
    time?: string;
  };
  at?: string;
  proofPending: boolean;
}
interface Passkey {
  id: string;
  createdAt: string | null;
  lastUsedAt: string | null;
}

/** A short answer of an action on this page, said politely (role=status). */
function useStatus() {
  const [message, setMessage] = useState('');
  const [problem, setProblem] = useState<Problem>();
  return { message, setMessage, problem, setProblem };
}

/** /account: my data-use log, my consents, my sessions, my sign-in methods. */
export default function Account() {
  const { t } = useI18n();
  const title = t('journey.account.title');
  usePageTitle(title);
  const status = useStatus();
  return (
    <>
      <h1 className="heading-l">{title}</h1>
      <p className="visually-hidden" role="status">
        {status.message}
      </p>
      {status.problem && (
        <ErrorSummary
          key={status.problem.code}
          errors={[{ field: 'account-actions', text: t(problemMessageKey(status.problem.code)) }]}
        />
      )}
      <nav aria-labelledby="account-contents" className="contents" id="account-actions" tabIndex={-1}>
        <h2 className="heading-s" id="account-contents">
          {t('journey.account.contents')}
        </h2>
        <ul className="list">
          <li>
            <a className="link" href="#uses-heading">
              {t('journey.uses.title')}
            </a>
          </li>
          <li>
            <a className="link" href="#consents-heading">
              {t('journey.consents.title')}
            </a>
          </li>
          <li>
            <a className="link" href="#sessions-heading">
              {t('journey.sessions.title')}
            </a>
          </li>
          <li>
            <a className="link" href="#methods-heading">
              {t('journey.methods.title')}
            </a>
          </li>
        </ul>
      </nav>
      <nav aria-labelledby="account-elsewhere" className="contents">
        <h2 className="heading-s" id="account-elsewhere">
          {t('journey.account.elsewhere')}
        </h2>
        <ul className="list">
          <li>
            <Link href="/settings/notifications">{t('journey.account.notifications')}</Link>
          </li>
          <li>
            <Link href="/payments">{t('journey.account.payments')}</Link>
          </li>
        </ul>
      </nav>
      <Uses />
      <Consents status={status} />
      <Sessions status={status} />
      <Methods status={status} />
    </>
  );
}

type Status = ReturnType<typeof useStatus>;

/** `population.name`, `population.mobile` … as [resource, items] pairs. */
function byResource(items: string[]): [string, string[]][] {
  const out = new Map<string, string[]>();
  for (const item of items) {
    const dot = item.indexOf('.');
    const resource = dot > 0 ? item.slice(0, dot) : item;
    out.set(resource, [...(out.get(resource) ?? []), dot > 0 ? item.slice(dot + 1) : '']);
  }
  return [...out.entries()];
}

function Uses() {
  const { t, locale } = useI18n();
  const uses = useFresh<{ entries: UseEntry[] }>('datahub/me/uses?limit=20');
  return (
    <section aria-labelledby="uses-heading">
      <h2 className="heading-m" id="uses-heading" tabIndex={-1}>
        {t('journey.uses.title')}
      </h2>
      <p className="body">{t('journey.uses.lead')}</p>
      {uses.state === 'loading' && <Loading />}
      {uses.state === 'error' && <p className="body">{t(problemMessageKey(uses.problem.code))}</p>}
      {uses.state === 'ok' && uses.data.entries.length === 0 && <p className="body">{t('journey.uses.none')}</p>}
      {uses.state === 'ok' && uses.data.entries.length > 0 && (
        // Scrolls sideways on a narrow screen: focusable and named, so a keyboard can scroll it too.
        <div className="table-wrap" role="region" aria-labelledby="uses-heading" tabIndex={0}>
          <table className="table">
            <caption className="visually-hidden">{t('journey.uses.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('journey.uses.when')}</th>
                <th scope="col">{t('journey.uses.who')}</th>
                <th scope="col">{t('journey.uses.what')}</th>
                <th scope="col">{t('journey.uses.why')}</th>
                <th scope="col">{t('journey.uses.proof')}</th>
              </tr>
            </thead>
            <tbody>
              {uses.data.entries.map((u, i) => {
                const e = u.entry ?? {};
                const when = e.at ?? e.time ?? u.at;
                const resourceKey = `journey.source.${e.resource?.resource ?? ''}`;
                return (
                  <tr key={i}>
                    <td>{when ? dateTime(locale, when) : ''}</td>
                    <td>{e.actor?.id ?? e.actor?.kind ?? ''}</td>
                    <td>
                      {hasMessage(resourceKey) ? t(resourceKey) : (e.resource?.resource ?? '')}
                      {e.resource?.items ? (
                        <span className="block secondary-text">
                          {e.resource.items.split(',').join(t('journey.listSeparator'))}
                        </span>
                      ) : null}
                    </td>
                    <td>{e.purpose ?? ''}</td>
                    <td>
                      <Tag colour={u.proofPending ? 'grey' : 'green'}>
                        {t(u.proofPending ? 'journey.uses.proofPending' : 'journey.uses.proofOk')}
                      </Tag>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function Consents({ status }: { status: Status }) {
  const { t, locale } = useI18n();
  const { session } = useSession();
  const consents = useFresh<Consent[]>('datahub/me/consents');
  const revoke = async (c: Consent) => {
    if (session.state !== 'signedIn') return;
    try {
      await api(`datahub/me/consents/${encodeURIComponent(c.id)}`, { locale, method: 'DELETE', csrf: session.csrf });
      status.setProblem(undefined);
      status.setMessage(t('journey.consents.revoked', { purpose: c.purpose }));
      consents.reload();
    } catch (error) {
      status.setProblem(problemFrom(error));
    }
  };
  return (
    <section aria-labelledby="consents-heading">
      <h2 className="heading-m" id="consents-heading" tabIndex={-1}>
        {t('journey.consents.title')}
      </h2>
      {consents.state === 'loading' && <Loading />}
      {consents.state === 'error' && <p className="body">{t(problemMessageKey(consents.problem.code))}</p>}
      {consents.state === 'ok' && consents.data.length === 0 && <p className="body">{t('journey.consents.none')}</p>}
      {consents.state === 'ok' && consents.data.length > 0 && (
        <SummaryList
          rows={consents.data.map((c) => ({
            key: (
              <>
                {c.purpose}{' '}
                <Tag colour={c.revokedAt ? 'grey' : 'green'}>
                  {t(c.revokedAt ? 'journey.consents.revokedTag' : 'journey.consents.active')}
                </Tag>
              </>
            ),
            value: (
              <>
                <span className="block">{t('journey.consents.given', { date: dateTime(locale, c.givenAt) })}</span>
                {byResource(c.items).map(([resource, items]) => {
                  const key = `journey.source.${resource}`;
                  return (
                    <span className="block secondary-text" key={resource}>
                      {hasMessage(key) ? t(key) : resource}
                      {t('journey.consents.items', { items: items.join(t('journey.listSeparator')) })}
                    </span>
                  );
                })}
              </>
            ),
            ...(c.revokedAt
              ? {}
              : {
                  action: (
                    <Button variant="secondary" className="button--small" onClick={() => void revoke(c)}>
                      {t('journey.consents.revoke')}
                      <span className="visually-hidden"> {c.purpose}</span>
                    </Button>
                  ),
                }),
          }))}
        />
      )}
    </section>
  );
}

function Sessions({ status }: { status: Status }) {
  const { t, locale } = useI18n();
  const { session } = useSession();
  const sessions = useFresh<SessionRow[]>('identity/me/sessions');
  const end = async (s: SessionRow) => {
    if (session.state !== 'signedIn') return;
    try {
      await api(`identity/me/sessions/${encodeURIComponent(s.id)}`, { locale, method: 'DELETE', csrf: session.csrf });
      status.setProblem(undefined);
      status.setMessage(t('journey.sessions.ended'));
      sessions.reload();
    } catch (error) {
      status.setProblem(problemFrom(error));
    }
  };
  return (
    <section aria-labelledby="sessions-heading">
      <h2 className="heading-m" id="sessions-heading" tabIndex={-1}>
        {t('journey.sessions.title')}
      </h2>
      {sessions.state === 'loading' && <Loading />}
      {sessions.state === 'error' && <p className="body">{t(problemMessageKey(sessions.problem.code))}</p>}
      {sessions.state === 'ok' && (
        <SummaryList
          rows={sessions.data.map((s) => ({
            key: (
              <>
                {t('journey.sessions.signedIn', { date: dateTime(locale, s.signedInAt) })}
                {s.current && (
                  <>
                    {' '}
                    <Tag colour="green">{t('journey.sessions.current')}</Tag>
                  </>
                )}
              </>
            ),
            value: t(s.acr?.endsWith(':mfa') ? 'journey.sessions.mfa' : 'journey.sessions.password'),
            ...(s.current
              ? {}
              : {
                  action: (
                    <Button variant="secondary" className="button--small" onClick={() => void end(s)}>
                      {t('journey.sessions.end')}
                    </Button>
                  ),
                }),
          }))}
        />
      )}
    </section>
  );
}

function Methods({ status }: { status: Status }) {
  const { t, locale } = useI18n();
  const { session } = useSession();
  const passkeys = useFresh<{ items: Passkey[] }>('identity/me/passkeys');
  const [enrolment, setEnrolment] = useState<{ secret: string; uri: string }>();
  const [code, setCode] = useState('');
  const [codeError, setCodeError] = useState<string>();
  const [attempt, setAttempt] = useState(0);
  const csrf = session.state === 'signedIn' ? session.csrf : '';

  const start = async () => {
    try {
      // Needs a multi-factor sign-in: a password-only session is sent to step up (lib/problem.ts) and back here.
      setEnrolment(await api<{ secret: string; uri: string }>('identity/me/totp', { locale, method: 'POST', csrf }));
      status.setProblem(undefined);
    } catch (error) {
      status.setProblem(problemFrom(error));
    }
  };
  const confirm = async (event: FormEvent) => {
    event.preventDefault();
    if (!/^\d{6}$/.test(code.trim())) {
      setCodeError(t('journey.totp.error.format'));
      setAttempt((n) => n + 1);
      return;
    }
    try {
      await api('identity/me/totp/confirm', { locale, method: 'POST', body: { code: code.trim() }, csrf });
      setEnrolment(undefined);
      setCode('');
      setCodeError(undefined);
      status.setMessage(t('journey.totp.done'));
    } catch (error) {
      setCodeError(t(problemMessageKey(problemFrom(error).code)));
      setAttempt((n) => n + 1);
    }
  };
  // WebAuthn's JSON forms (Baseline 2025): where the browser has none, it cannot add a passkey here.
  const canAddPasskey =
    typeof PublicKeyCredential !== 'undefined' &&
    typeof PublicKeyCredential.parseCreationOptionsFromJSON === 'function';
  const addPasskey = async () => {
    try {
      // Multi-factor, as for the authenticator: a password-only session steps up and comes back.
      const options = await api<PublicKeyCredentialCreationOptionsJSON>('identity/me/passkeys/options', {
        locale,
        method: 'POST',
        csrf,
      });
      const credential = await navigator.credentials.create({
        publicKey: PublicKeyCredential.parseCreationOptionsFromJSON(options),
      });
      if (!(credential instanceof PublicKeyCredential)) throw new DOMException('no credential', 'NotAllowedError');
      await api('identity/me/passkeys', { locale, method: 'POST', body: credential.toJSON(), csrf });
      status.setProblem(undefined);
      status.setMessage(t('journey.passkeys.addedNow'));
      passkeys.reload();
    } catch (error) {
      // The person closed the browser's dialog, or the device has no authenticator: said, not shown as a fault.
      if (error instanceof DOMException) status.setProblem({ status: 0, code: 'PASSKEY_CANCELLED' });
      else status.setProblem(problemFrom(error));
    }
  };
  const remove = async (p: Passkey) => {
    try {
      await api(`identity/me/passkeys/${encodeURIComponent(p.id)}`, { locale, method: 'DELETE', csrf });
      status.setMessage(t('journey.passkeys.removed'));
      passkeys.reload();
    } catch (error) {
      status.setProblem(problemFrom(error));
    }
  };

  return (
    <section aria-labelledby="methods-heading">
      <h2 className="heading-m" id="methods-heading" tabIndex={-1}>
        {t('journey.methods.title')}
      </h2>
      <h3 className="heading-s">{t('journey.totp.title')}</h3>
      <p className="body">{t('journey.totp.lead')}</p>
      {!enrolment && (
        <Button variant="secondary" onClick={() => void start()}>
          {t('journey.totp.add')}
        </Button>
      )}
      {enrolment && (
        <div className="inset">
          {codeError && <ErrorSummary key={attempt} errors={[{ field: 'totp-code', text: codeError }]} />}
          <p className="body">{t('journey.totp.secret')}</p>
          <p className="body">
            <code className="secret" id="totp-secret">
              {enrolment.secret}
            </code>
          </p>
          <p className="body">{t('journey.totp.uri')}</p>
          <p className="body">
            <code className="secret">{enrolment.uri}</code>
          </p>
          <form onSubmit={(e) => void confirm(e)} noValidate>
            <TextInput
              id="totp-code"
              label={t('journey.totp.code')}
              hint={t('journey.totp.code.hint')}
              error={codeError}
              value={code}
              inputMode="numeric"
              autoComplete="one-time-code"
              className="input--width-10"
              onChange={(e) => setCode(e.currentTarget.value)}
            />
            <Button type="submit">{t('journey.totp.confirm')}</Button>
          </form>
        </div>
      )}
      <h3 className="heading-s">{t('journey.passkeys.title')}</h3>
      {passkeys.state === 'loading' && <Loading />}
      {passkeys.state === 'error' && <p className="body">{t(problemMessageKey(passkeys.problem.code))}</p>}
      {passkeys.state === 'ok' && passkeys.data.items.length === 0 && (
        <p className="body">{t('journey.passkeys.none')}</p>
      )}
      {passkeys.state === 'ok' && passkeys.data.items.length > 0 && (
        <SummaryList
          rows={passkeys.data.items.map((p, i) => ({
            key: t('journey.passkeys.item', { n: i + 1 }),
            value: p.createdAt ? t('journey.passkeys.added', { date: dateTime(locale, p.createdAt) }) : '',
            action: (
              <Button variant="secondary" className="button--small" onClick={() => void remove(p)}>
                {t('journey.passkeys.remove')}
                <span className="visually-hidden"> {t('journey.passkeys.item', { n: i + 1 })}</span>
              </Button>
            ),
          }))}
        />
      )}
      {canAddPasskey ? (
        <Button variant="secondary" onClick={() => void addPasskey()}>
          {t('journey.passkeys.add')}
        </Button>
      ) : (
        <p className="body">{t('journey.passkeys.unsupported')}</p>
      )}
    </section>
  );
}
