-- How many of a delivery's attempts have an outcome written; attempts counts every claim. The difference is the
-- attempts the process ended during: two of them in a row end a delivery dead, so that a webhook that crashes
-- Hookcast is not sent again forever, also when an operator's retry asked for it.
ALTER TABLE deliveries ADD COLUMN recorded_attempts INTEGER DEFAULT 0 NOT NULL;

-- Under way at the upgrade: its last claim has no outcome yet.
UPDATE deliveries SET recorded_attempts = CASE WHEN status = 'delivering' THEN attempts - 1 ELSE attempts END;
