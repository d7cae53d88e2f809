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
import { CreateTokenForm } from "./create-token-form";
import { RevokeTokenButton } from "./revoke-token-button";

function day(date: Date | null): string {
  return date ? date.toISOString().replace("T", " ").slice(0, 16) : "—";
}

export default async function AdminTokensPage() {
  await requirePage("admin.read");
  const tokens = await listApiTokens();
  return (
    <Card>
      <Title>API tokens</Title>
      <Text>Only a hash and a prefix are stored: a token is shown once, when it is created.</Text>
      <Table className="mt-4">
        <TableHead>
          <TableRow>
            <TableHeaderCell>Name</TableHeaderCell>
            <TableHeaderCell>Prefix</TableHeaderCell>
            <TableHeaderCell>Role</TableHeaderCell>
            <TableHeaderCell>Created (UTC)</TableHeaderCell>
            <TableHeaderCell>Last used (UTC)</TableHeaderCell>
            <TableHeaderCell>State</TableHeaderCell>
            <TableHeaderCell>Actions</TableHeaderCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {tokens.map((token) => (
            <TableRow key={token.id} data-testid="admin-token-row" data-token-id={token.id}>
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
              <TableCell>
                {token.revokedAt ? null : <RevokeTokenButton id={token.id} name={token.name} />}
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      <CreateTokenForm />
    </Card>
  );
}
