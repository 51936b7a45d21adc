import { observatoryRegionFor } from "../read-observatory.ts";

/**
 * The region an observatory request is answered for (decision 0010): the same rule as the
 * document's (`observatoryRegionFor`: an ARS its own region only, the CERT and the national
 * authorities any region or the country). Kept under this name for the modules that import it.
 */
export const resolveObservatoryRegion = observatoryRegionFor;
