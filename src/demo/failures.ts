import { ROW_ERRORS } from './rowErrors';
import { hash32, hashString, unit, weightedIndex } from './random';
import type { FailureContext, RowErrorTemplate } from './rowErrors';
import type { Rng } from './random';
import type { SyncSpec } from './catalog';

interface Prepared {
  template: RowErrorTemplate;
  salt: number;
  sinceMs: number;
  weight: number;
}

/** A storm: one transient error hitting a large share of a run's attempts. */
export interface Storm {
  template: RowErrorTemplate;
  share: number;
}

/** A `sticky` incident in force: the rows it picks fail on every attempt. */
export interface StickyError {
  template: RowErrorTemplate;
  share: number;
}

/** Decides whether an attempted operation fails, and with which text, within one run. */
export interface RunFailures {
  decide(ctx: FailureContext): string | null;
}

/** A sync's error mix: its destination's templates with the sync's own weights. */
export class FailureModel {
  private readonly data: Prepared[];
  private readonly transient: Prepared[];

  constructor(
    private readonly spec: SyncSpec,
    private readonly rng: Rng,
  ) {
    const prepared = ROW_ERRORS[spec.destination].map((template) => ({
      template,
      salt: hashString(template.key),
      sinceMs: template.since ? Date.parse(template.since) : -Infinity,
      weight: spec.errorWeights?.[template.key] ?? template.weight ?? 1,
    }));
    this.data = prepared.filter((p) => p.template.kind === 'data');
    this.transient = prepared.filter((p) => p.template.kind === 'transient');
  }

  templateByKey(key: string): RowErrorTemplate {
    const found = ROW_ERRORS[this.spec.destination].find((t) => t.key === key);
    if (!found) throw new Error(`Demo catalog: sync ${this.spec.id} names unknown error template "${key}".`);
    return found;
  }

  /** A random burst of one storm-prone error active at `atMs`, or null. */
  randomStorm(atMs: number): Storm | null {
    const candidates = this.transient.filter((p) => p.template.storm && p.sinceMs <= atMs);
    if (candidates.length === 0) return null;
    const pick =
      candidates[
        weightedIndex(
          candidates.map((p) => p.weight),
          this.rng.float(),
        )
      ];
    return { template: pick.template, share: 0.1 + 0.5 * this.rng.float() };
  }

  /** A data error a `sticky` incident names; it must be one of the destination's. */
  stickyError(key: string, share: number): StickyError {
    const template = this.templateByKey(key);
    if (template.kind !== 'data')
      throw new Error(
        `Demo catalog: sync ${this.spec.id} makes transient error "${key}" sticky; sticky incidents name data errors.`,
      );
    return { template, share };
  }

  forRun(atMs: number, storm: Storm | null, sticky: readonly StickyError[] = []): RunFailures {
    const data = this.data.filter((p) => p.sinceMs <= atMs);
    // The draw is per (row, template) and stable, so a row picked once is picked on every retry.
    const stuck = sticky.map((st) => ({ ...st, salt: hashString(`sticky:${st.template.key}`) }));
    const transient = this.transient.filter((p) => p.sinceMs <= atMs);
    const weights = transient.map((p) => p.weight);
    const { rng, spec } = this;
    return {
      decide(ctx) {
        for (const p of data) {
          if (!p.template.ops.includes(ctx.op)) continue;
          if (p.template.applies?.(ctx, unit(hash32(ctx.rowSeed, p.salt, 0x3c)))) return p.template.text(ctx);
        }
        for (const st of stuck) {
          if (st.template.ops.includes(ctx.op) && unit(hash32(ctx.rowSeed, st.salt, 0x571c)) < st.share)
            return st.template.text(ctx);
        }
        if (storm && storm.template.ops.includes(ctx.op) && rng.chance(storm.share)) return storm.template.text(ctx);
        if (transient.length > 0 && rng.chance(spec.transientRate)) {
          const t = transient[weightedIndex(weights, rng.float())].template;
          if (t.ops.includes(ctx.op)) return t.text(ctx);
        }
        return null;
      },
    };
  }
}
