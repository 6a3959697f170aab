import { policySchema, type Policy } from './schema.ts';
import { POLICY_2025_07_01 } from './versions/2025-07-01.ts';

/**
 * Policy versions, oldest first, one file each in versions/. A date is governed by the newest
 * version in effect on it (policyFor); each is validated here, when the module loads.
 */
export const POLICY_VERSIONS: readonly Policy[] = [POLICY_2025_07_01].map((v) => policySchema.parse(v));

POLICY_VERSIONS.forEach((v, i) => {
  const prev = POLICY_VERSIONS[i - 1];
  if (prev && v.effectiveFrom <= prev.effectiveFrom) throw new Error(`Policy version ${v.version} must take effect after ${prev.version}`);
});
