import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';

import { minimatch } from 'minimatch';

import { COMPOSE_FILE_GLOBS, documentSelector, isComposeFileName } from '../src/selector';

const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8'));

// The names of the server's own table (crates/dockside_compose/src/project.rs) and more.
const COMPOSE = [
  'compose.yaml',
  'compose.yml',
  'docker-compose.yml',
  'docker-compose.yaml',
  'compose.override.yaml',
  'docker-compose.override.yml',
  'docker-compose.prod.yml',
  'docker-compose-dev.yaml',
  'compose_ci.yml',
  'compose.yaml.yml',
];
const NOT_COMPOSE = [
  'composer.yaml',
  'compose.json',
  'docker-compose.',
  'mycompose.yml',
  'compose.',
  'docker-compose..yml',
  'compose-.yml',
  'compose.yaml.bak',
  'docker-compose',
  'values.yaml',
  '.gitlab-ci.yml',
];

function matchesAnyGlob(file: string): boolean {
  return COMPOSE_FILE_GLOBS.some((glob) => minimatch(file, glob, { dot: true }));
}

describe('Compose file names', () => {
  it('follow the server rule', () => {
    for (const name of COMPOSE) {
      assert.ok(isComposeFileName(name), name);
      assert.ok(isComposeFileName(`/srv/app/deploy/${name}`), name);
    }
    assert.ok(isComposeFileName('Docker-Compose.YML'));
    assert.ok(isComposeFileName('C:\\work\\app\\compose.yaml'));
    for (const name of NOT_COMPOSE) {
      assert.ok(!isComposeFileName(name), name);
    }
    assert.ok(!isComposeFileName('/srv/compose.yaml/values.yaml'));
  });

  it('are what the document selector globs match, in any folder', () => {
    for (const name of [...COMPOSE, ...NOT_COMPOSE]) {
      for (const file of [`/home/u/project/${name}`, `/home/u/project/.devcontainer/${name}`, name]) {
        assert.equal(matchesAnyGlob(file), isComposeFileName(name), file);
      }
    }
    assert.ok(!matchesAnyGlob('/home/u/compose.yaml/values.yaml'));
  });

  it('are what the Fix all command is offered for', () => {
    const when: string = manifest.contributes.menus.commandPalette.find(
      (m: { command: string }) => m.command === 'dockside.fixAll',
    ).when;
    const literal = /=~ \/(.+)\/([a-z]*)$/.exec(when);
    assert.ok(literal, when);
    const regex = new RegExp(literal[1].replace(/\\\\/g, '\\'), literal[2]);
    for (const name of [...COMPOSE, ...NOT_COMPOSE, 'Docker-Compose.YML']) {
      assert.equal(regex.test(name), isComposeFileName(name), name);
    }
    assert.match(when, /editorLangId == dockerfile/);
    assert.match(when, /editorLangId == dockercompose/);
  });
});

describe('document selector', () => {
  it('takes Dockerfiles and Compose files by language and other YAML only by name', () => {
    const selector = documentSelector();
    for (const language of ['dockerfile', 'dockercompose']) {
      for (const scheme of ['file', 'untitled']) {
        assert.ok(
          selector.some((f) => f.language === language && f.scheme === scheme && f.pattern === undefined),
          `${language} ${scheme}`,
        );
      }
    }
    const yaml = selector.filter((f) => f.language === 'yaml');
    assert.deepEqual(
      yaml.map((f) => f.pattern),
      [...COMPOSE_FILE_GLOBS],
    );
    assert.ok(yaml.every((f) => f.scheme === 'file'));
    assert.deepEqual(
      [...new Set(selector.map((f) => f.language))].sort(),
      ['dockercompose', 'dockerfile', 'yaml'],
    );
  });

  it('matches the activation events', () => {
    const events: string[] = manifest.activationEvents;
    for (const language of ['dockerfile', 'dockercompose', 'yaml']) {
      assert.ok(events.includes(`onLanguage:${language}`), language);
    }
    for (const glob of COMPOSE_FILE_GLOBS) {
      assert.ok(events.includes(`workspaceContains:${glob}`), glob);
    }
  });
});
