//! Stage timings for the benchmark and for anyone wondering where a run's time
//! goes: with `CONSOLIDA_TIMINGS=1` in the environment every pipeline stage
//! prints `timing: <stage> <seconds> s` to stderr when it ends. Without it the
//! stages run exactly as they would, untimed. Where the system tells, the line
//! also gives the process's resident memory and its peak so far.

use std::sync::OnceLock;
use std::time::Instant;

/// Whether `CONSOLIDA_TIMINGS` asks for stage timings (read once per process).
fn enabled() -> bool {
    static ENABLED: OnceLock<bool> = OnceLock::new();
    *ENABLED
        .get_or_init(|| std::env::var("CONSOLIDA_TIMINGS").is_ok_and(|v| !v.is_empty() && v != "0"))
}

/// Runs `stage` and, when timings are asked for, prints how long it took.
pub fn timed<T>(name: &str, stage: impl FnOnce() -> T) -> T {
    if !enabled() {
        return stage();
    }
    let started = Instant::now();
    let result = stage();
    eprintln!(
        "timing: {name} {:.3} s{}",
        started.elapsed().as_secs_f64(),
        memory().unwrap_or_default()
    );
    result
}

/// The process's resident memory now and at its peak, where the system says
/// (`/proc/self/status` on Linux).
fn memory() -> Option<String> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let field = |name: &str| {
        status
            .lines()
            .find_map(|line| line.strip_prefix(name))
            .and_then(|rest| {
                rest.trim()
                    .trim_end_matches("kB")
                    .trim()
                    .parse::<u64>()
                    .ok()
            })
    };
    Some(format!(
        ", resident {} MiB, peak {} MiB",
        field("VmRSS:")? / 1024,
        field("VmHWM:")? / 1024
    ))
}
