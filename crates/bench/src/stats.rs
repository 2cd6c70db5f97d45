//! Repeated timings and their summary: wall-clock time, and CPU time, which tells the work
//! from the waiting on a busy machine.

use std::time::{Duration, Instant};

use anyhow::Result;

/// One timed run: wall-clock time, and the CPU time it used (user + system).
#[derive(Debug, Clone, Copy, Default)]
pub struct Timing {
    pub wall: Duration,
    pub cpu: Duration,
}

impl std::ops::Add for Timing {
    type Output = Timing;
    fn add(self, o: Timing) -> Timing {
        Timing { wall: self.wall + o.wall, cpu: self.cpu + o.cpu }
    }
}

/// CPU time of the calling thread, from `/proc/thread-self/schedstat` (nanoseconds on CPU).
fn thread_cpu() -> Duration {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next().and_then(|n| n.parse().ok()))
        .map(Duration::from_nanos)
        .unwrap_or_default()
}

/// Clock ticks per second, the unit of the CPU times in `/proc`.
pub fn clock_ticks() -> f64 {
    // SAFETY: sysconf has no preconditions.
    let t = unsafe { libc::sysconf(libc::_SC_CLK_TCK) };
    if t > 0 {
        t as f64
    } else {
        100.0
    }
}

/// CPU time (user + system) of this process's children that have been waited for, from
/// `/proc/self/stat` (`cutime` + `cstime`). The kernel keeps it exactly and rounds to clock
/// ticks only when reporting, so differences summed over several runs are accurate.
pub fn children_cpu() -> Duration {
    let ticks = std::fs::read_to_string("/proc/self/stat")
        .ok()
        .and_then(|s| {
            // Fields after the command name, which is in parentheses; cutime and cstime are
            // fields 16 and 17 of proc(5), i.e. the 14th and 15th after the name.
            let rest = &s[s.rfind(')')? + 1..];
            let f: Vec<&str> = rest.split_whitespace().collect();
            let cu: f64 = f.get(13)?.parse().ok()?;
            let cs: f64 = f.get(14)?.parse().ok()?;
            Some(cu + cs)
        })
        .unwrap_or(0.0);
    Duration::from_secs_f64(ticks / clock_ticks())
}

/// Runs `f` in this thread and times it.
pub fn in_process<T>(f: impl FnOnce() -> Result<T>) -> Result<(T, Timing)> {
    let cpu = thread_cpu();
    let start = Instant::now();
    let out = f()?;
    let wall = start.elapsed();
    Ok((out, Timing { wall, cpu: thread_cpu().saturating_sub(cpu) }))
}

/// The timings of one measurement, repeated.
#[derive(Debug, Clone)]
pub struct Sample {
    pub times: Vec<Duration>,
    pub cpu: Vec<Duration>,
}

impl Sample {
    pub fn new(runs: Vec<Timing>) -> Sample {
        assert!(!runs.is_empty(), "a sample needs at least one timing");
        Sample { times: runs.iter().map(|t| t.wall).collect(), cpu: runs.iter().map(|t| t.cpu).collect() }
    }

    /// Plain numbers (milliseconds), for parts computed from other samples.
    pub fn from_ms(values: Vec<f64>) -> Sample {
        Sample::new(
            values
                .into_iter()
                .map(|v| Timing { wall: Duration::from_secs_f64(v.max(0.0) / 1e3), cpu: Duration::ZERO })
                .collect(),
        )
    }

    fn sorted_ms(&self) -> Vec<f64> {
        let mut v: Vec<f64> = self.times.iter().map(|d| d.as_secs_f64() * 1e3).collect();
        v.sort_by(|a, b| a.partial_cmp(b).expect("timings are finite"));
        v
    }

    pub fn n(&self) -> usize {
        self.times.len()
    }

    pub fn median(&self) -> f64 {
        let v = self.sorted_ms();
        let n = v.len();
        if n % 2 == 1 {
            v[n / 2]
        } else {
            (v[n / 2 - 1] + v[n / 2]) / 2.0
        }
    }

    pub fn min(&self) -> f64 {
        self.sorted_ms()[0]
    }

    pub fn max(&self) -> f64 {
        *self.sorted_ms().last().expect("not empty")
    }

    /// Mean CPU time per run (ms): user + system of the process, or of this thread in process.
    pub fn cpu(&self) -> f64 {
        self.cpu.iter().map(|d| d.as_secs_f64() * 1e3).sum::<f64>() / self.cpu.len() as f64
    }
}

/// Milliseconds, with as many decimals as make sense for the size.
pub fn ms(v: f64) -> String {
    if v >= 1000.0 {
        format!("{:.0} ms", v)
    } else if v >= 100.0 {
        format!("{:.1} ms", v)
    } else if v >= 1.0 {
        format!("{:.2} ms", v)
    } else {
        format!("{:.3} ms", v)
    }
}

pub fn ratio(a: f64, b: f64) -> String {
    format!("{:.2}x", a / b)
}
