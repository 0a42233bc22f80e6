// Client features this extension leaves out.

/** The shape of a languageclient feature this module needs to recognise it. */
export interface FeatureLike {
  registrationType?: { method?: string };
}

/**
 * Pull diagnostics (`textDocument/diagnostic`): the server also pushes every
 * diagnostic, and VS Code keeps pulled and pushed ones in separate collections,
 * so taking both would show each problem twice.
 */
export function skipsFeature(feature: object): boolean {
  return (feature as FeatureLike).registrationType?.method === 'textDocument/diagnostic';
}
