// The VS Code language ids guardline analyses (server: languages.LSP_LANGUAGE_IDS). Pure, unit-tested.
export const LANGUAGES = ['python', 'javascript', 'javascriptreact', 'typescript', 'typescriptreact', 'go',
  'java', 'rust', 'c', 'cpp', 'csharp', 'ruby', 'php'] as const;

/** Files on disk only: guardline analyses workspace files (untitled buffers have no history or config). */
export const SELECTOR = LANGUAGES.map((language) => ({ scheme: 'file', language }));
