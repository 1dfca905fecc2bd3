//! Sorting for the wasm modules: every sort goes through one instance of the standard stable
//! sort (over positions, with the comparison behind a `dyn`), instead of one instance per
//! element type and comparison, each a few KB of code in the download.

use std::cmp::Ordering;

/// Sorts `items` by `compare`, stably.
pub fn sort_by<T>(items: &mut Vec<T>, compare: impl Fn(&T, &T) -> Ordering) {
    let order = sorted_positions(items.len(), &|a, b| compare(&items[a], &items[b]));
    rearrange(items, order);
}

/// Sorts `items` by `key`, stably, computing each key once.
pub fn sort_by_cached_key<T, K: Ord>(items: &mut Vec<T>, key: impl Fn(&T) -> K) {
    let keys: Vec<K> = items.iter().map(key).collect();
    let order = sorted_positions(items.len(), &|a, b| keys[a].cmp(&keys[b]));
    rearrange(items, order);
}

/// Sorts `items` in their natural order, stably.
pub fn sort<T: Ord>(items: &mut Vec<T>) {
    sort_by(items, T::cmp);
}

fn sorted_positions(len: usize, compare: &dyn Fn(usize, usize) -> Ordering) -> Vec<usize> {
    let mut positions: Vec<usize> = (0..len).collect();
    positions.sort_by(|&a, &b| compare(a, b));
    positions
}

/// Puts the item at `order[i]` in place `i`.
fn rearrange<T>(items: &mut Vec<T>, order: Vec<usize>) {
    let mut taken: Vec<Option<T>> = std::mem::take(items).into_iter().map(Some).collect();
    items.extend(
        order
            .into_iter()
            .filter_map(|position| taken[position].take()),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_stably_by_a_comparison() {
        let mut pairs = vec![(2, 'a'), (1, 'b'), (2, 'c'), (0, 'd'), (1, 'e')];
        sort_by(&mut pairs, |x, y| x.0.cmp(&y.0));
        assert_eq!(pairs, [(0, 'd'), (1, 'b'), (1, 'e'), (2, 'a'), (2, 'c')]);
    }

    #[test]
    fn sorts_by_a_key_computed_once_each() {
        let calls = std::cell::Cell::new(0);
        let mut words = vec!["ccc".to_owned(), "a".into(), "bb".into(), "".into()];
        sort_by_cached_key(&mut words, |w| {
            calls.set(calls.get() + 1);
            w.len()
        });
        assert_eq!(words, ["", "a", "bb", "ccc"]);
        assert_eq!(calls.get(), 4);
    }

    #[test]
    fn sorts_naturally_and_keeps_every_item() {
        let mut numbers = vec![5, 3, 9, 3, 0, 7];
        sort(&mut numbers);
        assert_eq!(numbers, [0, 3, 3, 5, 7, 9]);
        let mut empty: Vec<u8> = Vec::new();
        sort(&mut empty);
        assert!(empty.is_empty());
    }
}
