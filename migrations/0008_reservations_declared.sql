-- reservations is now declared in src/db/schema.ts (the table itself was created in 0004, with its
-- exclusion constraint, which drizzle cannot declare). Only the foreign key's name differs from the
-- one drizzle gives it; renaming it keeps the database and the schema of record identical.
ALTER TABLE "reservations" RENAME CONSTRAINT "reservations_visit_id_fkey" TO "reservations_visit_id_visits_id_fk";
