// The part of the `dockside.*` settings the language server reads (see
// crates/dockside_lsp/src/settings.rs): `select`, `ignore` and `severity`. The
// other settings (`enable`, `path`, `trace.server`) belong to the client.
//
// Values are passed on in the shapes the server accepts; entries it cannot use
// (unknown rules, bad levels, wrong types) are left for the server, which names
// them in a warning.

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export interface ServerSettings {
  select: Json[] | Json;
  ignore: Json[] | Json;
  severity: { [rule: string]: Json } | Json;
}

/** Reads one setting below `dockside.`, as `WorkspaceConfiguration.get` does. */
export type SettingsReader = (key: string) => unknown;

export const SERVER_KEYS = ['select', 'ignore', 'severity'] as const;

export function serverSettings(get: SettingsReader): ServerSettings {
  return {
    select: ruleList(get('select')),
    ignore: ruleList(get('ignore')),
    severity: severityMap(get('severity')),
  };
}

/** `initializationOptions` of the `initialize` request. */
export function initializationOptions(get: SettingsReader): { dockside: ServerSettings } {
  return { dockside: serverSettings(get) };
}

/** Parameters of `workspace/didChangeConfiguration`. */
export function didChangeConfigurationParams(get: SettingsReader): { settings: { dockside: ServerSettings } } {
  return { settings: { dockside: serverSettings(get) } };
}

/** Whether a change of these `dockside.*` keys must reach the server. */
export function affectsServer(affects: (section: string) => boolean): boolean {
  return SERVER_KEYS.some((key) => affects(`dockside.${key}`));
}

/** Whether a change of these `dockside.*` keys needs a new server process. */
export function needsRestart(affects: (section: string) => boolean): boolean {
  return affects('dockside.enable') || affects('dockside.path');
}

function ruleList(value: unknown): Json[] | Json {
  if (value === undefined || value === null) {
    return [];
  }
  if (typeof value === 'string') {
    return splitRules([value]);
  }
  if (Array.isArray(value)) {
    const out: Json[] = [];
    for (const item of value) {
      if (typeof item === 'string') {
        for (const rule of splitRules([item])) {
          if (!out.includes(rule)) {
            out.push(rule);
          }
        }
      } else {
        out.push(toJson(item));
      }
    }
    return out;
  }
  return toJson(value);
}

function splitRules(items: string[]): string[] {
  return items
    .flatMap((item) => item.split(','))
    .map((rule) => rule.trim())
    .filter((rule) => rule !== '');
}

function severityMap(value: unknown): { [rule: string]: Json } | Json {
  if (value === undefined || value === null) {
    return {};
  }
  if (typeof value !== 'object' || Array.isArray(value)) {
    return toJson(value);
  }
  const out: { [rule: string]: Json } = {};
  for (const [rule, level] of Object.entries(value as Record<string, unknown>)) {
    const name = rule.trim();
    if (name === '') {
      continue;
    }
    out[name] = typeof level === 'string' ? level.trim().toLowerCase() : toJson(level);
  }
  return out;
}

function toJson(value: unknown): Json {
  const text = JSON.stringify(value);
  return text === undefined ? null : (JSON.parse(text) as Json);
}
