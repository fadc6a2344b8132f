/** Vite's dist/.vite/manifest.json: what each source module became. */
export type ViteManifest = Record<string, { file: string; imports?: string[] }>;

/** The module the SPA loads on every visit when it signs in with Cognito (web/src/stores/session.ts). */
export const COGNITO_MODULE = 'src/auth/cognito-auth.ts';

/**
 * index.html as the stack serves it: on AWS every visit signs in with Cognito, so the Cognito
 * chunk, which the SPA imports only once /config.json says so, is preloaded with the first
 * scripts instead of being fetched a round trip after them. `npm start` (local sign-in) serves
 * the built file as it is and never loads the chunk.
 */
export function withCognitoPreload(html: string, manifest: ViteManifest): string {
  const files = new Set<string>();
  const add = (key: string) => {
    const chunk = manifest[key];
    if (!chunk || files.has(chunk.file)) return;
    files.add(chunk.file);
    for (const imported of chunk.imports ?? []) add(imported);
  };
  add(COGNITO_MODULE);
  const links = [...files]
    .filter((file) => !html.includes(`/${file}"`)) // already preloaded by Vite
    .map((file) => `<link rel="modulepreload" crossorigin href="/${file}">`);
  if (links.length === 0) return html;
  return html.replace('</head>', `  ${links.join('\n    ')}\n  </head>`);
}
