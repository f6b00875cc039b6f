import type { ButtonHTMLAttributes, ReactNode } from 'react';
import { Link } from './Link.tsx';

type Variant = 'primary' | 'secondary' | 'warning';

function classes(variant: Variant, start?: boolean, extra?: string): string {
  return ['button', `button--${variant}`, start ? 'button--start' : '', extra ?? ''].filter(Boolean).join(' ');
}

export function Button({
  variant = 'primary',
  className,
  type = 'button',
  ...rest
}: ButtonHTMLAttributes<HTMLButtonElement> & { variant?: Variant }) {
  return <button type={type} className={classes(variant, false, className)} {...rest} />;
}

/** A link that looks like a button: for going somewhere (GOV.UK's start button with `start`). */
export function ButtonLink({
  href,
  variant = 'primary',
  start,
  children,
}: {
  href: string;
  variant?: Variant;
  start?: boolean;
  children: ReactNode;
}) {
  return (
    <Link href={href} className={classes(variant, start)}>
      {children}
      {start && (
        <svg className="button__arrow" aria-hidden="true" focusable="false" viewBox="0 0 33 40" width="17" height="19">
          <path fill="currentColor" d="M0 0h13l20 20-20 20H0l20-20z" />
        </svg>
      )}
    </Link>
  );
}
