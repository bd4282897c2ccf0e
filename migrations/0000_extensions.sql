-- btree_gist lets exclusion constraints combine = on ids with && on time ranges (reservations).
CREATE EXTENSION IF NOT EXISTS btree_gist;
