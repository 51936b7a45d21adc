import type { UpdateAccountRequest } from "@vigie/contracts";
import { type Database, type UsersTable, usersRepo } from "@vigie/db";
import type { Kysely, Updateable } from "kysely";
import type { z } from "zod";
import { recordAudit } from "../audit/record-audit.ts";
import type { ClientContext } from "../auth/login.ts";
import {
  auditSnapshot,
  diffSnapshots,
  findAccountOrFail,
  getAccount,
  type UserViewData,
} from "./user-view.ts";

/** Changes the name, job title or phone of one's own account (empty text clears a field). */
export async function updateOwnProfile(
  db: Kysely<Database>,
  userId: string,
  input: z.output<typeof UpdateAccountRequest>,
  context: ClientContext,
  now: Date,
): Promise<UserViewData> {
  const user = await findAccountOrFail(db, userId);
  const changes: Updateable<UsersTable> = {};
  if (input.fullName !== undefined && input.fullName !== user.full_name) changes.full_name = input.fullName;
  if (input.jobTitle !== undefined && (input.jobTitle || null) !== user.job_title) {
    changes.job_title = input.jobTitle || null;
  }
  if (input.phone !== undefined && (input.phone || null) !== user.phone) changes.phone = input.phone || null;
  if (Object.keys(changes).length > 0) {
    await db.transaction().execute(async (trx) => {
      const updated = await usersRepo.updateUser(trx, userId, changes);
      if (!updated) return;
      await recordAudit(
        trx,
        {
          actor: { userId: user.id, email: user.email },
          action: "account.updated",
          objectType: "user",
          objectId: user.id,
          ip: context.ip ?? null,
          details: diffSnapshots(auditSnapshot(user), auditSnapshot(updated)),
        },
        now,
      );
    });
  }
  return getAccount(db, userId);
}
