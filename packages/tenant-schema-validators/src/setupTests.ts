// Compiling Kamaji's CRD schema and loading kubernetes-models take seconds on
// a loaded 2-core machine: an upper bound, not a delay.
jest.setTimeout(60_000);

export {};
