//! The FST state after each distinct first token of its keys, in a hash
//! table: the resolver starts a walk at almost every capitalised word, and
//! stepping the FST a node per byte (a cache miss each, in a large index)
//! cost more than any other part of resolving. One probe finds the state
//! after the whole word, or says no key starts with it.

use std::hash::Hasher;

use fst::raw::{Fst, Node};
use rustc_hash::FxHasher;

/// Most first tokens a table holds; an FST with more (a full GeoNames
/// build) is walked byte by byte instead of holding a table this large.
pub const MAX_FIRST_TOKENS: usize = 4_000_000;

/// Distinct first tokens of an FST's keys, each with the address of the
/// node after it and the output gathered on the way.
///
/// A first token is a key's bytes up to the first of the `stops` bytes
/// (or the whole key); it is recorded only where a key ends or a stop byte
/// follows, which is everything a walk over whole tokens can use.
#[derive(Debug)]
pub struct FirstTokens {
    /// The tokens' bytes, one after another.
    bytes: Vec<u8>,
    entries: Vec<Entry>,
    /// Open addressing with linear probing: entry number + 1, 0 for empty.
    slots: Vec<u32>,
}

#[derive(Debug, Clone, Copy)]
struct Entry {
    start: u32,
    len: u32,
    node: u64,
    output: u64,
}

impl FirstTokens {
    /// The table of `fst`, or `None` when it would hold more than
    /// [`MAX_FIRST_TOKENS`] tokens (or more than 4 GiB of token bytes).
    pub fn of<D: AsRef<[u8]>>(fst: &Fst<D>, stops: &[u8]) -> Option<Self> {
        let mut table = Self {
            bytes: Vec::new(),
            entries: Vec::new(),
            slots: Vec::new(),
        };
        // Depth-first over the nodes before the first stop byte, with an
        // explicit stack (keys can be long); each entry holds the byte that
        // led to its node.
        let mut token: Vec<u8> = Vec::new();
        let mut stack: Vec<(Node<'_>, u64, usize, u8)> = vec![(fst.root(), 0, 0, 0)];
        while let Some((node, output, depth, byte)) = stack.pop() {
            if depth > 0 {
                token.truncate(depth - 1);
                token.push(byte);
            }
            let mut ends_token = node.is_final();
            for t in node.transitions() {
                if stops.contains(&t.inp) {
                    ends_token = true;
                } else {
                    stack.push((fst.node(t.addr), output + t.out.value(), depth + 1, t.inp));
                }
            }
            if ends_token && depth > 0 {
                let start = u32::try_from(table.bytes.len()).ok()?;
                table.bytes.extend_from_slice(&token);
                table.entries.push(Entry {
                    start,
                    len: depth as u32,
                    node: node.addr() as u64,
                    output,
                });
                if table.entries.len() > MAX_FIRST_TOKENS {
                    return None;
                }
            }
        }
        table.index();
        Some(table)
    }

    /// The node after `token` and the output gathered on the way, if some
    /// key starts with `token` followed by a stop byte or ends there.
    pub fn get<'f, D: AsRef<[u8]>>(
        &self,
        fst: &'f Fst<D>,
        token: &[u8],
    ) -> Option<(Node<'f>, u64)> {
        self.find(token)
            .map(|entry| (fst.node(entry.node as usize), entry.output))
    }

    /// Whether some key starts with `token` followed by a stop byte or
    /// ends there: [`Self::get`] without decoding the node.
    pub fn contains(&self, token: &[u8]) -> bool {
        self.find(token).is_some()
    }

    fn find(&self, token: &[u8]) -> Option<Entry> {
        if self.slots.is_empty() {
            return None;
        }
        let mask = self.slots.len() - 1;
        let mut slot = hash(token) as usize & mask;
        loop {
            let found = self.slots[slot];
            if found == 0 {
                return None;
            }
            let entry = self.entries[found as usize - 1];
            let (start, len) = (entry.start as usize, entry.len as usize);
            if &self.bytes[start..start + len] == token {
                return Some(entry);
            }
            slot = (slot + 1) & mask;
        }
    }

    /// Builds the slots: a power of two at least twice the entries.
    fn index(&mut self) {
        let size = (self.entries.len() * 2).next_power_of_two().max(2);
        let mask = size - 1;
        self.slots = vec![0; size];
        for (number, entry) in self.entries.iter().enumerate() {
            let (start, len) = (entry.start as usize, entry.len as usize);
            let mut slot = hash(&self.bytes[start..start + len]) as usize & mask;
            while self.slots[slot] != 0 {
                slot = (slot + 1) & mask;
            }
            self.slots[slot] = number as u32 + 1;
        }
    }

    /// Number of first tokens held.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the table holds no token.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

fn hash(token: &[u8]) -> u64 {
    let mut hasher = FxHasher::default();
    hasher.write(token);
    hasher.finish()
}

#[cfg(test)]
mod tests {
    use fst::raw::Output;
    use proptest::prelude::*;

    use super::*;

    /// The node and output after `bytes`, walking one byte at a time.
    fn walk<'f>(fst: &'f Fst<Vec<u8>>, bytes: &[u8]) -> Option<(Node<'f>, u64)> {
        let (mut node, mut output) = (fst.root(), Output::zero());
        for &b in bytes {
            let t = node.transition(node.find_input(b)?);
            output = output.cat(t.out);
            node = fst.node(t.addr);
        }
        Some((node, output.value()))
    }

    fn map(keys: &[&str]) -> fst::Map<Vec<u8>> {
        let mut keys: Vec<&str> = keys.to_vec();
        keys.sort_unstable();
        keys.dedup();
        fst::Map::from_iter(keys.iter().enumerate().map(|(i, k)| (*k, i as u64 * 7)))
            .expect("sorted keys")
    }

    #[test]
    fn finds_the_state_after_each_first_token() {
        let map = map(&["new york", "new", "newark", "tehran", "ab c d", "san jose"]);
        let fst = map.as_fst();
        let table = FirstTokens::of(fst, b" ").expect("small");
        for token in ["new", "newark", "tehran", "ab", "san"] {
            let (node, output) = table.get(fst, token.as_bytes()).expect(token);
            let (walked, walked_output) = walk(fst, token.as_bytes()).expect(token);
            assert_eq!(node.addr(), walked.addr(), "{token}");
            assert_eq!(output, walked_output, "{token}");
        }
        // Prefixes that neither end a key nor reach a separator, and words
        // no key starts with.
        for token in ["ne", "newa", "sa", "york", "jose", "", "tehrans"] {
            assert!(table.get(fst, token.as_bytes()).is_none(), "{token}");
        }
        assert_eq!(table.len(), 5);
    }

    proptest! {
        #[test]
        fn agrees_with_walking_byte_by_byte(
            keys in proptest::collection::vec("[abc]{1,4}( [abc]{1,3}){0,2}", 1..40),
            probes in proptest::collection::vec("[abc]{1,5}", 1..20),
        ) {
            let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
            let map = map(&keys);
            let fst = map.as_fst();
            let table = FirstTokens::of(fst, b" ").expect("small");
            for probe in &probes {
                let walked = walk(fst, probe.as_bytes()).filter(|(node, _)| {
                    node.is_final() || node.find_input(b' ').is_some()
                });
                let found = table.get(fst, probe.as_bytes());
                prop_assert_eq!(
                    found.map(|(n, o)| (n.addr(), o)),
                    walked.map(|(n, o)| (n.addr(), o)),
                    "probe {}", probe
                );
            }
        }
    }
}
