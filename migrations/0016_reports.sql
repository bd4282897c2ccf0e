CREATE TABLE "reports" (
	"id" uuid PRIMARY KEY NOT NULL,
	"centre_id" uuid NOT NULL,
	"court_id" uuid,
	"referral_id" uuid NOT NULL,
	"case_id" uuid,
	"kind" text NOT NULL,
	"language" text NOT NULL,
	"case_event_id" uuid,
	"supersedes" uuid,
	"content" jsonb NOT NULL,
	"sha256" text NOT NULL,
	"issued_at" timestamp with time zone NOT NULL,
	"issued_by_token_id" uuid,
	"xid" "xid8" DEFAULT pg_current_xact_id() NOT NULL,
	CONSTRAINT "reports_kind" CHECK ("reports"."kind" in ('referral_refused', 'referral_returned', 'case_started', 'suspension', 'resumption', 'ending', 'progress')),
	CONSTRAINT "reports_language" CHECK ("reports"."language" in ('nl', 'fr', 'en')),
	CONSTRAINT "reports_case_kinds" CHECK ("reports"."kind" in ('referral_refused', 'referral_returned') or "reports"."case_id" is not null)
);
--> statement-breakpoint
ALTER TABLE "reports" ADD CONSTRAINT "reports_centre_id_centres_id_fk" FOREIGN KEY ("centre_id") REFERENCES "public"."centres"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reports" ADD CONSTRAINT "reports_court_id_courts_id_fk" FOREIGN KEY ("court_id") REFERENCES "public"."courts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reports" ADD CONSTRAINT "reports_referral_id_referrals_id_fk" FOREIGN KEY ("referral_id") REFERENCES "public"."referrals"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reports" ADD CONSTRAINT "reports_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reports" ADD CONSTRAINT "reports_case_event_id_case_events_id_fk" FOREIGN KEY ("case_event_id") REFERENCES "public"."case_events"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reports" ADD CONSTRAINT "reports_supersedes_reports_id_fk" FOREIGN KEY ("supersedes") REFERENCES "public"."reports"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "reports_xid_id_index" ON "reports" USING btree ("xid","id");--> statement-breakpoint
CREATE INDEX "reports_case_id_index" ON "reports" USING btree ("case_id");--> statement-breakpoint
CREATE INDEX "reports_referral_id_index" ON "reports" USING btree ("referral_id");--> statement-breakpoint
CREATE INDEX "reports_centre_id_index" ON "reports" USING btree ("centre_id");--> statement-breakpoint
CREATE INDEX "reports_court_id_index" ON "reports" USING btree ("court_id");--> statement-breakpoint
CREATE UNIQUE INDEX "reports_superseded_once" ON "reports" USING btree ("supersedes");