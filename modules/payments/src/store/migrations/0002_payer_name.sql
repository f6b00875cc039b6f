-- 交款人 for the receipt (非税收入票据): the payer's name as the workflow's payment facts give it,
-- masked when the order is made (张*), so the full name is never stored here.
alter table payments.payment_order add column payer_name_masked text;
