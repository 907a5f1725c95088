// Validating every rendered object (kubernetes-models, the Kamaji CRDs) takes
// seconds on a loaded 2-core machine: an upper bound, not a delay.
jest.setTimeout(60_000);

export {};
