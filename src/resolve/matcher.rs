//! The token walk over the name FST and the choice of mentions.

use std::cmp::Reverse;

use fst::raw::{Fst, Node, Output};

use super::common_words::{is_common_word, is_frequent_word};
use super::context::rerank_by_country;
use super::inflection::{extra_forms, LanguageSignals, TokenForm};
use super::rank::{match_confidence, prior_weight};
use super::{Candidate, MatchKind, Mention, OverlapPolicy, ResolveOptions, Span};
use crate::entity::NameKind;
use crate::index::{Bytes, FeatureClass, Index, IndexError};
use crate::text::{
    normalize, romanize, starts_lowercase, tokenize, OffsetConverter, Tokens, KEY_SEPARATOR,
};

/// Confidence kept when a name matched only after taking an ending or a
/// clitic off.
const INFLECTED_CONFIDENCE: f64 = 0.95;

/// Confidence kept when a name matched only through romanisation.
const TRANSLITERATED_CONFIDENCE: f64 = 0.9;

/// Longest name, in tokens, that the walk follows.
const MAX_NAME_TOKENS: usize = 12;

/// A name key found in the text: tokens `first..=last`, covering the
/// original bytes `span`.
#[derive(Debug, Clone, Copy)]
struct KeyMatch {
    first: usize,
    last: usize,
    key: u64,
    span: (usize, usize),
    inflected: bool,
    transliterated: bool,
}

/// One accepted match with its ranked entities, before payloads are read.
#[derive(Debug)]
struct Scored {
    byte_start: usize,
    byte_end: usize,
    /// (entity, name_ref, name_kind, score), best first.
    ranked: Vec<(u32, u32, NameKind, f64)>,
    inflected: bool,
    transliterated: bool,
}

/// Finds and resolves every gazetteer name in `text`.
pub fn resolve(
    index: &Index,
    text: &str,
    options: &ResolveOptions,
) -> Result<Vec<Mention>, IndexError> {
    let tokens = tokenize(text);
    let signals = LanguageSignals::detect(&options.languages, text);
    let mut accepted: Vec<Scored> = Vec::new();
    let mut next_free = 0;
    let mut matches = Vec::new();
    let root = index.names_fst().root();
    let lowercase = index.lowercase_first_tokens();
    let lowercase_root = lowercase.root();
    let mut romanized = RomanizedTokens::new();
    for first in 0..tokens.len() {
        if options.overlap == OverlapPolicy::Longest && first < next_free {
            continue;
        }
        if starts_lowercase(tokens.surface(first))
            && !(index.may_start_lowercase_name(tokens.normalized(first))
                && contains(lowercase, lowercase_root, tokens.normalized(first)))
        {
            // Only names listed in lowercase can start at a lowercase word.
            continue;
        }
        walk(
            index.names_fst(),
            root,
            &tokens,
            first,
            signals,
            &mut matches,
        );
        if matches.is_empty() && !tokens.surface(first).is_ascii() {
            // Names in the text's own script come first; romanisation is the
            // fallback for names the gazetteer lists only in other scripts.
            walk_romanized(
                index.names_fst(),
                root,
                &tokens,
                first,
                &mut romanized,
                &mut matches,
            );
        }
        // Longest first, so the first accepted is leftmost-longest.
        for &m in matches.iter().rev() {
            let Some(scored) = score_match(index, &tokens, text, m, options) else {
                continue;
            };
            accepted.push(scored);
            if options.overlap == OverlapPolicy::Longest {
                next_free = m.last + 1;
                break;
            }
        }
    }
    let mut ranked: Vec<_> = accepted.iter_mut().map(|s| &mut s.ranked).collect();
    rerank_by_country(index, &mut ranked);
    accepted.retain(|s| s.ranked[0].3 >= options.min_score);
    let mut converter = OffsetConverter::new(text);
    let mut mentions = Vec::with_capacity(accepted.len());
    for scored in accepted {
        mentions.push(to_mention(index, text, &mut converter, scored, options)?);
    }
    Ok(mentions)
}

/// Set membership from a cached root node: decoding a large root node for
/// every word would cost more than the rest of the lookup.
fn contains(fst: &Fst<Bytes>, root: Node<'_>, key: &str) -> bool {
    let mut node = root;
    for b in key.bytes() {
        match node.find_input(b) {
            Some(t) => node = fst.node(node.transition_addr(t)),
            None => return false,
        }
    }
    node.is_final()
}

/// Every name key that starts at token `first`, in any of its forms, into
/// `found` (cleared first), ordered so that the last is the longest.
fn walk(
    fst: &Fst<Bytes>,
    root: Node<'_>,
    tokens: &Tokens<'_>,
    first: usize,
    signals: LanguageSignals,
    found: &mut Vec<KeyMatch>,
) {
    found.clear();
    if signals.as_written_only {
        // No token of this text has other forms: the plain walk, without
        // the bookkeeping for forms.
        walk_as_written(fst, root, tokens, first, found);
        return;
    }
    let walker = Walker {
        fst,
        tokens,
        signals,
        first,
    };
    walker.each_form(first, true, |form| {
        if let Some((node, output)) = walker.feed(root, Output::zero(), first, &form) {
            walker.extend(first, node, output, form.span.0, form, false, found);
        }
    });
    // Longest span last; between equal spans the form as written last.
    found.sort_by_key(|m| (m.last, m.span.1, Reverse(m.span.0), !m.inflected));
    // One match per span: the preferred one.
    found.reverse();
    found.dedup_by_key(|m| m.span);
    found.reverse();
}

/// Where the walk over plain token keys gets each token's key.
trait TokenKeys {
    fn key(&mut self, i: usize) -> Option<&str>;
}

/// Tokens as written (normalised).
struct AsWritten<'a, 't>(&'a Tokens<'t>);

impl TokenKeys for AsWritten<'_, '_> {
    fn key(&mut self, i: usize) -> Option<&str> {
        Some(self.0.normalized(i))
    }
}

/// Tokens romanised, computed on first use.
struct Romanized<'a, 't> {
    tokens: &'a Tokens<'t>,
    cache: &'a mut RomanizedTokens,
}

impl TokenKeys for Romanized<'_, '_> {
    fn key(&mut self, i: usize) -> Option<&str> {
        self.cache.get(self.tokens, i)
    }
}

/// [`walk`] for texts where every token stands only as written.
fn walk_as_written(
    fst: &Fst<Bytes>,
    root: Node<'_>,
    tokens: &Tokens<'_>,
    first: usize,
    found: &mut Vec<KeyMatch>,
) {
    walk_keys(
        fst,
        root,
        tokens,
        first,
        &mut AsWritten(tokens),
        false,
        found,
    );
}

/// Every name key spelled by consecutive token keys from `first`, one form
/// per token.
fn walk_keys(
    fst: &Fst<Bytes>,
    root: Node<'_>,
    tokens: &Tokens<'_>,
    first: usize,
    keys: &mut impl TokenKeys,
    transliterated: bool,
    found: &mut Vec<KeyMatch>,
) {
    let (mut node, mut output) = (root, Output::zero());
    for i in first..tokens.len().min(first + MAX_NAME_TOKENS) {
        if i > first {
            if !tokens.can_join(i) {
                return;
            }
            if !tokens.is_tight(i) {
                match step(fst, node, output, KEY_SEPARATOR) {
                    Some(stepped) => (node, output) = stepped,
                    None => return,
                }
            }
        }
        let Some(key) = keys.key(i) else {
            return;
        };
        for &b in key.as_bytes() {
            match step(fst, node, output, b) {
                Some(stepped) => (node, output) = stepped,
                None => return,
            }
        }
        if node.is_final() {
            found.push(KeyMatch {
                first,
                last: i,
                key: output.cat(node.final_output()).value(),
                span: (tokens.token(first).start, tokens.token(i).end),
                inflected: false,
                transliterated,
            });
        }
    }
}

struct Walker<'a, 't> {
    fst: &'a Fst<Bytes>,
    tokens: &'a Tokens<'t>,
    signals: LanguageSignals,
    first: usize,
}

impl<'a> Walker<'a, '_> {
    /// Calls `visit` with the token as written, then its other forms.
    fn each_form(&self, i: usize, opens_name: bool, mut visit: impl FnMut(TokenForm)) {
        let token = self.tokens.token(i);
        visit(TokenForm {
            name_prefix: "",
            stem: (0, self.tokens.normalized(i).len()),
            name_suffix: "",
            span: (token.start, token.end),
            inflected: false,
            continues: true,
            proclitic: false,
        });
        let ascii = self.tokens.surface(i).is_ascii();
        if ascii && !self.signals.german && !self.signals.turkic {
            return;
        }
        let mut extra = Vec::new();
        extra_forms(self.tokens, i, self.signals, &mut extra);
        for form in extra {
            if opens_name || !form.proclitic {
                visit(form);
            }
        }
    }

    /// Feeds one form of token `i` to the FST from `node`.
    fn feed(
        &self,
        node: Node<'a>,
        output: Output,
        i: usize,
        form: &TokenForm,
    ) -> Option<(Node<'a>, Output)> {
        let norm = &self.tokens.normalized(i)[form.stem.0..form.stem.1];
        let (mut node, mut output) = (node, output);
        for part in [form.name_prefix, norm, form.name_suffix] {
            for &b in part.as_bytes() {
                (node, output) = step(self.fst, node, output, b)?;
            }
        }
        Some((node, output))
    }

    /// Records a match if `node` ends a name, then tries to continue the
    /// name into the next token.
    #[allow(clippy::too_many_arguments)]
    fn extend(
        &self,
        i: usize,
        node: Node<'a>,
        output: Output,
        span_start: usize,
        form: TokenForm,
        inflected_before: bool,
        found: &mut Vec<KeyMatch>,
    ) {
        let inflected = inflected_before || form.inflected;
        if node.is_final() {
            found.push(KeyMatch {
                first: self.first,
                last: i,
                key: output.cat(node.final_output()).value(),
                span: (span_start, form.span.1),
                inflected,
                transliterated: false,
            });
        }
        let next = i + 1;
        if !form.continues
            || form.span.1 != self.tokens.token(i).end
            || next >= self.tokens.len()
            || next - self.first >= MAX_NAME_TOKENS
            || !self.tokens.can_join(next)
        {
            return;
        }
        let (node, output) = if self.tokens.is_tight(next) {
            (node, output)
        } else {
            match step(self.fst, node, output, KEY_SEPARATOR) {
                Some(stepped) => stepped,
                None => return,
            }
        };
        self.each_form(next, false, |next_form| {
            if let Some((node, output)) = self.feed(node, output, next, &next_form) {
                self.extend(next, node, output, span_start, next_form, inflected, found);
            }
        });
    }
}

#[inline(always)]
fn step<'f>(
    fst: &'f Fst<Bytes>,
    node: Node<'f>,
    output: Output,
    b: u8,
) -> Option<(Node<'f>, Output)> {
    let t = node.transition(node.find_input(b)?);
    Some((fst.node(t.addr), output.cat(t.out)))
}

/// Romanised, normalised tokens, computed on first use.
struct RomanizedTokens(Vec<Option<Option<String>>>);

impl RomanizedTokens {
    fn new() -> Self {
        Self(Vec::new())
    }

    fn get(&mut self, tokens: &Tokens<'_>, i: usize) -> Option<&str> {
        if self.0.len() < tokens.len() {
            self.0.resize(tokens.len(), None);
        }
        self.0[i]
            .get_or_insert_with(|| romanize(tokens.surface(i)).map(|r| normalize(&r)))
            .as_deref()
    }
}

/// Every name key spelled by the romanised tokens from `first`, like
/// [`walk`] but without inflected forms.
fn walk_romanized(
    fst: &Fst<Bytes>,
    root: Node<'_>,
    tokens: &Tokens<'_>,
    first: usize,
    romanized: &mut RomanizedTokens,
    found: &mut Vec<KeyMatch>,
) {
    found.clear();
    let mut keys = Romanized {
        tokens,
        cache: romanized,
    };
    walk_keys(fst, root, tokens, first, &mut keys, true, found);
}

/// Applies the precision rules and ranks the entities of one match; `None`
/// when the match is rejected.
fn score_match(
    index: &Index,
    tokens: &Tokens<'_>,
    text: &str,
    m: KeyMatch,
    options: &ResolveOptions,
) -> Option<Scored> {
    let (byte_start, mut byte_end) = m.span;
    let surface = &text[byte_start..byte_end];

    // Cheap precision checks first: most rejected matches are ordinary
    // lowercase words that happen to be a name somewhere.
    let listed_as_written = || {
        index
            .postings(m.key)
            .any(|p| index.name_bytes(p.name_ref) == surface.as_bytes())
    };
    if !looks_like_a_name(tokens, text, m, listed_as_written) {
        return None;
    }
    let mut ranked: Vec<(u32, u32, NameKind, f64)> = Vec::new();
    for posting in index.postings(m.key) {
        if !options.kinds.is_empty() {
            match index.entity_kind(posting.entity) {
                Some(kind) if options.kinds.contains(&kind) => {}
                _ => continue,
            }
        }
        let weight = prior_weight(index, posting.entity, posting.name_kind);
        ranked.push((posting.entity, posting.name_ref, posting.name_kind, weight));
    }
    if ranked.is_empty() {
        return None;
    }
    if m.first == m.last {
        let (best, best_name) = ranked
            .iter()
            .max_by(|a, b| a.3.total_cmp(&b.3))
            .map_or((0, 0), |r| (r.0, r.1));
        // An inflected word is judged by its dictionary form.
        let dictionary_form;
        let word = if m.inflected {
            dictionary_form = normalize(index.name(best_name));
            dictionary_form.as_str()
        } else {
            tokens.normalized(m.first)
        };
        // Cheap tests first: the word lists are only consulted for obscure
        // places and for words leading another capitalised word.
        let prominent = is_prominent(index, best);
        if !prominent && (is_common_word(word) || is_frequent_word(word)) {
            // A frequent word names an obscure place far less often than it
            // is just a word (`Center`, `David`, `По`).
            return None;
        }
        if index.feature_class(best) < FeatureClass::Country
            && starts_capitalised_name(tokens, text, m.last + 1)
            && is_frequent_word(word)
        {
            // `David Walker`, `Владимира Путина`, `Moscow Times`: a frequent
            // word leading another capitalised word is part of some other
            // name.
            return None;
        }
    }
    let total: f64 = ranked.iter().map(|r| r.3).sum();
    ranked.sort_by(|a, b| b.3.total_cmp(&a.3).then(a.0.cmp(&b.0)));
    let mut confidence = match_confidence(
        (m.first..=m.last).flat_map(|i| tokens.normalized(i).chars()),
        ranked[0].2 == NameKind::Primary,
    );
    if m.inflected {
        confidence *= INFLECTED_CONFIDENCE;
    }
    if m.transliterated || ranked[0].2 == NameKind::Transliterated {
        confidence *= TRANSLITERATED_CONFIDENCE;
    }
    for r in &mut ranked {
        r.3 = if total > 0.0 {
            confidence * r.3 / total
        } else {
            0.0
        };
    }
    if ranked[0].3 < options.min_score {
        return None;
    }
    // Tokens stop before a period; an abbreviation listed with its final
    // period (`U.S.`) takes it back.
    if index.name_bytes(ranked[0].1).ends_with(b".") && text[byte_end..].starts_with('.') {
        byte_end += 1;
    }
    Some(Scored {
        byte_start,
        byte_end,
        ranked,
        inflected: m.inflected,
        transliterated: m.transliterated,
    })
}

/// In scripts with case, a name must start with a capital letter (unless
/// the gazetteer lists it as written), and a common word must not merely be
/// capitalised because it opens a sentence.
fn looks_like_a_name(
    tokens: &Tokens<'_>,
    text: &str,
    m: KeyMatch,
    listed_as_written: impl FnOnce() -> bool,
) -> bool {
    let surface = tokens.surface(m.first);
    if starts_lowercase(surface) {
        return listed_as_written();
    }
    if m.first == m.last && is_common_word(tokens.normalized(m.first)) {
        // "March 3" and "May 2020" are dates, not places.
        let before_number = m.last + 1 < tokens.len()
            && tokens
                .normalized(m.last + 1)
                .bytes()
                .all(|b| b.is_ascii_digit());
        return !before_number && !opens_sentence(text, tokens.token(m.first).start);
    }
    true
}

/// Whether token `i` follows the previous one after a single space and
/// starts with a capital letter.
fn starts_capitalised_name(tokens: &Tokens<'_>, text: &str, i: usize) -> bool {
    if i >= tokens.len() {
        return false;
    }
    let gap = &text[tokens.token(i - 1).end..tokens.token(i).start];
    gap == " "
        && tokens
            .surface(i)
            .chars()
            .next()
            .is_some_and(char::is_uppercase)
}

/// Countries, continents, first-level regions, capitals and cities of
/// 100,000 people or more.
fn is_prominent(index: &Index, entity: u32) -> bool {
    index.feature_class(entity) >= FeatureClass::Region
        || index.feature_class(entity) == FeatureClass::Capital
        || index.population(entity) >= PROMINENT_POPULATION
}

/// Population from which a place may be named by a common word.
const PROMINENT_POPULATION: u64 = 100_000;

/// Whether only sentence punctuation, quotes or nothing precede `byte`.
fn opens_sentence(text: &str, byte: usize) -> bool {
    for c in text[..byte].chars().rev() {
        if c.is_whitespace() || matches!(c, '"' | '“' | '«' | '„' | '(' | '\'' | '‘' | '—' | '-')
        {
            continue;
        }
        return matches!(c, '.' | '!' | '?' | ':' | '…' | '•');
    }
    true
}

fn to_mention(
    index: &Index,
    text: &str,
    converter: &mut OffsetConverter<'_>,
    scored: Scored,
    options: &ResolveOptions,
) -> Result<Mention, IndexError> {
    let Scored {
        byte_start,
        byte_end,
        ranked,
        inflected,
        transliterated,
    } = scored;
    let start = converter.position(byte_start);
    let end = converter.position(byte_end);
    let surface = text[byte_start..byte_end].to_string();
    let (best, name_ref, name_kind, score) = ranked[0];
    let entity = index.entity_shared(best)?;
    let matched_name = index.name(name_ref).to_string();
    let match_kind = match name_kind {
        _ if inflected => MatchKind::Inflected,
        _ if transliterated => MatchKind::Transliterated,
        NameKind::Transliterated => MatchKind::Transliterated,
        NameKind::Primary if surface == matched_name => MatchKind::Exact,
        NameKind::Primary => MatchKind::Normalized,
        NameKind::Alias => MatchKind::Alias,
    };
    let mut candidates = Vec::new();
    for &(entity, name_ref, _, score) in ranked.iter().skip(1).take(options.max_candidates) {
        candidates.push(Candidate {
            entity: index.entity_shared(entity)?,
            score,
            matched_name: index.name(name_ref).to_string(),
        });
    }
    Ok(Mention {
        span: Span {
            start: start.char,
            end: end.char,
            byte_start,
            byte_end,
            utf16_start: start.utf16,
            utf16_end: end.utf16,
        },
        surface,
        entity,
        score,
        match_kind,
        matched_name,
        candidates,
    })
}
