import { useEffect } from "react";

export const SITE_NAME = "Vigie — CERT Santé";

/** Sets the document title of a route (RGAA 8.6: a relevant title per page). */
export function usePageTitle(title: string | null): void {
  useEffect(() => {
    if (title) document.title = `${title} — ${SITE_NAME}`;
  }, [title]);
}
