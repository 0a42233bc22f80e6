// Which documents the language server gets. Dockerfiles and Compose files opened
// with the Docker extension's `dockercompose` language come by language id; other
// Compose files are plain `yaml`, recognised by the names `docker compose` and the
// server use (`compose.yaml`, `docker-compose.yml`, `compose.override.yaml`,
// `docker-compose.prod.yml`…), and other YAML is left alone.

export interface DocumentFilter {
  language: string;
  scheme?: string;
  pattern?: string;
}

/** Globs for Compose file names: the default names, then the variants with a `.`, `-` or `_` suffix. */
export const COMPOSE_FILE_GLOBS = [
  '**/{compose,docker-compose}.{yml,yaml}',
  '**/{compose,docker-compose}[-._]?*.{yml,yaml}',
] as const;

export function documentSelector(): DocumentFilter[] {
  const selector: DocumentFilter[] = [];
  for (const scheme of ['file', 'untitled']) {
    selector.push({ scheme, language: 'dockerfile' });
    selector.push({ scheme, language: 'dockercompose' });
  }
  for (const pattern of COMPOSE_FILE_GLOBS) {
    selector.push({ scheme: 'file', language: 'yaml', pattern });
  }
  return selector;
}

/**
 * Whether `fileName` (a path or a base name) is a Compose file name, by the rule of
 * `is_compose_file_name` in crates/dockside_compose/src/project.rs.
 */
export function isComposeFileName(fileName: string): boolean {
  const base = fileName.split(/[\\/]/).pop() ?? '';
  return /^(docker-)?compose([-._].+)?\.ya?ml$/i.test(base);
}
