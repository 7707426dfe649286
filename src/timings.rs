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
pub(crate) fn timed<T>(name: &str, stage: impl FnOnce() -> T) -> T {
    if !enabled() {
        return stage();
    }
    let started = Instant::now();
    let cpu_before = cpu_seconds();
    let result = stage();
    let cpu = match (cpu_before, cpu_seconds()) {
        (Some(before), Some(after)) => format!(", process CPU {:.2} s", after - before),
        _ => String::new(),
    };
    crate::console::write_stderr(&format!(
        "timing: {name} {:.3} s{cpu}{}\n",
        started.elapsed().as_secs_f64(),
        memory().unwrap_or_default()
    ));
    result
}

/// The CPU time the whole process has used so far, user and system, where the
/// system says (`/proc/self/stat` on Linux, in ticks of 1/100 s). Stages that
/// run beside others count theirs too.
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // The fields after the command name, which is in parentheses.
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let ticks = |i: usize| fields.get(i)?.parse::<f64>().ok();
    // utime and stime are the 14th and 15th fields, the 12th and 13th here.
    Some((ticks(11)? + ticks(12)?) / 100.0)
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
