//! What the app benchmark measured: the repositories, the starts in each index state, and
//! their summaries.

use std::path::PathBuf;

use crate::format::mb;
use crate::stats::{Sample, Timing};

use super::memory::Mem;
use super::repositories::Repo;
use super::sizes::Sizes;

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum IndexState {
    /// `.git/gatehouse/index.sqlite` up to date, as a previous session leaves it.
    Present,
    /// Deleted before the start: the app builds it (the true first open).
    Missing,
    /// A clone just made (`git clone --no-local`, one pack as a network clone leaves it), with
    /// nothing of Gatehouse's in it yet: the first open after joining a consortium.
    FreshClone,
}

impl IndexState {
    pub const ALL: [IndexState; 3] = [IndexState::Present, IndexState::Missing, IndexState::FreshClone];

    pub fn describe(self) -> &'static str {
        match self {
            IndexState::Present => "index built",
            IndexState::Missing => "index missing (built at start)",
            IndexState::FreshClone => "fresh clone (index built at start)",
        }
    }
}

/// One start of the app.
pub struct Run {
    /// Spawn to ready file (wall); CPU of the whole tree until then.
    pub timing: Timing,
    /// What the app wrote into the ready file: milliseconds since its `main` started.
    pub reported_ms: Option<f64>,
    pub at_ready: Mem,
    pub settled: Mem,
}

/// The runs of one repository in one index state.
pub struct Series {
    pub repo: usize,
    pub index: IndexState,
    pub runs: Vec<Run>,
}

impl Series {
    pub fn start(&self) -> Sample {
        Sample::new(self.runs.iter().map(|r| r.timing).collect())
    }

    pub fn reported(&self) -> Option<Spread> {
        let v: Vec<f64> = self.runs.iter().filter_map(|r| r.reported_ms).collect();
        (v.len() == self.runs.len()).then(|| Spread::new(v))
    }

    pub fn mem(&self, settled: bool, pss: bool) -> Spread {
        Spread::new(
            self.runs
                .iter()
                .map(|r| {
                    let m = if settled { &r.settled } else { &r.at_ready };
                    mb(if pss { m.pss } else { m.rss })
                })
                .collect(),
        )
    }

    /// Runs whose settled snapshot saw other processes mapping WebKitGTK.
    pub fn shared_runs(&self) -> usize {
        self.runs.iter().filter(|r| r.settled.others > 0).count()
    }

    /// The settled PSS the target is judged on: over the runs with WebKitGTK to themselves
    /// when there are any (others sharing its pages would lower the figure), else all.
    pub fn target_pss(&self) -> Spread {
        let alone: Vec<f64> = self.runs.iter().filter(|r| r.settled.others == 0).map(|r| mb(r.settled.pss)).collect();
        if alone.is_empty() {
            self.mem(true, true)
        } else {
            Spread::new(alone)
        }
    }

    pub fn procs(&self) -> Spread {
        Spread::new(self.runs.iter().map(|r| r.settled.procs.len() as f64).collect())
    }
}

/// Median, min and max of plain numbers (megabytes, counts).
#[derive(Clone)]
pub struct Spread {
    pub values: Vec<f64>,
}

impl Spread {
    pub fn new(mut values: Vec<f64>) -> Spread {
        assert!(!values.is_empty(), "a spread needs at least one value");
        values.sort_by(|a, b| a.partial_cmp(b).expect("finite"));
        Spread { values }
    }
    pub fn median(&self) -> f64 {
        let (v, n) = (&self.values, self.values.len());
        if n % 2 == 1 {
            v[n / 2]
        } else {
            (v[n / 2 - 1] + v[n / 2]) / 2.0
        }
    }
    pub fn min(&self) -> f64 {
        self.values[0]
    }
    pub fn max(&self) -> f64 {
        self.values[self.values.len() - 1]
    }
}

/// Everything measured.
pub struct AppResults {
    pub repos: Vec<Repo>,
    pub series: Vec<Series>,
    /// The first start on each repository (untimed warm-up, page cache possibly cold).
    pub first: Vec<Run>,
    pub git_log: Vec<Sample>,
    pub cli_status: Vec<Sample>,
    /// MiniBrowser's memory with compositing as WebKitGTK decides, and with it turned off.
    pub minibrowser: Option<(PathBuf, Vec<Mem>, Vec<Mem>)>,
    pub sizes: Sizes,
    pub reps: usize,
    pub index_rebuilt_by_app: bool,
    /// Starts that failed and were made again.
    pub repeated: usize,
    pub load_before: String,
    pub load_after: String,
    pub display: String,
    pub webkit_version: String,
}

impl AppResults {
    pub fn series(&self, repo: usize, index: IndexState) -> &Series {
        self.series.iter().find(|s| s.repo == repo && s.index == index).expect("every series is measured")
    }

    /// The sample's place in `repos`.
    pub fn sample(&self) -> usize {
        self.repos.iter().position(|x| x.is_sample).expect("the sample is measured")
    }

    /// The synthetic history's place in `repos`.
    pub fn synthetic(&self) -> usize {
        self.repos.iter().position(|x| !x.is_sample).expect("the history is measured")
    }

    /// The larger synthetic history's place in `repos` (`--scale-models`), if one was made.
    pub fn scaled(&self) -> Option<usize> {
        self.repos.iter().enumerate().filter(|(_, x)| !x.is_sample).nth(1).map(|(i, _)| i)
    }

    /// WebKitGTK's own floor: MiniBrowser's PSS on `about:blank` with the compositing the
    /// app used in this run (both are measured; the other is for information), MB.
    pub fn floor(&self) -> Option<Spread> {
        let (_, with, without) = self.minibrowser.as_ref()?;
        let same = if crate::app::webkit::app_compositing().0 { with } else { without };
        (!same.is_empty()).then(|| Spread::new(same.iter().map(|m| mb(m.pss)).collect()))
    }
}
