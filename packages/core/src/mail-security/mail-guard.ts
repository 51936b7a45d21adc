import ipaddr from "ipaddr.js";
import { PerimeterGuard } from "../exposure-audits/scan/perimeter-guard.ts";

/**
 * The guard of the mail test: the MX and MTA-STS servers of a domain are often hosted by a
 * provider, outside the structure's networks, and any sending server connects to them — so any
 * public unicast address is allowed, plus the networks of the structure's perimeter. Private,
 * loopback, link-local and reserved addresses are refused unless the perimeter lists them.
 */
export class MailGuard extends PerimeterGuard {
  override allowsIp(ip: string): boolean {
    if (!ipaddr.isValid(ip)) return false;
    if (super.allowsIp(ip)) return true;
    return ipaddr.process(ip).range() === "unicast";
  }
}
