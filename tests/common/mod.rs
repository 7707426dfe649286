//! A `Workdir` for CLI tests: each test gets its own folder, runs the real binary
//! there, and sees command, stdout and stderr when an assertion fails.

pub mod compound;
pub mod package;
pub mod readers;
pub mod xlsb;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub struct Workdir {
    pub dir: PathBuf,
}

impl Workdir {
    /// A fresh, empty folder named after the test.
    pub fn new(name: &str) -> Workdir {
        let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
            .join("cli")
            .join(name);
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Workdir { dir }
    }

    /// Copies a fixture folder of `tests/fixtures` (or the shipped `inputs`) to `name`.
    pub fn copy_inputs(&self, from: &Path, name: &str) -> PathBuf {
        let target = self.dir.join(name);
        std::fs::create_dir_all(&target).unwrap();
        for entry in std::fs::read_dir(from).unwrap() {
            let entry = entry.unwrap();
            if entry.path().is_file() {
                std::fs::copy(entry.path(), target.join(entry.file_name())).unwrap();
            }
        }
        target
    }

    /// Runs `consolida` on the shipped `inputs/` for 2026-11 into `out/`, with
    /// `extra` arguments.
    pub fn run_shipped(&self, extra: &[&str]) -> Run {
        self.run_on("inputs", extra)
    }

    /// Runs `consolida` on the folder `inputs` of the repository (`inputs`,
    /// `tests/fixtures/…`) for 2026-11 into `out/`, with `extra` arguments.
    pub fn run_on(&self, inputs: &str, extra: &[&str]) -> Run {
        let inputs = root().join(inputs);
        let mut args = vec![
            "--inputs",
            inputs.to_str().unwrap(),
            "--out",
            "out",
            "--period",
            "2026-11",
        ];
        args.extend_from_slice(extra);
        self.run(&args)
    }

    /// Runs `consolida` with `args` in this folder.
    pub fn run(&self, args: &[&str]) -> Run {
        self.run_with_env(args, &[])
    }

    /// Runs `consolida` with `args` and the environment variables `env` (and no
    /// `SOURCE_DATE_EPOCH` or `CONSOLIDA_TIMINGS` unless `env` sets it).
    pub fn run_with_env(&self, args: &[&str], env: &[(&str, &str)]) -> Run {
        let mut command = Command::new(env!("CARGO_BIN_EXE_consolida"));
        command
            .args(args)
            .current_dir(&self.dir)
            .env_remove("SOURCE_DATE_EPOCH")
            .env_remove("CONSOLIDA_TIMINGS");
        for (key, value) in env {
            command.env(key, value);
        }
        let output = command.output().unwrap();
        Run {
            args: args.iter().map(|a| a.to_string()).collect(),
            output,
        }
    }

    /// Runs `consolida` with `args` with its address space limited to `kib`
    /// kibibytes (`ulimit -v`): an allocation beyond it fails, and the run with it.
    pub fn run_limited(&self, kib: u64, args: &[&str]) -> Run {
        let output = Command::new("sh")
            .arg("-c")
            .arg(format!("ulimit -v {kib} && exec \"$0\" \"$@\""))
            .arg(env!("CARGO_BIN_EXE_consolida"))
            .args(args)
            .current_dir(&self.dir)
            .env_remove("SOURCE_DATE_EPOCH")
            .env_remove("CONSOLIDA_TIMINGS")
            .output()
            .unwrap();
        Run {
            args: args.iter().map(|a| a.to_string()).collect(),
            output,
        }
    }

    pub fn path(&self, relative: &str) -> PathBuf {
        self.dir.join(relative)
    }

    pub fn read(&self, relative: &str) -> String {
        std::fs::read_to_string(self.path(relative)).unwrap_or_else(|e| panic!("{relative}: {e}"))
    }

    pub fn json(&self, relative: &str) -> serde_json::Value {
        serde_json::from_str(&self.read(relative)).unwrap()
    }
}

/// A finished run of the binary.
pub struct Run {
    pub args: Vec<String>,
    pub output: Output,
}

impl Run {
    pub fn code(&self) -> i32 {
        self.output.status.code().unwrap_or(-1)
    }

    pub fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.output.stderr).into_owned()
    }

    /// Asserts the exit code, showing the whole run when it differs.
    pub fn expect_code(&self, code: i32) -> &Run {
        assert_eq!(
            self.code(),
            code,
            "consolida {}\n--- stdout\n{}\n--- stderr\n{}",
            self.args.join(" "),
            String::from_utf8_lossy(&self.output.stdout),
            self.stderr()
        );
        self
    }

    /// Asserts the whole of stderr, every line of it.
    pub fn expect_stderr(&self, stderr: &str) -> &Run {
        assert_eq!(self.stderr(), stderr, "consolida {}", self.args.join(" "));
        self
    }
}

/// The repository's root folder.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs an outside program that a test needs, failing the test with how to
/// `install` it when the program cannot be started. Such a test is ignored where
/// `build.rs` did not find the program, except under `CI=true`, where it must run.
pub fn outside_program(command: &mut Command, install: &str) -> Output {
    command.output().unwrap_or_else(|e| {
        panic!(
            "{} cannot be started ({e}): install {install}",
            command.get_program().to_string_lossy()
        )
    })
}
