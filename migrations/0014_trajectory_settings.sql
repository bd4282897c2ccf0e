-- Centres created before these settings existed get the defaults (their own values win).
UPDATE centres SET settings = '{"maxTrajectoryMonths": 6, "maxExtensions": 2, "evaluationIntervalMonths": 3}'::jsonb || settings;
