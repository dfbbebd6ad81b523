-- godiag serve: which server is analysing a pending upload, and until when its claim holds. Several
-- servers on one PostgreSQL analyse each upload once; a server that died mid-analysis leaves a claim
-- that runs out, and another server (or the same one restarted) takes the upload up again.
ALTER TABLE uploads ADD COLUMN claimed_by VARCHAR(100);
ALTER TABLE uploads ADD COLUMN claimed_until BIGINT;
