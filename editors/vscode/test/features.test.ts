import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  CodeActionRequest,
  DidOpenTextDocumentNotification,
  DocumentDiagnosticRequest,
  PublishDiagnosticsNotification,
} from 'vscode-languageserver-protocol';

import { skipsFeature } from '../src/features';

describe('client features', () => {
  it('leave out pull diagnostics only', () => {
    assert.ok(skipsFeature({ registrationType: DocumentDiagnosticRequest.type }));
    for (const type of [CodeActionRequest.type, DidOpenTextDocumentNotification.type, PublishDiagnosticsNotification.type]) {
      assert.ok(!skipsFeature({ registrationType: type }), type.method);
    }
    assert.ok(!skipsFeature({}), 'a static feature');
  });
});
