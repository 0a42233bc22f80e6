//! Dockerfile bytes → decode → parse → semantic model → every rule (opt-in ones too) →
//! fixes (safe, then unsafe) → lint again. Findings must stay inside the text they point at.

#![no_main]

use dockside_fuzz::{check_result, config, path};
use dockside_linter::{FileId, LintOptions, apply_fixes_in, decode, fix_dockerfile, lint_bytes};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let file = path("Dockerfile");
    let options = LintOptions::default();
    let Ok(text) = decode(data, "a Dockerfile") else {
        check_result(&lint_bytes(&file, data, config(), &options));
        return;
    };
    let result = dockside_linter::lint_dockerfile(&file, &text, config(), &options);
    check_result(&result);
    for include_unsafe in [false, true] {
        let (fixed, applied) =
            apply_fixes_in(&text, FileId::MAIN, &result.diagnostics, include_unsafe);
        if applied > 0 {
            check_result(&dockside_linter::lint_dockerfile(
                &file,
                &fixed,
                config(),
                &options,
            ));
        }
    }
    let outcome = fix_dockerfile(&file, &text, config(), &options, true);
    check_result(&outcome.remaining);
});
