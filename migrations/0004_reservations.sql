-- Rooms, counsellors and the case's people are resources; a visit reserves each of them for its whole
-- staggered span. A room of capacity N has places 1..N. The exclusion constraint makes overlapping
-- active reservations of one resource place impossible, whatever number of API processes race.
CREATE TABLE "reservations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"resource_kind" text NOT NULL CHECK ("resource_kind" IN ('room', 'counsellor', 'party')),
	"resource_id" uuid NOT NULL,
	"place" integer DEFAULT 1 NOT NULL CHECK ("place" >= 1),
	"during" tstzrange NOT NULL CHECK (NOT isempty("during")),
	"visit_id" uuid NOT NULL REFERENCES "visits"("id"),
	"active" boolean DEFAULT true NOT NULL
);
--> statement-breakpoint
ALTER TABLE "reservations" ADD CONSTRAINT "reservations_no_overlap"
	EXCLUDE USING gist ("resource_id" WITH =, "place" WITH =, "during" WITH &&) WHERE ("active");
--> statement-breakpoint
CREATE INDEX "reservations_visit_idx" ON "reservations" ("visit_id");
