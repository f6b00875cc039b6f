-- The statistics (store/stats.ts): a service guide's "how long it has taken" reads one matter's
-- decided tasks of the last 90 days, and the dashboard the tasks decided in its window. Without
-- these both walked the whole task table; each index holds decided tasks only.
create index task_decided_by_matter on workflow.task (matter_code, finished_at)
  where state in ('approved', 'rejected');
create index task_decided on workflow.task (finished_at)
  where state in ('approved', 'rejected');
