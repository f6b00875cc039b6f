import type { ReactNode } from 'react';
import { Tag } from './Tag.tsx';

export function PhaseBanner({ tag, children }: { tag: ReactNode; children: ReactNode }) {
  return (
    <div className="phase-banner">
      <p className="phase-banner__content">
        <Tag>{tag}</Tag>
        <span className="phase-banner__text">{children}</span>
      </p>
    </div>
  );
}
