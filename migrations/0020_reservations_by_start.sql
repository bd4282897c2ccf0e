-- Availability reads a window's reservations of many resources. The exclusion constraint's GiST index
-- answers "overlaps this window" but visits the heap for every row; the btree below, by resource and
-- start, holds every column that read needs (an index-only scan). Looking from a day before the window
-- finds every reservation overlapping it because no reservation spans more than a day, which the check
-- makes a fact of the table rather than an assumption of the query (a visit's span is at most 720
-- minutes of contact and 2 x 120 minutes of staggering).
ALTER TABLE "reservations" ADD CONSTRAINT "reservations_span_within_a_day" CHECK (coalesce(upper("reservations"."during") - lower("reservations"."during") <= interval '1 day', false));
--> statement-breakpoint
CREATE INDEX "reservations_by_start" ON "reservations" ("resource_id", lower("during")) INCLUDE ("during", "resource_kind", "place") WHERE "active";
