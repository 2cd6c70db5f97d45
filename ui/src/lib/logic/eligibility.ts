/** What a gate's Sign button says before it is pressed. */
import type { EligibleSigner } from '../bindings/EligibleSigner';
import type { Eligibility } from '../bindings/Eligibility';
import type { ErrorCode } from '../bindings/ErrorCode';
import { friendlyMessage } from './errors';

/** Why the acting member cannot sign, with the refusal's code; null when they may. */
export function signBlock(e: Eligibility): { code: ErrorCode; reason: string } | null {
  if (e.allowed) return null;
  const code: ErrorCode = e.code ?? 'internal';
  return { code, reason: e.reason ?? friendlyMessage(code) };
}

/** "May sign: Hiroshi Sato (riken), Lena García (bsc)", or who cannot be found. */
export function signersLine(signers: readonly EligibleSigner[]): string {
  if (signers.length === 0) return 'No member may sign this gate: nobody holds its role outside the model’s organisation.';
  return `May sign: ${signers.map((s) => `${s.name} (${s.org})`).join(', ')}`;
}
