-- What the person who acknowledged or resolved an alert wrote about it ("root cause: an upstream
-- schema change; rolled back to v3"), kept beside who and when. Written by agent-service.
ALTER TABLE alerts
    ADD COLUMN acknowledged_note TEXT CHECK (char_length(acknowledged_note) <= 2000),
    ADD COLUMN resolved_note     TEXT CHECK (char_length(resolved_note) <= 2000);
