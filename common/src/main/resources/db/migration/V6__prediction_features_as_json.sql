-- The prediction log keeps the request's features (and a multi-class model's outputs) as json, not
-- jsonb. Every reader takes the whole document back as text and parses it itself (drift, the
-- agent, training from feedback, the history endpoint); none queries inside it. jsonb would parse
-- and re-encode every logged row on the way in, which measured as about half of PostgreSQL's CPU
-- per logged row (COPY of 156,000 logged rows in batches of 1,000 with both indexes: 9.0 us/row as
-- jsonb, 4.7 us/row as json). json keeps the text as inference-service wrote it (Jackson's compact
-- output, keys in the request's order) and only checks that it is valid JSON.
-- On a table that already holds rows this rewrites every partition once.
ALTER TABLE predictions ALTER COLUMN features TYPE json USING features::json;
ALTER TABLE predictions ALTER COLUMN outputs TYPE json USING outputs::json;
