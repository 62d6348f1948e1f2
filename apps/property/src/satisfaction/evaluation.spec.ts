import { evaluate, periodRange, satisfactionOf, surveyResults } from './evaluation';

describe('satisfaction survey results', () => {
  it('rounds the mean and the satisfied share down to two decimals, exactly', () => {
    expect(satisfactionOf([5, 4, 4])).toEqual({ responses: 3, averageScore: '4.33', satisfiedPercent: '100.00' });
    expect(satisfactionOf([5, 1, 1])).toEqual({ responses: 3, averageScore: '2.33', satisfiedPercent: '33.33' });
    expect(satisfactionOf([])).toEqual({ responses: 0, averageScore: '0.00', satisfiedPercent: '0.00' });
  });

  it('lists buildings least satisfied first', () => {
    const results = surveyResults([
      { buildingId: 'b1', score: 5 },
      { buildingId: 'b1', score: 4 },
      { buildingId: 'b2', score: 2 },
      { buildingId: 'b2', score: 4 },
      { buildingId: 'b3', score: 3 },
    ]);
    expect(results.buildings.map((b) => [b.buildingId, b.averageScore, b.satisfiedPercent])).toEqual([
      ['b2', '3.00', '50.00'],
      ['b3', '3.00', '0.00'],
      ['b1', '4.50', '100.00'],
    ]);
    expect(results.overall).toEqual({ responses: 5, averageScore: '3.60', satisfiedPercent: '60.00' });
  });
});

describe("the property company's evaluation", () => {
  it('weighs satisfaction 50, timeliness 30 and ratings 20', () => {
    const evaluation = evaluate({ surveyScoreSum: 8, surveyResponses: 2, resolved: 4, resolvedOnTime: 3, ratingSum: 9, ratings: 2 });
    expect(evaluation.components.map((c) => [c.name, c.weight, c.score])).toEqual([
      ['satisfaction', 50, '80.00'],
      ['timeliness', 30, '75.00'],
      ['ratings', 20, '90.00'],
    ]);
    // 0.5*80 + 0.3*75 + 0.2*90 = 40 + 22.5 + 18
    expect(evaluation).toMatchObject({ score: '80.50', grade: 'B' });
  });

  it("uses the community's own weights when it set them", () => {
    const inputs = { surveyScoreSum: 8, surveyResponses: 2, resolved: 4, resolvedOnTime: 3, ratingSum: 9, ratings: 2 };
    const evaluation = evaluate(inputs, { satisfaction: 20, timeliness: 60, ratings: 20 });
    expect(evaluation.components.map((c) => c.weight)).toEqual([20, 60, 20]);
    // 0.2*80 + 0.6*75 + 0.2*90 = 16 + 45 + 18
    expect(evaluation).toMatchObject({ score: '79.00', grade: 'B' });
  });

  it('gives no score when every component with data is weighed at zero', () => {
    const evaluation = evaluate({ surveyScoreSum: 0, surveyResponses: 0, resolved: 2, resolvedOnTime: 2, ratingSum: 0, ratings: 0 }, { satisfaction: 70, timeliness: 0, ratings: 30 });
    expect(evaluation.components.map((c) => [c.name, c.weight])).toEqual([['timeliness', 0]]);
    expect(evaluation.score).toBeUndefined();
    expect(evaluation.grade).toBeUndefined();
  });

  it('rescales the weights over the components that have data', () => {
    const evaluation = evaluate({ surveyScoreSum: 0, surveyResponses: 0, resolved: 3, resolvedOnTime: 2, ratingSum: 5, ratings: 1 });
    // (30 * 2/3 + 20 * 1) / 50 = 0.8
    expect(evaluation).toMatchObject({ score: '80.00', grade: 'B' });
    expect(evaluation.components.map((c) => c.name)).toEqual(['timeliness', 'ratings']);
  });

  it('grades at the exact boundaries: 90 is A, a hair under is B', () => {
    expect(evaluate({ surveyScoreSum: 9, surveyResponses: 2, resolved: 0, resolvedOnTime: 0, ratingSum: 0, ratings: 0 }).grade).toBe('A');
    // 899/1000 of the full score is 89.90
    expect(evaluate({ surveyScoreSum: 0, surveyResponses: 0, resolved: 1000, resolvedOnTime: 899, ratingSum: 0, ratings: 0 })).toMatchObject({
      score: '89.90',
      grade: 'B',
    });
    expect(evaluate({ surveyScoreSum: 0, surveyResponses: 0, resolved: 4, resolvedOnTime: 3, ratingSum: 0, ratings: 0 }).grade).toBe('B');
    expect(evaluate({ surveyScoreSum: 0, surveyResponses: 0, resolved: 5, resolvedOnTime: 3, ratingSum: 0, ratings: 0 }).grade).toBe('C');
    expect(evaluate({ surveyScoreSum: 0, surveyResponses: 0, resolved: 2, resolvedOnTime: 1, ratingSum: 0, ratings: 0 }).grade).toBe('D');
  });

  it('gives no score without any data', () => {
    expect(evaluate({ surveyScoreSum: 0, surveyResponses: 0, resolved: 0, resolvedOnTime: 0, ratingSum: 0, ratings: 0 })).toEqual({ components: [] });
  });
});

describe('evaluation periods', () => {
  it('reads months and quarters in China Standard Time, the end exclusive', () => {
    expect(periodRange('2025-06')).toEqual({ from: new Date('2025-05-31T16:00:00Z'), to: new Date('2025-06-30T16:00:00Z') });
    expect(periodRange('2025-Q4')).toEqual({ from: new Date('2025-09-30T16:00:00Z'), to: new Date('2025-12-31T16:00:00Z') });
    expect(periodRange('2025-12').to).toEqual(new Date('2025-12-31T16:00:00Z'));
  });
});
