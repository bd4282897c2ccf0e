CREATE TABLE "feed_counter" (
	"id" integer PRIMARY KEY NOT NULL,
	"last" bigint NOT NULL,
	CONSTRAINT "feed_counter_one_row" CHECK ("feed_counter"."id" = 1)
);
--> statement-breakpoint
CREATE TABLE "report_feed" (
	"position" bigint PRIMARY KEY NOT NULL,
	"report_id" uuid NOT NULL,
	CONSTRAINT "report_feed_reportId_unique" UNIQUE("report_id")
);
--> statement-breakpoint
ALTER TABLE "report_feed" ADD CONSTRAINT "report_feed_report_id_reports_id_fk" FOREIGN KEY ("report_id") REFERENCES "public"."reports"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "calendar_keys_key_hash_index" ON "calendar_keys" USING btree ("key_hash");--> statement-breakpoint
-- Existing reports keep the order the feed showed them in (transaction id, then report id); a saved
-- cursor of that kind continues after the report it names (src/modules/reports/queries.ts).
INSERT INTO "report_feed" ("position", "report_id") SELECT row_number() OVER (ORDER BY "xid", "id"), "id" FROM "reports";--> statement-breakpoint
INSERT INTO "feed_counter" ("id", "last") SELECT 1, count(*) FROM "reports";--> statement-breakpoint
DROP INDEX "reports_xid_id_index";--> statement-breakpoint
ALTER TABLE "reports" DROP COLUMN "xid";--> statement-breakpoint
-- A report's feed position is taken as the issuing transaction's last step: a deferred trigger runs
-- at commit, and the counter row it updates stays locked until that commit is visible. The next
-- issuer waits on that row, so positions become visible in their order and none is ever skipped (a
-- rolled-back transaction gives its position back with its update).
CREATE FUNCTION place_report_in_feed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE next_position bigint;
BEGIN
  UPDATE feed_counter SET last = last + 1 WHERE id = 1 RETURNING last INTO next_position;
  INSERT INTO report_feed (position, report_id) VALUES (next_position, NEW.id);
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE CONSTRAINT TRIGGER reports_feed_position AFTER INSERT ON reports DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION place_report_in_feed();