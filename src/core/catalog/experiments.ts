/**
 * v7's enrolled_experiments_by_layer: a JSON object keyed by layer name, each layer a list of
 * enrolments {"experiment_id", "variant", "enrolled_at": "YYYY-MM-DD HH:MM:SS"}. Checked with zod;
 * read here for the grid's chips and for the experiment filters and measures, which use it as v4–v6
 * used experiment_id and experiment_variant.
 */
import * as z from '../zod';

const Enrollment = z.object({
  experiment_id: z.string(),
  variant: z.string(),
  enrolled_at: z.string().check(z.regex(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,9})?$/)),
});

export const EnrolledExperiments = z.record(z.string(), z.array(Enrollment));

export interface Enrollment {
  readonly layer: string;
  readonly experiment_id: string;
  readonly variant: string;
  readonly enrolled_at: string;
}

export type EnrollmentsParse = { ok: true; enrollments: Enrollment[] } | { ok: false; detail: string };

/** The enrolments a cell holds, or why it is not the documented shape. */
export function parseEnrollments(text: string): EnrollmentsParse {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return { ok: false, detail: `not JSON: ${(e as Error).message}` };
  }
  const r = EnrolledExperiments.safeParse(json);
  if (!r.success) {
    const issue = r.error.issues[0];
    const where = issue.path.length ? ` at ${issue.path.map(String).join('.')}` : '';
    return { ok: false, detail: `${issue.message}${where}` };
  }
  const enrollments: Enrollment[] = [];
  for (const [layer, list] of Object.entries(r.data)) for (const e of list) enrollments.push({ layer, ...e });
  return { ok: true, enrollments };
}

/** What the grid shows: one chip per enrolment, `experiment · variant` (the layer too when not the only one). */
export function enrollmentChips(text: string): string[] | null {
  const r = parseEnrollments(text);
  if (!r.ok) return null;
  const layers = new Set(r.enrollments.map((e) => e.layer));
  return r.enrollments.map((e) => `${layers.size > 1 ? `${e.layer}: ` : ''}${e.experiment_id} · ${e.variant}`);
}
