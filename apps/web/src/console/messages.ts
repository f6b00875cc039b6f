// The console's words, added to the catalogs when its chunk loads (Area.tsx imports this first), so
// none of them weighs on the portal's initial JavaScript.
import { addMessages } from '../i18n/messages.ts';
import { consoleEn } from '../i18n/console.en.ts';
import { consoleZh } from '../i18n/console.zh-CN.ts';

addMessages({ 'zh-CN': consoleZh, en: consoleEn });
