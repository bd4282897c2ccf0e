CREATE TABLE "visit_attendance_corrections" (
	"id" uuid PRIMARY KEY NOT NULL,
	"attendance_id" uuid NOT NULL,
	"visit_id" uuid NOT NULL,
	"previous" jsonb NOT NULL,
	"corrected" jsonb NOT NULL,
	"reason" text NOT NULL,
	"recorded_by_token_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "visit_attendances" ADD COLUMN "picked_up_by_party_id" uuid;--> statement-breakpoint
ALTER TABLE "visit_attendances" ADD COLUMN "picked_up_by_visitor" text;--> statement-breakpoint
ALTER TABLE "visit_outcomes" ADD COLUMN "notice_given" text;--> statement-breakpoint
ALTER TABLE "visits" ADD COLUMN "entered_in_error_reason" text;--> statement-breakpoint
ALTER TABLE "visits" ADD COLUMN "entered_in_error_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "visit_attendance_corrections" ADD CONSTRAINT "visit_attendance_corrections_attendance_id_visit_attendances_id_fk" FOREIGN KEY ("attendance_id") REFERENCES "public"."visit_attendances"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "visit_attendance_corrections" ADD CONSTRAINT "visit_attendance_corrections_visit_id_visits_id_fk" FOREIGN KEY ("visit_id") REFERENCES "public"."visits"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "visit_attendance_corrections_visit_id_index" ON "visit_attendance_corrections" USING btree ("visit_id");--> statement-breakpoint
CREATE INDEX "visit_attendance_corrections_attendance_id_index" ON "visit_attendance_corrections" USING btree ("attendance_id");--> statement-breakpoint
ALTER TABLE "visit_attendances" ADD CONSTRAINT "visit_attendances_picked_up_by_party_id_parties_id_fk" FOREIGN KEY ("picked_up_by_party_id") REFERENCES "public"."parties"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "visit_attendances" ADD CONSTRAINT "visit_attendances_picked_up_by_one" CHECK ("visit_attendances"."picked_up_by_party_id" is null or "visit_attendances"."picked_up_by_visitor" is null);--> statement-breakpoint
ALTER TABLE "visit_outcomes" ADD CONSTRAINT "visit_outcomes_notice_given" CHECK ("visit_outcomes"."notice_given" is null or ("visit_outcomes"."outcome" = 'noshow' and "visit_outcomes"."notice_given" in ('none', 'late', 'in_time')));--> statement-breakpoint
-- Corrections of attendances are the history of the day: never rewritten in place (refuse_rewrite,
-- migration 0010). DELETE stays possible for the retention of a family's data.
CREATE TRIGGER visit_attendance_corrections_append_only BEFORE UPDATE ON visit_attendance_corrections FOR EACH ROW EXECUTE FUNCTION refuse_rewrite();
--> statement-breakpoint
-- A recorded check-in or check-out time changes only through a correction, which keeps what it was:
-- the same transaction must have written a correction of this attendance (its created_at is the
-- transaction's now()). A first check-out (from NULL) is no correction.
CREATE FUNCTION refuse_uncorrected_attendance() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF (NEW.checked_in_at IS DISTINCT FROM OLD.checked_in_at
      OR (OLD.checked_out_at IS NOT NULL AND NEW.checked_out_at IS DISTINCT FROM OLD.checked_out_at))
     AND NOT EXISTS (SELECT 1 FROM visit_attendance_corrections c WHERE c.attendance_id = NEW.id AND c.created_at = now()) THEN
    RAISE EXCEPTION 'the times of attendance % change only with a correction that keeps the original', NEW.id
      USING ERRCODE = 'restrict_violation';
  END IF;
  RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE TRIGGER visit_attendances_corrected_only BEFORE UPDATE ON visit_attendances FOR EACH ROW EXECUTE FUNCTION refuse_uncorrected_attendance();
