-- Suspensions follow their dates, applied by a job every process runs: one open suspension per case, its
-- beginning and resumption recorded once, and one report per case event (a correction supersedes it).
CREATE UNIQUE INDEX "case_events_once_per_suspension" ON "case_events" USING btree ("type",("data" ->> 'suspensionId')) WHERE "case_events"."type" in ('suspended', 'suspension_began', 'resumed') and "case_events"."data" ? 'suspensionId';--> statement-breakpoint
CREATE UNIQUE INDEX "reports_once_per_case_event" ON "reports" USING btree ("case_event_id") WHERE "reports"."supersedes" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "suspensions_one_open_per_case" ON "suspensions" USING btree ("case_id") WHERE "suspensions"."resumed_at" is null;