-- Cancelling a registration deletes a row, so two things had to change (see db/schema.ts):
-- * ids become AUTOINCREMENT (the table is rebuilt, ids kept): SQLite would otherwise hand the
--   largest id out again after its row is deleted, and a browser remembering that id would then
--   hold someone else's registration.
-- * the dense rank `pos` goes (it lives in the old table): deleting the oldest of 100,000 rows
--   rewrote 100,000 rows (~100 ms). Instead registrant_buckets counts rows per bucket of 1,024 ids,
--   so a delete or an insert updates one counter, and a page is found by summing bucket counts.
-- The generated DDL comes first; the backfill and the triggers below are hand-written.
CREATE TABLE `registrant_buckets` (
	`bucket` integer PRIMARY KEY NOT NULL,
	`count` integer NOT NULL
);
--> statement-breakpoint
PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_registrants` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text(255) NOT NULL,
	`email` text(255) NOT NULL,
	`created_at` integer DEFAULT (unixepoch()) NOT NULL
);
--> statement-breakpoint
INSERT INTO `__new_registrants`("id", "name", "email", "created_at") SELECT "id", "name", "email", "created_at" FROM `registrants`;--> statement-breakpoint
DROP TABLE `registrants`;--> statement-breakpoint
ALTER TABLE `__new_registrants` RENAME TO `registrants`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE UNIQUE INDEX `registrants_email_unique` ON `registrants` (`email`);--> statement-breakpoint
INSERT INTO `registrant_buckets` (`bucket`, `count`) SELECT `id` >> 10, count(*) FROM `registrants` GROUP BY `id` >> 10;--> statement-breakpoint
-- The old triggers went with the old table. Every change bumps the data version and keeps the
-- count of its id's bucket (bucket = id >> 10, a floor division, negative ids included) exact.
CREATE TRIGGER `registrants_after_insert` AFTER INSERT ON `registrants` BEGIN
	UPDATE `registrant_stats` SET `total` = `total` + 1, `version` = `version` + 1 WHERE `id` = 1;
	INSERT INTO `registrant_buckets` (`bucket`, `count`) VALUES (NEW.`id` >> 10, 1)
		ON CONFLICT (`bucket`) DO UPDATE SET `count` = `count` + 1;
END;--> statement-breakpoint
CREATE TRIGGER `registrants_after_delete` AFTER DELETE ON `registrants` BEGIN
	UPDATE `registrant_stats` SET `total` = `total` - 1, `version` = `version` + 1 WHERE `id` = 1;
	UPDATE `registrant_buckets` SET `count` = `count` - 1 WHERE `bucket` = OLD.`id` >> 10;
END;--> statement-breakpoint
CREATE TRIGGER `registrants_after_update` AFTER UPDATE OF `id`, `name`, `email` ON `registrants` BEGIN
	UPDATE `registrant_stats` SET `version` = `version` + 1 WHERE `id` = 1;
END;--> statement-breakpoint
-- A hand-made fix that renumbers a row moves it between buckets.
CREATE TRIGGER `registrants_after_renumber` AFTER UPDATE OF `id` ON `registrants` WHEN OLD.`id` <> NEW.`id` BEGIN
	UPDATE `registrant_buckets` SET `count` = `count` - 1 WHERE `bucket` = OLD.`id` >> 10;
	INSERT INTO `registrant_buckets` (`bucket`, `count`) VALUES (NEW.`id` >> 10, 1)
		ON CONFLICT (`bucket`) DO UPDATE SET `count` = `count` + 1;
END;