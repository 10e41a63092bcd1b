//! Runs the `laissez` binary the way a script would: no terminal, only the variables given.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// A PIN the tests use.
pub const PIN: &str = "2468";

/// What one run printed and how it ended.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
    pub raw_stdout: Vec<u8>,
}

impl Run {
    fn from(output: Output) -> Self {
        Self {
            code: output
                .status
                .code()
                .expect("laissez was killed by a signal"),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
            raw_stdout: output.stdout,
        }
    }

    /// Panics with both streams unless the exit code is `code`.
    pub fn expect_code(self, code: i32) -> Self {
        assert_eq!(
            self.code, code,
            "expected exit {code}\nstdout:\n{}\nstderr:\n{}",
            self.stdout, self.stderr
        );
        self
    }
}

/// Runs laissez with `args` and `env`, stdin closed (/dev/null), no inherited LAISSEZ_*.
pub fn laissez(args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_laissez"));
    cmd.args(args)
        .stdin(Stdio::null())
        .env_remove("LAISSEZ_PIN")
        .env_remove("LAISSEZ_NEW_PIN")
        .env_remove("LAISSEZ_MNEMONIC");
    for (name, value) in env {
        cmd.env(name, value);
    }
    Run::from(cmd.output().expect("cannot start laissez"))
}

/// A temporary folder with a wallet path in it.
pub struct Scratch {
    pub dir: tempfile::TempDir,
}

impl Scratch {
    pub fn new() -> Self {
        Self {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    pub fn write(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let path = self.path(name);
        std::fs::write(&path, bytes).unwrap();
        path
    }
}

/// `p` as a &str.
pub fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// The numbered words of an init output, in order.
pub fn words_from_init(stdout: &str) -> Vec<String> {
    let mut numbered = Vec::new();
    for line in stdout.lines() {
        let parts: Vec<&str> = line.split_whitespace().collect();
        for pair in parts.chunks(2) {
            if let [number, word] = pair {
                if let Some(n) = number
                    .strip_suffix('.')
                    .and_then(|n| n.parse::<usize>().ok())
                {
                    numbered.push((n, word.to_string()));
                }
            }
        }
    }
    numbered.sort();
    numbered.into_iter().map(|(_, w)| w).collect()
}

/// Creates a wallet with the fast KDF and the test PIN; returns its recovery words.
pub fn init_wallet(db: &Path) -> Vec<String> {
    let run = laissez(
        &["wallet", "init", "--db", s(db), "--insecure-fast-kdf"],
        &[("LAISSEZ_PIN", PIN)],
    )
    .expect_code(0);
    let words = words_from_init(&run.stdout);
    assert_eq!(words.len(), 24, "{}", run.stdout);
    words
}

/// Runs a command that needs the PIN, with the test PIN.
pub fn with_pin(args: &[&str]) -> Run {
    laissez(args, &[("LAISSEZ_PIN", PIN)])
}
