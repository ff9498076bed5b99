import type { AppConfig } from '#libs/platform';
import { DEFAULT_PAPER_BROKER_CONFIG, DEFAULT_RESERVE_ALLOWANCE_BPS, type BrokerSettings } from '#libs/trading';

/** The paper broker as the environment configures it; anything unset keeps the library default. */
export function brokerSettingsFrom(config?: Partial<AppConfig>): BrokerSettings {
  const d = DEFAULT_PAPER_BROKER_CONFIG;
  return {
    ...d,
    slippageBps: config?.PAPER_SLIPPAGE_BPS ?? d.slippageBps,
    feeBps: config?.PAPER_FEE_BPS ?? d.feeBps,
    makerFeeBps: config?.PAPER_MAKER_FEE_BPS ?? d.makerFeeBps,
    fixedFee: config?.PAPER_FIXED_FEE ?? d.fixedFee,
    maxVolumeFraction: config?.PAPER_MAX_VOLUME_FRACTION ?? d.maxVolumeFraction,
    sessionEndUtc: config?.PAPER_SESSION_END_UTC ?? d.sessionEndUtc,
    reserveAllowanceBps: config?.PAPER_RESERVE_ALLOWANCE_BPS ?? DEFAULT_RESERVE_ALLOWANCE_BPS,
  };
}
