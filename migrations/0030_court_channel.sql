CREATE TABLE "attachments" (
	"id" uuid PRIMARY KEY NOT NULL,
	"referral_id" uuid NOT NULL,
	"centre_id" uuid NOT NULL,
	"court_id" uuid,
	"filename" text NOT NULL,
	"content_type" text NOT NULL,
	"size_bytes" integer NOT NULL,
	"sha256" text NOT NULL,
	"content" "bytea" NOT NULL,
	"uploaded_by_token_id" uuid,
	"uploaded_by_role" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "attachments_size" CHECK ("attachments"."size_bytes" = octet_length("attachments"."content"))
);
--> statement-breakpoint
CREATE TABLE "court_messages" (
	"id" uuid PRIMARY KEY NOT NULL,
	"referral_id" uuid NOT NULL,
	"centre_id" uuid NOT NULL,
	"court_id" uuid,
	"sender" text NOT NULL,
	"kind" text NOT NULL,
	"text" text NOT NULL,
	"hearing_date" text,
	"previous_hearing_date" text,
	"due_date" text,
	"attachment_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"sent_by_token_id" uuid,
	"sent_by_role" text NOT NULL,
	"read_at" timestamp with time zone,
	"read_by_token_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "court_messages_sender" CHECK (("court_messages"."sender" = 'centre') = ("court_messages"."kind" = 'information')),
	CONSTRAINT "court_messages_fields" CHECK (("court_messages"."kind" <> 'hearing_date' or "court_messages"."hearing_date" is not null) and ("court_messages"."kind" <> 'report_request' or "court_messages"."due_date" is not null))
);
--> statement-breakpoint
ALTER TABLE "attachments" ADD CONSTRAINT "attachments_referral_id_referrals_id_fk" FOREIGN KEY ("referral_id") REFERENCES "public"."referrals"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "attachments" ADD CONSTRAINT "attachments_centre_id_centres_id_fk" FOREIGN KEY ("centre_id") REFERENCES "public"."centres"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "attachments" ADD CONSTRAINT "attachments_court_id_courts_id_fk" FOREIGN KEY ("court_id") REFERENCES "public"."courts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "court_messages" ADD CONSTRAINT "court_messages_referral_id_referrals_id_fk" FOREIGN KEY ("referral_id") REFERENCES "public"."referrals"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "court_messages" ADD CONSTRAINT "court_messages_centre_id_centres_id_fk" FOREIGN KEY ("centre_id") REFERENCES "public"."centres"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "court_messages" ADD CONSTRAINT "court_messages_court_id_courts_id_fk" FOREIGN KEY ("court_id") REFERENCES "public"."courts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "attachments_referral_id_index" ON "attachments" USING btree ("referral_id");--> statement-breakpoint
CREATE INDEX "court_messages_referral_id_index" ON "court_messages" USING btree ("referral_id");--> statement-breakpoint
CREATE INDEX "court_messages_unread" ON "court_messages" USING btree ("centre_id","created_at") WHERE "court_messages"."read_at" is null;