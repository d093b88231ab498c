import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PiiType } from '../pii-finding';
import type { LabelledSample } from './labelled-sample';

export const LABELLED_SET_PATH = join(__dirname, 'pii-labelled.jsonl');

/** Types with a format or checksum: the issue's ≥ 0.95 precision and recall apply to these. */
export const STRUCTURED_TYPES: readonly PiiType[] = [
  'email',
  'phone',
  'credit_card',
  'bank_account',
  'national_id',
  'ip_address',
  'credentials',
];

export function loadLabelledSet(path = LABELLED_SET_PATH): LabelledSample[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as LabelledSample);
}

/** A predicted span; `type` undefined means "some PII" (a redactor that does not say which). */
export interface PredictedSpan {
  type: PiiType | undefined;
  start: number;
  end: number;
}

export interface TypeScore {
  type: PiiType;
  labelled: number;
  predicted: number;
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  precision: number;
  recall: number;
  /** Entities found with exactly the labelled start and end. */
  exact: number;
}

export interface QualityReport {
  byType: TypeScore[];
  /** Sample ids with a miss or a false alarm, per type, for debugging. */
  misses: Array<{ id: string; type: PiiType; kind: 'fn' | 'fp'; start: number; end: number }>;
}

const overlaps = (a: { start: number; end: number }, b: { start: number; end: number }): boolean =>
  a.start < b.end && b.start < a.end;

/**
 * Scores predictions against the labels, type by type: an entity is found when a prediction of
 * its type overlaps it; a prediction is a false positive when it overlaps no entity of its type.
 */
export function scoreLabelledSet(
  samples: readonly LabelledSample[],
  predict: (text: string) => PredictedSpan[],
  types: readonly PiiType[],
): QualityReport {
  const counts = new Map<PiiType, TypeScore>(
    types.map((type) => [
      type,
      {
        type,
        labelled: 0,
        predicted: 0,
        truePositives: 0,
        falsePositives: 0,
        falseNegatives: 0,
        precision: 1,
        recall: 1,
        exact: 0,
      },
    ]),
  );
  const misses: QualityReport['misses'] = [];
  for (const sample of samples) {
    const predicted = predict(sample.text);
    for (const entity of sample.entities) {
      const score = counts.get(entity.type);
      if (!score) continue;
      score.labelled++;
      const hits = predicted.filter((p) => p.type === entity.type && overlaps(p, entity));
      if (hits.length > 0) {
        score.truePositives++;
        if (hits.some((p) => p.start === entity.start && p.end === entity.end)) score.exact++;
      } else {
        score.falseNegatives++;
        misses.push({ id: sample.id, type: entity.type, kind: 'fn', start: entity.start, end: entity.end });
      }
    }
    for (const p of predicted) {
      if (p.type === undefined) continue;
      const score = counts.get(p.type);
      if (!score) continue;
      score.predicted++;
      if (!sample.entities.some((e) => e.type === p.type && overlaps(p, e))) {
        score.falsePositives++;
        misses.push({ id: sample.id, type: p.type, kind: 'fp', start: p.start, end: p.end });
      }
    }
  }
  for (const score of counts.values()) {
    const correct = score.predicted - score.falsePositives;
    score.precision = score.predicted === 0 ? 1 : correct / score.predicted;
    score.recall = score.labelled === 0 ? 1 : score.truePositives / score.labelled;
  }
  return { byType: [...counts.values()], misses };
}

/** A markdown table of a report. */
export function formatReport(report: QualityReport): string {
  const rows = report.byType.map(
    (s) =>
      `| ${s.type} | ${s.labelled} | ${s.precision.toFixed(3)} | ${s.recall.toFixed(3)} | ${s.falsePositives} | ${s.falseNegatives} | ${s.labelled === 0 ? '—' : (s.exact / s.labelled).toFixed(3)} |`,
  );
  return [
    '| type | entities | precision | recall | FP | FN | exact span |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows,
  ].join('\n');
}

export interface CoverageScore {
  type: PiiType;
  labelled: number;
  /** Entities that some redacted span touches (whatever type the redactor gave it). */
  touched: number;
  /** Entities entirely inside redacted spans: nothing of the value is left readable. */
  covered: number;
}

export interface CoverageReport {
  byType: CoverageScore[];
  /** Redacted spans that touch no labelled entity (false alarms, typed or not). */
  spuriousSpans: number;
  spans: number;
  /** Samples without any labelled entity in which something was redacted. */
  negativesTouched: number;
  negatives: number;
}

/**
 * The redaction view, blind to types: was each value hidden, and fully? A partial redaction
 * ("DE89 3704 DIGITS") touches the entity but does not cover it.
 */
export function scoreCoverage(
  samples: readonly LabelledSample[],
  predict: (text: string) => PredictedSpan[],
  types: readonly PiiType[],
): CoverageReport {
  const counts = new Map<PiiType, CoverageScore>(
    types.map((type) => [type, { type, labelled: 0, touched: 0, covered: 0 }]),
  );
  let spuriousSpans = 0;
  let spans = 0;
  let negativesTouched = 0;
  let negatives = 0;
  for (const sample of samples) {
    const predicted = predict(sample.text);
    spans += predicted.length;
    if (sample.entities.length === 0) {
      negatives++;
      if (predicted.length > 0) negativesTouched++;
    }
    for (const p of predicted) if (!sample.entities.some((e) => overlaps(p, e))) spuriousSpans++;
    for (const entity of sample.entities) {
      const score = counts.get(entity.type);
      if (!score) continue;
      score.labelled++;
      const touching = predicted.filter((p) => overlaps(p, entity));
      if (touching.length === 0) continue;
      score.touched++;
      let hidden = 0;
      for (let i = entity.start; i < entity.end; i++) {
        if (/\s/.test(sample.text[i]!) || touching.some((p) => p.start <= i && i < p.end)) hidden++;
      }
      if (hidden === entity.end - entity.start) score.covered++;
    }
  }
  return { byType: [...counts.values()], spuriousSpans, spans, negativesTouched, negatives };
}
