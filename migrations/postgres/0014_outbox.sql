-- patron schema v14 (postgres): kept in step with migrations/sqlite/0014_outbox.sql.
-- The outbox (issue 14): what a message needs to be sent, retried and traced. The status CHECK
-- of 0001 stays as it is (changing it would rebuild the table): `queued` (waiting, or claimed
-- by a worker while `claimed_at` is set), `sent` (accepted by the mail server, not delivered),
-- `failed`, `bounced`. Rows from before this migration keep NULL in the new columns; with no
-- `next_attempt_at` no worker ever picks them up.
ALTER TABLE emails ADD COLUMN message_id TEXT;
ALTER TABLE emails ADD COLUMN to_address TEXT;
ALTER TABLE emails ADD COLUMN from_address TEXT;
ALTER TABLE emails ADD COLUMN body_text TEXT;
ALTER TABLE emails ADD COLUMN body_html TEXT;
ALTER TABLE emails ADD COLUMN template TEXT;
ALTER TABLE emails ADD COLUMN attempts BIGINT NOT NULL DEFAULT 0;
ALTER TABLE emails ADD COLUMN next_attempt_at TIMESTAMPTZ;
ALTER TABLE emails ADD COLUMN claimed_at TIMESTAMPTZ;
ALTER TABLE emails ADD COLUMN smtp_reply TEXT;
ALTER TABLE emails ADD COLUMN smtp_queue_id TEXT;
ALTER TABLE emails ADD COLUMN sent_by BIGINT REFERENCES staff (id);
ALTER TABLE emails ADD COLUMN updated_at TIMESTAMPTZ;
-- Our own Message-ID: how a bounce finds its message. NULLs (old rows) do not collide.
CREATE UNIQUE INDEX emails_message_id ON emails (message_id);
-- What a worker scans for: due messages, and leases that ran out.
CREATE INDEX emails_due ON emails (next_attempt_at) WHERE status = 'queued';
CREATE INDEX emails_outbox ON emails (status, created_at) WHERE message_id IS NOT NULL;
