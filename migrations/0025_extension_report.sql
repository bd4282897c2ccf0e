-- Each extension of a case now issues a report to the referrer (kind 'extension').
ALTER TABLE "reports" DROP CONSTRAINT "reports_kind";--> statement-breakpoint
ALTER TABLE "reports" ADD CONSTRAINT "reports_kind" CHECK ("reports"."kind" in ('referral_refused', 'referral_returned', 'case_started', 'suspension', 'resumption', 'extension', 'ending', 'progress'));