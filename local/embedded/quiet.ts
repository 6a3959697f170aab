// The SDK warns on every start that Node 20 support ends in 2027; the local run shows it once in
// the README instead of on every start. Other warnings pass through.
const emit = process.emitWarning.bind(process);
process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
  const text = typeof warning === 'string' ? warning : warning.message;
  const type = typeof rest[0] === 'string' ? rest[0] : (rest[0] as { type?: string } | undefined)?.type;
  if (type === 'NodeVersionSupportWarning' || text.includes('AWS SDK for JavaScript (v3)')) return;
  (emit as (...a: unknown[]) => void)(warning, ...rest);
}) as typeof process.emitWarning;

// Metrics go to CloudWatch as EMF lines on stdout; on this machine (npm start, the report, the CLI,
// the tests) they would only bury the output. Set before any function module makes its Metrics.
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
// The functions' logger takes its level from the environment when it is made, and Powertools puts
// that level back on every warm invocation: so it is set here, before any function module loads.
// Local runs show errors only (`--verbose` shows the functions' logs); the tests show nothing.
process.env.POWERTOOLS_LOG_LEVEL ??= process.env.VITEST ? 'SILENT' : process.argv.includes('--verbose') ? 'INFO' : 'ERROR';
export {};
