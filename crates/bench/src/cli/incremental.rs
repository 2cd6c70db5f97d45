//! The incremental index update after one sign-off, in a process that keeps the repository
//! and the index open (as the app does); the sign-off itself is timed too.

use anyhow::{ensure, Context, Result};
use gatehouse::actions::signoff::{signoff, ItemInput, SignoffRequest};
use gatehouse::index::{Index, Refresh};
use gatehouse::progress::Silent;
use gatehouse::signoff::{Decision, ItemState};
use gatehouse::Governance;

use crate::generate::{History, Planned};
use crate::stats::{in_process, Sample};

/// (`Index::refresh` after one sign-off, the sign-off by `actions::signoff::signoff`), each
/// round a distinct allowed sign-off; the first round is a warm-up.
pub fn incremental_update(
    gov: &Governance,
    index: &mut Index,
    history: &mut History,
    reps: usize,
) -> Result<(Sample, Sample)> {
    println!("Incremental index update after one sign-off ...");
    let (mut inc, mut lib) = (Vec::new(), Vec::new());
    for rep in 0..=reps {
        let p = history.next_signoff();
        let req = request(history, &p);
        let signer = history.signer(p.member);
        let (_, signed) = in_process(|| {
            signoff(gov, &req, Some(&signer)).with_context(|| format!("signing {}/{}", req.model, req.gate))
        })?;
        let (r, refreshed) = in_process(|| Ok(index.refresh(gov, &mut Silent)?))?;
        ensure!(r == Refresh::Incremental(1), "the refresh after one sign-off was {r:?}");
        if rep > 0 {
            inc.push(refreshed);
            lib.push(signed);
        }
    }
    Ok((Sample::new(inc), Sample::new(lib)))
}

/// An approval with every item done, as the library takes it.
pub(super) fn request(h: &History, p: &Planned) -> SignoffRequest {
    let gate = &h.gates[p.gate];
    SignoffRequest {
        model: h.models[p.model].id.clone(),
        gate: gate.id.clone(),
        member: h.member(p.member).id.clone(),
        decision: Decision::Approve,
        items: gate
            .items
            .iter()
            .map(|i| ItemInput { id: i.clone(), state: ItemState::Done, note: String::new() })
            .collect(),
        evidence: vec![],
        comment: String::new(),
        at: p.at,
    }
}
