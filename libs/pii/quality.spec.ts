import { detectPii } from './detect-pii';
import { SUPPORTED_PII_TYPES } from './pii-finding';
import { STRUCTURED_TYPES, formatReport, loadLabelledSet, scoreLabelledSet } from './testdata/quality-report';
import { buildLabelledSet } from './testdata/generate-labelled-set';

/**
 * Precision and recall per type on the labelled set (libs/pii/testdata/pii-labelled.jsonl).
 * The bar: ≥ 0.95 on every structured type.
 */
describe('PII detection quality on the labelled set', () => {
  const samples = loadLabelledSet();
  const report = scoreLabelledSet(samples, (text) => detectPii(text), SUPPORTED_PII_TYPES);

  it('has at least 300 samples, positives of every supported type and hard negatives', () => {
    expect(samples.length).toBeGreaterThanOrEqual(300);
    for (const type of SUPPORTED_PII_TYPES) {
      expect(samples.filter((s) => s.entities.some((e) => e.type === type)).length).toBeGreaterThanOrEqual(
        10,
      );
    }
    expect(samples.filter((s) => s.entities.length === 0).length).toBeGreaterThanOrEqual(100);
  });

  it('is the file the generator writes (offsets cannot drift from the script)', () => {
    const generated = buildLabelledSet();
    expect(generated.map((s) => JSON.stringify(s))).toEqual(samples.map((s) => JSON.stringify(s)));
  });

  it('labels spans that exist in the text', () => {
    for (const sample of samples) {
      for (const entity of sample.entities) {
        expect(entity.start).toBeGreaterThanOrEqual(0);
        expect(entity.end).toBeLessThanOrEqual(sample.text.length);
        expect(sample.text.slice(entity.start, entity.end).trim()).toBe(
          sample.text.slice(entity.start, entity.end),
        );
      }
    }
  });

  it.each(STRUCTURED_TYPES)('%s: precision and recall ≥ 0.95', (type) => {
    const score = report.byType.find((s) => s.type === type)!;
    expect(score.labelled).toBeGreaterThan(0);
    expect(score.precision).toBeGreaterThanOrEqual(0.95);
    expect(score.recall).toBeGreaterThanOrEqual(0.95);
  });

  it('keeps the contextual types useful (≥ 0.85), and prints the table', () => {
    for (const type of ['person_name', 'postal_address', 'date_of_birth', 'passport'] as const) {
      const score = report.byType.find((s) => s.type === type)!;
      expect(Math.min(score.precision, score.recall)).toBeGreaterThanOrEqual(0.85);
    }
    // visible with --verbose; the README and bench/RESULTS.md carry the same table
    expect(formatReport(report)).toContain('| email |');
  });
});
