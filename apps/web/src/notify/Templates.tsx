// 消息模板 (/console/templates): every kind of notice on every channel, its version and whether
// that version is published; each opens its editor.
import type { TemplateView } from '@tongban/contracts';
import { Link } from '../components/Link.tsx';
import { Loading } from '../components/Loading.tsx';
import { Tag } from '../components/Tag.tsx';
import { useI18n } from '../i18n/context.tsx';
import { usePageTitle } from '../lib/title.ts';
import { ProblemNote } from '../console/bits.tsx';
import { enc, useFresh } from '../console/data.ts';
import { byKindAndChannel, channelKey, kindKey } from './words.ts';

export const templatePath = (kind: string, channel: string) => `/console/templates/${enc(kind)}/${enc(channel)}`;

export function Templates() {
  const { t, number, date } = useI18n();
  usePageTitle(t('notify.templates.title'));
  const list = useFresh<TemplateView[]>('notify/templates');
  return (
    <>
      <h1 className="heading-l">{t('notify.templates.title')}</h1>
      <p className="body">{t('notify.templates.lead')}</p>
      {list.state === 'loading' ? (
        <Loading />
      ) : list.state === 'error' ? (
        <ProblemNote problem={list.problem} />
      ) : (
        <div className="table-wrap" role="region" aria-labelledby="templates-caption" tabIndex={0}>
          <table className="table">
            <caption id="templates-caption">{t('notify.templates.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('notify.templates.col.kind')}</th>
                <th scope="col">{t('notify.templates.col.channel')}</th>
                <th scope="col" className="table__numeric">
                  {t('notify.templates.col.version')}
                </th>
                <th scope="col">{t('notify.templates.col.state')}</th>
                <th scope="col">{t('console.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {list.data.length === 0 && (
                <tr>
                  <td colSpan={5}>{t('notify.templates.none')}</td>
                </tr>
              )}
              {byKindAndChannel(list.data).map((tpl) => {
                const kind = kindKey(tpl.kind);
                const channel = channelKey(tpl.channel);
                const kindName = kind ? t(kind) : tpl.kind;
                const channelName = channel ? t(channel) : tpl.channel;
                return (
                  <tr key={`${tpl.kind}/${tpl.channel}`}>
                    <th scope="row">{kindName}</th>
                    <td>{channelName}</td>
                    <td className="table__numeric">{number(tpl.version)}</td>
                    <td>
                      {tpl.publishedAt ? (
                        <>
                          <Tag colour="green">{t('notify.templates.published')}</Tag> {date(tpl.publishedAt)}
                        </>
                      ) : (
                        <Tag colour="grey">{t('notify.templates.draft')}</Tag>
                      )}
                    </td>
                    <td>
                      <Link href={templatePath(tpl.kind, tpl.channel)}>
                        {t('notify.templates.edit')}
                        <span className="visually-hidden">
                          {' '}
                          {t('notify.template.title', { kind: kindName, channel: channelName })}
                        </span>
                      </Link>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
