-- A decision's explanation was always internal; none is copied into a court note, which the centre writes for the referrer from now on.
ALTER TABLE "case_events" ADD COLUMN "court_note" text;--> statement-breakpoint
ALTER TABLE "referrals" ADD COLUMN "status_court_note" text;--> statement-breakpoint
ALTER TABLE "suspensions" ADD COLUMN "court_note" text;