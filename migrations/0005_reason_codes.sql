-- The shared catalogue of coded reasons (DESIGN.md §1, plus extension reasons), labels in nl/fr/en.
-- Fixed UUIDv7 ids, in catalogue order, so every database lists them identically.
INSERT INTO "reason_codes" ("id", "category", "code", "centre_id", "label_nl", "label_fr", "label_en") VALUES
  ('01a207b7-7de7-71c3-97cd-7e52a77d320e', 'refusal', 'outside_target_group', NULL, 'Buiten de doelgroep', 'Hors du groupe cible', 'Outside the target group'),
  ('01a207b7-7de7-71c3-97cd-83692527dc58', 'refusal', 'no_capacity', NULL, 'Geen capaciteit', 'Pas de capacité disponible', 'No capacity'),
  ('01a207b7-7de7-71c3-97cd-841ea2bae8c4', 'refusal', 'safety_risk_unmanageable', NULL, 'Veiligheidsrisico niet beheersbaar', 'Risque pour la sécurité non maîtrisable', 'Safety risk cannot be managed'),
  ('01a207b7-7de7-71c3-97cd-89b61f09bc7d', 'refusal', 'no_right_to_contact', NULL, 'Geen recht op persoonlijk contact', 'Pas de droit aux relations personnelles', 'No right to personal contact'),
  ('01a207b7-7de7-71c3-97cd-8e153666e7dc', 'refusal', 'parties_do_not_consent', NULL, 'Partijen stemmen niet in', 'Les parties ne consentent pas', 'Parties do not consent'),
  ('01a207b7-7de7-71c3-97cd-9236de7e7570', 'refusal', 'other_service_more_suitable', NULL, 'Andere dienst is meer geschikt', 'Un autre service est plus adapté', 'Another service is more suitable'),
  ('01a207b7-7de7-71c3-97cd-961923347d59', 'refusal', 'other', NULL, 'Andere reden', 'Autre motif', 'Other reason');
--> statement-breakpoint
INSERT INTO "reason_codes" ("id", "category", "code", "centre_id", "label_nl", "label_fr", "label_en") VALUES
  ('01a207b7-7de7-71c3-97cd-99989d5b3eb5', 'return', 'incomplete_referral', NULL, 'Onvolledige verwijzing', 'Demande incomplète', 'Incomplete referral'),
  ('01a207b7-7de7-71c3-97cd-9d09a649304a', 'return', 'modalities_unclear', NULL, 'Modaliteiten onduidelijk', 'Modalités imprécises', 'Modalities unclear'),
  ('01a207b7-7de7-71c3-97cd-a22bf9f299a8', 'return', 'wrong_district', NULL, 'Verkeerd gerechtelijk arrondissement', 'Mauvais arrondissement judiciaire', 'Wrong judicial district'),
  ('01a207b7-7de7-71c3-97cd-a51f22cce83f', 'return', 'other', NULL, 'Andere reden', 'Autre motif', 'Other reason');
--> statement-breakpoint
INSERT INTO "reason_codes" ("id", "category", "code", "centre_id", "label_nl", "label_fr", "label_en") VALUES
  ('01a207b7-7de7-71c3-97cd-a8b5c715c921', 'suspension', 'house_rules_violation', NULL, 'Overtreding van het huishoudelijk reglement', 'Violation du règlement d''ordre intérieur', 'Violation of the house rules'),
  ('01a207b7-7de7-71c3-97cd-ad54972b398c', 'suspension', 'safety_concern', NULL, 'Bezorgdheid over de veiligheid', 'Préoccupation pour la sécurité', 'Safety concern'),
  ('01a207b7-7de7-71c3-97cd-b04d89e2b43b', 'suspension', 'child_refuses', NULL, 'Kind weigert', 'L''enfant refuse', 'Child refuses'),
  ('01a207b7-7de8-7102-b9b6-a10c545a26b6', 'suspension', 'child_wellbeing', NULL, 'Welzijn van het kind', 'Bien-être de l''enfant', 'Child''s wellbeing'),
  ('01a207b7-7de8-7102-b9b6-a4815a970057', 'suspension', 'repeated_absence', NULL, 'Herhaalde afwezigheid', 'Absences répétées', 'Repeated absence'),
  ('01a207b7-7de8-7102-b9b6-aab88bb3e9f1', 'suspension', 'party_request', NULL, 'Op vraag van een partij', 'À la demande d''une partie', 'At a party''s request'),
  ('01a207b7-7de8-7102-b9b6-aeecc208ba65', 'suspension', 'awaiting_court_decision', NULL, 'In afwachting van een rechterlijke beslissing', 'Dans l''attente d''une décision judiciaire', 'Awaiting a court decision'),
  ('01a207b7-7de8-7102-b9b6-b02aec6b65de', 'suspension', 'illness', NULL, 'Ziekte', 'Maladie', 'Illness'),
  ('01a207b7-7de8-7102-b9b6-b4fc2cdeee46', 'suspension', 'other', NULL, 'Andere reden', 'Autre motif', 'Other reason');
--> statement-breakpoint
INSERT INTO "reason_codes" ("id", "category", "code", "centre_id", "label_nl", "label_fr", "label_en") VALUES
  ('01a207b7-7de8-7102-b9b6-b823232fe809', 'ending', 'goal_reached', NULL, 'Doel bereikt', 'Objectif atteint', 'Goal reached'),
  ('01a207b7-7de8-7102-b9b6-bc8bbbd17c27', 'ending', 'agreement_between_parties', NULL, 'Akkoord tussen de partijen', 'Accord entre les parties', 'Agreement between the parties'),
  ('01a207b7-7de8-7102-b9b6-c163f3c49ceb', 'ending', 'max_duration_reached', NULL, 'Maximale duur bereikt', 'Durée maximale atteinte', 'Maximum duration reached'),
  ('01a207b7-7de8-7102-b9b6-c602f65dd1fc', 'ending', 'referral_withdrawn', NULL, 'Verwijzing ingetrokken', 'Demande retirée', 'Referral withdrawn'),
  ('01a207b7-7de8-7102-b9b6-cb640e6b20d9', 'ending', 'new_court_decision', NULL, 'Nieuwe rechterlijke beslissing', 'Nouvelle décision judiciaire', 'New court decision'),
  ('01a207b7-7de8-7102-b9b6-cc8f47b06b07', 'ending', 'repeated_absence', NULL, 'Herhaalde afwezigheid', 'Absences répétées', 'Repeated absence'),
  ('01a207b7-7de8-7102-b9b6-d2a914a5da34', 'ending', 'repeated_rule_violations', NULL, 'Herhaalde overtredingen van de afspraken', 'Violations répétées des règles', 'Repeated rule violations'),
  ('01a207b7-7de8-7102-b9b6-d4c72a994d89', 'ending', 'safety', NULL, 'Veiligheid', 'Sécurité', 'Safety'),
  ('01a207b7-7de8-7102-b9b6-dbf7b5eedaff', 'ending', 'child_interest', NULL, 'In het belang van het kind', 'Dans l''intérêt de l''enfant', 'In the child''s interest'),
  ('01a207b7-7de8-7102-b9b6-def9adbb33a7', 'ending', 'party_request', NULL, 'Op vraag van een partij', 'À la demande d''une partie', 'At a party''s request'),
  ('01a207b7-7de8-7102-b9b6-e3aba48ed7f8', 'ending', 'moved', NULL, 'Verhuisd', 'Déménagement', 'Moved away'),
  ('01a207b7-7de8-7102-b9b6-e7bb3bc4d7e5', 'ending', 'other', NULL, 'Andere reden', 'Autre motif', 'Other reason');
--> statement-breakpoint
INSERT INTO "reason_codes" ("id", "category", "code", "centre_id", "label_nl", "label_fr", "label_en") VALUES
  ('01a207b7-7de8-7102-b9b6-eb4721686c16', 'cancellation', 'illness', NULL, 'Ziekte', 'Maladie', 'Illness'),
  ('01a207b7-7de8-7102-b9b6-ec7da6e4f07a', 'cancellation', 'party_unavailable', NULL, 'Partij verhinderd', 'Partie empêchée', 'Party unavailable'),
  ('01a207b7-7de8-7102-b9b6-f0b656769e40', 'cancellation', 'child_refuses', NULL, 'Kind weigert', 'L''enfant refuse', 'Child refuses'),
  ('01a207b7-7de8-7102-b9b6-f40a5973ff4f', 'cancellation', 'centre_closed', NULL, 'Bezoekruimte gesloten', 'Espace-rencontre fermé', 'Centre closed'),
  ('01a207b7-7de8-7102-b9b6-f9ec15419e7e', 'cancellation', 'counsellor_unavailable', NULL, 'Begeleider verhinderd', 'Intervenant indisponible', 'Counsellor unavailable'),
  ('01a207b7-7de8-7102-b9b6-fe5f76731514', 'cancellation', 'case_suspended', NULL, 'Begeleiding opgeschort', 'Accompagnement suspendu', 'Case suspended'),
  ('01a207b7-7de8-7102-b9b7-02e2481e51ee', 'cancellation', 'case_ended', NULL, 'Begeleiding beëindigd', 'Accompagnement terminé', 'Case ended'),
  ('01a207b7-7de8-7102-b9b7-05a172a253a1', 'cancellation', 'weather_or_transport', NULL, 'Weer of vervoer', 'Météo ou transport', 'Weather or transport'),
  ('01a207b7-7de8-7102-b9b7-080f7c5684c1', 'cancellation', 'other', NULL, 'Andere reden', 'Autre motif', 'Other reason');
--> statement-breakpoint
INSERT INTO "reason_codes" ("id", "category", "code", "centre_id", "label_nl", "label_fr", "label_en") VALUES
  ('01a207b7-7de8-7102-b9b7-0e36262f171d', 'extension', 'goal_not_yet_reached', NULL, 'Doel nog niet bereikt', 'Objectif pas encore atteint', 'Goal not yet reached'),
  ('01a207b7-7de8-7102-b9b7-1006bb699300', 'extension', 'awaiting_court_decision', NULL, 'In afwachting van een rechterlijke beslissing', 'Dans l''attente d''une décision judiciaire', 'Awaiting a court decision'),
  ('01a207b7-7de8-7102-b9b7-1427af8e9130', 'extension', 'new_court_decision', NULL, 'Nieuwe rechterlijke beslissing', 'Nouvelle décision judiciaire', 'New court decision'),
  ('01a207b7-7de8-7102-b9b7-182a68bdf640', 'extension', 'suspension_period', NULL, 'Inhalen van een opschortingsperiode', 'Rattrapage d''une période de suspension', 'Making up for a suspension period'),
  ('01a207b7-7de8-7102-b9b7-1d79a1057fc0', 'extension', 'party_request', NULL, 'Op vraag van een partij', 'À la demande d''une partie', 'At a party''s request'),
  ('01a207b7-7de8-7102-b9b7-216a9b94319d', 'extension', 'other', NULL, 'Andere reden', 'Autre motif', 'Other reason');
