-- Partition the history that grows with every poll cycle (sample, branch_sample, event) by day, so retention drops
-- whole days (DROP TABLE of a partition) instead of DELETE + VACUUM (lib/metrics/partitions.ts, README "Storage and
-- retention at scale"). Plain declarative partitioning: PostgreSQL 12+, PGlite, TimescaleDB and Citus all run it.
-- Written by hand: each table is renamed, created again partitioned, copied, and the old one dropped.
-- Partition names: <table>_p<YYYYMMDD> for the UTC day [YYYY-MM-DD, +1 day), <table>_default for anything else.

-- The old tables keep their data until the copy; their keys, indexes and the branch_sample -> sample key go first
-- (a key into a partitioned table would stop whole days being dropped or moved).
ALTER TABLE "branch_sample" DROP CONSTRAINT "branch_sample_sample_id_fkey";
ALTER TABLE "sample" DROP CONSTRAINT "sample_node_id_fkey";
ALTER TABLE "event" DROP CONSTRAINT "event_node_id_fkey";
DROP INDEX "sample_node_id_at_idx";
DROP INDEX "sample_at_idx";
DROP INDEX "event_at_idx";
DROP INDEX "event_node_id_at_idx";
ALTER TABLE "sample" RENAME CONSTRAINT "sample_pkey" TO "sample_old_pkey";
ALTER TABLE "branch_sample" RENAME CONSTRAINT "branch_sample_pkey" TO "branch_sample_old_pkey";
ALTER TABLE "event" RENAME CONSTRAINT "event_pkey" TO "event_old_pkey";
ALTER TABLE "sample" RENAME TO "sample_old";
ALTER TABLE "branch_sample" RENAME TO "branch_sample_old";
ALTER TABLE "event" RENAME TO "event_old";
-- the id sequences stay: the new tables go on numbering where the old ones stopped
ALTER SEQUENCE "sample_id_seq" OWNED BY NONE;
ALTER SEQUENCE "event_id_seq" OWNED BY NONE;

-- CreateTable
CREATE TABLE "sample" (
    "id" BIGINT NOT NULL DEFAULT nextval('sample_id_seq'),
    "node_id" INTEGER NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "up" BOOLEAN NOT NULL,
    "error" TEXT,
    "duration_ms" INTEGER NOT NULL,
    "ws_connections" INTEGER,
    "wss_connections" INTEGER,
    "registrations" INTEGER,
    "aors" INTEGER,
    "dialogs_active" INTEGER,
    "dialogs_early" INTEGER,
    "rtpengine_up" INTEGER,
    "rtpengine_total" INTEGER,
    "ws_handshakes_ok" BIGINT,
    "ws_handshakes_failed" BIGINT,
    "ws_failed_connections" BIGINT,
    "dialogs_processed" BIGINT,
    "dialogs_failed" BIGINT,
    "tmx_2xx" BIGINT,
    "tmx_4xx" BIGINT,
    "tmx_5xx" BIGINT,
    "tmx_6xx" BIGINT,
    "transactions_active" INTEGER,
    "branch_relayed" BIGINT,
    "branch_failed" BIGINT,
    "kamailio_uptime_s" INTEGER,
    "probes" JSONB,
    "rejected" JSONB,
    "restarted" BOOLEAN NOT NULL DEFAULT false,
    "calls_answered" INTEGER,
    "registrations_without_socket" INTEGER,
    "rtpengine_sessions" INTEGER,
    "sockets_without_registration" INTEGER,

    CONSTRAINT "sample_pkey" PRIMARY KEY ("id","at")
) PARTITION BY RANGE ("at");

-- CreateTable
CREATE TABLE "branch_sample" (
    "sample_id" BIGINT NOT NULL,
    "sample_at" TIMESTAMPTZ(3) NOT NULL,
    "direction" TEXT NOT NULL,
    "relayed" BIGINT,
    "failed" BIGINT,

    CONSTRAINT "branch_sample_pkey" PRIMARY KEY ("sample_id","sample_at","direction")
) PARTITION BY RANGE ("sample_at");

-- CreateTable
CREATE TABLE "event" (
    "id" BIGINT NOT NULL DEFAULT nextval('event_id_seq'),
    "node_id" INTEGER,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "kind" TEXT NOT NULL,
    "severity" TEXT NOT NULL,
    "message" TEXT NOT NULL,
    "detail" JSONB,

    CONSTRAINT "event_pkey" PRIMARY KEY ("id","at")
) PARTITION BY RANGE ("at");

ALTER SEQUENCE "sample_id_seq" OWNED BY "sample"."id";
ALTER SEQUENCE "event_id_seq" OWNED BY "event"."id";

-- CreateIndex
CREATE INDEX "sample_node_id_at_idx" ON "sample"("node_id", "at");
CREATE INDEX "sample_at_idx" ON "sample"("at");
CREATE INDEX "event_at_idx" ON "event"("at");
CREATE INDEX "event_node_id_at_idx" ON "event"("node_id", "at");

-- AddForeignKey
ALTER TABLE "sample" ADD CONSTRAINT "sample_node_id_fkey" FOREIGN KEY ("node_id") REFERENCES "kamailio_node"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "event" ADD CONSTRAINT "event_node_id_fkey" FOREIGN KEY ("node_id") REFERENCES "kamailio_node"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- The default partitions take a row no day partition covers, so a write never fails; the maintenance job moves
-- such rows into their day's partition (lib/metrics/partitions.ts).
CREATE TABLE "sample_default" PARTITION OF "sample" DEFAULT;
CREATE TABLE "branch_sample_default" PARTITION OF "branch_sample" DEFAULT;
CREATE TABLE "event_default" PARTITION OF "event" DEFAULT;

-- One partition per UTC day that holds old rows, and today to 3 days ahead (the maintenance job keeps that up).
DO $$
DECLARE
  t text;
  d date;
BEGIN
  FOREACH t IN ARRAY ARRAY['sample', 'branch_sample', 'event'] LOOP
    FOR d IN
      SELECT DISTINCT (at AT TIME ZONE 'UTC')::date FROM (
        SELECT at FROM sample_old WHERE t <> 'event'
        UNION ALL SELECT at FROM event_old WHERE t = 'event'
        UNION ALL SELECT now() + make_interval(days => g) FROM generate_series(0, 3) AS g
      ) AS days
    LOOP
      EXECUTE format(
        'CREATE TABLE %I PARTITION OF %I FOR VALUES FROM (%L) TO (%L)',
        t || '_p' || to_char(d, 'YYYYMMDD'), t,
        (d::timestamp AT TIME ZONE 'UTC'), ((d + 1)::timestamp AT TIME ZONE 'UTC'));
    END LOOP;
  END LOOP;
END
$$;

-- Copy
INSERT INTO "sample" SELECT "id", "node_id", "at", "up", "error", "duration_ms", "ws_connections", "wss_connections",
  "registrations", "aors", "dialogs_active", "dialogs_early", "rtpengine_up", "rtpengine_total", "ws_handshakes_ok",
  "ws_handshakes_failed", "ws_failed_connections", "dialogs_processed", "dialogs_failed", "tmx_2xx", "tmx_4xx",
  "tmx_5xx", "tmx_6xx", "transactions_active", "branch_relayed", "branch_failed", "kamailio_uptime_s", "probes",
  "rejected", "restarted", "calls_answered", "registrations_without_socket", "rtpengine_sessions",
  "sockets_without_registration"
FROM "sample_old";
INSERT INTO "branch_sample" ("sample_id", "sample_at", "direction", "relayed", "failed")
  SELECT b."sample_id", s."at", b."direction", b."relayed", b."failed"
  FROM "branch_sample_old" b JOIN "sample_old" s ON s."id" = b."sample_id";
INSERT INTO "event" ("id", "node_id", "at", "kind", "severity", "message", "detail")
  SELECT "id", "node_id", "at", "kind", "severity", "message", "detail" FROM "event_old";

-- DropTable
DROP TABLE "branch_sample_old";
DROP TABLE "sample_old";
DROP TABLE "event_old";
