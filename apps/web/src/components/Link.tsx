import type { AnchorHTMLAttributes, MouseEvent } from 'react';
import { isAppPath } from '../lib/paths.ts';
import { useRouter } from '../lib/router.tsx';

type Props = AnchorHTMLAttributes<HTMLAnchorElement> & { href: string };

/** A link; one to a page of this app navigates without a page load (a modified click still opens a tab). */
export function Link({ href, onClick, className, ...rest }: Props) {
  const { navigate } = useRouter();
  const handle = (event: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(event);
    if (
      event.defaultPrevented ||
      event.button !== 0 ||
      event.metaKey ||
      event.ctrlKey ||
      event.shiftKey ||
      event.altKey
    )
      return;
    if (!isAppPath(href) || rest.target) return;
    event.preventDefault();
    navigate(href);
  };
  return <a href={href} className={['link', className].filter(Boolean).join(' ')} onClick={handle} {...rest} />;
}
