-- A request's target and headers are as long as the ingress lets them be: over HTTP/2 a path of about 23 KB, three
-- times that once percent-encoded, and headers up to http.maxHeaderBytes, longer again as JSON. A declared length
-- below that made PostgreSQL refuse the webhook, and with it every webhook of its accept batch.
ALTER TABLE messages ALTER COLUMN uri TYPE TEXT, ALTER COLUMN headers TYPE TEXT;
