// The workbench's messages in zh-CN, spread into the zh-CN catalog (keys start with 'workbench.').
// A file per area so that work on one area does not touch another's catalog.
export const workbenchZh = {
  'workbench.title': '工作台',
};
