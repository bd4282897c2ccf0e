-- A report is what the referrer was sent: once issued it never changes. A correction is a new report
-- that supersedes it (both are kept). The application has no UPDATE path; this trigger makes it so
-- for any other writer too (the function is the one of 0010_visit_day_invariants).
CREATE TRIGGER reports_append_only BEFORE UPDATE ON reports FOR EACH ROW EXECUTE FUNCTION refuse_rewrite();
--> statement-breakpoint
-- The setting reportableObservations (a boolean) becomes reportContent: true reported the observations
-- marked reportable, false attendance only. Centres without it get the new default, attendance only.
UPDATE centres SET settings = (settings - 'reportableObservations') || jsonb_build_object(
  'reportContent',
  CASE WHEN settings->'reportableObservations' = 'true'::jsonb THEN 'factual_observations' ELSE 'attendance_only' END
);
