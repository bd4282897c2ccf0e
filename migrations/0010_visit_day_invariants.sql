-- Outcomes and observations are the facts every report to a court is built from: once recorded they
-- are never rewritten in place. A correction is a new row (supersedes / amends) and both are kept.
-- The application has no UPDATE path for them; this trigger makes it so for any other writer too.
-- (DELETE stays possible for the retention of a family's data, which removes whole cases.)
CREATE FUNCTION refuse_rewrite() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% rows are append-only: record a correction instead', TG_TABLE_NAME
    USING ERRCODE = 'restrict_violation';
END
$$;
--> statement-breakpoint
CREATE TRIGGER visit_outcomes_append_only BEFORE UPDATE ON visit_outcomes FOR EACH ROW EXECUTE FUNCTION refuse_rewrite();
--> statement-breakpoint
CREATE TRIGGER visit_observations_append_only BEFORE UPDATE ON visit_observations FOR EACH ROW EXECUTE FUNCTION refuse_rewrite();
--> statement-breakpoint
-- Centres created before these settings existed get the defaults (their own values win).
UPDATE centres SET settings = '{"cancellationNoticeHours": 24, "consecutiveAbsencesSignal": 2, "childRefusalsSignal": 2}'::jsonb || settings;
