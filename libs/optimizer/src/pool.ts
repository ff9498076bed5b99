import { existsSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Piscina } from 'piscina';
import type { PruneRule } from './pruner.js';
import type { Evaluator } from './study.js';
import type { TrialOutcome, TrialTask } from './types.js';
import type { WorkerTask } from './worker.js';

// Worker threads load plain JavaScript, never TypeScript. Under Jest this file is the .ts source,
// so the sibling compiled file is looked up in dist/ (`npm test` builds dist/ first in pretest);
// when running from dist/ the sibling is used as is.
export function compiledUrl(fromUrl: string, file: string): string {
  const here = fileURLToPath(fromUrl);
  if (!here.endsWith('.ts')) return new URL(file, fromUrl).href;
  let root = dirname(here);
  while (!existsSync(join(root, 'package.json')) && dirname(root) !== root) root = dirname(root);
  return pathToFileURL(join(root, 'dist', relative(root, dirname(here)), file)).href;
}

export interface PoolOptions<C> {
  /** URL of the compiled trial module (see trial-module.ts) */
  module: string;
  context: C;
  /** identifies the context for the per-thread set-up cache; defaults to its JSON */
  contextKey?: string;
  threads: number;
  /** trials per round trip; default: 2 chunks per thread, 4 to 64 trials each (round trips cost more than a GOOG backtest) */
  chunkSize?: number;
}

export class WorkerPool<C> implements Evaluator {
  readonly pipelined = true;
  readonly strayErrors: unknown[] = [];
  private readonly piscina: Piscina<WorkerTask, TrialOutcome[]>;

  constructor(private readonly options: PoolOptions<C>) {
    this.piscina = new Piscina({
      filename: compiledUrl(import.meta.url, 'worker.js'),
      minThreads: options.threads,
      maxThreads: options.threads,
      idleTimeout: 60_000,
    });
    // Aborting a running task terminates its thread; a result the thread had already posted then
    // arrives for a task piscina has forgotten and is emitted as a pool 'error'. The study has
    // dropped that batch anyway, so the error is kept for inspection instead of crashing the process.
    this.piscina.on('error', (err: unknown) => { this.strayErrors.push(err); });
  }

  withContext<D>(context: D, contextKey?: string): Evaluator {
    return { pipelined: true, evaluate: (tasks, rule, signal) => this.run(tasks, rule, signal, context, contextKey ?? JSON.stringify(context)) };
  }

  evaluate(tasks: readonly TrialTask[], rule: PruneRule | null, signal?: AbortSignal): Promise<TrialOutcome[]> {
    const { context, contextKey } = this.options;
    return this.run(tasks, rule, signal, context, contextKey ?? JSON.stringify(context));
  }

  private async run(tasks: readonly TrialTask[], rule: PruneRule | null, signal: AbortSignal | undefined, context: unknown, contextKey: string): Promise<TrialOutcome[]> {
    const size = this.options.chunkSize ?? Math.min(64, Math.max(4, Math.ceil(tasks.length / (2 * this.options.threads))));
    const chunks: Promise<TrialOutcome[]>[] = [];
    for (let i = 0; i < tasks.length; i += size) {
      const task: WorkerTask = { module: this.options.module, contextKey, context, trials: tasks.slice(i, i + size), prune: rule };
      chunks.push(this.piscina.run(task, { signal }));
    }
    // Outcomes come back in task order whichever thread finished first.
    return (await Promise.all(chunks)).flat();
  }

  async close(): Promise<void> {
    await this.piscina.destroy();
  }
}
