//! The franchise list parsed a run per thread, cut at the writer's franchise boundaries.

use crate::model::Franchise;

use super::{FRANCHISE_CUT, Parser, RunEnd};

impl<'a> Parser<'a> {
    /// The franchise list, split into `threads` runs when it has the writer's boundaries.
    pub(super) fn franchises(&mut self, threads: usize) -> Option<Vec<Franchise>> {
        self.expect(b'[')?;
        let start = self.i;
        let cuts = if threads > 1 {
            cuts(self.t, start, threads)
        } else {
            Vec::new()
        };
        if !cuts.is_empty()
            && let Some((franchises, end)) = self.franchises_parallel(start, &cuts)
        {
            self.i = end;
            return Some(franchises);
        }
        self.i = start;
        match self.franchise_run(None)? {
            (franchises, RunEnd::Closed) => Some(franchises),
            (_, RunEnd::Reached) => None,
        }
    }

    /// Parses the runs `start..cuts[0]`, `cuts[0]..cuts[1]`, …, `cuts[last]..]` at once. `None`
    /// when any run does not end exactly where the next begins (a cut inside a string, say)
    /// or fails: the caller then parses in one run, which decides.
    pub(super) fn franchises_parallel(
        &self,
        start: usize,
        cuts: &[usize],
    ) -> Option<(Vec<Franchise>, usize)> {
        let text = self.t;
        let run = |from: usize, until: Option<usize>| {
            let mut p = Parser::at(text, from);
            let (franchises, end) = p.franchise_run(until)?;
            let expected = if until.is_some() {
                RunEnd::Reached
            } else {
                RunEnd::Closed
            };
            (std::mem::discriminant(&end) == std::mem::discriminant(&expected))
                .then_some((franchises, p.i))
        };
        let runs: Vec<Option<(Vec<Franchise>, usize)>> = std::thread::scope(|scope| {
            let handles: Vec<_> = cuts
                .iter()
                .enumerate()
                .map(|(k, &from)| {
                    let until = cuts.get(k + 1).copied();
                    // A thread the system refuses is a run that failed: one run then decides.
                    std::thread::Builder::new()
                        .spawn_scoped(scope, move || {
                            // A new heap, advised as `main` advised its own (see `heap`).
                            crate::heap::advise_huge_pages();
                            run(from, until)
                        })
                        .ok()
                })
                .collect();
            let first = run(start, cuts.first().copied());
            std::iter::once(first)
                .chain(
                    handles
                        .into_iter()
                        .map(|h| h.and_then(|h| h.join().ok().flatten())),
                )
                .collect()
        });
        let mut all = Vec::new();
        let mut end = start;
        for r in runs {
            let (franchises, at) = r?;
            all.extend(franchises);
            end = at;
        }
        Some((all, end))
    }

    /// Franchises from the cursor (just after `[`, or at a `(` that follows a comma) until the
    /// list closes, or, with `until`, until the cursor is at that element start. `None` if the
    /// cursor passes `until` without landing on it.
    fn franchise_run(&mut self, until: Option<usize>) -> Option<(Vec<Franchise>, RunEnd)> {
        let mut franchises = Vec::new();
        let mut had_comma = true;
        loop {
            self.ws();
            if let Some(cut) = until {
                if self.i == cut {
                    return had_comma.then_some((franchises, RunEnd::Reached));
                }
                if self.i > cut {
                    return None;
                }
            }
            if self.eat(b']') {
                return Some((franchises, RunEnd::Closed));
            }
            if !had_comma {
                return None;
            }
            franchises.push(self.franchise()?);
            self.ws();
            had_comma = self.eat(b',');
        }
    }
}

/// Up to `threads - 1` cut points after `start`, at the writer's franchise boundaries nearest
/// after even shares of the text. Each is the byte offset of a franchise's `(`.
pub(super) fn cuts(text: &str, start: usize, threads: usize) -> Vec<usize> {
    let len = text.len() - start;
    let mut cuts: Vec<usize> = Vec::new();
    for k in 1..threads {
        let mut target = start + len * k / threads;
        while !text.is_char_boundary(target) {
            target += 1;
        }
        let floor = cuts.last().map_or(start, |c| c + 1).max(target);
        let Some(found) = text.get(floor..).and_then(|rest| rest.find(FRANCHISE_CUT)) else {
            break;
        };
        cuts.push(floor + found + FRANCHISE_CUT.len() - 1);
    }
    cuts
}
