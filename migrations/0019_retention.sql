-- Centres created before the retention setting existed get its default (their own value wins).
UPDATE centres SET settings = '{"retentionYears": 5}'::jsonb || settings;
--> statement-breakpoint
-- Outcomes stay append-only, with one exception: the retention job (src/modules/retention/service.ts)
-- removes the internal explanation of a case past its retention period. Such an UPDATE is let through
-- only when the explanation becomes NULL and every other column keeps its value, so the coded facts
-- the statistics count can still never be rewritten. Observations keep refuse_rewrite(): retention
-- deletes them whole.
CREATE FUNCTION refuse_outcome_rewrite() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.explanation IS NULL AND (to_jsonb(NEW) - 'explanation') = (to_jsonb(OLD) - 'explanation') THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION '% rows are append-only: record a correction instead', TG_TABLE_NAME
    USING ERRCODE = 'restrict_violation';
END
$$;
--> statement-breakpoint
DROP TRIGGER visit_outcomes_append_only ON visit_outcomes;
--> statement-breakpoint
CREATE TRIGGER visit_outcomes_append_only BEFORE UPDATE ON visit_outcomes FOR EACH ROW EXECUTE FUNCTION refuse_outcome_rewrite();
