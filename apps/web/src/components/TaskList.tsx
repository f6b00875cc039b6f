import type { ReactNode } from 'react';
import { Link } from './Link.tsx';

export interface Task {
  id: string;
  title: ReactNode;
  href?: string;
  hint?: ReactNode;
  status: ReactNode;
}

/** GOV.UK's task list: the parts of a long service and where each one stands. */
export function TaskList({ tasks }: { tasks: Task[] }) {
  return (
    <ul className="task-list">
      {tasks.map((task) => (
        <li className="task-list__item" key={task.id}>
          <div className="task-list__name">
            {task.href ? (
              <Link href={task.href} aria-describedby={`${task.id}-status${task.hint ? ` ${task.id}-hint` : ''}`}>
                {task.title}
              </Link>
            ) : (
              task.title
            )}
            {task.hint && (
              <div className="hint task-list__hint" id={`${task.id}-hint`}>
                {task.hint}
              </div>
            )}
          </div>
          <div className="task-list__status" id={`${task.id}-status`}>
            {task.status}
          </div>
        </li>
      ))}
    </ul>
  );
}
