import { useId, type ReactNode } from 'react';

/**
 * Something the user needs to know that is not about the page's task. `success` is announced at
 * once (role=alert); `important` is a labelled region read in page order.
 */
export function NotificationBanner({
  title,
  type = 'important',
  children,
}: {
  title: ReactNode;
  type?: 'important' | 'success';
  children: ReactNode;
}) {
  const id = useId();
  return (
    <div
      className={`notification-banner notification-banner--${type}`}
      role={type === 'success' ? 'alert' : 'region'}
      aria-labelledby={id}
    >
      <div className="notification-banner__header">
        <h2 className="notification-banner__title" id={id}>
          {title}
        </h2>
      </div>
      <div className="notification-banner__content">{children}</div>
    </div>
  );
}
