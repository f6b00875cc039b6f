// Pieces the payer's pages share: the channel's name, the receipt's link, the order's items.
import { Link } from '../components/Link.tsx';
import { useI18n } from '../i18n/context.tsx';
import { paymentsPaths, type Order } from './model.ts';

export function ChannelName({ channel }: { channel: string | null }) {
  const { t } = useI18n();
  if (channel === 'exempt') return <>{t('payments.channel.exempt')}</>;
  if (channel === 'simulator') return <>{t('payments.channel.simulator')}</>;
  return <>{channel ?? ''}</>;
}

/** 电子票据: a link to the licence in 我的证照 once issued, else that it is being issued. */
export function Receipt({ order }: { order: Order }) {
  const { t } = useI18n();
  if (!order.receipt) return <>{t('payments.order.receiptPending')}</>;
  return (
    <Link href={paymentsPaths.receipt(order.receipt.licenceId)}>
      {t('payments.order.receiptLink', { identifier: order.receipt.identifier })}
    </Link>
  );
}

/** What the fee is for, line by line (an exemption or a tier said), and the total. */
export function Items({ order }: { order: Order }) {
  const { t, text, money } = useI18n();
  return (
    <div className="table-wrap" role="region" aria-labelledby="items-caption" tabIndex={0}>
      <table className="table">
        <caption id="items-caption" className="heading-s">
          {t('payments.order.items')}
        </caption>
        <thead>
          <tr>
            <th scope="col">{t('payments.order.item')}</th>
            <th scope="col">{t('payments.order.itemNote')}</th>
            <th scope="col" className="table__numeric">
              {t('payments.order.itemAmount')}
            </th>
          </tr>
        </thead>
        <tbody>
          {order.items.map((item) => (
            <tr key={item.code}>
              <th scope="row">{text(item.name)}</th>
              <td>
                {item.exemption
                  ? t('payments.order.exemption', { name: text(item.exemption.name) })
                  : item.tier !== undefined
                    ? t('payments.order.tier', { tier: item.tier + 1 })
                    : ''}
              </td>
              <td className="table__numeric">{money(item.amountFen)}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row" colSpan={2}>
              {t('payments.order.total')}
            </th>
            <td className="table__numeric">{money(order.amountFen)}</td>
          </tr>
        </tfoot>
      </table>
    </div>
  );
}
