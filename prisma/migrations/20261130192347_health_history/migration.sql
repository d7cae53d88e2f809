-- AlterTable
ALTER TABLE "kamailio_node" ADD COLUMN     "handshake_interval_s" INTEGER,
ADD COLUMN     "handshake_origin" TEXT,
ADD COLUMN     "handshake_url" TEXT,
ADD COLUMN     "handshake_verify_tls" BOOLEAN NOT NULL DEFAULT true,
ADD COLUMN     "rtpengine_addresses" JSONB;

-- AlterTable
ALTER TABLE "rollup_1h" ADD COLUMN     "calls_answered_avg" DOUBLE PRECISION,
ADD COLUMN     "calls_answered_last" INTEGER,
ADD COLUMN     "calls_answered_max" INTEGER,
ADD COLUMN     "calls_answered_min" INTEGER,
ADD COLUMN     "handshake_attempts" INTEGER,
ADD COLUMN     "handshake_max_ms" DOUBLE PRECISION,
ADD COLUMN     "handshake_ok" INTEGER,
ADD COLUMN     "handshake_p50_ms" DOUBLE PRECISION,
ADD COLUMN     "handshake_p95_ms" DOUBLE PRECISION,
ADD COLUMN     "registrations_without_socket_avg" DOUBLE PRECISION,
ADD COLUMN     "registrations_without_socket_last" INTEGER,
ADD COLUMN     "registrations_without_socket_max" INTEGER,
ADD COLUMN     "registrations_without_socket_min" INTEGER,
ADD COLUMN     "rtpengine_sessions_avg" DOUBLE PRECISION,
ADD COLUMN     "rtpengine_sessions_last" INTEGER,
ADD COLUMN     "rtpengine_sessions_max" INTEGER,
ADD COLUMN     "rtpengine_sessions_min" INTEGER,
ADD COLUMN     "sockets_without_registration_avg" DOUBLE PRECISION,
ADD COLUMN     "sockets_without_registration_last" INTEGER,
ADD COLUMN     "sockets_without_registration_max" INTEGER,
ADD COLUMN     "sockets_without_registration_min" INTEGER;

-- AlterTable
ALTER TABLE "rollup_1m" ADD COLUMN     "calls_answered_avg" DOUBLE PRECISION,
ADD COLUMN     "calls_answered_last" INTEGER,
ADD COLUMN     "calls_answered_max" INTEGER,
ADD COLUMN     "calls_answered_min" INTEGER,
ADD COLUMN     "handshake_attempts" INTEGER,
ADD COLUMN     "handshake_max_ms" DOUBLE PRECISION,
ADD COLUMN     "handshake_ok" INTEGER,
ADD COLUMN     "handshake_p50_ms" DOUBLE PRECISION,
ADD COLUMN     "handshake_p95_ms" DOUBLE PRECISION,
ADD COLUMN     "registrations_without_socket_avg" DOUBLE PRECISION,
ADD COLUMN     "registrations_without_socket_last" INTEGER,
ADD COLUMN     "registrations_without_socket_max" INTEGER,
ADD COLUMN     "registrations_without_socket_min" INTEGER,
ADD COLUMN     "rtpengine_sessions_avg" DOUBLE PRECISION,
ADD COLUMN     "rtpengine_sessions_last" INTEGER,
ADD COLUMN     "rtpengine_sessions_max" INTEGER,
ADD COLUMN     "rtpengine_sessions_min" INTEGER,
ADD COLUMN     "sockets_without_registration_avg" DOUBLE PRECISION,
ADD COLUMN     "sockets_without_registration_last" INTEGER,
ADD COLUMN     "sockets_without_registration_max" INTEGER,
ADD COLUMN     "sockets_without_registration_min" INTEGER;

-- AlterTable
ALTER TABLE "sample" ADD COLUMN     "calls_answered" INTEGER,
ADD COLUMN     "registrations_without_socket" INTEGER,
ADD COLUMN     "rtpengine_sessions" INTEGER,
ADD COLUMN     "sockets_without_registration" INTEGER;

-- CreateTable
CREATE TABLE "handshake_attempt" (
    "id" BIGSERIAL NOT NULL,
    "node_id" INTEGER NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "url" TEXT NOT NULL,
    "outcome" TEXT NOT NULL,
    "reason" TEXT,
    "tcp_ms" DOUBLE PRECISION,
    "tls_ms" DOUBLE PRECISION,
    "upgrade_ms" DOUBLE PRECISION,
    "options_ms" DOUBLE PRECISION,
    "handshake_ms" DOUBLE PRECISION,
    "http_status" INTEGER,
    "sip_status" INTEGER,

    CONSTRAINT "handshake_attempt_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "canary_run" (
    "id" BIGSERIAL NOT NULL,
    "node_id" INTEGER NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "target" TEXT NOT NULL,
    "outcome" TEXT NOT NULL,
    "reason" TEXT,
    "register_ms" DOUBLE PRECISION,
    "setup_ms" DOUBLE PRECISION,
    "bye_ms" DOUBLE PRECISION,
    "sip_status" INTEGER,
    "sdp_checks" JSONB,

    CONSTRAINT "canary_run_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "handshake_attempt_node_id_at_idx" ON "handshake_attempt"("node_id", "at");

-- CreateIndex
CREATE INDEX "handshake_attempt_at_idx" ON "handshake_attempt"("at");

-- CreateIndex
CREATE INDEX "canary_run_node_id_at_idx" ON "canary_run"("node_id", "at");

-- CreateIndex
CREATE INDEX "canary_run_at_idx" ON "canary_run"("at");

-- AddForeignKey
ALTER TABLE "handshake_attempt" ADD CONSTRAINT "handshake_attempt_node_id_fkey" FOREIGN KEY ("node_id") REFERENCES "kamailio_node"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "canary_run" ADD CONSTRAINT "canary_run_node_id_fkey" FOREIGN KEY ("node_id") REFERENCES "kamailio_node"("id") ON DELETE CASCADE ON UPDATE CASCADE;
