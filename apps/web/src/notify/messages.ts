// The notification pages' words (消息设置, 发送记录, and the console's templates, failed pushes and
// SMS sandbox), added to the catalogs when a page that uses them loads (each imports this first).
import { addMessages } from '../i18n/messages.ts';
import { notifyEn } from '../i18n/notify.en.ts';
import { notifyZh } from '../i18n/notify.zh-CN.ts';

addMessages({ 'zh-CN': notifyZh, en: notifyEn });
