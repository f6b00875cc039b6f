// The security area's words, added to the catalogs when its chunk loads (Area.tsx imports this first).
import { addMessages } from '../i18n/messages.ts';
import { securityEn } from '../i18n/security.en.ts';
import { securityZh } from '../i18n/security.zh-CN.ts';

addMessages({ 'zh-CN': securityZh, en: securityEn });
