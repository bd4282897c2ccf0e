DROP INDEX "visits_awaiting_outcome";--> statement-breakpoint
CREATE INDEX "visits_awaiting_outcome" ON "visits" USING btree ("centre_id","starts_at") WHERE "visits"."status" in ('booked', 'arrived');