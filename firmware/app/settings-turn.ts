/**
 * One settings page's changes, one after another: a change runs after the
 * ones asked for before it, and only if the page is still at the revision it
 * was loaded at (`ifRevision`, when given); otherwise it is refused as
 * `stale` with the revision in force, so the user reloads instead of
 * overwriting someone else's change.
 */
import { RecorderError } from '../errors.ts';

export class SettingsTurn {
  private turn: Promise<unknown> = Promise.resolve();

  run<T>(revision: () => string, ifRevision: string | undefined, change: () => Promise<T> | T): Promise<T> {
    const run = this.turn.then(() => {
      const now = revision();
      if (ifRevision !== undefined && ifRevision !== now) {
        throw new RecorderError('stale', 'someone else changed this page since it was loaded; reload it and make the change again', { revision: now });
      }
      return change();
    });
    this.turn = run.catch(() => undefined);
    return run;
  }
}
