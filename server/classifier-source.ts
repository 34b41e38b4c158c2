// The reply classifier, loaded only in a process that classifies. Web processes answer webhooks with the
// next prompt, so they classify; workers never do and never pay for nlp.js and its model.
import type { Classifier } from '../nlu-models/src/intents';

export interface ClassifierSource {
  /** The classifier; the first call loads nlu-models/src and the committed model (about a second). */
  get(): Promise<Classifier>;
  /** Whether this process has loaded it. */
  readonly loaded: boolean;
}

export function lazyClassifier(load: () => Promise<Classifier> = async () => (await import('../nlu-models/src')).loadClassifier()): ClassifierSource {
  let pending: Promise<Classifier> | undefined;
  let loaded = false;
  return {
    get() {
      pending ??= load().then(
        (c) => {
          loaded = true;
          return c;
        },
        (err) => {
          pending = undefined;
          throw err;
        },
      );
      return pending;
    },
    get loaded() {
      return loaded;
    },
  };
}
