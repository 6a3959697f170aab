/** The policy lives in policy/ (schema, versions by effective date, templates per locale): this module re-exports it. */
export * from './policy/index.ts';
