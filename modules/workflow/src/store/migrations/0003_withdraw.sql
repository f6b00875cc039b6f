-- 撤回: an applicant withdraws an application while no department has decided. The application
-- ends 'withdrawn' with the applicant's reason beside it (shown to every department handling it);
-- each open task ends 'withdrawn' through the process table's `withdraw` action, logged with the
-- same reason.
alter table workflow.application drop constraint application_status_check;
alter table workflow.application add constraint application_status_check
  check (status in ('draft', 'in_progress', 'completed', 'closed', 'withdrawn'));
alter table workflow.application add column withdrawal_reason text;
alter table workflow.application add constraint application_withdrawal_reason
  check ((status = 'withdrawn') = (withdrawal_reason is not null));

alter table workflow.task drop constraint task_state_check;
alter table workflow.task add constraint task_state_check
  check (state in ('waiting', 'submitted', 'accepted', 'reviewed', 'correction', 'approved', 'rejected', 'cancelled', 'withdrawn'));
