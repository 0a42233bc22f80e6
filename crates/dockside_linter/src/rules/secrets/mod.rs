//! Secrets baked into the image, and supply-chain checks on what the build downloads.

use crate::rule::Rule;

pub mod copy_context_without_dockerignore;
pub mod credentials_in_run;
pub mod curl_pipe_shell;
pub mod hardcoded_secret_value;
pub mod insecure_download;
pub mod remote_add_unverified;
pub mod secret_in_build_context;
pub mod secret_in_env;

pub(crate) const RULES: &[&dyn Rule] = &[
    &secret_in_env::SecretInEnv,
    &secret_in_build_context::SecretInBuildContext,
    &insecure_download::InsecureDownload,
    &curl_pipe_shell::CurlPipeShell,
    &remote_add_unverified::RemoteAddUnverified,
    &credentials_in_run::CredentialsInRun,
    &copy_context_without_dockerignore::CopyContextWithoutDockerignore,
    &hardcoded_secret_value::HardcodedSecretValue,
];
