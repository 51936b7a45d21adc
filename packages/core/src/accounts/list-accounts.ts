import type { UserListQuery, UserPage } from "@vigie/contracts";
import { accountsRepo, type Executor } from "@vigie/db";
import type { z } from "zod";
import { toUserViews } from "./user-view.ts";

/** One page of accounts, filtered by role and by text in the e-mail or the name. */
export async function listAccounts(
  db: Executor,
  query: z.output<typeof UserListQuery>,
): Promise<z.infer<typeof UserPage>> {
  const { rows, total } = await accountsRepo.listUsers(
    db,
    { role: query.role, text: query.q || undefined },
    { offset: (query.page - 1) * query.pageSize, limit: query.pageSize },
  );
  return { items: await toUserViews(db, rows), total, page: query.page, pageSize: query.pageSize };
}
