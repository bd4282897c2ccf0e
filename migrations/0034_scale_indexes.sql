DROP INDEX "visits_awaiting_outcome";--> statement-breakpoint
CREATE INDEX "cases_running" ON "cases" USING btree ("centre_id","id") WHERE "cases"."status" in ('active', 'suspended');--> statement-breakpoint
CREATE INDEX "court_messages_report_requests" ON "court_messages" USING btree ("referral_id","created_at") WHERE "court_messages"."kind" = 'report_request';--> statement-breakpoint
CREATE INDEX "intakes_held_at_index" ON "intakes" USING btree ("held_at");--> statement-breakpoint
CREATE INDEX "referrals_hearing_date_index" ON "referrals" USING btree ("hearing_date");--> statement-breakpoint
CREATE INDEX "visit_observations_amends_index" ON "visit_observations" USING btree ("amends");--> statement-breakpoint
CREATE INDEX "visits_awaiting_outcome" ON "visits" USING btree ("centre_id","starts_at") WHERE "visits"."status" in ('booked', 'arrived');