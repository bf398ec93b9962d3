/**
 * `x::DECIMAL(18,2)` of a double as PostgreSQL-family databases do it: the double is first written
 * with 15 significant digits (float8 → numeric), and that decimal is rounded to cents, half away
 * from zero. Done as integer cents so that sums of rounded amounts stay exact.
 */

/** Integer cents of `x::DECIMAL(18,2)`. */
export function decimalCents(x: number): number {
  const neg = x < 0;
  const a = neg ? -x : x;
  const t = a * 100;
  const fl = Math.floor(t);
  const f = t - fl;
  // Away from a half-cent boundary, writing 15 digits first cannot change the rounding: the
  // 15-digit value differs from x by at most 5e-15 of x, far less than this margin.
  const margin = t * 1e-13 + 1e-9;
  let cents: number;
  if (f < 0.5 - margin) cents = fl;
  else if (f > 0.5 + margin) cents = fl + 1;
  else cents = viaDigits(a);
  return neg && cents !== 0 ? -cents : cents;
}

/** The exact route for values near a half cent: 15 significant digits, then decimal rounding. */
function viaDigits(a: number): number {
  if (a < 0.001) return 0;
  const s = a.toPrecision(15);
  // toPrecision only uses an exponent at or past 1e15, beyond DECIMAL(18,2) in any case
  if (s.includes('e')) return Math.round(a * 100);
  const dot = s.indexOf('.');
  const int = dot < 0 ? s : s.slice(0, dot);
  const frac = dot < 0 ? '' : s.slice(dot + 1);
  const cents = Number(int) * 100 + Number((frac + '00').slice(0, 2));
  return frac.length > 2 && frac.charCodeAt(2) >= 0x35 ? cents + 1 : cents;
}
