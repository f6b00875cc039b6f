// The words and tags the security pages share: severity, status, subject, response, time.
import type { AlertView, ResponseTarget, ResponseView, Severity } from '@tongban/contracts';
import { Tag, type TagColour } from '../components/Tag.tsx';
import { useI18n } from '../i18n/context.tsx';
import type { MessageKey } from '../i18n/messages.ts';
import { dateTime } from '../journey/time.ts';

const SEVERITY_COLOUR: Record<Severity, TagColour> = { low: 'grey', medium: 'yellow', high: 'red', critical: 'red' };

export function SeverityTag({ severity }: { severity: Severity }) {
  const { t } = useI18n();
  return <Tag colour={SEVERITY_COLOUR[severity]}>{t(`security.severity.${severity}` as MessageKey)}</Tag>;
}

export function StatusTag({ status }: { status: AlertView['status'] }) {
  const { t } = useI18n();
  return (
    <Tag colour={status === 'open' ? 'blue' : status === 'assigned' ? 'yellow' : 'grey'}>
      {t(`security.status.${status}` as MessageKey)}
    </Tag>
  );
}

export function useSecurityWords() {
  const { t, locale } = useI18n();
  return {
    when: (iso: string) => dateTime(locale, iso),
    subject: (s: AlertView['subject']) => `${t(`security.subject.${s.kind}` as MessageKey)} ${s.value}`,
    action: (a: ResponseView['action']) => t(`security.action.${a}` as MessageKey),
    target: (target: ResponseTarget) =>
      [target.ip, target.accountId, target.sessionId].filter((v): v is string => Boolean(v)).join(' · '),
    until: (r: Pick<ResponseView, 'until'>) => (r.until ? dateTime(locale, r.until) : t('security.untilLifted')),
    state: (r: ResponseView) => t(`security.state.${r.state}` as MessageKey),
    delivery: (r: ResponseView) => (r.delivery ? t(`security.delivery.${r.delivery.state}` as MessageKey) : '—'),
  };
}
