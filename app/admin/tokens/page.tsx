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
import { listApiTokens } from "@/lib/auth/api-tokens";
import { requirePage } from "@/lib/auth/page";

function day(date: Date | null): string {
  return date ? date.toISOString().replace("T", " ").slice(0, 16) : "—";
}

export default async function AdminTokensPage() {
  await requirePage("admin.read");
  const tokens = await listApiTokens();
  return (
    <Card>
      <Title>API tokens</Title>
      <Text>Only a prefix is stored in clear; create tokens with `kamdash token create`.</Text>
      <Table className="mt-4">
        <TableHead>
          <TableRow>
            <TableHeaderCell>Name</TableHeaderCell>
            <TableHeaderCell>Prefix</TableHeaderCell>
            <TableHeaderCell>Role</TableHeaderCell>
            <TableHeaderCell>Created (UTC)</TableHeaderCell>
            <TableHeaderCell>Last used (UTC)</TableHeaderCell>
            <TableHeaderCell>State</TableHeaderCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {tokens.map((token) => (
            <TableRow key={token.id} data-testid="admin-token-row">
              <TableCell className="font-medium">{token.name}</TableCell>
              <TableCell className="font-mono text-xs">{token.prefix}…</TableCell>
              <TableCell>
                {token.role}
                {token.kiosk ? " (kiosk)" : ""}
              </TableCell>
              <TableCell>{day(token.createdAt)}</TableCell>
              <TableCell>{day(token.lastUsedAt)}</TableCell>
              <TableCell>
                <Badge color={token.revokedAt ? "gray" : "emerald"}>
                  {token.revokedAt ? `revoked ${day(token.revokedAt)}` : "active"}
                </Badge>
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </Card>
  );
}
