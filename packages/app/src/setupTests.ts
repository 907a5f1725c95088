import '@testing-library/jest-dom';
import { configure } from '@testing-library/react';

// jsdom + MUI on a loaded 2-core machine: a render, a user event or a
// findBy* can take seconds. Every test waits for its condition; these are
// the upper bounds of those waits, not delays.
configure({ asyncUtilTimeout: 20_000 });
jest.setTimeout(60_000);
