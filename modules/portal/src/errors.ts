import { defineErrors, moduleErrors } from '@tongban/kernel';

export const PortalErrors = defineErrors({
  PORTAL_SIGNED_OUT: {
    status: 401,
    zh: '您尚未登录或登录已结束，请重新登录',
    en: 'You are not signed in, or your session has ended: please sign in again',
  },
  PORTAL_CSRF: {
    status: 403,
    zh: '请求缺少有效的防伪令牌，请刷新页面后重试',
    en: 'The request lacks a valid anti-forgery token: reload the page and try again',
  },
  PORTAL_LOGIN_EXPIRED: {
    status: 400,
    zh: '这次登录已失效（超时、已使用或来自另一个浏览器），请重新开始登录',
    en: 'This sign-in is no longer valid (timed out, already used, or from another browser): please start again',
  },
  PORTAL_LOGIN_FAILED: {
    status: 502,
    zh: '统一身份认证未能完成登录，请重新开始',
    en: 'The identity service could not complete the sign-in: please start again',
  },
  PORTAL_EVENTS_UNAVAILABLE: {
    status: 503,
    zh: '暂时无法接收办理进度的实时更新，请稍后刷新页面',
    en: 'Live updates of your applications are not available right now: reload the page later',
  },
});

export const PortalError = moduleErrors(PortalErrors);
