import './messages.ts';
import { useRef, useState } from 'react';
import type { PageProps } from '../app/table.tsx';
import { BackLink } from '../components/BackLink.tsx';
import { Button } from '../components/Button.tsx';
import { ErrorSummary } from '../components/ErrorSummary.tsx';
import { Link } from '../components/Link.tsx';
import { Loading } from '../components/Loading.tsx';
import { NotificationBanner } from '../components/NotificationBanner.tsx';
import { SummaryList, type SummaryRow } from '../components/SummaryList.tsx';
import { useI18n } from '../i18n/context.tsx';
import { journeyPaths } from '../journey/model.ts';
import { newIdempotencyKey } from '../journey/data.ts';
import { dateTime } from '../journey/time.ts';
import { api, problemFrom } from '../lib/api.ts';
import { problemMessageKey } from '../lib/problem.ts';
import { useSession } from '../lib/session.tsx';
import { usePageTitle } from '../lib/title.ts';
import { useFresh } from '../lib/useApi.ts';
import { ErrorPage } from '../pages/ErrorPage.tsx';
import { ChannelName, Items, Receipt } from './bits.tsx';
import { isSettled, paymentsApi, safeNextUrl, type Checkout, type Order } from './model.ts';
import { OrderStatusTag } from './Orders.tsx';
import '../journey/journey.css';
import './payments.css';

/**
 * /payments/<id>: what to pay — the items, an exemption applied, the amount and until when — and
 * 去支付, which asks the payments module for a checkout and sends the browser to the channel's
 * cashier (GOV.UK Pay's next_url). Once paid: when, through which channel, the receipt, refunds.
 */
export default function OrderPage({ params }: PageProps) {
  const { t, text, money, locale } = useI18n();
  const { session } = useSession();
  const id = params['id'] ?? '';
  const order = useFresh<Order>(paymentsApi.order(id));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [round, setRound] = useState(0);
  // One key per visit: a second press (or a retry after a network error) asks for the same checkout.
  const idempotencyKey = useRef(newIdempotencyKey());
  const title =
    order.state === 'ok' ? t('payments.order.title', { matter: text(order.data.matterName) }) : t('payments.title');
  usePageTitle(title);
  if (order.state === 'error') return <ErrorPage problem={order.problem} />;
  if (order.state === 'loading') return <Loading />;
  const o = order.data;
  const at = (iso: string) => dateTime(locale, iso);

  const pay = async () => {
    if (session.state !== 'signedIn') return;
    setBusy(true);
    setError(undefined);
    try {
      const checkout = await api<Checkout>(paymentsApi.checkout(o.id), {
        locale,
        method: 'POST',
        body: {},
        csrf: session.csrf,
        headers: { 'idempotency-key': idempotencyKey.current },
      });
      const next = safeNextUrl(checkout.nextUrl, location.href);
      if (!next) throw new Error('next_url');
      location.assign(next);
    } catch (e) {
      const problem = problemFrom(e);
      setError(
        e instanceof Error && e.message === 'next_url'
          ? t('payments.order.badNextUrl')
          : t(problemMessageKey(problem.code)),
      );
      setRound((r) => r + 1);
      setBusy(false);
      order.reload(); // it may have been paid meanwhile, or have lapsed
    }
  };

  const rows: SummaryRow[] = [
    { key: t('payments.order.status'), value: <OrderStatusTag status={o.status} /> },
    {
      key: t(isSettled(o) ? 'payments.order.paidAmount' : 'payments.order.amount'),
      value: <span className="amount amount--large">{money(o.amountFen)}</span>,
    },
  ];
  if (o.status === 'pending') rows.push({ key: t('payments.order.expires'), value: at(o.expiresAt) });
  rows.push({ key: t('payments.order.createdAt'), value: at(o.createdAt) });
  if (o.paidAt) rows.push({ key: t('payments.order.paidAt'), value: at(o.paidAt) });
  if (o.channel) rows.push({ key: t('payments.order.channel'), value: <ChannelName channel={o.channel} /> });
  if (o.refundedFen > 0) rows.push({ key: t('payments.order.refunded'), value: money(o.refundedFen) });
  if (isSettled(o) && o.status !== 'waived')
    rows.push({ key: t('payments.order.receipt'), value: <Receipt order={o} /> });

  return (
    <>
      <BackLink href="/payments">{t('payments.order.back')}</BackLink>
      {error && <ErrorSummary key={round} errors={[{ field: 'pay', text: error }]} />}
      <span className="caption">{t('payments.order.caption', { number: o.caseNumber })}</span>
      <h1 className="heading-l">{title}</h1>
      {o.status === 'expired' && (
        <NotificationBanner title={t('payments.order.expiredTitle')}>
          <p className="body">{t('payments.order.expiredBody')}</p>
        </NotificationBanner>
      )}
      {o.status === 'waived' && <p className="body">{t('payments.order.waivedBody')}</p>}
      {o.refundedFen > 0 && (
        <p className="body">{t('payments.order.refundedBody', { amount: money(o.refundedFen) })}</p>
      )}
      <SummaryList rows={rows} />
      <Items order={o} />
      {o.status === 'pending' && (
        <>
          <p className="body">{t('payments.order.payHint')}</p>
          <Button id="pay" onClick={() => void pay()} disabled={busy} aria-describedby="pay-status">
            {t('payments.order.pay')}
          </Button>
          <p className="body secondary-text" id="pay-status" role="status">
            {busy ? t('payments.order.paying') : ''}
          </p>
        </>
      )}
      <p className="body">
        <Link href={journeyPaths.application(o.applicationId)}>{t('payments.order.application')}</Link>
      </p>
    </>
  );
}
