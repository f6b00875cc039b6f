-- A department lists what applicants withdrew from its work (GET /queue?state=withdrawn) in the
-- queue's order; task_queue holds open tasks only, so this list gets its own partial index.
create index task_withdrawn_queue on workflow.task (department_code, due_on, id) where state = 'withdrawn';
