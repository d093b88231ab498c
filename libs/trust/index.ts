export * from './channel-history';
export * from './log-inclusion';
export * from './pack-statement';
export * from './seal-pack';
export * from './trusted-log';
export * from './verify-sealed-pack';
