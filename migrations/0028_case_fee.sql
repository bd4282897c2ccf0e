-- A case's fee as an admin sets it: the reason, and what a voluntary case pays per visit (never an exempt one).
ALTER TABLE "cases" ADD COLUMN "fee_reason" text;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "contribution_per_visit_cents" integer;--> statement-breakpoint
ALTER TABLE "cases" ADD CONSTRAINT "cases_fee" CHECK ("cases"."contribution_per_visit_cents" is null or (not "cases"."fee_exempt" and "cases"."contribution_per_visit_cents" >= 0));