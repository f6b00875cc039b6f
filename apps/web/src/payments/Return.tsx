import './messages.ts';
import { useEffect, useState } from 'react';
import type { PageProps } from '../app/table.tsx';
import { Button, ButtonLink } from '../components/Button.tsx';
import { Link } from '../components/Link.tsx';
import { Loading } from '../components/Loading.tsx';
import { Panel } from '../components/Panel.tsx';
import { SummaryList } from '../components/SummaryList.tsx';
import { useI18n } from '../i18n/context.tsx';
import { journeyPaths } from '../journey/model.ts';
import { dateTime } from '../journey/time.ts';
import { problemMessageKey } from '../lib/problem.ts';
import { usePageTitle } from '../lib/title.ts';
import { useFresh } from '../lib/useApi.ts';
import { ChannelName, Receipt } from './bits.tsx';
import { paymentsApi, paymentsPaths, RETURN_CHECK_DELAY_MS, RETURN_CHECKS, returnState, type Order } from './model.ts';
import '../journey/journey.css';
import './payments.css';

/**
 * /payments/return/<token>: where the channel's cashier sends the browser back (no order or payment
 * id in the address: the token is the payer's checkout). Each read makes the payments module ask the
 * channel when the order is still pending (its notify may come later than the browser), so a pending
 * answer is asked again a few times, visibly, then the page says what to do — not forever. Once paid,
 * the receipt is waited for the same way.
 */
export default function Return({ params }: PageProps) {
  const { t, money, locale } = useI18n();
  const token = params['token'] ?? '';
  const result = useFresh<Order>(paymentsApi.checkoutResult(token));
  // How many answers were read, and up to how many to read ("check again" allows a few more).
  const [checks, setChecks] = useState(1);
  const [limit, setLimit] = useState(RETURN_CHECKS);
  const { reload } = result;
  const order = result.state === 'ok' ? result.data : undefined;
  const state = order ? returnState(order, checks, limit) : undefined;
  const waitingForReceipt = state === 'settled' && order?.status === 'paid' && !order.receipt;
  const again = (state === 'confirming' || waitingForReceipt) && checks < limit;

  // Asked again after a pause while it is pending (or paid with the receipt still being issued).
  // `result` changes identity with each answer, so one timer runs per answer.
  useEffect(() => {
    if (!again) return;
    const timer = setTimeout(() => {
      setChecks((n) => n + 1);
      reload();
    }, RETURN_CHECK_DELAY_MS);
    return () => clearTimeout(timer);
  }, [again, order, reload]);

  const heading =
    state === 'settled'
      ? t('payments.return.paid')
      : state === 'failed'
        ? t('payments.return.failed')
        : state === 'unconfirmed'
          ? t('payments.return.stillPending')
          : state === 'confirming'
            ? t('payments.return.confirming')
            : t('payments.return.title');
  usePageTitle(heading);

  if (result.state === 'loading') return <Loading />;
  if (result.state === 'error')
    return (
      <>
        <h1 className="heading-l">{t('payments.return.title')}</h1>
        <p className="body">
          {result.problem.status === 404 ? t('payments.return.notFound') : t(problemMessageKey(result.problem.code))}
        </p>
        <p className="body">
          <Link href={paymentsPaths.list()}>{t('payments.title')}</Link>
        </p>
      </>
    );
  const o = result.data;
  const application = (
    <p className="body">
      <Link href={journeyPaths.application(o.applicationId)}>{t('payments.order.application')}</Link>
    </p>
  );

  if (state === 'settled')
    return (
      <>
        <Panel title={heading}>{money(o.amountFen)}</Panel>
        <p className="body">{t('payments.return.paidBody', { amount: money(o.amountFen), number: o.caseNumber })}</p>
        <SummaryList
          rows={[
            ...(o.paidAt ? [{ key: t('payments.order.paidAt'), value: dateTime(locale, o.paidAt) }] : []),
            ...(o.channel ? [{ key: t('payments.order.channel'), value: <ChannelName channel={o.channel} /> }] : []),
            ...(o.status !== 'waived'
              ? [
                  {
                    key: t('payments.order.receipt'),
                    value: (
                      <span aria-live="polite">
                        <Receipt order={o} />
                      </span>
                    ),
                  },
                ]
              : []),
          ]}
        />
        {application}
        <p className="body">
          <Link href={paymentsPaths.order(o.id)}>{t('payments.return.backToOrder')}</Link>
        </p>
      </>
    );

  if (state === 'failed')
    return (
      <>
        <h1 className="heading-l">{heading}</h1>
        <p className="body">{t('payments.return.failedBody')}</p>
        <p className="body">{t('payments.return.failedNext')}</p>
        {application}
      </>
    );

  return (
    <>
      <h1 className="heading-l">{heading}</h1>
      <div aria-live="polite">
        {state === 'confirming' ? (
          <>
            <p className="body">{t('payments.return.confirmingBody', { count: checks })}</p>
            <Loading />
          </>
        ) : (
          <p className="body">{t('payments.return.stillPendingBody')}</p>
        )}
      </div>
      {state === 'unconfirmed' && (
        <div className="button-group">
          <Button
            variant="secondary"
            onClick={() => {
              setLimit(checks + RETURN_CHECKS);
              setChecks((n) => n + 1);
              reload();
            }}
          >
            {t('payments.return.checkAgain')}
          </Button>
          <ButtonLink href={paymentsPaths.order(o.id)} variant="secondary">
            {t('payments.return.backToOrder')}
          </ButtonLink>
        </div>
      )}
      {application}
    </>
  );
}
