// The pure heart of sentinel (安全运营): signals in, rule configuration, windows, findings out.
export * from './signals.ts';
export * from './rules.ts';
export * from './engine.ts';
export { findRegion, parseAddress, parseCidr, type GeoRange, type GeoTable } from './geo.ts';
export { isWorkingTime, type WorkingHours } from './hours.ts';
