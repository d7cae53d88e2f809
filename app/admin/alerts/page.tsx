import {
  Badge,
  Card,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeaderCell,
  TableRow,
  Text,
  Title,
} from "@tremor/react";
import { ALERT_METRICS, alertMetrics } from "@/lib/alerts/metrics";
import { getAlertRules } from "@/lib/alerts/queries";
import { COMPARATOR_TEXT } from "@/lib/alerts/rule-schema";
import { requirePage } from "@/lib/auth/page";
import { getDb } from "@/lib/db";
import { DeleteRuleButton } from "./delete-rule-button";
import { NewRuleForm } from "./new-rule-form";
import { RuleForm } from "./rule-form";

const SEVERITY_COLOR = { info: "blue", warning: "amber", critical: "red" } as const;
const UNIT_LABEL = {
  "": "",
  ratio: " (0..1)",
  ms: " (ms)",
  instances: " (instances)",
  sessions: " (sessions)",
} as const;

export default async function AdminAlertsPage() {
  await requirePage("admin.read");
  const db = await getDb();
  const rules = await getAlertRules(db);
  const nodes = (await db.kamailioNode.findMany({ select: { name: true }, orderBy: { name: "asc" } })).map(
    (n) => n.name,
  );
  const metrics = alertMetrics.map((metric) => ({ metric, unit: UNIT_LABEL[ALERT_METRICS[metric].unit] }));
  return (
    <Card>
      <Title>Alert rules</Title>
      <Text>
        A rule fires when its condition held for the “for” time and resolves once the value stayed past the
        clear threshold for the “clear for” time (empty: the same as “for”). Changes apply at once and are
        audited. Deleting a rule resolves its firing alerts (with a notification saying so).
      </Text>
      <Table className="mt-4">
        <TableHead>
          <TableRow>
            <TableHeaderCell>Rule</TableHeaderCell>
            <TableHeaderCell>Condition</TableHeaderCell>
            <TableHeaderCell>Scope</TableHeaderCell>
            <TableHeaderCell>Severity</TableHeaderCell>
            <TableHeaderCell>Settings</TableHeaderCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {rules.map((rule) => (
            <TableRow key={rule.id} data-testid="alert-rule-row" data-rule={rule.name}>
              <TableCell className="font-medium">
                {rule.name}
                {rule.enabled ? null : (
                  <Badge className="ml-2" color="gray">
                    disabled
                  </Badge>
                )}
              </TableCell>
              <TableCell className="text-xs" title={ALERT_METRICS[rule.metric].source}>
                {rule.metric} {COMPARATOR_TEXT[rule.comparator]} {rule.threshold}
              </TableCell>
              <TableCell>{rule.scope === "fleet" ? "fleet" : (rule.node ?? "every node")}</TableCell>
              <TableCell>
                <Badge color={SEVERITY_COLOR[rule.severity]}>{rule.severity}</Badge>
              </TableCell>
              <TableCell>
                <div className="flex items-start gap-3">
                  <RuleForm rule={rule} unit={UNIT_LABEL[ALERT_METRICS[rule.metric].unit]} />
                  <DeleteRuleButton id={rule.id} name={rule.name} />
                </div>
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      <Title className="mt-6">New rule</Title>
      <Text>
        Thresholds are in the metric's unit (ratios 0..1, ms); the clear threshold must be on the healthy
        side.
      </Text>
      <NewRuleForm metrics={metrics} nodes={nodes} />
    </Card>
  );
}
