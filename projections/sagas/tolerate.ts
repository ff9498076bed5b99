import { TradingError } from '#libs/trading';

export type Log = (line: string) => void;
export const stderrLog: Log = (line) => void process.stderr.write(`${line}\n`);

/**
 * A saga that throws is retried from its checkpoint, which is right for an outage and wrong for a
 * domain refusal: the same event would be refused forever and stall every later one. Refusals are
 * logged and passed over; anything else propagates.
 */
export async function unlessRefused<T>(log: Log, what: string, step: () => Promise<T>): Promise<T | undefined> {
  try {
    return await step();
  } catch (error) {
    if (!(error instanceof TradingError)) throw error;
    log(`${what} refused (${error.code}): ${error.message}`);
    return undefined;
  }
}
