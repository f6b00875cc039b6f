-- The daily run reconciles a channel's day once, however many replicas run it at 02:00: the
-- second one's insert fails here and it stands down (an operator's own runs are not limited).
create unique index reconciliation_daily_once on payments.reconciliation (channel, day)
  where requested_by = 'system:daily';
