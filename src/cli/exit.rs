//! Exit codes, in one place, with the precedence rule.
//!
//! 0 clean, 1 findings, 2 error. An error wins over findings: if any root could not be
//! scanned, CI must not read the run as "only findings" when part of the input was never
//! looked at. Warnings about single files inside a tree (unreadable, binary, too large) do not
//! change the code; they are printed and counted in the summary.

/// The process exit status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
#[repr(u8)]
pub enum ExitStatus {
    /// No findings.
    Clean = 0,
    /// Findings.
    Findings = 1,
    /// An error.
    Error = 2,
}

impl ExitStatus {
    /// Combine two outcomes: the higher code wins (error > findings > clean).
    pub fn combine(self, other: ExitStatus) -> ExitStatus {
        self.max(other)
    }
}

#[cfg(test)]
mod tests {
    use super::ExitStatus::*;

    #[test]
    fn precedence() {
        assert_eq!(Clean.combine(Findings), Findings);
        assert_eq!(Findings.combine(Error), Error);
        assert_eq!(Error.combine(Clean), Error);
        assert_eq!(Clean as u8, 0);
        assert_eq!(Findings as u8, 1);
        assert_eq!(Error as u8, 2);
    }
}
