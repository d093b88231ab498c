import type { ServerResponse } from 'node:http';

/**
 * Answers `body` as JSON with `status`: one string, one write. For the hot paths, in place of
 * Express' `res.json`, which also hashes every body into an ETag — no use on a POST's answer.
 */
export function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.statusCode = status;
  response.setHeader('content-type', 'application/json; charset=utf-8');
  response.setHeader('content-length', Buffer.byteLength(text));
  response.end(text);
}
