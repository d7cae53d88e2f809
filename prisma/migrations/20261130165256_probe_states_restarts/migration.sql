-- AlterTable
ALTER TABLE "branch_sample" ALTER COLUMN "relayed" DROP NOT NULL,
ALTER COLUMN "failed" DROP NOT NULL;

-- AlterTable
ALTER TABLE "sample" ADD COLUMN     "kamailio_uptime_s" INTEGER,
ADD COLUMN     "probes" JSONB,
ADD COLUMN     "rejected" JSONB,
ADD COLUMN     "restarted" BOOLEAN NOT NULL DEFAULT false;
