import { Logger } from '@aws-lambda-powertools/logger';

/**
 * One logger for all functions. Personal data (names, emails, phones, tax and ID numbers) is
 * never passed to it: handlers log unit codes, task ids and counts only.
 */
export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'arrears-follow-up' });
