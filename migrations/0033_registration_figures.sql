CREATE TABLE "installation_secrets" (
	"name" text PRIMARY KEY NOT NULL,
	"value" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "parties" ADD COLUMN "gender" text DEFAULT 'unknown' NOT NULL;--> statement-breakpoint
ALTER TABLE "parties" ADD COLUMN "postcode" text;--> statement-breakpoint
ALTER TABLE "parties" ADD COLUMN "national_number" text;--> statement-breakpoint
ALTER TABLE "parties" ADD COLUMN "person_key" text;--> statement-breakpoint
CREATE INDEX "parties_person_key_index" ON "parties" USING btree ("person_key");--> statement-breakpoint
ALTER TABLE "parties" ADD CONSTRAINT "parties_gender_known" CHECK ("parties"."gender" in ('female', 'male', 'x', 'unknown'));--> statement-breakpoint
ALTER TABLE "parties" ADD CONSTRAINT "parties_postcode_belgian" CHECK ("parties"."postcode" ~ '^[1-9][0-9]{3}$');--> statement-breakpoint
ALTER TABLE "parties" ADD CONSTRAINT "parties_national_number_digits" CHECK ("parties"."national_number" ~ '^[0-9]{11}$');