// Test fixtures for the service proxy: a ProxyInput with nothing in it but what a test sets.
import type { ProxyInput } from './render.js';

export const proxyInput = (over: Partial<ProxyInput> = {}): ProxyInput => ({
  services: [],
  slices: [],
  pods: [],
  nodes: [],
  vpcCidr: '10.0.0.0/16',
  ...over,
});
