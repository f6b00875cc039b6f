-- The language an account's notices are sent in (zh-CN unless the person registered in English):
-- a notice of a factor change goes to the owner, whoever made the change, so it cannot follow
-- the language of the request that made it.
alter table identity.account add column lang text not null default 'zh' check (lang in ('zh', 'en'));
