import { INTENTS, isAtRisk, type Intent, type NluLocale } from './intents';
import type { Scores } from './nlpjs';
import type { CueRule } from './cues';

export interface Calibration {
  /** Weight of nlp.js in the blend; the character n-gram model gets the rest. */
  nlpjsWeight: number;
  /** When mid_scam + already_paid together reach this, the reply is at risk whatever intent leads. */
  riskThreshold: number;
  /** The same threshold per locale, chosen by cost on each locale's cross-validation; riskThreshold when absent. */
  riskThresholdByLocale?: Partial<Record<NluLocale, number>>;
  /** Below this confidence a reply is lowConfidence (the flow asks again or hands off). */
  lowConfidence: number;
}

/** Confidence reported when a cue rule, not the model, made the reply at risk. */
export const CUE_CONFIDENCE = 0.9;

export interface Decision {
  intent: Intent;
  confidence: number;
  lowConfidence: boolean;
}

export function blend(a: Scores, b: Scores, weightA: number): Scores {
  return Object.fromEntries(INTENTS.map((i) => [i, weightA * a[i] + (1 - weightA) * b[i]])) as Scores;
}

/**
 * Risk can only go up here: the risk threshold and the cues move a reply to an at-risk intent, never away.
 * already_paid wins over everything once a payment cue fires or the model prefers it among at-risk intents, unless
 * a cue says the payment is still to come and no cue says any has gone.
 */
export function decide(p: Scores, cues: CueRule[], cal: Calibration, locale?: NluLocale): Decision {
  let intent = INTENTS.reduce((best, i) => (p[i] > p[best] ? i : best), INTENTS[0]);
  let confidence = p[intent];
  const risk = p.mid_scam + p.already_paid;
  const threshold = (locale && cal.riskThresholdByLocale?.[locale]) ?? cal.riskThreshold;
  if (!isAtRisk(intent) && risk >= threshold) {
    intent = p.already_paid >= p.mid_scam ? 'already_paid' : 'mid_scam';
    confidence = risk;
  }
  if (cues.some((c) => c.raises === 'already_paid')) {
    confidence = intent === 'already_paid' ? Math.max(confidence, CUE_CONFIDENCE) : CUE_CONFIDENCE;
    intent = 'already_paid';
  } else if (cues.length > 0 && !isAtRisk(intent)) {
    intent = 'mid_scam';
    confidence = CUE_CONFIDENCE;
  } else if (intent === 'already_paid' && cues.some((c) => c.pending)) {
    // "要继续转到安全账户": money still to go, and nothing says any has gone. Still at risk, as mid_scam.
    intent = 'mid_scam';
    confidence = CUE_CONFIDENCE;
  }
  return { intent, confidence, lowConfidence: confidence < cal.lowConfidence };
}

export type { NluLocale };
