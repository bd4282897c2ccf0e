CREATE TABLE "series" (
	"id" uuid PRIMARY KEY NOT NULL,
	"centre_id" uuid NOT NULL,
	"case_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"room_id" uuid,
	"counsellor_ids" uuid[] NOT NULL,
	"start" text NOT NULL,
	"time_zone" text NOT NULL,
	"duration_minutes" integer NOT NULL,
	"rrule" text,
	"exdates" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"stagger" jsonb NOT NULL,
	"ended_from" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "visits" (
	"id" uuid PRIMARY KEY NOT NULL,
	"centre_id" uuid NOT NULL,
	"case_id" uuid NOT NULL,
	"series_id" uuid,
	"site_id" uuid,
	"room_id" uuid,
	"counsellor_ids" uuid[] NOT NULL,
	"party_ids" uuid[] NOT NULL,
	"kind" text NOT NULL,
	"time_zone" text NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"span_start" timestamp with time zone NOT NULL,
	"span_end" timestamp with time zone NOT NULL,
	"arrivals" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"status" text DEFAULT 'booked' NOT NULL,
	"cancelled_by" text,
	"cancel_reason_code" text,
	"cancel_explanation" text,
	"cancelled_at" timestamp with time zone,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "visits_ordered" CHECK ("visits"."ends_at" > "visits"."starts_at" and "visits"."span_start" <= "visits"."starts_at" and "visits"."span_end" >= "visits"."ends_at")
);
--> statement-breakpoint
ALTER TABLE "series" ADD CONSTRAINT "series_centre_id_centres_id_fk" FOREIGN KEY ("centre_id") REFERENCES "public"."centres"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "series" ADD CONSTRAINT "series_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "series" ADD CONSTRAINT "series_room_id_rooms_id_fk" FOREIGN KEY ("room_id") REFERENCES "public"."rooms"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "visits" ADD CONSTRAINT "visits_centre_id_centres_id_fk" FOREIGN KEY ("centre_id") REFERENCES "public"."centres"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "visits" ADD CONSTRAINT "visits_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "visits" ADD CONSTRAINT "visits_series_id_series_id_fk" FOREIGN KEY ("series_id") REFERENCES "public"."series"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "visits" ADD CONSTRAINT "visits_site_id_sites_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."sites"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "visits" ADD CONSTRAINT "visits_room_id_rooms_id_fk" FOREIGN KEY ("room_id") REFERENCES "public"."rooms"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "series_case_id_index" ON "series" USING btree ("case_id");--> statement-breakpoint
CREATE INDEX "visits_centre_id_starts_at_index" ON "visits" USING btree ("centre_id","starts_at");--> statement-breakpoint
CREATE INDEX "visits_case_id_starts_at_index" ON "visits" USING btree ("case_id","starts_at");--> statement-breakpoint
CREATE INDEX "visits_room_id_starts_at_index" ON "visits" USING btree ("room_id","starts_at");--> statement-breakpoint
CREATE INDEX "visits_series_id_index" ON "visits" USING btree ("series_id");