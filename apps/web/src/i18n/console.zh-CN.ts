// The console's messages in zh-CN, spread into the zh-CN catalog (keys start with 'console.').
// A file per area so that work on one area does not touch another's catalog.
export const consoleZh = {
  'console.title': '管理控制台',
};
