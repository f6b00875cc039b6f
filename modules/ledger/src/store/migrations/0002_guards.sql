-- Row triggers do not see TRUNCATE, and the log row had none: the application may not empty the
-- tables, shrink a log or remove one either. (An administrator can still drop the triggers; what
-- catches that is a witness's memory and a verifier that pins its key.)
create trigger entry_no_truncate before truncate on ledger.entry for each statement execute function ledger.refuse_change();
create trigger node_no_truncate before truncate on ledger.node for each statement execute function ledger.refuse_change();
create trigger checkpoint_no_truncate before truncate on ledger.checkpoint for each statement execute function ledger.refuse_change();
create trigger log_grows_only before update on ledger.log for each row when (new.size < old.size) execute function ledger.refuse_change();
create trigger log_never_removed before delete or truncate on ledger.log for each statement execute function ledger.refuse_change();
