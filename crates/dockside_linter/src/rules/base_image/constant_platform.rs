use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::Finding;
use crate::rule::{Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Flags `FROM --platform=` with a constant value such as `linux/amd64`.
    /// A stage whose name mentions the platform's architecture
    /// (`FROM --platform=linux/arm64 … AS build-arm64`) is not flagged: it is
    /// deliberately platform-specific. Off by default.
    ///
    /// ## Why is this bad?
    /// A constant platform pins the stage to one architecture whatever
    /// `docker build --platform` asks for: multi-platform builds silently produce
    /// an image for the wrong architecture, or run everything under emulation.
    /// Use `$BUILDPLATFORM` for stages that run build tools and leave the rest to
    /// the build's target platform.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM --platform=linux/amd64 node:22-slim
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM --platform=$BUILDPLATFORM node:22-slim AS build
    /// ```
    pub struct ConstantPlatform {
        name: "constant-platform",
        code: "DF604",
        group: "base-image",
        severity: Warning,
        aliases: ["DL3029", "FromPlatformFlagConstDisallowed"],
        fix: None,
        summary: "FROM --platform with a constant value",
        opt_in: true,
    }
}

impl Rule for ConstantPlatform {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Checker) {
        for stage in &cx.model.stages {
            let inst = &cx.dockerfile.instructions[stage.from];
            let Some(flag) = inst.flag("platform") else {
                continue;
            };
            let (Some(value), Some(range)) = (&flag.value, flag.value_range) else {
                continue;
            };
            if value.contains('$') || value.is_empty() {
                continue;
            }
            let arch = value
                .trim_matches(['"', '\''])
                .split('/')
                .nth(1)
                .unwrap_or_default()
                .to_ascii_lowercase();
            if !arch.is_empty()
                && stage
                    .name
                    .as_deref()
                    .is_some_and(|n| n.to_ascii_lowercase().contains(&arch))
            {
                continue;
            }
            cx.report(Finding::new(
                range,
                format!(
                    "`--platform={value}` pins this stage to one platform whatever the build targets: use `$BUILDPLATFORM` or `$TARGETPLATFORM`, or drop the flag"
                ),
            ));
        }
    }
}
