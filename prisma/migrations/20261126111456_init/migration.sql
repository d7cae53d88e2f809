-- CreateTable
CREATE TABLE "kamailio_node" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "rpc_url" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "source" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "kamailio_node_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "sample" (
    "id" BIGSERIAL NOT NULL,
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

    CONSTRAINT "sample_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "branch_sample" (
    "sample_id" BIGINT NOT NULL,
    "direction" TEXT NOT NULL,
    "relayed" BIGINT NOT NULL,
    "failed" BIGINT NOT NULL,

    CONSTRAINT "branch_sample_pkey" PRIMARY KEY ("sample_id","direction")
);

-- CreateTable
CREATE TABLE "event" (
    "id" BIGSERIAL NOT NULL,
    "node_id" INTEGER,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "kind" TEXT NOT NULL,
    "severity" TEXT NOT NULL,
    "message" TEXT NOT NULL,
    "detail" JSONB,

    CONSTRAINT "event_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "operator" (
    "id" SERIAL NOT NULL,
    "username" TEXT NOT NULL,
    "password_hash" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "disabled" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "operator_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "session" (
    "id" TEXT NOT NULL,
    "operator_id" INTEGER NOT NULL,
    "csrf_token" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "last_seen_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "session_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "api_token" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "token_hash" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "kiosk" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_used_at" TIMESTAMPTZ(3),
    "revoked_at" TIMESTAMPTZ(3),

    CONSTRAINT "api_token_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "audit_log" (
    "id" BIGSERIAL NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actor" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "target" TEXT,
    "result" TEXT NOT NULL,
    "detail" JSONB,

    CONSTRAINT "audit_log_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "kamailio_node_name_key" ON "kamailio_node"("name");

-- CreateIndex
CREATE INDEX "sample_node_id_at_idx" ON "sample"("node_id", "at");

-- CreateIndex
CREATE INDEX "sample_at_idx" ON "sample"("at");

-- CreateIndex
CREATE INDEX "event_at_idx" ON "event"("at");

-- CreateIndex
CREATE INDEX "event_node_id_at_idx" ON "event"("node_id", "at");

-- CreateIndex
CREATE UNIQUE INDEX "operator_username_key" ON "operator"("username");

-- CreateIndex
CREATE INDEX "session_operator_id_idx" ON "session"("operator_id");

-- CreateIndex
CREATE INDEX "session_expires_at_idx" ON "session"("expires_at");

-- CreateIndex
CREATE UNIQUE INDEX "api_token_token_hash_key" ON "api_token"("token_hash");

-- CreateIndex
CREATE INDEX "audit_log_at_idx" ON "audit_log"("at");

-- AddForeignKey
ALTER TABLE "sample" ADD CONSTRAINT "sample_node_id_fkey" FOREIGN KEY ("node_id") REFERENCES "kamailio_node"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "branch_sample" ADD CONSTRAINT "branch_sample_sample_id_fkey" FOREIGN KEY ("sample_id") REFERENCES "sample"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "event" ADD CONSTRAINT "event_node_id_fkey" FOREIGN KEY ("node_id") REFERENCES "kamailio_node"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "session" ADD CONSTRAINT "session_operator_id_fkey" FOREIGN KEY ("operator_id") REFERENCES "operator"("id") ON DELETE CASCADE ON UPDATE CASCADE;
