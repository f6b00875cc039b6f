import { useEffect, useState } from 'react';
import { Button } from '../components/Button.tsx';
import { Loading } from '../components/Loading.tsx';
import { SummaryList } from '../components/SummaryList.tsx';
import { Tag, type TagColour } from '../components/Tag.tsx';
import { useI18n } from '../i18n/context.tsx';
import type { HeldLicence } from '../journey/model.ts';
import type { MessageKey } from '../i18n/messages.ts';
import { api, problemFrom } from '../lib/api.ts';
import { problemMessageKey, type Problem } from '../lib/problem.ts';
import { useSession } from '../lib/session.tsx';
import { usePageTitle } from '../lib/title.ts';
import { useFresh } from '../lib/useApi.ts';
import { WalletOffer } from './WalletOffer.tsx';

/** A licence as `GET /licenses/me` lists it: what the journey's materials page reads, and when it was issued. */
type Licence = HeldLicence & { issuedAt: string };

const STATUS_COLOUR: Record<string, TagColour> = { valid: 'green', suspended: 'yellow', expired: 'grey' };

/** /licences: my electronic licences (我的电子证照), each with its scan code to show (亮证). */
export default function Licences() {
  const { t } = useI18n();
  const title = t('licences.title');
  usePageTitle(title);
  const mine = useFresh<{ licences: Licence[] }>('licenses/me'); // signed out: sent to sign in, and back
  // /licences#licence-<id> (a payment's receipt links so): once the list is there, show that licence.
  const loaded = mine.state === 'ok';
  useEffect(() => {
    if (!loaded || !location.hash.startsWith('#licence-')) return;
    const heading = document.getElementById(decodeURIComponent(location.hash.slice(1)));
    if (!heading) return;
    heading.scrollIntoView();
    heading.focus({ preventScroll: true });
  }, [loaded]);
  return (
    <>
      <h1 className="heading-l">{title}</h1>
      <p className="body">{t('licences.lead')}</p>
      {mine.state === 'loading' && <Loading />}
      {mine.state === 'error' && <p className="body">{t(problemMessageKey(mine.problem.code))}</p>}
      {mine.state === 'ok' && mine.data.licences.length === 0 && <p className="body">{t('licences.none')}</p>}
      {mine.state === 'ok' && mine.data.licences.map((l) => <LicenceCard key={l.id} licence={l} />)}
    </>
  );
}

function LicenceCard({ licence }: { licence: Licence }) {
  const { t, text, locale } = useI18n();
  const { session } = useSession();
  const [shown, setShown] = useState<{ code: string; qrSvg: string; shownUntil: string }>();
  const [lapsed, setLapsed] = useState(false);
  const [problem, setProblem] = useState<Problem>();
  const date = (iso: string | null) => (iso ? new Date(iso).toLocaleDateString(locale) : t('verify.noEnd'));
  const headingId = `licence-${licence.id}`;
  // 亮证: each code shown verifies for a few minutes; made fresh on each press.
  const show = async () => {
    try {
      setShown(
        await api(`licenses/${encodeURIComponent(licence.id)}/presentation-code`, {
          locale,
          method: 'POST',
          body: {},
          ...(session.state === 'signedIn' ? { csrf: session.csrf } : {}),
        }),
      );
      setLapsed(false);
      setProblem(undefined);
    } catch (error) {
      setProblem(problemFrom(error));
    }
  };
  // When its window ends the code is taken off the screen: a stale code would only be refused.
  useEffect(() => {
    if (!shown) return;
    const timer = setTimeout(() => setLapsed(true), Math.max(0, Date.parse(shown.shownUntil) - Date.now()));
    return () => clearTimeout(timer);
  }, [shown]);
  const until = shown && new Date(shown.shownUntil).toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit' });
  return (
    <section aria-labelledby={headingId} className="licence">
      <h2 className="heading-m" id={headingId} tabIndex={-1}>
        {text(licence.type.name)}
      </h2>
      <SummaryList
        rows={[
          {
            key: t('verify.status'),
            value: (
              <Tag colour={STATUS_COLOUR[licence.status] ?? 'red'}>
                {t(`licences.status.${licence.status}` as MessageKey)}
              </Tag>
            ),
          },
          { key: t('verify.licence.identifier'), value: <code className="secret">{licence.identifier}</code> },
          {
            key: t('verify.licence.validity'),
            value: t('verify.licence.validityRange', {
              from: date(licence.validFrom),
              until: date(licence.validUntil),
            }),
          },
        ]}
      />
      {licence.status === 'valid' && (!shown || lapsed) && (
        <Button variant="secondary" onClick={() => void show()}>
          {t(lapsed ? 'licences.showAgain' : 'licences.show')}
          <span className="visually-hidden"> {text(licence.type.name)}</span>
        </Button>
      )}
      {problem && <p className="body">{t(problemMessageKey(problem.code))}</p>}
      <div aria-live="polite">{lapsed && <p className="body">{t('licences.lapsed')}</p>}</div>
      {licence.status === 'valid' && <WalletOffer licenceId={licence.id} name={text(licence.type.name)} />}
      {shown && !lapsed && (
        <div className="licence__code">
          {/* An image, not inline SVG: nothing in it can run. */}
          <img
            src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(shown.qrSvg)}`}
            alt={t('licences.qrAlt', { name: text(licence.type.name) })}
            width={240}
            height={240}
          />
          <p className="body">{t('licences.shownUntil', { time: until ?? '' })}</p>
          <p className="body">{t('licences.codeHint')}</p>
          <p className="body">
            <code className="secret scan-code" id={`${headingId}-code`}>
              {shown.code}
            </code>
          </p>
        </div>
      )}
    </section>
  );
}
