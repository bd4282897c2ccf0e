CREATE TABLE "concern_observations" (
	"concern_id" uuid NOT NULL,
	"observation_id" uuid NOT NULL
);
--> statement-breakpoint
CREATE TABLE "concern_steps" (
	"id" uuid PRIMARY KEY NOT NULL,
	"concern_id" uuid NOT NULL,
	"step" text NOT NULL,
	"reported_to" text,
	"at" timestamp with time zone NOT NULL,
	"note" text,
	"author_token_id" uuid,
	"author_name" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "concern_steps_step_known" CHECK ("concern_steps"."step" in ('discussed_in_team', 'vk_consulted', 'reported')),
	CONSTRAINT "concern_steps_reported_to" CHECK (("concern_steps"."step" = 'reported') = ("concern_steps"."reported_to" is not null) and ("concern_steps"."reported_to" is null or "concern_steps"."reported_to" in ('vk', 'ocj', 'prosecutor', 'police')))
);
--> statement-breakpoint
CREATE TABLE "concerns" (
	"id" uuid PRIMARY KEY NOT NULL,
	"centre_id" uuid NOT NULL,
	"case_id" uuid NOT NULL,
	"summary" text NOT NULL,
	"child_party_ids" uuid[] NOT NULL,
	"observed_at" timestamp with time zone NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"outcome" text,
	"close_note" text,
	"closed_at" timestamp with time zone,
	"closed_by_token_id" uuid,
	"created_by_token_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "concerns_status_known" CHECK ("concerns"."status" in ('open', 'closed')),
	CONSTRAINT "concerns_closed_has_outcome" CHECK ("concerns"."status" = 'open' or ("concerns"."outcome" is not null and "concerns"."closed_at" is not null))
);
--> statement-breakpoint
CREATE TABLE "dossier_counters" (
	"centre_id" uuid NOT NULL,
	"year" integer NOT NULL,
	"last" integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE "api_tokens" ADD COLUMN "name" text;--> statement-breakpoint
ALTER TABLE "api_tokens" ADD COLUMN "function" text;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "dossier_number" text;--> statement-breakpoint
-- Existing cases get their dossier numbers in the order they were created, per centre and Belgian year;
-- the counters continue from there.
UPDATE "cases" c SET "dossier_number" = n.year || '-' || lpad(n.seq::text, 4, '0')
FROM (
  SELECT id, extract(year FROM created_at AT TIME ZONE 'Europe/Brussels')::int AS year,
    row_number() OVER (PARTITION BY centre_id, extract(year FROM created_at AT TIME ZONE 'Europe/Brussels') ORDER BY created_at, id) AS seq
  FROM "cases"
) n
WHERE c.id = n.id;--> statement-breakpoint
INSERT INTO "dossier_counters" ("centre_id", "year", "last")
SELECT centre_id, split_part(dossier_number, '-', 1)::int, max(split_part(dossier_number, '-', 2)::int)
FROM "cases" GROUP BY 1, 2;--> statement-breakpoint
ALTER TABLE "cases" ALTER COLUMN "dossier_number" SET NOT NULL;--> statement-breakpoint
-- Every new case is numbered here, whoever inserts it: the upsert locks the centre's counter row for the
-- year, so concurrent acceptances in any number of processes wait for each other and never share a number.
CREATE FUNCTION assign_dossier_number() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  y int := extract(year FROM coalesce(NEW.created_at, now()) AT TIME ZONE 'Europe/Brussels')::int;
  n int;
BEGIN
  IF NEW.dossier_number IS NULL THEN
    INSERT INTO dossier_counters (centre_id, year, last) VALUES (NEW.centre_id, y, 1)
    ON CONFLICT (centre_id, year) DO UPDATE SET last = dossier_counters.last + 1
    RETURNING last INTO n;
    NEW.dossier_number := y || '-' || lpad(n::text, 4, '0');
  END IF;
  RETURN NEW;
END
$$;--> statement-breakpoint
CREATE TRIGGER cases_dossier_number BEFORE INSERT ON cases FOR EACH ROW EXECUTE FUNCTION assign_dossier_number();--> statement-breakpoint
ALTER TABLE "courts" ADD COLUMN "language" text DEFAULT 'nl' NOT NULL;--> statement-breakpoint
ALTER TABLE "visits" ADD COLUMN "cancelled_by_party_id" uuid;--> statement-breakpoint
ALTER TABLE "concern_observations" ADD CONSTRAINT "concern_observations_concern_id_concerns_id_fk" FOREIGN KEY ("concern_id") REFERENCES "public"."concerns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "concern_observations" ADD CONSTRAINT "concern_observations_observation_id_visit_observations_id_fk" FOREIGN KEY ("observation_id") REFERENCES "public"."visit_observations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "concern_steps" ADD CONSTRAINT "concern_steps_concern_id_concerns_id_fk" FOREIGN KEY ("concern_id") REFERENCES "public"."concerns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "concerns" ADD CONSTRAINT "concerns_centre_id_centres_id_fk" FOREIGN KEY ("centre_id") REFERENCES "public"."centres"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "concerns" ADD CONSTRAINT "concerns_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dossier_counters" ADD CONSTRAINT "dossier_counters_centre_id_centres_id_fk" FOREIGN KEY ("centre_id") REFERENCES "public"."centres"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "concern_observations_concern_id_observation_id_index" ON "concern_observations" USING btree ("concern_id","observation_id");--> statement-breakpoint
CREATE INDEX "concern_observations_observation_id_index" ON "concern_observations" USING btree ("observation_id");--> statement-breakpoint
CREATE INDEX "concern_steps_concern_id_index" ON "concern_steps" USING btree ("concern_id");--> statement-breakpoint
CREATE INDEX "concerns_case_id_index" ON "concerns" USING btree ("case_id");--> statement-breakpoint
CREATE UNIQUE INDEX "dossier_counters_centre_id_year_index" ON "dossier_counters" USING btree ("centre_id","year");--> statement-breakpoint
ALTER TABLE "visits" ADD CONSTRAINT "visits_cancelled_by_party_id_parties_id_fk" FOREIGN KEY ("cancelled_by_party_id") REFERENCES "public"."parties"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "cases_centre_id_dossier_number_index" ON "cases" USING btree ("centre_id","dossier_number");--> statement-breakpoint
-- A child-protection record on an observation becomes a concern linked to that observation, with the
-- step the record named (consulted: the VK consulted; reported: reported to the VK). It stays open: the
-- coordinator closes it with its outcome.
CREATE TEMPORARY TABLE "carried_concerns" ON COMMIT DROP AS
SELECT gen_random_uuid() AS concern_id, o.id AS observation_id, o.case_id, c.centre_id, o.text, o.created_at, o.recorded_by_token_id,
  o.child_protection->>'action' AS action, (o.child_protection->>'at')::timestamptz AS at, o.child_protection->>'by' AS by
FROM "visit_observations" o JOIN "cases" c ON c.id = o.case_id
WHERE o.child_protection IS NOT NULL;--> statement-breakpoint
INSERT INTO "concerns" ("id", "centre_id", "case_id", "summary", "child_party_ids", "observed_at", "created_by_token_id", "created_at")
SELECT k.concern_id, k.centre_id, k.case_id, k.text,
  coalesce((SELECT array_agg(p.id ORDER BY p.id) FROM "parties" p WHERE p.case_id = k.case_id AND p.role = 'child'), '{}'),
  k.created_at, k.recorded_by_token_id, k.created_at
FROM "carried_concerns" k;--> statement-breakpoint
INSERT INTO "concern_steps" ("id", "concern_id", "step", "reported_to", "at", "note", "author_token_id", "author_name", "created_at")
SELECT gen_random_uuid(), k.concern_id, CASE WHEN k.action = 'reported' THEN 'reported' ELSE 'vk_consulted' END,
  CASE WHEN k.action = 'reported' THEN 'vk' END, k.at, NULL, k.recorded_by_token_id, k.by, k.created_at
FROM "carried_concerns" k;--> statement-breakpoint
INSERT INTO "concern_observations" ("concern_id", "observation_id") SELECT concern_id, observation_id FROM "carried_concerns";--> statement-breakpoint
ALTER TABLE "visit_observations" DROP COLUMN "child_protection";--> statement-breakpoint
-- A child's words never go to court: statements marked reportable before this rule are made internal.
-- Observations are append-only (a trigger); this one correction goes past it.
ALTER TABLE "visit_observations" DISABLE TRIGGER "visit_observations_append_only";--> statement-breakpoint
UPDATE "visit_observations" SET "reportable" = false WHERE "kind" = 'child_statement' AND "reportable";--> statement-breakpoint
ALTER TABLE "visit_observations" ENABLE TRIGGER "visit_observations_append_only";--> statement-breakpoint
-- Acts are attributed to adults. A visit "cancelled by the child" was called off by the adult who was
-- to bring the child: the residing side, named where the case has one residing party.
UPDATE "visits" v SET "cancelled_by" = 'residing_party',
  "cancelled_by_party_id" = (SELECT min(p.id::text)::uuid FROM "parties" p WHERE p.case_id = v.case_id AND p.role IN ('residing_parent', 'residing_other')),
  "cancel_reason_code" = coalesce(v."cancel_reason_code", 'child_refuses')
WHERE v."cancelled_by" = 'child';--> statement-breakpoint
-- A no-show that named a child names the residing party who was to bring the child instead.
ALTER TABLE "visit_outcomes" DISABLE TRIGGER "visit_outcomes_append_only";--> statement-breakpoint
UPDATE "visit_outcomes" o SET "absent_party_ids" = (
  SELECT coalesce(array_agg(DISTINCT x.id ORDER BY x.id), '{}') FROM (
    SELECT a.id FROM unnest(o.absent_party_ids) a(id) JOIN "parties" p ON p.id = a.id WHERE p.role <> 'child'
    UNION
    SELECT r.id FROM "visits" v JOIN "parties" r ON r.case_id = v.case_id AND r.role IN ('residing_parent', 'residing_other')
    WHERE v.id = o.visit_id AND EXISTS (SELECT 1 FROM unnest(o.absent_party_ids) a(id) JOIN "parties" p ON p.id = a.id WHERE p.role = 'child')
  ) x)
WHERE EXISTS (SELECT 1 FROM unnest(o.absent_party_ids) a(id) JOIN "parties" p ON p.id = a.id WHERE p.role = 'child');--> statement-breakpoint
ALTER TABLE "visit_outcomes" ENABLE TRIGGER "visit_outcomes_append_only";--> statement-breakpoint
-- Centres get the new settings' defaults (their own values win): courts do not see visit dates.
UPDATE "centres" SET "settings" = '{"courtSeesVisits": false, "letterhead": {"address": null, "phone": null, "email": null}, "language": "nl"}'::jsonb || "settings";--> statement-breakpoint
-- Every court gets the language of its proceedings; those that had none are set to Dutch, and named.
DO $$
DECLARE court record;
BEGIN
  FOR court IN SELECT id, name FROM "courts" LOOP
    RAISE NOTICE 'court % (%) : language set to nl; change it with PATCH /v1/courts/{id} if its proceedings are in French', court.name, court.id;
  END LOOP;
END
$$;--> statement-breakpoint
ALTER TABLE "courts" ADD CONSTRAINT "courts_language_known" CHECK ("courts"."language" in ('nl', 'fr', 'en'));--> statement-breakpoint
ALTER TABLE "visit_observations" ADD CONSTRAINT "visit_observations_child_statement_internal" CHECK ("visit_observations"."kind" <> 'child_statement' or not "visit_observations"."reportable");--> statement-breakpoint
ALTER TABLE "visits" ADD CONSTRAINT "visits_cancelled_by_adult" CHECK ("visits"."cancelled_by" is null or "visits"."cancelled_by" in ('visiting_party', 'residing_party', 'centre', 'referrer'));--> statement-breakpoint
ALTER TABLE "audit_events" ADD COLUMN "reason" text;
