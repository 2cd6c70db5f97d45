//! `gatehouse status --estimates`: every model's state at every gate beside its deployment
//! estimate, from the index alone (no card is parsed and no tree read: the estimates were
//! computed when the index was last brought up to date).

use serde::Serialize;

use crate::error::Result;
use crate::index::{Index, IndexedEstimate, IndexedFit, ModelStatus};

/// `status --estimates --json`: as `status --json`, each model with its estimate.
#[derive(Debug, Clone, Serialize)]
pub struct StatusWithEstimates {
    /// The commit of `main` shown.
    pub head: String,
    pub models: Vec<ModelWithEstimate>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ModelWithEstimate {
    #[serde(flatten)]
    pub status: ModelStatus,
    /// `None` only for a model the index holds no estimate row for (an index being rebuilt).
    pub estimate: Option<EstimateLine>,
}

/// What one status line says of a model's estimate.
#[derive(Debug, Clone, Serialize)]
pub struct EstimateLine {
    #[serde(flatten)]
    pub estimate: IndexedEstimate,
    /// The accelerator of the table that serves the model at the lowest cost per million
    /// tokens (the first in the table's order on a tie): the one the status line names.
    pub cheapest: Option<IndexedFit>,
}

impl EstimateLine {
    fn of(estimate: IndexedEstimate) -> EstimateLine {
        let cheapest = estimate
            .fits
            .iter()
            .fold(None::<&IndexedFit>, |best, f| match best {
                Some(b) if b.usd_per_million_tokens <= f.usd_per_million_tokens => Some(b),
                _ => Some(f),
            })
            .cloned();
        EstimateLine { estimate, cheapest }
    }
}

/// Every model's gates and estimate (`only`: one model), from the index alone.
pub fn with_estimates(index: &Index, only: Option<&str>) -> Result<StatusWithEstimates> {
    let status = index.status(only)?;
    let mut estimates = index.estimates(only)?.into_iter().peekable();
    let mut models = Vec::with_capacity(status.models.len());
    // Both lists are sorted by model id.
    for m in status.models {
        while estimates.peek().is_some_and(|e| e.model < m.id) {
            estimates.next();
        }
        let estimate = estimates.next_if(|e| e.model == m.id).map(EstimateLine::of);
        models.push(ModelWithEstimate { status: m, estimate });
    }
    Ok(StatusWithEstimates { head: status.head, models })
}
