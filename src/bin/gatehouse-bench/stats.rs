//! Repeated timings and their summary.

use std::time::Duration;

/// The timings of one measurement, repeated.
#[derive(Debug, Clone)]
pub struct Sample {
    pub times: Vec<Duration>,
}

impl Sample {
    pub fn new(times: Vec<Duration>) -> Sample {
        assert!(!times.is_empty(), "a sample needs at least one timing");
        Sample { times }
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
