DROP INDEX "audit_events_entity_type_entity_id_index";--> statement-breakpoint
DROP INDEX "audit_events_centre_id_index";--> statement-breakpoint
CREATE INDEX "audit_events_entity_id_index" ON "audit_events" USING btree ("entity_id");--> statement-breakpoint
CREATE INDEX "audit_events_centre_id_id_index" ON "audit_events" USING btree ("centre_id","id");--> statement-breakpoint
CREATE INDEX "audit_events_centre_id_entity_type_id_index" ON "audit_events" USING btree ("centre_id","entity_type","id");