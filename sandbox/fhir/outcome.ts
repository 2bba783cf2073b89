/**
 * How the sandbox's FHIR endpoint says no: every refusal is an
 * OperationOutcome with an HTTP status, thrown as `Refused` anywhere in a
 * request and answered once by the router (handler.ts).
 */
import type { ServerResponse } from 'node:http';
import type { OperationOutcome } from '@medplum/fhirtypes';
import { sendJson } from '../http.ts';

export const FHIR_JSON = 'application/fhir+json; charset=utf-8';

export type IssueCode = NonNullable<OperationOutcome['issue']>[number]['code'];

function outcome(code: IssueCode, text: string, expression?: string): OperationOutcome {
  return {
    resourceType: 'OperationOutcome',
    issue: [{ severity: 'error', code, details: { text }, ...(expression ? { expression: [expression] } : {}) }],
  };
}

export function sendOutcome(
  res: ServerResponse,
  status: number,
  code: IssueCode,
  text: string,
  headers: Record<string, string> = {},
  expression?: string,
): void {
  sendJson(res, status, outcome(code, text, expression), { 'Content-Type': FHIR_JSON, ...headers });
}

export class Refused extends Error {
  readonly status: number;
  readonly code: IssueCode;
  readonly headers: Record<string, string>;
  readonly expression: string | undefined;
  constructor(
    status: number,
    code: IssueCode,
    text: string,
    headers: Record<string, string> = {},
    expression?: string,
  ) {
    super(text);
    this.status = status;
    this.code = code;
    this.headers = headers;
    this.expression = expression;
  }
}
