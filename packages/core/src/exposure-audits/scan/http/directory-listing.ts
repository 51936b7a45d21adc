import { mapLimit } from "../map-limit.ts";
import type { ScanContext, ScanFinding } from "../types.ts";
import { fetchPath, type HttpOrigin, textOf, urlOf } from "./client.ts";
import { httpFinding } from "./finding.ts";

/** Folders asked for a listing, after `/`. */
export const LISTING_FOLDERS: readonly string[] = [
  "/",
  "/files/",
  "/uploads/",
  "/upload/",
  "/backup/",
  "/backups/",
  "/images/",
  "/img/",
  "/static/",
  "/assets/",
  "/docs/",
  "/data/",
  "/tmp/",
  "/logs/",
  "/wp-content/uploads/",
];

/** The server that produced a directory listing page, or null when the page is not one. */
export function listingKind(html: string): string | null {
  if (/<title>\s*Index of \/[^<]*<\/title>/i.test(html) && /<h1>\s*Index of \//i.test(html)) {
    if (/<hr>\s*<pre>\s*<a href="\.\.\/">\.\.\/<\/a>/i.test(html)) return "nginx autoindex";
    if (/Parent Directory<\/a>|<address>Apache/i.test(html)) return "Apache mod_autoindex";
    return "« Index of »";
  }
  if (
    /\[To Parent Directory\]/i.test(html) ||
    (/<H1>[^<]* - \/[^<]*<\/H1>/i.test(html) && /&lt;dir&gt;/i.test(html))
  ) {
    return "IIS";
  }
  if (/<title>\s*Directory listing for \//i.test(html)) return "Python http.server";
  if (/<title>\s*Directory Listing For \//.test(html) || /<h1>\s*Directory Listing For \//.test(html))
    return "Tomcat";
  return null;
}

/** One finding per service listing the folders whose content is browsable. */
export async function checkDirectoryListing(
  ctx: ScanContext,
  origin: HttpOrigin,
  folders: readonly string[] = LISTING_FOLDERS,
): Promise<ScanFinding[]> {
  const seen = await mapLimit(folders, 4, async (folder) => {
    const answer = await fetchPath(ctx, origin, folder);
    if (answer?.status !== 200) return null;
    const kind = listingKind(textOf(answer));
    return kind ? `${urlOf(origin, answer.path)} (${kind})` : null;
  });
  const listed = [...new Set(seen.filter((s): s is string => s !== null))];
  if (listed.length === 0) return [];
  return [
    httpFinding(
      origin,
      "http.directory_listing",
      "medium",
      "Listage du contenu de répertoires activé",
      `Le serveur affiche la liste des fichiers de : ${listed.join(", ")}.`,
      "Désactiver le listage des répertoires (nginx : autoindex off ; Apache : Options -Indexes ; IIS : directoryBrowse enabled=false) et vérifier qu'aucun fichier sensible n'est publié dans ces dossiers.",
    ),
  ];
}
