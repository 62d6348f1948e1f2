/** Mean of 1-5 scores and share of 4s and 5s, computed in integers and rounded down to two decimals. */
export interface SatisfactionTotals {
  responses: number;
  averageScore: string;
  satisfiedPercent: string;
}

export interface ScoredResponse {
  buildingId: string;
  score: number;
}

function hundredths(value: bigint): string {
  return `${value / 100n}.${String(value % 100n).padStart(2, '0')}`;
}

/** floor(100 * numerator / denominator) as a two-decimal string; "0.00" when there is nothing to divide. */
function ratio(numerator: number, denominator: number, scale = 1): string {
  if (denominator === 0) return '0.00';
  return hundredths((BigInt(numerator) * 100n * BigInt(scale)) / BigInt(denominator));
}

export function satisfactionOf(scores: number[]): SatisfactionTotals {
  const sum = scores.reduce((a, b) => a + b, 0);
  return {
    responses: scores.length,
    averageScore: ratio(sum, scores.length),
    satisfiedPercent: ratio(scores.filter((s) => s >= 4).length, scores.length, 100),
  };
}

/** Survey results overall and by building, the least satisfied building first. */
export function surveyResults(responses: ScoredResponse[]): {
  overall: SatisfactionTotals;
  buildings: (SatisfactionTotals & { buildingId: string })[];
} {
  const byBuilding = new Map<string, number[]>();
  for (const r of responses) byBuilding.set(r.buildingId, [...(byBuilding.get(r.buildingId) ?? []), r.score]);
  const buildings = [...byBuilding.entries()]
    .map(([buildingId, scores]) => ({ buildingId, ...satisfactionOf(scores), sum: scores.reduce((a, b) => a + b, 0) }))
    // Compare means exactly: a/b < c/d  <=>  a*d < c*b.
    .sort((x, y) => x.sum * y.responses - y.sum * x.responses || x.buildingId.localeCompare(y.buildingId))
    .map(({ sum: _sum, ...rest }) => rest);
  return { overall: satisfactionOf(responses.map((r) => r.score)), buildings };
}

export interface EvaluationInputs {
  surveyScoreSum: number;
  surveyResponses: number;
  resolved: number;
  resolvedOnTime: number;
  ratingSum: number;
  ratings: number;
}

export type ComponentName = 'satisfaction' | 'timeliness' | 'ratings';

/** Weights in percent: residents' satisfaction counts most, then keeping deadlines, then ratings of single requests. */
export const EVALUATION_WEIGHTS: Record<ComponentName, number> = { satisfaction: 50, timeliness: 30, ratings: 20 };

export interface Evaluation {
  components: { name: ComponentName; weight: number; score: string; basis: string }[];
  score?: string;
  grade?: 'A' | 'B' | 'C' | 'D';
}

/**
 * The company's evaluation for a period, out of 100. Components without data are left out and the remaining
 * weights rescaled, so a quarter without surveys is judged on requests alone. Exact rational arithmetic;
 * the score is rounded down to two decimals only at the end.
 */
export function evaluate(inputs: EvaluationInputs, weights: Record<ComponentName, number> = EVALUATION_WEIGHTS): Evaluation {
  const parts: { name: ComponentName; num: bigint; den: bigint; basis: string }[] = [];
  if (inputs.surveyResponses > 0) {
    parts.push({
      name: 'satisfaction',
      num: BigInt(inputs.surveyScoreSum),
      den: BigInt(inputs.surveyResponses * 5),
      basis: `${inputs.surveyResponses} survey responses, mean ${ratio(inputs.surveyScoreSum, inputs.surveyResponses)} of 5`,
    });
  }
  if (inputs.resolved > 0) {
    parts.push({
      name: 'timeliness',
      num: BigInt(inputs.resolvedOnTime),
      den: BigInt(inputs.resolved),
      basis: `${inputs.resolvedOnTime} of ${inputs.resolved} requests resolved by their deadline`,
    });
  }
  if (inputs.ratings > 0) {
    parts.push({
      name: 'ratings',
      num: BigInt(inputs.ratingSum),
      den: BigInt(inputs.ratings * 5),
      basis: `${inputs.ratings} ratings, mean ${ratio(inputs.ratingSum, inputs.ratings)} of 5`,
    });
  }
  const components = parts.map((p) => ({
    name: p.name,
    weight: weights[p.name],
    score: hundredths((p.num * 10_000n) / p.den),
    basis: p.basis,
  }));
  const weightSum = BigInt(parts.reduce((s, p) => s + weights[p.name], 0));
  // Nothing to judge on: no data, or only components the community weighs at zero.
  if (weightSum === 0n) return { components };
  // score = sum(w_i * num_i / den_i) / sum(w_i), over the common denominator of all parts.
  const common = parts.reduce((d, p) => d * p.den, 1n);
  const weighted = parts.reduce((s, p) => s + BigInt(weights[p.name]) * p.num * (common / p.den), 0n);
  const scoreHundredths = (weighted * 10_000n) / (weightSum * common);
  const grade = scoreHundredths >= 9000n ? 'A' : scoreHundredths >= 7500n ? 'B' : scoreHundredths >= 6000n ? 'C' : 'D';
  return { components, score: hundredths(scoreHundredths), grade };
}

/** A month (2025-06) or quarter (2025-Q2) as a half-open range of instants in China Standard Time. */
export function periodRange(period: string): { from: Date; to: Date } {
  const [yearText, part] = period.split('-');
  const year = Number(yearText);
  const [firstMonth, months] = part.startsWith('Q') ? [(Number(part.slice(1)) - 1) * 3 + 1, 3] : [Number(part), 1];
  const start = (y: number, m: number) => new Date(`${y + Math.floor((m - 1) / 12)}-${String(((m - 1) % 12) + 1).padStart(2, '0')}-01T00:00:00+08:00`);
  return { from: start(year, firstMonth), to: start(year, firstMonth + months) };
}
