import type { Permission } from "@vigie/contracts";
import { Navigate, Outlet, useLocation } from "react-router";
import { useSession } from "./auth.tsx";
import { ForbiddenPage, Loading, QueryError } from "./ui.tsx";

/** Routes for signed-in users: others go to the login page, which brings them back after. */
export function RequireAuth() {
  const { data: session, isPending, error } = useSession();
  const location = useLocation();
  if (isPending) return <Loading />;
  if (error) return <QueryError error={error} />;
  if (session?.stage !== "authenticated") {
    return <Navigate to="/connexion" replace state={{ from: `${location.pathname}${location.search}` }} />;
  }
  return <Outlet />;
}

/** Routes that need one permission (from the session, never from the role's name). */
export function RequirePermission({ permission }: { permission: Permission }) {
  const { data: session } = useSession();
  if (!session?.user.permissions.includes(permission)) return <ForbiddenPage />;
  return <Outlet />;
}
