-- An ending reason for a family referred on to another service (the sector protocol's onward referral);
-- the case's ending event records the kind of service as referredTo.
INSERT INTO "reason_codes" ("id", "category", "code", "centre_id", "label_nl", "label_fr", "label_en") VALUES
  ('01a24d37-2b12-72bb-be00-294d7a91b53d', 'ending', 'referred_elsewhere', NULL, 'Doorverwezen naar een andere dienst', 'Orienté vers un autre service', 'Referred to another service');
