-- Counting and paging without scanning: registrant_stats holds the row count and a data version,
-- and registrants.pos ranks rows by id (1 = oldest), so page N of the list is an index range and
-- the total is one row. Triggers keep both exact inside the writing transaction, whoever writes
-- (the app, the CLIs, a script or another process on the same file). The hand-written part
-- (backfill and triggers) follows drizzle-kit's generated DDL.
CREATE TABLE `registrant_stats` (
	`id` integer PRIMARY KEY NOT NULL,
	`total` integer DEFAULT 0 NOT NULL,
	`version` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
ALTER TABLE `registrants` ADD `pos` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
INSERT INTO `registrant_stats` (`id`, `total`, `version`) SELECT 1, count(*), 0 FROM `registrants`;--> statement-breakpoint
UPDATE `registrants` SET `pos` = `ranked`.`rn`
	FROM (SELECT `id`, row_number() OVER (ORDER BY `id`) AS `rn` FROM `registrants`) AS `ranked`
	WHERE `registrants`.`id` = `ranked`.`id`;--> statement-breakpoint
CREATE INDEX `registrants_pos_idx` ON `registrants` (`pos`);--> statement-breakpoint
-- An append (the normal case) shifts nothing: no row has a larger id. A row inserted below the
-- largest id (an adopted classic table, a hand-made fix) moves the rows above it up by one.
CREATE TRIGGER `registrants_after_insert` AFTER INSERT ON `registrants` BEGIN
	UPDATE `registrant_stats` SET `total` = `total` + 1, `version` = `version` + 1 WHERE `id` = 1;
	UPDATE `registrants` SET `pos` = `pos` + 1 WHERE `id` > NEW.`id`;
	UPDATE `registrants` SET `pos` = (SELECT `total` FROM `registrant_stats` WHERE `id` = 1)
		- (SELECT count(*) FROM `registrants` WHERE `id` > NEW.`id`) WHERE `id` = NEW.`id`;
END;--> statement-breakpoint
-- The app never deletes; an operator may. Closing the gap costs one pass over the newer rows.
CREATE TRIGGER `registrants_after_delete` AFTER DELETE ON `registrants` BEGIN
	UPDATE `registrant_stats` SET `total` = `total` - 1, `version` = `version` + 1 WHERE `id` = 1;
	UPDATE `registrants` SET `pos` = `pos` - 1 WHERE `id` > OLD.`id`;
END;--> statement-breakpoint
-- An edited name or email changes what the list shows, so cached pages must notice it.
CREATE TRIGGER `registrants_after_update` AFTER UPDATE OF `name`, `email` ON `registrants` BEGIN
	UPDATE `registrant_stats` SET `version` = `version` + 1 WHERE `id` = 1;
END;
