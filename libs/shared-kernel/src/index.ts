export * from './assert-never';
export * from './clock';
export * from './decider';
export * from './domain-event';
