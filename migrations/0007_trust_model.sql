-- Courts and court-scoped tokens belong to the installation's operator, not to one centre: a court
-- token reads that court's referrals in every centre. Court-scoped tokens a centre's admin issued
-- are revoked here (each with an audit event), and the constraints below keep it so.
-- The audit ids are UUIDv7-shaped (now in the first 48 bits) so they list in time order like the rest.
WITH revoked AS (
	UPDATE "api_tokens" SET "revoked_at" = now()
	WHERE "court_id" IS NOT NULL AND "issued_by_centre_id" IS NOT NULL AND "revoked_at" IS NULL
	RETURNING "id", "issued_by_centre_id", "court_id"
)
INSERT INTO "audit_events" ("id", "actor_role", "action", "entity_type", "entity_id", "centre_id", "court_id")
SELECT (lpad(to_hex(floor(extract(epoch FROM clock_timestamp()) * 1000)::bigint), 12, '0') || '7'
		|| substr(md5(random()::text || "id"::text), 1, 3) || '8' || substr(md5("id"::text || random()::text), 1, 15))::uuid,
	'system', 'token.revoked', 'token', "id", "issued_by_centre_id", "court_id"
FROM revoked;
--> statement-breakpoint
ALTER TABLE "api_tokens" ADD CONSTRAINT "api_tokens_role_known" CHECK ("api_tokens"."role" in ('operator', 'admin', 'staff', 'counsellor', 'clerk', 'integration'));--> statement-breakpoint
ALTER TABLE "api_tokens" ADD CONSTRAINT "api_tokens_operator_unscoped" CHECK ("api_tokens"."role" <> 'operator' or ("api_tokens"."centre_id" is null and "api_tokens"."court_id" is null and "api_tokens"."counsellor_id" is null));--> statement-breakpoint
ALTER TABLE "api_tokens" ADD CONSTRAINT "api_tokens_court_scope_by_operator" CHECK ("api_tokens"."court_id" is null or "api_tokens"."issued_by_centre_id" is null or "api_tokens"."revoked_at" is not null);
