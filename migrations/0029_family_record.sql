CREATE TABLE "safety_profiles" (
	"case_id" uuid PRIMARY KEY NOT NULL,
	"must_not_meet" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"contact_bans" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"notes" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "audit_events" ADD COLUMN "fields" text[];--> statement-breakpoint
ALTER TABLE "parties" ADD COLUMN "interpreter" jsonb;--> statement-breakpoint
ALTER TABLE "parties" ADD COLUMN "joined_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "visits" ADD COLUMN "purpose" text;--> statement-breakpoint
ALTER TABLE "visits" ADD COLUMN "location" jsonb;--> statement-breakpoint
ALTER TABLE "visits" ADD COLUMN "interpreter" jsonb;--> statement-breakpoint
ALTER TABLE "safety_profiles" ADD CONSTRAINT "safety_profiles_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
-- Conversations booked before purposes existed say so: 'other'.
UPDATE "visits" SET "purpose" = 'other' WHERE "kind" = 'conversation';--> statement-breakpoint
ALTER TABLE "visits" ADD CONSTRAINT "visits_conversation_purpose" CHECK (("visits"."kind" = 'conversation') = ("visits"."purpose" is not null));