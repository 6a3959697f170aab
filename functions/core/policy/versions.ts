import { outOfOrder } from '../effective-date.ts';
import { policySchema, type Policy } from './schema.ts';
import { POLICY_2025_07_01 } from './versions/2025-07-01.ts';

/**
 * Policy versions, oldest first, one file each in versions/. A date is governed by the newest
 * version in effect on it (policyFor); each is validated here, when the module loads.
 */
export const POLICY_VERSIONS: readonly Policy[] = [POLICY_2025_07_01].map((v) => policySchema.parse(v));

for (const i of outOfOrder(POLICY_VERSIONS)) {
  throw new Error(`Policy version ${POLICY_VERSIONS[i]!.version} must take effect after ${POLICY_VERSIONS[i - 1]!.version}`);
}
