import type { ReactNode } from 'react';
import { Link } from './Link.tsx';

/** Back to the previous page of a journey: a real link (it works without history). */
export function BackLink({ href, children }: { href: string; children: ReactNode }) {
  return (
    <Link href={href} className="back-link">
      {children}
    </Link>
  );
}
