//! A run's status: the checks the command line held the report to (`--strict`,
//! `--fail-on-breach`, `--fail-on-deviation`) and those it failed. The report is written either way;
//! a failed check makes the exit code 1 and `summary.json`'s `status` say
//! `"failed"` with its reasons, so that a job reading the folder can tell a
//! report written by a failed run from a clean one.

use crate::report::Report;

/// A check the command line asks the report to pass.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Check {
    /// `--strict`: the inputs have no error.
    Strict,
    /// `--fail-on-breach`: no project breaches its financing cap.
    FailOnBreach,
    /// `--fail-on-deviation`: no target is behind or missed.
    FailOnDeviation,
}

impl Check {
    /// The flag that asks for the check, as `summary.json` names it.
    pub(crate) fn flag(self) -> &'static str {
        match self {
            Check::Strict => "--strict",
            Check::FailOnBreach => "--fail-on-breach",
            Check::FailOnDeviation => "--fail-on-deviation",
        }
    }
}

/// A check the report failed, and how many things failed it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Failure {
    pub(crate) check: Check,
    /// Errors in the inputs (`--strict`), projects in breach
    /// (`--fail-on-breach`) or targets behind or missed (`--fail-on-deviation`).
    pub(crate) count: u64,
}

impl Failure {
    /// The failure as a sentence.
    pub(crate) fn message(&self) -> String {
        let count = self.count;
        match (self.check, count) {
            (Check::Strict, 1) => "The inputs have 1 error.".to_string(),
            (Check::Strict, _) => format!("The inputs have {count} errors."),
            (Check::FailOnBreach, 1) => "1 project breaches its financing cap.".to_string(),
            (Check::FailOnBreach, _) => {
                format!("{count} projects breach their financing caps.")
            }
            (Check::FailOnDeviation, 1) => "1 target is behind or missed.".to_string(),
            (Check::FailOnDeviation, _) => format!("{count} targets are behind or missed."),
        }
    }
}

/// The checks a run's report was held to, and those it failed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct RunStatus {
    pub(crate) checks: Vec<Check>,
    pub(crate) failures: Vec<Failure>,
}

impl RunStatus {
    /// Holds `report` to each of `checks`.
    pub(crate) fn of(report: &Report, checks: &[Check]) -> RunStatus {
        let failures = checks
            .iter()
            .map(|&check| Failure {
                check,
                count: match check {
                    Check::Strict => report.issue_counts().errors as u64,
                    Check::FailOnBreach => report.audit.breaches().count() as u64,
                    Check::FailOnDeviation => report.monitoring.deviations().count() as u64,
                },
            })
            .filter(|failure| failure.count > 0)
            .collect();
        RunStatus {
            checks: checks.to_vec(),
            failures,
        }
    }

    /// `ok`, or `failed` when any check failed.
    pub(crate) fn result(&self) -> &'static str {
        if self.failures.is_empty() {
            "ok"
        } else {
            "failed"
        }
    }

    /// The exit code of a run that wrote its report: 0, or 1 when a check failed.
    pub(crate) fn exit_code(&self) -> i32 {
        i32::from(!self.failures.is_empty())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::sample_report;

    #[test]
    fn a_report_held_to_no_check_is_ok_whatever_it_holds() {
        let status = RunStatus::of(&sample_report(), &[]);
        assert_eq!((status.result(), status.exit_code()), ("ok", 0));
    }

    #[test]
    fn each_check_failed_is_a_reason_with_its_count() {
        let report = sample_report();
        let breaches = report.audit.breaches().count() as u64;
        assert!(breaches > 0, "the sample has a breach");
        let status = RunStatus::of(&report, &[Check::Strict, Check::FailOnBreach]);
        assert_eq!((status.result(), status.exit_code()), ("failed", 1));
        let failed: Vec<(Check, u64)> =
            status.failures.iter().map(|f| (f.check, f.count)).collect();
        let errors = report.issue_counts().errors as u64;
        let expected: Vec<(Check, u64)> =
            [(Check::Strict, errors), (Check::FailOnBreach, breaches)]
                .into_iter()
                .filter(|(_, count)| *count > 0)
                .collect();
        assert_eq!(failed, expected);
    }

    #[test]
    fn the_reasons_are_sentences_that_count_right() {
        let failure = |check, count| Failure { check, count }.message();
        assert_eq!(
            failure(Check::FailOnBreach, 1),
            "1 project breaches its financing cap."
        );
        assert_eq!(
            failure(Check::FailOnBreach, 3),
            "3 projects breach their financing caps."
        );
        assert_eq!(failure(Check::Strict, 2), "The inputs have 2 errors.");
        assert_eq!(failure(Check::Strict, 1), "The inputs have 1 error.");
    }
}
