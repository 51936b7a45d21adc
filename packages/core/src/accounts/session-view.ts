import type { Role, SessionView } from "@vigie/contracts";
import { accountsRepo, type Executor } from "@vigie/db";
import type { z } from "zod";
import { rolePermissions } from "../access/policy.ts";
import type { ResolvedSession } from "../auth/resolve-session.ts";
import { toMembershipView, toUserView } from "./user-view.ts";

/** Who is signed in, at which stage, with the role's permissions and the structures. */
export async function describeSession(
  db: Executor,
  resolved: Pick<ResolvedSession, "session" | "user">,
): Promise<z.infer<typeof SessionView>> {
  const { session, user } = resolved;
  const memberships = await accountsRepo.membershipsOf(db, [user.id]);
  const view = toUserView(user, memberships);
  return {
    stage: session.stage,
    csrfToken: session.csrf_token,
    user: {
      id: view.id,
      email: view.email,
      fullName: view.fullName,
      role: view.role,
      regionCode: view.regionCode,
      authority: view.authority,
      mfaEnabled: view.mfaEnabled,
      permissions: [...rolePermissions[user.role as Role]],
      structures: memberships.map(toMembershipView),
    },
  };
}
