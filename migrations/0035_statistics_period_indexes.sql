-- An ending recorded without an effective date ends on the day it was recorded, in the statistics' zone (Europe/Brussels), as the statistics counted it; from now on every ended case has one.
UPDATE "cases" SET "end_effective_date" = to_char("ended_at" at time zone 'Europe/Brussels', 'YYYY-MM-DD') WHERE "ended_at" is not null and "end_effective_date" is null;--> statement-breakpoint
CREATE INDEX "cases_activated_at_index" ON "cases" USING btree ("activated_at");--> statement-breakpoint
CREATE INDEX "cases_end_effective_date_index" ON "cases" USING btree ("end_effective_date");--> statement-breakpoint
CREATE INDEX "referrals_submitted_at_index" ON "referrals" USING btree ("submitted_at");--> statement-breakpoint
CREATE INDEX "referrals_decided_at_index" ON "referrals" USING btree ("decided_at");--> statement-breakpoint
ALTER TABLE "cases" ADD CONSTRAINT "cases_ended_on_a_day" CHECK (("cases"."ended_at" is null) = ("cases"."end_effective_date" is null));