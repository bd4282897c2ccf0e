CREATE TABLE "referral_transfers" (
	"id" uuid PRIMARY KEY NOT NULL,
	"referral_id" uuid NOT NULL,
	"from_centre_id" uuid NOT NULL,
	"to_centre_id" uuid NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"by_token_id" uuid,
	"explanation" text
);
--> statement-breakpoint
ALTER TABLE "referral_transfers" ADD CONSTRAINT "referral_transfers_referral_id_referrals_id_fk" FOREIGN KEY ("referral_id") REFERENCES "public"."referrals"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "referral_transfers" ADD CONSTRAINT "referral_transfers_from_centre_id_centres_id_fk" FOREIGN KEY ("from_centre_id") REFERENCES "public"."centres"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "referral_transfers" ADD CONSTRAINT "referral_transfers_to_centre_id_centres_id_fk" FOREIGN KEY ("to_centre_id") REFERENCES "public"."centres"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "referral_transfers_referral_id_index" ON "referral_transfers" USING btree ("referral_id");