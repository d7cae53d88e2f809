-- CreateTable
CREATE TABLE "rollup_1m" (
    "node_id" INTEGER NOT NULL,
    "bucket" TIMESTAMPTZ(3) NOT NULL,
    "samples" INTEGER NOT NULL,
    "up_samples" INTEGER NOT NULL,
    "ws_connections_min" INTEGER,
    "ws_connections_avg" DOUBLE PRECISION,
    "ws_connections_max" INTEGER,
    "ws_connections_last" INTEGER,
    "wss_connections_min" INTEGER,
    "wss_connections_avg" DOUBLE PRECISION,
    "wss_connections_max" INTEGER,
    "wss_connections_last" INTEGER,
    "registrations_min" INTEGER,
    "registrations_avg" DOUBLE PRECISION,
    "registrations_max" INTEGER,
    "registrations_last" INTEGER,
    "aors_min" INTEGER,
    "aors_avg" DOUBLE PRECISION,
    "aors_max" INTEGER,
    "aors_last" INTEGER,
    "dialogs_active_min" INTEGER,
    "dialogs_active_avg" DOUBLE PRECISION,
    "dialogs_active_max" INTEGER,
    "dialogs_active_last" INTEGER,
    "dialogs_early_min" INTEGER,
    "dialogs_early_avg" DOUBLE PRECISION,
    "dialogs_early_max" INTEGER,
    "dialogs_early_last" INTEGER,
    "rtpengine_up_min" INTEGER,
    "rtpengine_up_avg" DOUBLE PRECISION,
    "rtpengine_up_max" INTEGER,
    "rtpengine_up_last" INTEGER,
    "rtpengine_total_min" INTEGER,
    "rtpengine_total_avg" DOUBLE PRECISION,
    "rtpengine_total_max" INTEGER,
    "rtpengine_total_last" INTEGER,
    "transactions_active_min" INTEGER,
    "transactions_active_avg" DOUBLE PRECISION,
    "transactions_active_max" INTEGER,
    "transactions_active_last" INTEGER,
    "duration_ms_min" INTEGER,
    "duration_ms_avg" DOUBLE PRECISION,
    "duration_ms_max" INTEGER,
    "duration_ms_last" INTEGER,
    "branch_relayed_delta" BIGINT,
    "branch_failed_delta" BIGINT,
    "ws_handshakes_ok_delta" BIGINT,
    "ws_handshakes_failed_delta" BIGINT,
    "ws_failed_connections_delta" BIGINT,
    "dialogs_processed_delta" BIGINT,
    "dialogs_failed_delta" BIGINT,
    "tmx_2xx_delta" BIGINT,
    "tmx_4xx_delta" BIGINT,
    "tmx_5xx_delta" BIGINT,
    "tmx_6xx_delta" BIGINT,
    "branch_relayed_last" BIGINT,
    "branch_failed_last" BIGINT,

    CONSTRAINT "rollup_1m_pkey" PRIMARY KEY ("node_id","bucket")
);

-- CreateTable
CREATE TABLE "rollup_1h" (
    "node_id" INTEGER NOT NULL,
    "bucket" TIMESTAMPTZ(3) NOT NULL,
    "samples" INTEGER NOT NULL,
    "up_samples" INTEGER NOT NULL,
    "ws_connections_min" INTEGER,
    "ws_connections_avg" DOUBLE PRECISION,
    "ws_connections_max" INTEGER,
    "ws_connections_last" INTEGER,
    "wss_connections_min" INTEGER,
    "wss_connections_avg" DOUBLE PRECISION,
    "wss_connections_max" INTEGER,
    "wss_connections_last" INTEGER,
    "registrations_min" INTEGER,
    "registrations_avg" DOUBLE PRECISION,
    "registrations_max" INTEGER,
    "registrations_last" INTEGER,
    "aors_min" INTEGER,
    "aors_avg" DOUBLE PRECISION,
    "aors_max" INTEGER,
    "aors_last" INTEGER,
    "dialogs_active_min" INTEGER,
    "dialogs_active_avg" DOUBLE PRECISION,
    "dialogs_active_max" INTEGER,
    "dialogs_active_last" INTEGER,
    "dialogs_early_min" INTEGER,
    "dialogs_early_avg" DOUBLE PRECISION,
    "dialogs_early_max" INTEGER,
    "dialogs_early_last" INTEGER,
    "rtpengine_up_min" INTEGER,
    "rtpengine_up_avg" DOUBLE PRECISION,
    "rtpengine_up_max" INTEGER,
    "rtpengine_up_last" INTEGER,
    "rtpengine_total_min" INTEGER,
    "rtpengine_total_avg" DOUBLE PRECISION,
    "rtpengine_total_max" INTEGER,
    "rtpengine_total_last" INTEGER,
    "transactions_active_min" INTEGER,
    "transactions_active_avg" DOUBLE PRECISION,
    "transactions_active_max" INTEGER,
    "transactions_active_last" INTEGER,
    "duration_ms_min" INTEGER,
    "duration_ms_avg" DOUBLE PRECISION,
    "duration_ms_max" INTEGER,
    "duration_ms_last" INTEGER,
    "branch_relayed_delta" BIGINT,
    "branch_failed_delta" BIGINT,
    "ws_handshakes_ok_delta" BIGINT,
    "ws_handshakes_failed_delta" BIGINT,
    "ws_failed_connections_delta" BIGINT,
    "dialogs_processed_delta" BIGINT,
    "dialogs_failed_delta" BIGINT,
    "tmx_2xx_delta" BIGINT,
    "tmx_4xx_delta" BIGINT,
    "tmx_5xx_delta" BIGINT,
    "tmx_6xx_delta" BIGINT,
    "branch_relayed_last" BIGINT,
    "branch_failed_last" BIGINT,

    CONSTRAINT "rollup_1h_pkey" PRIMARY KEY ("node_id","bucket")
);

-- CreateTable
CREATE TABLE "branch_rollup_1m" (
    "node_id" INTEGER NOT NULL,
    "bucket" TIMESTAMPTZ(3) NOT NULL,
    "direction" TEXT NOT NULL,
    "relayed" BIGINT,
    "failed" BIGINT,

    CONSTRAINT "branch_rollup_1m_pkey" PRIMARY KEY ("node_id","bucket","direction")
);

-- CreateTable
CREATE TABLE "branch_rollup_1h" (
    "node_id" INTEGER NOT NULL,
    "bucket" TIMESTAMPTZ(3) NOT NULL,
    "direction" TEXT NOT NULL,
    "relayed" BIGINT,
    "failed" BIGINT,

    CONSTRAINT "branch_rollup_1h_pkey" PRIMARY KEY ("node_id","bucket","direction")
);

-- CreateTable
CREATE TABLE "retention_horizon" (
    "store" TEXT NOT NULL,
    "kept_from" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "retention_horizon_pkey" PRIMARY KEY ("store")
);

-- CreateIndex
CREATE INDEX "rollup_1m_bucket_idx" ON "rollup_1m"("bucket");

-- CreateIndex
CREATE INDEX "rollup_1h_bucket_idx" ON "rollup_1h"("bucket");

-- CreateIndex
CREATE INDEX "branch_rollup_1m_bucket_idx" ON "branch_rollup_1m"("bucket");

-- CreateIndex
CREATE INDEX "branch_rollup_1h_bucket_idx" ON "branch_rollup_1h"("bucket");

-- AddForeignKey
ALTER TABLE "rollup_1m" ADD CONSTRAINT "rollup_1m_node_id_fkey" FOREIGN KEY ("node_id") REFERENCES "kamailio_node"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "rollup_1h" ADD CONSTRAINT "rollup_1h_node_id_fkey" FOREIGN KEY ("node_id") REFERENCES "kamailio_node"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "branch_rollup_1m" ADD CONSTRAINT "branch_rollup_1m_node_id_fkey" FOREIGN KEY ("node_id") REFERENCES "kamailio_node"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "branch_rollup_1h" ADD CONSTRAINT "branch_rollup_1h_node_id_fkey" FOREIGN KEY ("node_id") REFERENCES "kamailio_node"("id") ON DELETE CASCADE ON UPDATE CASCADE;
