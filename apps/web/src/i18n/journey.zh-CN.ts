// The journey's messages in zh-CN, spread into the zh-CN catalog (keys start with 'journey.').
// A file per area so that work on one area does not touch another's catalog.
export const journeyZh = {
  'journey.title': '在线申请',
};
