-- The deadline sweep looks for open tasks not yet warned whose warning day has come, and open
-- tasks not yet escalated whose due day has passed. `task_due` held every open task by due day,
-- so "due soon" walked all tasks due from today on (30,283 entries at a million applications to
-- return none) and "overdue" walked past every escalated task still open. Each query gets an
-- index holding only the tasks it can still return; both shrink as the sweep does its work.
create index task_to_warn on workflow.task (warn_on)
  where warned_at is null and state in ('submitted', 'accepted', 'reviewed');
create index task_to_escalate on workflow.task (due_on)
  where escalated_at is null and state in ('submitted', 'accepted', 'reviewed');
drop index workflow.task_due;
