import type { Migration } from "kysely";
import * as m0001 from "./0001_foundation.ts";
import * as m0002 from "./0002_regions.ts";
import * as m0003 from "./0003_auth.ts";
import * as m0004mail from "./0004_mail_delivery_oidc_logins.ts";
import * as m0005 from "./0005_declarations.ts";
import * as m0006 from "./0006_indicators.ts";
import * as m0007 from "./0007_reflex_sheets.ts";
import * as m0008 from "./0008_case_queue.ts";
import * as m0009 from "./0009_oncall.ts";
import * as m0010 from "./0010_case_handling.ts";
import * as m0011 from "./0011_alerting.ts";
import * as m0012 from "./0012_observatory.ts";
import * as m0013 from "./0013_observatory_indexes.ts";
import * as m0014 from "./0014_publications.ts";
import * as m0015 from "./0015_vulnerability_feeds.ts";
import * as m0016 from "./0016_watch.ts";
import * as m0017 from "./0017_exposure_audits.ts";

/** Every migration, in order. Names never change once released. */
export const migrations: Record<string, Migration> = {
  "0001_foundation": m0001,
  "0002_regions": m0002,
  "0003_auth": m0003,
  "0004_mail_delivery_oidc_logins": m0004mail,
  "0005_declarations": m0005,
  "0006_indicators": m0006,
  "0007_reflex_sheets": m0007,
  "0008_case_queue": m0008,
  "0009_oncall": m0009,
  "0010_case_handling": m0010,
  "0011_alerting": m0011,
  "0012_observatory": m0012,
  "0013_observatory_indexes": m0013,
  "0014_publications": m0014,
  "0015_vulnerability_feeds": m0015,
  "0016_watch": m0016,
  "0017_exposure_audits": m0017,
};
