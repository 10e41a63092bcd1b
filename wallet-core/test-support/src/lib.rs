//! Tests only: the test data that lives outside the repository, in the `shared` folder next to
//! its root (`../shared`: the published vectors and fixtures, kept there under their own
//! licences).
//!
//! A test asks for what it needs with [`shared_data`], once, and returns early on `None`:
//!
//! ```no_run
//! let Some(dir) = laissez_test_support::shared_data("vectors/mdoc") else {
//!     return;
//! };
//! # let _ = dir;
//! ```
//!
//! Missing data never passes silently:
//! - with `CI` set (`CI=true`), the test fails, naming the path that is missing;
//! - elsewhere it prints `SKIPPED (missing test data): <path>` on stderr, past the test
//!   harness's output capture, and `scripts/tally_tests.py` counts that test as skipped, not
//!   passed.
//!
//! `LAISSEZ_SHARED_DIR` names another folder instead of `../shared` (for instance a missing
//! one, to see what a machine without the data reports).
//!
//! [`linkability`] holds the check that two presentations of one credential share nothing
//! that links them, used by the batch tests and by `laissez demo` (which takes this crate as
//! a normal dependency: the CLI is no part of the phone library).
//!
//! The crate depends on nothing, so any crate of the workspace can take it as a
//! dev-dependency without a new edge into library code.

pub mod linkability;

use std::io::Write;
use std::path::{Path, PathBuf};

/// What a test prints, followed by the missing path, when it skips for want of its data.
/// `scripts/tally_tests.py` counts these lines.
pub const SKIP_MARKER: &str = "SKIPPED (missing test data):";

/// The environment variable that makes missing data a failure (`CI=true`).
pub const CI_VAR: &str = "CI";

/// The environment variable naming another shared test data folder than `../shared`.
pub const SHARED_DIR_VAR: &str = "LAISSEZ_SHARED_DIR";

/// The shared test data folder: `$LAISSEZ_SHARED_DIR`, else `shared` next to the repository
/// root.
pub fn shared_root() -> PathBuf {
    root_from(std::env::var_os(SHARED_DIR_VAR))
}

fn root_from(variable: Option<std::ffi::OsString>) -> PathBuf {
    if let Some(dir) = variable.filter(|dir| !dir.is_empty()) {
        return PathBuf::from(dir);
    }
    // This crate is <repository>/wallet-core/test-support.
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    match manifest.ancestors().nth(3) {
        Some(beside_repository) => beside_repository.join("shared"),
        None => manifest.join("../../../shared"),
    }
}

/// The path of `relative` (e.g. `vectors/sd-jwt/manifest.json`) in the shared test data, if
/// it exists. If not: under CI (the `CI` variable set to anything but `false` or `0`) the
/// calling test fails with the missing path; elsewhere it prints the [`SKIP_MARKER`] line
/// and returns `None`, and the test should return at once.
///
/// Call it once per test (the tally counts one skipped test per line), with the file or
/// folder the test cannot run without.
pub fn shared_data(relative: &str) -> Option<PathBuf> {
    let ci = is_ci(std::env::var(CI_VAR).ok().as_deref());
    match locate(&shared_root(), relative, ci) {
        Lookup::Found(path) => Some(path),
        Lookup::Skip(line) => {
            // One write of the whole line, straight to stderr: the harness captures only the
            // print macros, and a line written in pieces could interleave with another test's.
            let _ = std::io::stderr().lock().write_all(line.as_bytes());
            None
        }
        Lookup::Fail(message) => fail(&message),
    }
}

#[allow(clippy::panic, reason = "failing the calling test is the point")]
fn fail(message: &str) -> ! {
    panic!("{message}")
}

/// Whether the value of `CI` means a CI run.
fn is_ci(value: Option<&str>) -> bool {
    value.is_some_and(|v| {
        let v = v.trim();
        !v.is_empty() && !v.eq_ignore_ascii_case("false") && v != "0"
    })
}

/// What [`shared_data`] does about one path.
#[derive(Debug, PartialEq, Eq)]
enum Lookup {
    /// It exists.
    Found(PathBuf),
    /// Missing outside CI: the line to print (with its newline).
    Skip(String),
    /// Missing under CI: the failure message.
    Fail(String),
}

fn locate(root: &Path, relative: &str, ci: bool) -> Lookup {
    let path = root.join(relative);
    if path.exists() {
        return Lookup::Found(path);
    }
    if ci {
        Lookup::Fail(format!(
            "missing test data: {} ({CI_VAR} is set, so a test may not skip without it; shared \
             test data folder: {})",
            path.display(),
            root.display()
        ))
    } else {
        Lookup::Skip(format!("{SKIP_MARKER} {}\n", path.display()))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

    use super::*;
    use std::process::Command;

    const MISSING: &str = "no-such-folder/nor-file.txt";

    fn here() -> &'static Path {
        Path::new(env!("CARGO_MANIFEST_DIR"))
    }

    #[test]
    fn present_data_is_found_with_or_without_ci() {
        for ci in [false, true] {
            assert_eq!(
                locate(here(), "Cargo.toml", ci),
                Lookup::Found(here().join("Cargo.toml"))
            );
        }
    }

    #[test]
    fn missing_data_is_a_marked_skip_outside_ci() {
        let expected = format!("{SKIP_MARKER} {}\n", here().join(MISSING).display());
        assert_eq!(locate(here(), MISSING, false), Lookup::Skip(expected));
    }

    #[test]
    fn missing_data_fails_under_ci_naming_the_path() {
        let Lookup::Fail(message) = locate(here(), MISSING, true) else {
            panic!("not a failure");
        };
        let path = here().join(MISSING);
        assert!(message.starts_with("missing test data: "), "{message}");
        assert!(message.contains(&path.display().to_string()), "{message}");
    }

    #[test]
    fn ci_values() {
        for yes in ["true", "TRUE", "1", "yes"] {
            assert!(is_ci(Some(yes)), "{yes}");
        }
        for no in [
            None,
            Some(""),
            Some(" "),
            Some("false"),
            Some("False"),
            Some("0"),
        ] {
            assert!(!is_ci(no), "{no:?}");
        }
    }

    #[test]
    fn shared_root_is_beside_the_repository_unless_named() {
        let repository = here().parent().unwrap().parent().unwrap();
        let beside = repository.parent().unwrap().join("shared");
        assert_eq!(root_from(None), beside);
        assert_eq!(root_from(Some("".into())), beside);
        assert_eq!(root_from(Some("/data/x".into())), PathBuf::from("/data/x"));
    }

    /// Run only as a child of the tests below: asks for data that does not exist.
    #[test]
    #[ignore = "a probe the child-process tests run with and without CI"]
    fn probe_missing_data() {
        assert_eq!(shared_data(MISSING), None);
    }

    /// Runs the probe in a child process (this test binary) with `CI` set to `ci` or unset.
    fn run_probe(ci: Option<&str>) -> std::process::Output {
        let mut cmd = Command::new(std::env::current_exe().unwrap());
        cmd.args([
            "tests::probe_missing_data",
            "--exact",
            "--ignored",
            "--test-threads=1",
        ])
        .env_remove(CI_VAR)
        .env(SHARED_DIR_VAR, here());
        if let Some(value) = ci {
            cmd.env(CI_VAR, value);
        }
        cmd.output().unwrap()
    }

    #[test]
    fn the_public_helper_skips_visibly_or_fails_under_ci() {
        let path = here().join(MISSING).display().to_string();

        let skipped = run_probe(None);
        let stderr = String::from_utf8_lossy(&skipped.stderr);
        assert!(skipped.status.success(), "{stderr}");
        assert!(
            stderr.contains(&format!("{SKIP_MARKER} {path}\n")),
            "{stderr}"
        );

        let failed = run_probe(Some("true"));
        let output = format!(
            "{}{}",
            String::from_utf8_lossy(&failed.stdout),
            String::from_utf8_lossy(&failed.stderr)
        );
        assert!(!failed.status.success(), "{output}");
        assert!(
            output.contains(&format!("missing test data: {path}")),
            "{output}"
        );
        assert!(!output.contains(SKIP_MARKER), "{output}");
    }
}
