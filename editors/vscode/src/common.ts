// Shared bits of the VS Code glue: the language selector and the client accessor.
import { LanguageClient, ResponseError } from 'vscode-languageclient/node';

export { LANGUAGES, SELECTOR } from './languages';

/** The running client, or undefined while the server is stopped / missing. */
export type ClientRef = () => LanguageClient | undefined;

export function isMethodNotFound(e: unknown): boolean {
  return e instanceof ResponseError && e.code === -32601;
}
