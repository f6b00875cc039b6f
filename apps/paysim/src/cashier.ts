// The cashier page (收银台): what the payer sees at the channel. Plain HTML, no script, no style
// attribute and no external asset, so it renders under a strict Content-Security-Policy; zh-CN
// first, English with ?lang=en or an English Accept-Language.
import { fenToYuan } from './signing.ts';
import type { Session, Trade } from './state.ts';

export type Lang = 'zh' | 'en';

const TEXT = {
  zh: {
    title: '支付通道模拟器 · 收银台',
    amount: '应付金额',
    subject: '商品',
    order: '商户订单号',
    pay: '确认支付',
    cancel: '取消',
    paid: '该订单已支付。',
    expired: '支付页面已过期，请返回重新发起支付。',
    notFound: '支付页面不存在。',
    note: '这是开发和测试用的模拟通道，不会扣除真实资金。',
  },
  en: {
    title: 'Payment channel simulator · Cashier',
    amount: 'Amount due',
    subject: 'Item',
    order: 'Merchant order',
    pay: 'Pay',
    cancel: 'Cancel',
    paid: 'This order is already paid.',
    expired: 'This payment page has expired: go back and start the payment again.',
    notFound: 'There is no such payment page.',
    note: 'A simulated channel for development and tests: no real money moves.',
  },
} as const;

export function langOf(query: unknown, acceptLanguage: string | undefined): Lang {
  const q = (query as { lang?: string } | undefined)?.lang;
  if (q === 'en' || q === 'zh') return q;
  return acceptLanguage && /^en\b/i.test(acceptLanguage.trim()) ? 'en' : 'zh';
}

const escape = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function page(lang: Lang, body: string): string {
  const t = TEXT[lang];
  return `<!doctype html>
<html lang="${lang === 'zh' ? 'zh-CN' : 'en'}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escape(t.title)}</title></head>
<body>
<main>
<h1>${escape(t.title)}</h1>
${body}
<p><small>${escape(t.note)}</small></p>
</main>
</body>
</html>`;
}

export function cashierPage(lang: Lang, session: Session | undefined, trade: Trade | undefined, now: Date): string {
  const t = TEXT[lang];
  if (!session || !trade) return page(lang, `<p role="alert">${escape(t.notFound)}</p>`);
  if (trade.status === 'TRADE_SUCCESS') return page(lang, `<p role="status">${escape(t.paid)}</p>`);
  if (new Date(session.expiresAt) <= now) return page(lang, `<p role="alert">${escape(t.expired)}</p>`);
  const id = encodeURIComponent(session.id);
  const q = lang === 'en' ? '?lang=en' : '';
  return page(
    lang,
    `<dl>
<dt>${escape(t.subject)}</dt><dd>${escape(trade.subject)}</dd>
<dt>${escape(t.order)}</dt><dd>${escape(trade.outTradeNo)}</dd>
<dt>${escape(t.amount)}</dt><dd><strong>¥${fenToYuan(trade.amountFen)}</strong></dd>
</dl>
<form method="post" action="${id}/pay${q}"><button type="submit">${escape(t.pay)}</button></form>
<form method="post" action="${id}/cancel${q}"><button type="submit">${escape(t.cancel)}</button></form>`,
  );
}

export function messagePage(lang: Lang, which: 'expired' | 'notFound'): string {
  return page(lang, `<p role="alert">${escape(TEXT[lang][which])}</p>`);
}
