import './messages.ts';
import { Link } from '../components/Link.tsx';
import { Loading } from '../components/Loading.tsx';
import { Tag } from '../components/Tag.tsx';
import { useI18n } from '../i18n/context.tsx';
import { usePageTitle } from '../lib/title.ts';
import { useFresh } from '../lib/useApi.ts';
import { ErrorPage } from '../pages/ErrorPage.tsx';
import { isSettled, orderStatus, paymentsApi, paymentsPaths, type Order } from './model.ts';
import '../journey/journey.css';
import './payments.css';

export function OrderStatusTag({ status }: { status: string }) {
  const { t } = useI18n();
  const s = orderStatus(status);
  return <Tag colour={s.colour}>{t(s.key)}</Tag>;
}

/** /payments: 我的缴费 — every order of mine, what to pay and what was paid. */
export default function Orders() {
  const { t, text, money, date } = useI18n();
  const title = t('payments.title');
  usePageTitle(title);
  const orders = useFresh<Order[]>(paymentsApi.orders()); // signed out: sent to sign in, and back
  if (orders.state === 'error') return <ErrorPage problem={orders.problem} />;
  return (
    <>
      <h1 className="heading-l">{title}</h1>
      <p className="body">{t('payments.lead')}</p>
      {orders.state === 'loading' ? (
        <Loading />
      ) : orders.data.length === 0 ? (
        <p className="body">{t('payments.none')}</p>
      ) : (
        // Scrolls sideways on a narrow screen: focusable and named, so a keyboard can scroll it too.
        <div className="table-wrap" role="region" aria-labelledby="orders-caption" tabIndex={0}>
          <table className="table">
            <caption id="orders-caption" className="visually-hidden">
              {t('payments.caption')}
            </caption>
            <thead>
              <tr>
                <th scope="col">{t('payments.col.matter')}</th>
                <th scope="col">{t('payments.col.case')}</th>
                <th scope="col" className="table__numeric">
                  {t('payments.col.amount')}
                </th>
                <th scope="col">{t('payments.col.status')}</th>
                <th scope="col">{t('payments.col.when')}</th>
                <th scope="col">{t('payments.col.action')}</th>
              </tr>
            </thead>
            <tbody>
              {orders.data.map((o) => {
                const matter = text(o.matterName);
                return (
                  <tr key={o.id}>
                    <th scope="row">{matter}</th>
                    <td>{o.caseNumber}</td>
                    <td className="table__numeric">{money(o.amountFen)}</td>
                    <td>
                      <OrderStatusTag status={o.status} />
                    </td>
                    <td>
                      {o.status === 'pending'
                        ? t('payments.until', { date: date(o.expiresAt) })
                        : isSettled(o) && o.paidAt
                          ? t('payments.paidOn', { date: date(o.paidAt) })
                          : ''}
                    </td>
                    <td>
                      <Link href={paymentsPaths.order(o.id)}>
                        {t(o.status === 'pending' ? 'payments.payNow' : 'payments.view')}
                        <span className="visually-hidden">{t('payments.case.payHidden', { matter })}</span>
                      </Link>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
