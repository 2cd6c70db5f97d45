//! The `requires` graph between gates. A gate may require a later one (`order` is how gates are
//! shown, not a promise about requirements), so gates are judged in an order of their own: each
//! after the gates it requires. Gates that require each other, directly or around a longer
//! loop, can never pass; such a cycle makes the framework malformed.

use std::collections::{HashMap, VecDeque};

use crate::checklist::{self, Gate};
use crate::error::Malformed;

/// Gates that require each other. `gates` are indexes into the slice the cycle was found in,
/// in that slice's order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cycle {
    pub gates: Vec<usize>,
    /// A round trip through every gate of the cycle along `requires`, by id, ending where it
    /// starts (`safety -> release -> safety`).
    pub walk: Vec<String>,
}

impl Cycle {
    /// What a reader is told, the same in `status`, `verify` and a locked gate's reason.
    pub fn message(&self) -> String {
        format!("gates {} require each other", self.walk.join(" -> "))
    }

    /// The cycle as a malformed framework, reported at the checklist of its first gate in
    /// `gates` (the slice it was found in).
    pub fn problem(&self, gates: &[Gate]) -> Malformed {
        let first = &gates[self.gates[0]];
        Malformed::new(checklist::path(&first.id), None, format!("{}; none of them can pass", self.message()))
    }
}

/// For each gate, the indexes of the gates it requires; requirements naming no gate in
/// `gates` are left out (they are reported on their own, and the gate stays locked).
fn edges(gates: &[Gate]) -> Vec<Vec<usize>> {
    let index: HashMap<&str, usize> = gates.iter().enumerate().map(|(i, g)| (g.id.as_str(), i)).collect();
    gates.iter().map(|g| g.requires.iter().filter_map(|r| index.get(r.as_str()).copied()).collect()).collect()
}

/// The gates grouped into strongly connected components of `requires`, every component after
/// the components it requires (Tarjan's algorithm emits them in that order). A component of
/// more than one gate, or of a gate requiring itself, is a cycle. Iterative, so a hostile
/// framework of thousands of gates in a chain cannot overflow the stack.
fn components(edges: &[Vec<usize>]) -> Vec<Vec<usize>> {
    const UNSEEN: usize = usize::MAX;
    let n = edges.len();
    let (mut index, mut low, mut on_stack) = (vec![UNSEEN; n], vec![0; n], vec![false; n]);
    let (mut stack, mut out, mut next) = (Vec::new(), Vec::new(), 0);
    for root in 0..n {
        if index[root] != UNSEEN {
            continue;
        }
        // Each frame: a gate and how many of its requirements were looked at.
        let mut frames = vec![(root, 0)];
        (index[root], low[root], next) = (next, next, next + 1);
        stack.push(root);
        on_stack[root] = true;
        while let Some(&(v, seen)) = frames.last() {
            if let Some(&w) = edges[v].get(seen) {
                frames.last_mut().expect("a frame").1 += 1;
                if index[w] == UNSEEN {
                    (index[w], low[w], next) = (next, next, next + 1);
                    stack.push(w);
                    on_stack[w] = true;
                    frames.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
                continue;
            }
            frames.pop();
            if let Some(&(parent, _)) = frames.last() {
                low[parent] = low[parent].min(low[v]);
            }
            if low[v] == index[v] {
                let mut component = Vec::new();
                while let Some(w) = stack.pop() {
                    on_stack[w] = false;
                    component.push(w);
                    if w == v {
                        break;
                    }
                }
                component.sort_unstable();
                out.push(component);
            }
        }
    }
    out
}

/// The shortest path from `from` to another gate `to` along `requires` inside `within` (a
/// sorted, strongly connected component, so there is one), both ends included.
fn path(edges: &[Vec<usize>], within: &[usize], from: usize, to: usize) -> Vec<usize> {
    let mut came_from = HashMap::from([(from, from)]);
    let mut queue = VecDeque::from([from]);
    while let Some(v) = queue.pop_front() {
        if v == to {
            break;
        }
        for &w in &edges[v] {
            if within.binary_search(&w).is_ok() && !came_from.contains_key(&w) {
                came_from.insert(w, v);
                queue.push_back(w);
            }
        }
    }
    let mut out = vec![to];
    let mut at = to;
    while at != from {
        at = came_from[&at];
        out.push(at);
    }
    out.reverse();
    out
}

/// A round trip from the component's first gate through all of its gates, by id.
fn walk(gates: &[Gate], edges: &[Vec<usize>], component: &[usize]) -> Vec<String> {
    let start = component[0];
    let mut at = start;
    let mut walk = vec![start];
    for &gate in &component[1..] {
        if !walk.contains(&gate) {
            walk.extend(path(edges, component, at, gate).into_iter().skip(1));
            at = gate;
        }
    }
    if at == start {
        walk.push(start); // a gate that requires itself
    } else {
        walk.extend(path(edges, component, at, start).into_iter().skip(1));
    }
    walk.into_iter().map(|i| gates[i].id.clone()).collect()
}

/// The gates in an order where each comes after the gates it requires, as components: a
/// component is one gate, or a cycle.
pub fn judging_order(gates: &[Gate]) -> Vec<(Vec<usize>, Option<Cycle>)> {
    let edges = edges(gates);
    components(&edges)
        .into_iter()
        .map(|component| {
            let cyclic = component.len() > 1 || edges[component[0]].contains(&component[0]);
            let cycle = cyclic.then(|| Cycle { walk: walk(gates, &edges, &component), gates: component.clone() });
            (component, cycle)
        })
        .collect()
}

/// Every cycle in `requires`, in the order of their first gates.
pub fn cycles(gates: &[Gate]) -> Vec<Cycle> {
    let mut cycles: Vec<Cycle> = judging_order(gates).into_iter().filter_map(|(_, cycle)| cycle).collect();
    cycles.sort_by_key(|c| c.gates[0]);
    cycles
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::tests::gate;

    fn walks(gates: &[Gate]) -> Vec<String> {
        cycles(gates).iter().map(|c| c.walk.join(" -> ")).collect()
    }

    #[test]
    fn each_gate_is_judged_after_the_gates_it_requires() {
        let gates = [gate("a", 1, &["b", "x"]), gate("b", 2, &["c"]), gate("c", 3, &[]), gate("d", 4, &["a", "c"])];
        let order: Vec<usize> = judging_order(&gates).into_iter().flat_map(|(c, _)| c).collect();
        let at = |i: usize| order.iter().position(|&o| o == i).unwrap();
        assert_eq!(order.len(), 4, "every gate once: {order:?}");
        assert!(at(2) < at(1) && at(1) < at(0) && at(0) < at(3), "{order:?}");
        assert!(cycles(&gates).is_empty(), "an unknown requirement (x) is no cycle");
    }

    #[test]
    fn cycles_name_every_gate_in_them_once_per_cycle() {
        let two = [gate("intake", 1, &[]), gate("safety", 2, &["release"]), gate("release", 3, &["safety", "intake"])];
        assert_eq!(walks(&two), ["safety -> release -> safety"]);
        let three = [gate("a", 1, &["b"]), gate("c", 2, &["a"]), gate("b", 3, &["c"])];
        assert_eq!(walks(&three), ["a -> b -> c -> a"], "along requires, from the first gate in order");
        // Two loops sharing b: one component, and a round trip through all of it.
        let knot = [gate("a", 1, &["b"]), gate("b", 2, &["a", "c"]), gate("c", 3, &["b"]), gate("d", 4, &["c"])];
        assert_eq!(walks(&knot), ["a -> b -> c -> b -> a"], "d only requires the cycle");
        let separate = [gate("a", 1, &["b"]), gate("b", 2, &["a"]), gate("c", 3, &["d"]), gate("d", 4, &["c"])];
        assert_eq!(walks(&separate), ["a -> b -> a", "c -> d -> c"]);
        assert_eq!(walks(&[gate("self", 1, &["self"])]), ["self -> self"]);
        let problem = cycles(&two)[0].problem(&two);
        assert_eq!(problem.location.path, "policies/checklists/safety.md");
        assert!(problem.message.starts_with("gates safety -> release -> safety require each other"), "{problem}");
    }

    #[test]
    fn a_long_chain_does_not_overflow_the_stack() {
        let n = 100_000;
        let ids: Vec<String> = (0..n).map(|i| format!("g{i}")).collect();
        let gates: Vec<Gate> = (0..n)
            .map(|i| gate(&ids[i], i as i64, &ids.get(i + 1).map(|r| vec![r.as_str()]).unwrap_or_default()))
            .collect();
        let order: Vec<usize> = judging_order(&gates).into_iter().flat_map(|(c, _)| c).collect();
        assert_eq!(order.first(), Some(&(n - 1)), "the last gate of the chain requires nothing: judged first");
        assert_eq!(order.last(), Some(&0));
        let mut looped = gates;
        looped[n - 1].requires = vec!["g0".into()];
        assert_eq!(cycles(&looped)[0].walk.len(), n + 1, "one cycle through every gate");
    }
}
