-- An ending reason for a family referred on to another service (the sector protocol's onward referral);
-- the case's ending event records the kind of service as referredTo. Lists are ordered by id: this one
-- sorts between `moved` and `other`, so the catalogue's order holds.
INSERT INTO "reason_codes" ("id", "category", "code", "centre_id", "label_nl", "label_fr", "label_en") VALUES
  ('01a207b7-7de8-7102-b9b6-e5c0a7d4e2b1', 'ending', 'referred_elsewhere', NULL, 'Doorverwezen naar een andere dienst', 'Orienté vers un autre service', 'Referred to another service');
