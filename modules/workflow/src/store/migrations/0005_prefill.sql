-- Prefill with provenance (issue 11): what the data hub filled into an application's form, each
-- value with its data element, the form keys it fills, its source (resource, department, time,
-- item) and whether an authoritative registry verified it. Verified values are locked: changing
-- one at draft save, submission or correction is refused, and 秒批 rules read them as `verified`.
-- Null: never asked (a form submitted without a draft, an application from before the data hub).
-- { at, status: 'filled' | 'unavailable', problem, values: [{ element, keys, value, source, verified }],
--   consentNeeded: [{ element, resource, item }], missing: [element] }
alter table workflow.application add column prefill jsonb;
alter table workflow.application add constraint application_prefill_shape
  check (
    prefill is null
    or (
      jsonb_typeof(prefill) = 'object'
      and prefill->>'status' in ('filled', 'unavailable')
      and jsonb_typeof(prefill->'values') = 'array'
      and jsonb_typeof(prefill->'consentNeeded') = 'array'
      and jsonb_typeof(prefill->'missing') = 'array'
    )
  );
