// GPO's learning rate, as an edit budget: the share of editable tokens one rewrite may mask, decayed
// with a cosine from `initial` to `final` over the run (GPO, eq. for N_t).
export interface EditBudget {
  initial: number;
  final: number;
}

/** Fraction of editable tokens to mask at iteration t of T (t = 0 .. T-1). */
export function editFraction(budget: EditBudget, t: number, iterations: number): number {
  const progress = iterations <= 1 ? 0 : t / (iterations - 1);
  return budget.final + (budget.initial - budget.final) * 0.5 * (1 + Math.cos(Math.PI * progress));
}

/** Tokens to mask: the fraction of the editable count, at least one while anything is editable. */
export function editTokens(fraction: number, editable: number): number {
  return editable === 0 ? 0 : Math.min(editable, Math.max(1, Math.round(fraction * editable)));
}
