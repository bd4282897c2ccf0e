-- The words a court reads: the shared catalogue's labels said as a court clerk would expect them.
-- Only the shared rows (no centre): a centre's own reasons keep the labels the centre gave them.
UPDATE "reason_codes" SET "label_nl" = 'Geen plaats beschikbaar', "label_fr" = 'Manque de place', "label_en" = 'No place available'
WHERE "category" = 'refusal' AND "code" = 'no_capacity' AND "centre_id" IS NULL;--> statement-breakpoint
UPDATE "reason_codes" SET "label_nl" = 'Geen medewerking van (een van) de partijen', "label_fr" = 'Pas de collaboration d''une ou des parties', "label_en" = 'No cooperation from (one of) the parties'
WHERE "category" = 'refusal' AND "code" = 'parties_do_not_consent' AND "centre_id" IS NULL;--> statement-breakpoint
UPDATE "reason_codes" SET "label_nl" = 'Veiligheid kan niet gegarandeerd worden', "label_fr" = 'La sécurité ne peut être garantie', "label_en" = 'Safety cannot be guaranteed'
WHERE "category" = 'ending' AND "code" = 'safety' AND "centre_id" IS NULL;
