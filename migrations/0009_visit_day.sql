CREATE TABLE "visit_attendances" (
	"id" uuid PRIMARY KEY NOT NULL,
	"visit_id" uuid NOT NULL,
	"party_id" uuid NOT NULL,
	"checked_in_at" timestamp with time zone NOT NULL,
	"checked_out_at" timestamp with time zone,
	"brought_by_party_id" uuid,
	"brought_by_visitor" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "visit_attendances_brought_by_one" CHECK ("visit_attendances"."brought_by_party_id" is null or "visit_attendances"."brought_by_visitor" is null),
	CONSTRAINT "visit_attendances_ordered" CHECK ("visit_attendances"."checked_out_at" is null or "visit_attendances"."checked_out_at" >= "visit_attendances"."checked_in_at")
);
--> statement-breakpoint
CREATE TABLE "visit_observations" (
	"id" uuid PRIMARY KEY NOT NULL,
	"visit_id" uuid NOT NULL,
	"case_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"text" text NOT NULL,
	"reportable" boolean DEFAULT false NOT NULL,
	"amends" uuid,
	"child_protection" jsonb,
	"recorded_by_token_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "visit_observations_kind" CHECK ("visit_observations"."kind" in ('observation', 'incident', 'child_statement')),
	CONSTRAINT "visit_observations_child_protection" CHECK ("visit_observations"."child_protection" is null or "visit_observations"."kind" = 'incident')
);
--> statement-breakpoint
CREATE TABLE "visit_outcomes" (
	"id" uuid PRIMARY KEY NOT NULL,
	"visit_id" uuid NOT NULL,
	"outcome" text NOT NULL,
	"actual_start" timestamp with time zone,
	"actual_end" timestamp with time zone,
	"absent_party_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"reason_code" text,
	"explanation" text,
	"interrupted_at" timestamp with time zone,
	"supersedes" uuid,
	"recorded_by_token_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "visit_outcomes_kind" CHECK ("visit_outcomes"."outcome" in ('fulfilled', 'noshow', 'interrupted')),
	CONSTRAINT "visit_outcomes_fields" CHECK (("visit_outcomes"."outcome" <> 'fulfilled' or ("visit_outcomes"."actual_start" is not null and "visit_outcomes"."actual_end" > "visit_outcomes"."actual_start"))
      and ("visit_outcomes"."outcome" <> 'noshow' or cardinality("visit_outcomes"."absent_party_ids") > 0)
      and ("visit_outcomes"."outcome" <> 'interrupted' or ("visit_outcomes"."reason_code" is not null and "visit_outcomes"."interrupted_at" is not null)))
);
--> statement-breakpoint
ALTER TABLE "visits" ADD COLUMN "cancelled_late" boolean;--> statement-breakpoint
ALTER TABLE "visit_attendances" ADD CONSTRAINT "visit_attendances_visit_id_visits_id_fk" FOREIGN KEY ("visit_id") REFERENCES "public"."visits"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "visit_attendances" ADD CONSTRAINT "visit_attendances_party_id_parties_id_fk" FOREIGN KEY ("party_id") REFERENCES "public"."parties"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "visit_attendances" ADD CONSTRAINT "visit_attendances_brought_by_party_id_parties_id_fk" FOREIGN KEY ("brought_by_party_id") REFERENCES "public"."parties"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "visit_observations" ADD CONSTRAINT "visit_observations_visit_id_visits_id_fk" FOREIGN KEY ("visit_id") REFERENCES "public"."visits"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "visit_observations" ADD CONSTRAINT "visit_observations_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "visit_observations" ADD CONSTRAINT "visit_observations_amends_visit_observations_id_fk" FOREIGN KEY ("amends") REFERENCES "public"."visit_observations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "visit_outcomes" ADD CONSTRAINT "visit_outcomes_visit_id_visits_id_fk" FOREIGN KEY ("visit_id") REFERENCES "public"."visits"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "visit_outcomes" ADD CONSTRAINT "visit_outcomes_supersedes_visit_outcomes_id_fk" FOREIGN KEY ("supersedes") REFERENCES "public"."visit_outcomes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "visit_attendances_visit_id_party_id_index" ON "visit_attendances" USING btree ("visit_id","party_id");--> statement-breakpoint
CREATE INDEX "visit_observations_visit_id_index" ON "visit_observations" USING btree ("visit_id");--> statement-breakpoint
CREATE INDEX "visit_observations_case_id_index" ON "visit_observations" USING btree ("case_id");--> statement-breakpoint
CREATE INDEX "visit_outcomes_visit_id_index" ON "visit_outcomes" USING btree ("visit_id");--> statement-breakpoint
CREATE UNIQUE INDEX "visit_outcomes_one_first" ON "visit_outcomes" USING btree ("visit_id") WHERE "visit_outcomes"."supersedes" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "visit_outcomes_superseded_once" ON "visit_outcomes" USING btree ("supersedes");--> statement-breakpoint
CREATE INDEX "visits_awaiting_outcome" ON "visits" USING btree ("centre_id","ends_at") WHERE "visits"."status" in ('booked', 'arrived');