//! What `u` takes back: the inverses of the last edits, newest last. They name what they
//! touch by ids, so they stay good across a reload of the file.

use crate::model::Edit;

/// How many changes `u` can take back.
const LEVELS: usize = 200;

#[derive(Debug, Default)]
pub struct Undo {
    inverses: Vec<Edit>,
}

impl Undo {
    pub fn push(&mut self, inverse: Edit) {
        self.inverses.push(inverse);
        if self.inverses.len() > LEVELS {
            self.inverses.remove(0);
        }
    }

    pub fn pop(&mut self) -> Option<Edit> {
        self.inverses.pop()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_newest_two_hundred() {
        let mut undo = Undo::default();
        for i in 0..250 {
            undo.push(Edit::SetCatalogNotified(Some(i)));
        }
        assert_eq!(undo.pop(), Some(Edit::SetCatalogNotified(Some(249))));
        let mut n = 1;
        while undo.pop().is_some() {
            n += 1;
        }
        assert_eq!(n, 200);
    }
}
