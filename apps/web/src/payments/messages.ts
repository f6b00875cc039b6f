// The payer's words (我的缴费 and a task awaiting payment), added to the catalogs when a page that
// uses them loads (each imports this first), so none of them weighs on the portal's initial JavaScript.
import { addMessages } from '../i18n/messages.ts';
import { paymentsEn } from '../i18n/payments.en.ts';
import { paymentsZh } from '../i18n/payments.zh-CN.ts';

addMessages({ 'zh-CN': paymentsZh, en: paymentsEn });
