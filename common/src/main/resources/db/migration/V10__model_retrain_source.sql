-- Where a model's retraining takes its data, set through the registry like its retrain_cron:
-- auto (NULL: labelled production traffic once there is enough, else the newest upload of its latest
-- dataset), latest, feedback or dataset:<id>. An expand-only step: the previous release neither reads
-- nor writes the column.
ALTER TABLE registered_models ADD COLUMN retrain_source TEXT
    CHECK (retrain_source ~ '^(auto|latest|feedback|dataset:[1-9][0-9]{0,17})$');
