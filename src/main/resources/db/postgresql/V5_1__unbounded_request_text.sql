-- A message's headers are as long as http.maxHeaderBytes lets them be (up to 1 MiB), longer again as JSON, and its
-- path and query up to three times the 4096-byte request line once percent-encoded: a declared length made
-- PostgreSQL refuse a webhook, and with it every webhook of its accept batch. SQLite never enforced them.
-- Numbered between the shared migrations, so that the next of those (V6) cannot take its number.
-- Waits at most 10 s for the table's lock: a transaction holding it (a long backup, say) would otherwise queue every
-- node's accepts behind this one; startup then stops, naming the store, and a later start migrates.
SET LOCAL lock_timeout = '10s';
ALTER TABLE messages ALTER COLUMN uri TYPE TEXT, ALTER COLUMN headers TYPE TEXT;
