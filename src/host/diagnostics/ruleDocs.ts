/**
 * docs/rules.md documents every validator rule under a `## rule-id` heading. Diagnostics link their
 * code to that heading's line; a unit test keeps the headings and the rule list in step.
 */
import { RULE_IDS, type RuleId } from '../../core/catalog/rules';

export interface RuleSection {
  readonly id: string;
  /** 1-based line of the heading. */
  readonly line: number;
  readonly body: string;
}

/** The `## ` sections of the rules document, in order. */
export function ruleSections(markdown: string): RuleSection[] {
  const lines = markdown.split(/\r?\n/);
  const out: { id: string; line: number; body: string[] }[] = [];
  lines.forEach((text, i) => {
    const m = /^## (\S+)\s*$/.exec(text);
    if (m) out.push({ id: m[1], line: i + 1, body: [] });
    else out[out.length - 1]?.body.push(text);
  });
  return out.map((s) => ({ id: s.id, line: s.line, body: s.body.join('\n').trim() }));
}

/** The heading line of each rule (rules without a section are left out). */
export function ruleLines(markdown: string): Map<RuleId, number> {
  const known = new Set<string>(RULE_IDS);
  return new Map(
    ruleSections(markdown)
      .filter((s) => known.has(s.id))
      .map((s) => [s.id as RuleId, s.line]),
  );
}
