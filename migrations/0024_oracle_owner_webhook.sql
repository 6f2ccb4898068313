-- The owner's own webhook: the owner's notices (warnings, overdue, fired, a delivery that
-- gave up, a postponement) go to it as well as by email, signed per Standard Webhooks
-- with its own secret (shown once, stored wrapped under ORACLE_WRAP_KEY).
ALTER TABLE oracle_switches ADD COLUMN owner_webhook TEXT CHECK (owner_webhook IS NULL OR length(owner_webhook) <= 2048);
ALTER TABLE oracle_switches ADD COLUMN owner_webhook_secret TEXT CHECK ((owner_webhook IS NULL) = (owner_webhook_secret IS NULL));
