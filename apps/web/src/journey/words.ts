// Message keys made at run time (a group's name from its data elements, a source's from its
// resource): used only when the catalog has them, with a generic key otherwise.
import { catalogs, type MessageKey } from '../i18n/messages.ts';

export function hasMessage(key: string): key is MessageKey {
  return Object.hasOwn(catalogs['zh-CN'], key);
}

/** `journey.group.<id>`, or the generic "other details". */
export function groupKey(id: string): MessageKey {
  const key = `journey.group.${id}`;
  return hasMessage(key) ? key : 'journey.group.other';
}
