// aws-local-stepfunctions declares Node >= 22 and needs Promise.withResolvers on Node 20.
import '../../local/embedded/polyfills.ts';
import '../../local/embedded/quiet.ts';
process.env.AWS_REGION ??= 'ap-southeast-1';
process.env.POWERTOOLS_DEV ??= 'false';
// Functions read their office's settings from the environment (the stack sets it); tests use the sample office's.
import { useOffice } from '../../infra/office-config.ts';
useOffice('sample');
