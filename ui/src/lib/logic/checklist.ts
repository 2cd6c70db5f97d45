/**
 * Approvals that count toward a gate although they were made against an older version of its
 * checklist (docs/format.md, "Checklist versions"), in words for the board's marker and the
 * model page. Pure functions over the generated `ChecklistVersion` (model page) and
 * `OlderVersion` (the board's shorter form of it).
 */
import type { BoardGate } from '../bindings/BoardGate';
import type { OlderVersion } from '../bindings/OlderVersion';

/** Who approved against a version: their names (the member id when no name is known). */
export function approvers(version: { approvals: readonly { member: string; member_name: string }[] }): string[] {
  return version.approvals.map((a) => a.member_name || a.member);
}

/**
 * What changed in the checklist since a version, by item id:
 * "added x; removed y, z; reworded w", "no item changed", or why it cannot be told.
 */
export function changeSummary(version: OlderVersion): string {
  if (version.problem !== null) return version.problem;
  const parts: string[] = [];
  const ids = (word: string, items: readonly string[]) => {
    if (items.length > 0) parts.push(`${word} ${items.join(', ')}`);
  };
  ids('added', version.added);
  ids('removed', version.removed);
  ids('reworded', version.reworded);
  return parts.length > 0 ? parts.join('; ') : 'no item changed';
}

export interface OlderChecklistNote {
  /** Approvals on older checklists, over every gate of the model. */
  count: number;
  /** One sentence per gate: the gate, who, and what changed since. */
  text: string;
}

/**
 * The board card's marker for a model: how many of its counted approvals, over all its gates,
 * were made against an older checklist, naming the members and the changes gate by gate.
 * `null` when there are none.
 */
export function olderChecklistNote(gates: readonly BoardGate[]): OlderChecklistNote | null {
  const flagged = gates.filter((g) => g.older_checklist > 0);
  if (flagged.length === 0) return null;
  const count = flagged.reduce((n, g) => n + g.older_checklist, 0);
  const lines = flagged.flatMap((g) =>
    g.older_versions.map((v) => `${g.gate}: ${approvers(v).join(', ')} (${changeSummary(v)})`),
  );
  const head =
    count === 1
      ? '1 approval still counts but was made against an older checklist'
      : `${count} approvals still count but were made against an older checklist`;
  return { count, text: `${head}. ${lines.join('. ')}. Signing again approves the current checklist.` };
}
