export * from './assert-never';
export * from './clock';
export * from './decider';
export * from './domain-event';
export * from './currency';
export * from './keyed-mutex';
export * from './sensitive-data';
export * from './request-ref';
