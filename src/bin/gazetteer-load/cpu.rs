//! CPU time of a process (user + system, all threads) from Linux
//! `/proc/PID/stat`; `None` elsewhere or when the process is gone.

use std::time::Duration;

/// Which process to sample.
#[derive(Debug, Clone, Copy)]
pub enum CpuSample {
    /// This process.
    This,
    /// Another process.
    Pid(u32),
}

/// User plus system CPU time of the process so far.
pub fn process_cpu(which: CpuSample) -> Option<Duration> {
    let path = match which {
        CpuSample::This => "/proc/self/stat".to_string(),
        CpuSample::Pid(pid) => format!("/proc/{pid}/stat"),
    };
    let stat = std::fs::read_to_string(path).ok()?;
    let ticks = cpu_ticks(&stat)?;
    // SAFETY: sysconf only reads a configuration value.
    let per_second = unsafe { libc::sysconf(libc::_SC_CLK_TCK) };
    let per_second = u64::try_from(per_second).ok().filter(|&t| t > 0)?;
    Some(Duration::from_secs_f64(ticks as f64 / per_second as f64))
}

/// utime + stime, in clock ticks, from the text of `/proc/PID/stat`. The
/// command name (field 2) may hold spaces and parentheses, so fields are
/// counted from the last `)`.
fn cpu_ticks(stat: &str) -> Option<u64> {
    let rest = &stat[stat.rfind(')')? + 1..];
    let mut fields = rest.split_ascii_whitespace();
    // After the name: state (3), ppid, pgrp, session, tty_nr, tpgid, flags,
    // minflt, cminflt, majflt, cmajflt, utime (14), stime (15).
    let utime: u64 = fields.nth(11)?.parse().ok()?;
    let stime: u64 = fields.next()?.parse().ok()?;
    Some(utime + stime)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_utime_and_stime_after_an_odd_command_name() {
        let stat = "4242 (a (b) c) S 1 4242 4242 0 -1 4194560 1000 0 0 0 250 75 0 0 20 0 3 0";
        assert_eq!(cpu_ticks(stat), Some(325));
    }

    #[test]
    fn own_cpu_time_is_readable_on_linux() {
        if cfg!(target_os = "linux") {
            assert!(process_cpu(CpuSample::This).is_some());
        }
    }
}
