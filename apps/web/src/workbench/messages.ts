// The workbench's words, added to the catalogs when its chunk loads (Area.tsx imports this first), so
// none of them weighs on the portal's initial JavaScript.
import { addMessages } from '../i18n/messages.ts';
import { workbenchEn } from '../i18n/workbench.en.ts';
import { workbenchZh } from '../i18n/workbench.zh-CN.ts';

addMessages({ 'zh-CN': workbenchZh, en: workbenchEn });
