//! The token walk over the name FST and the choice of mentions.

use std::cell::RefCell;
use std::cmp::Reverse;

use fst::raw::{Fst, Node, Output};

use super::aliases::{is_short_word_alias, is_unrelated_alias, short_cased_word};
use super::common_words::{is_common_word, is_frequent_word};
use super::context::rerank_by_context;
use super::coreference::{match_surname, NamedPerson};
use super::inflection::{extra_forms, LanguageSignals, TokenForm};
use super::institutions::{opens_institution_word, MAX_WORDS_AFTER_REGION};
use super::patterns::contradicted_by_container;
use super::place_context::follows_locative_word;
use super::rank::{match_confidence, prior_weight};
use super::{Candidate, MatchKind, Mention, OverlapPolicy, ResolveOptions, Span};
use crate::entity::NameKind;
use crate::index::{Bytes, FeatureClass, FirstTokens, Index, IndexError};
use crate::text::{
    initial_class, normalize, normalize_in_place, normalize_into, push_skeleton, push_soft_form,
    romanize, soft_similarity_at_least, starts_lowercase, tokenize, OffsetConverter, Tokens,
    KEY_SEPARATOR,
};

/// Confidence kept when a name matched only after taking an ending or a
/// clitic off.
const INFLECTED_CONFIDENCE: f64 = 0.95;

/// Confidence kept when a name matched only through romanisation.
const TRANSLITERATED_CONFIDENCE: f64 = 0.9;

/// Confidence kept when a name matched as an unlisted spelling variant,
/// before scaling by the similarity of the spellings.
const VARIANT_CONFIDENCE: f64 = 0.85;

/// Least similarity ([`variant_similarity`]) of a variant to the listed
/// name.
const MIN_VARIANT_SIMILARITY: f64 = 0.8;

/// How steeply a variant candidate's weight falls with its similarity.
const VARIANT_SIMILARITY_EXPONENT: i32 = 8;

/// Most listed keys a variant skeleton is compared with.
const MAX_VARIANT_CANDIDATES: usize = 256;

/// Longest surface, in bytes, that [`score_match`] checks for the final
/// period of an abbreviation (`W.Va`, `Calif`).
const MAX_ABBREVIATION_BYTES: usize = 6;

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
    /// Similarity of an unlisted spelling variant to the most similar
    /// listed name; `None` for listed names.
    variant: Option<f64>,
    /// For a variant, the range of [`VariantKeys`] holding every listed
    /// key similar enough, with its similarity; `key` is the first.
    variant_keys: (u32, u32),
}

/// Listed keys (ordinal, similarity) that variant matches stand for.
type VariantKeys = Vec<(u64, f64)>;

/// One accepted match with its ranked entities, before payloads are read.
#[derive(Debug)]
struct Scored {
    byte_start: usize,
    byte_end: usize,
    /// (entity, name_ref, name_kind, score), best first.
    ranked: Vec<(u32, u32, NameKind, f64)>,
    inflected: bool,
    transliterated: bool,
    variant: bool,
    /// A one-word variant, kept only when another mention names a place
    /// in the same country.
    needs_support: bool,
    /// A surname of a person named in full elsewhere in the document.
    coreference: bool,
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
    let root = index.names_fst().root();
    let first_name_tokens = index.first_name_tokens();
    let mut scratch = WalkScratch::take();
    let WalkScratch {
        matches,
        romanized,
        variants,
        variant_keys,
        variant_scratch,
    } = &mut scratch;
    let variants_root = index.variants_fst().root();
    for first in 0..tokens.len() {
        if options.overlap == OverlapPolicy::Longest && first < next_free {
            continue;
        }
        if starts_lowercase(tokens.surface(first))
            && !index.starts_lowercase_name(tokens.normalized(first))
        {
            // Only names listed in lowercase can start at a lowercase word.
            continue;
        }
        walk(
            (index.names_fst(), root, first_name_tokens),
            &tokens,
            first,
            signals,
            matches,
        );
        if matches.is_empty()
            && !tokens.surface(first).is_ascii()
            && !is_abbreviation(tokens.surface(first))
        {
            // Names in the text's own script come first; romanisation is the
            // fallback for names the gazetteer lists only in other scripts.
            walk_romanized(index.names_fst(), root, &tokens, first, romanized, matches);
        }
        if !options.listed_spellings_only && may_open_variant(&tokens, first) {
            // Unlisted spellings only where no listed name reaches as far.
            let reach = matches.last().map_or(first, |m| m.last + 1);
            walk_variants(
                index,
                variants_root,
                (&tokens, text),
                (first, reach),
                romanized,
                (variants, variant_keys),
                variant_scratch,
            );
            matches.extend(variants.iter());
        }
        // Longest first, so the first accepted is leftmost-longest.
        for &m in matches.iter().rev() {
            let Some(scored) = score_match(index, &tokens, text, m, variant_keys, options) else {
                continue;
            };
            accepted.push(scored);
            if options.overlap == OverlapPolicy::Longest {
                next_free = m.last + 1;
                break;
            }
        }
    }
    scratch.give_back();
    drop_towns_named_as_people(index, &tokens, text, &mut accepted);
    let mut ranked: Vec<_> = accepted
        .iter_mut()
        .map(|s| (s.byte_start, s.byte_end, &mut s.ranked))
        .collect();
    rerank_by_context(index, text, &mut ranked);
    drop_contradicted_variants(index, text, &mut accepted);
    drop_unsupported_variants(index, &mut accepted);
    accepted.retain(|s| s.ranked[0].3 >= options.min_score);
    add_surname_mentions(index, &tokens, text, signals, options, &mut accepted);
    let mut converter = OffsetConverter::new(text);
    let mut mentions = Vec::with_capacity(accepted.len());
    for scored in accepted {
        mentions.push(to_mention(index, text, &mut converter, scored, options)?);
    }
    Ok(mentions)
}

/// Drops the one-word town mentions whose word the document elsewhere
/// uses as a person's name (`Andrew Trapani` … `Trapani said` …
/// `Trapani`), unless a preposition frames that mention as a place.
fn drop_towns_named_as_people(
    index: &Index,
    tokens: &Tokens<'_>,
    text: &str,
    accepted: &mut Vec<Scored>,
) {
    // Cities of note are named in headlines' subject position, after
    // `The` and before `says`, far more often than they are surnames.
    let is_town_word = |s: &Scored| {
        !s.inflected
            && index.feature_class(s.ranked[0].0) <= FeatureClass::City
            && !is_prominent(index, s.ranked[0].0)
            && !text[s.byte_start..s.byte_end].contains(char::is_whitespace)
    };
    let mut towns: Vec<&str> = accepted
        .iter()
        .filter(|s| is_town_word(s))
        .map(|s| &text[s.byte_start..s.byte_end])
        .collect();
    if towns.is_empty() {
        return;
    }
    towns.sort_unstable();
    towns.dedup();
    // The town words the document uses as people's names.
    let mut people: Vec<&str> = Vec::new();
    for i in 0..tokens.len() {
        let word = tokens.surface(i);
        if towns.binary_search(&word).is_err() || people.contains(&word) {
            continue;
        }
        if follows_a_given_name(tokens, text, i) || names_a_speaker(tokens, text, i, i) {
            people.push(word);
        }
    }
    if people.is_empty() {
        return;
    }
    accepted.retain(|s| {
        !is_town_word(s)
            || !people.contains(&&text[s.byte_start..s.byte_end])
            || follows_locative_word(text, s.byte_start)
    });
}

/// Words that open a noun phrase, never a given name (`The Atlanta
/// Journal-Constitution`, `The Texas Department`).
const ARTICLES: &[&str] = &[
    "the", "a", "an", "this", "that", "our", "his", "her", "their",
];

/// The walks' buffers, kept by each thread from one call to the next so
/// that a call does not allocate and regrow them afresh.
#[derive(Debug, Default)]
struct WalkScratch {
    matches: Vec<KeyMatch>,
    romanized: RomanizedTokens,
    variants: Vec<KeyMatch>,
    variant_keys: VariantKeys,
    variant_scratch: VariantScratch,
}

thread_local! {
    static WALK_SCRATCH: RefCell<WalkScratch> = RefCell::default();
}

/// Buffers grown past this many bytes by a large text are not kept.
const MAX_KEPT_SCRATCH_BYTES: usize = 1 << 20;

impl WalkScratch {
    /// This thread's buffers, emptied (fresh ones when a call on this
    /// thread holds them already).
    fn take() -> Self {
        let mut scratch = WALK_SCRATCH.with(|kept| kept.take());
        scratch.matches.clear();
        scratch.romanized.0.clear();
        scratch.variants.clear();
        scratch.variant_keys.clear();
        scratch
    }

    /// Keeps the buffers for this thread's next call, unless a large text
    /// grew them.
    fn give_back(mut self) {
        self.romanized.0.clear();
        let bytes = self.romanized.0.capacity() * std::mem::size_of::<Option<Option<String>>>()
            + self.variant_keys.capacity() * std::mem::size_of::<(u64, f64)>()
            + (self.matches.capacity() + self.variants.capacity())
                * std::mem::size_of::<KeyMatch>();
        if bytes <= MAX_KEPT_SCRATCH_BYTES {
            WALK_SCRATCH.with(|kept| kept.replace(self));
        }
    }
}

/// Confidence kept by a surname standing for a person named in full.
const COREFERENCE_CONFIDENCE: f64 = 0.9;

/// Adds the surnames (and initials with surnames) of the people the
/// document names in full, where no other mention covers them.
fn add_surname_mentions(
    index: &Index,
    tokens: &Tokens<'_>,
    text: &str,
    signals: LanguageSignals,
    options: &ResolveOptions,
    accepted: &mut Vec<Scored>,
) {
    let people: Vec<NamedPerson> = accepted
        .iter()
        .filter_map(|s| {
            let (entity, name_ref, _, score) = s.ranked[0];
            NamedPerson::of(index, entity, name_ref, score)
        })
        .collect();
    if people.is_empty() {
        return;
    }
    let mut covered: Vec<(usize, usize)> = accepted
        .iter()
        .map(|s| (s.byte_start, s.byte_end))
        .collect();
    covered.sort_unstable();
    let mut next_span = 0;
    let mut found = Vec::new();
    for i in 0..tokens.len() {
        let token = tokens.token(i);
        while next_span < covered.len() && covered[next_span].1 <= token.start {
            next_span += 1;
        }
        if covered
            .get(next_span)
            .is_some_and(|&(start, _)| start < token.end)
        {
            continue;
        }
        let Some(m) = match_surname(tokens, text, i, &people, signals) else {
            continue;
        };
        let person = &people[m.person];
        let score = person.score * COREFERENCE_CONFIDENCE;
        if score < options.min_score
            || found
                .last()
                .is_some_and(|last: &Scored| last.byte_end > m.byte_start)
        {
            continue;
        }
        found.push(Scored {
            byte_start: m.byte_start,
            byte_end: m.byte_end,
            ranked: vec![(person.entity, person.name_ref, NameKind::Primary, score)],
            inflected: m.inflected,
            transliterated: false,
            variant: false,
            needs_support: false,
            coreference: true,
        });
    }
    if !found.is_empty() {
        accepted.append(&mut found);
        accepted.sort_by_key(|s| (s.byte_start, Reverse(s.byte_end)));
    }
}

/// Drops spelling variants followed by a region or country that holds
/// none of their candidates (`Port Lois, Ireland`): the text names a place
/// the gazetteer does not list under that spelling.
fn drop_contradicted_variants(index: &Index, text: &str, accepted: &mut Vec<Scored>) {
    if !accepted.iter().any(|s| s.variant) {
        return;
    }
    let spans: Vec<_> = accepted
        .iter()
        .map(|s| (s.byte_start, s.byte_end, &s.ranked))
        .collect();
    let contradicted = contradicted_by_container(index, text, &spans);
    let mut keep = contradicted.iter().map(|&c| !c);
    accepted.retain(|s| keep.next().unwrap_or(true) || !s.variant);
}

/// Drops one-word spelling variants whose country no mention of another
/// entity names: in most prose a capitalised word one letter off a place
/// is a surname (`Verduin`, `Peres`), while a misspelt place comes with
/// its country (`Tahran` beside `Iran`, `Shiraaz` beside `Isfahan`).
fn drop_unsupported_variants(index: &Index, accepted: &mut Vec<Scored>) {
    if !accepted.iter().any(|s| s.needs_support) {
        return;
    }
    let named: Vec<(u32, Option<[u8; 2]>)> = accepted
        .iter()
        .map(|s| (s.ranked[0].0, index.country(s.ranked[0].0)))
        .collect();
    accepted.retain(|s| {
        let entity = s.ranked[0].0;
        let country = index.country(entity);
        !s.needs_support
            || (country.is_some()
                && named
                    .iter()
                    .any(|&(other, c)| other != entity && c == country))
    });
}

/// Every name key that starts at token `first`, in any of its forms, into
/// `found` (cleared first), ordered so that the last is the longest.
fn walk(
    (fst, root, first_tokens): (&Fst<Bytes>, Node<'_>, Option<&FirstTokens>),
    tokens: &Tokens<'_>,
    first: usize,
    signals: LanguageSignals,
    found: &mut Vec<KeyMatch>,
) {
    found.clear();
    let first_tokens = first_tokens.filter(|_| ends_word(tokens, first));
    if signals.as_written_only {
        // No token of this text has other forms: the plain walk, without
        // the bookkeeping for forms.
        walk_keys(
            (fst, root, first_tokens),
            tokens,
            first,
            &mut AsWritten(tokens),
            false,
            found,
        );
        return;
    }
    let walker = Walker {
        fst,
        tokens,
        signals,
        first,
    };
    let mut form_key = Vec::new();
    walker.each_form(first, true, |form| {
        let fed = match first_tokens {
            // Every form of a word is a whole word to the table too.
            Some(table) => {
                let norm = tokens.normalized(first).as_bytes();
                form_key.clear();
                form_key.extend_from_slice(form.name_prefix.as_bytes());
                form_key.extend_from_slice(&norm[form.stem.0..form.stem.1]);
                form_key.extend_from_slice(form.name_suffix.as_bytes());
                table
                    .get(fst, &form_key)
                    .map(|(node, output)| (node, Output::new(output)))
            }
            None => walker.feed(root, Output::zero(), first, &form),
        };
        if let Some((node, output)) = fed {
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

/// Every name key spelled by consecutive token keys from `first`, one form
/// per token.
fn walk_keys(
    (fst, root, first_tokens): (&Fst<Bytes>, Node<'_>, Option<&FirstTokens>),
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
        match first_tokens.filter(|_| i == first) {
            Some(table) => match table.get(fst, key.as_bytes()) {
                Some((after, out)) => (node, output) = (after, Output::new(out)),
                None => return,
            },
            None => {
                for &b in key.as_bytes() {
                    match step(fst, node, output, b) {
                        Some(stepped) => (node, output) = stepped,
                        None => return,
                    }
                }
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
                variant: None,
                variant_keys: (0, 0),
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
            needs_next: false,
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
        if node.is_final() && !form.needs_next {
            found.push(KeyMatch {
                first: self.first,
                last: i,
                key: output.cat(node.final_output()).value(),
                span: (span_start, form.span.1),
                inflected,
                transliterated: false,
                variant: None,
                variant_keys: (0, 0),
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

/// Whether token `i` is a word of its own: the next token, if any, is
/// not written on to it without a space (as in Han or Thai), so a walk
/// from it goes on only after a key separator or ends there. Only then do
/// [`FirstTokens`] tables hold the state after it.
fn ends_word(tokens: &Tokens<'_>, i: usize) -> bool {
    i + 1 >= tokens.len() || !tokens.is_tight(i + 1)
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
#[derive(Debug, Default)]
struct RomanizedTokens(Vec<Option<Option<String>>>);

impl RomanizedTokens {
    fn get(&mut self, tokens: &Tokens<'_>, i: usize) -> Option<&str> {
        if self.0.len() < tokens.len() {
            self.0.resize(tokens.len(), None);
        }
        self.0[i]
            .get_or_insert_with(|| {
                romanize(tokens.surface(i)).map(|mut key| {
                    normalize_in_place(&mut key);
                    key
                })
            })
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
    walk_keys((fst, root, None), tokens, first, &mut keys, true, found);
}

/// Whether an unlisted spelling may start at token `first`: a capitalised
/// word long enough that one changed letter still leaves it similar, or a
/// short one, not a common word (`The`, `Mr`), that opens a name of
/// several capitalised words (`Al Kufa`, `Al-Ramadi`, `Bur Acaba`).
fn may_open_variant(tokens: &Tokens<'_>, first: usize) -> bool {
    let capitalised = |i: usize| {
        tokens
            .surface(i)
            .chars()
            .next()
            .is_some_and(char::is_uppercase)
    };
    if !capitalised(first) {
        return false;
    }
    let word = tokens.normalized(first);
    word.len() >= 4
        || (first + 1 < tokens.len()
            && tokens.can_join(first + 1)
            && capitalised(first + 1)
            && tokens.normalized(first + 1).len() >= 3
            && !is_common_word(word))
}

/// Every unlisted spelling variant of a listed Latin name that starts at
/// token `first` and ends at token `reach` or later, into `found` (cleared
/// first), shortest first: the text's
/// tokens (romanised when not Latin) walk the skeleton set, and of the
/// listed keys sharing a skeleton the most similar one, if similar enough,
/// is the match.
fn walk_variants(
    index: &Index,
    root: Node<'_>,
    (tokens, text): (&Tokens<'_>, &str),
    (first, reach): (usize, usize),
    romanized: &mut RomanizedTokens,
    (found, similar_keys): (&mut Vec<KeyMatch>, &mut VariantKeys),
    scratch: &mut VariantScratch,
) {
    found.clear();
    similar_keys.clear();
    let fst = index.variants_fst();
    let first_skeletons = index.first_skeletons().filter(|_| ends_word(tokens, first));
    let mut node = root;
    let mut output = Output::zero();
    let VariantScratch {
        skeleton,
        text_key,
        text_soft,
        soft,
    } = scratch;
    text_key.clear();
    let mut transliterated = false;
    let first_is_frequent = || {
        let word = tokens.normalized(first);
        is_common_word(word) || is_frequent_word(word)
    };
    for i in first..tokens.len().min(first + MAX_NAME_TOKENS) {
        if i > first {
            if !tokens.can_join(i) {
                return;
            }
            if !tokens.is_tight(i) {
                match step(fst, node, output, KEY_SEPARATOR) {
                    Some(next) => (node, output) = next,
                    None => return,
                }
                text_key.push(KEY_SEPARATOR as char);
            }
        }
        let key = if tokens.surface(i).is_ascii() {
            tokens.normalized(i)
        } else {
            transliterated = true;
            match romanized.get(tokens, i) {
                Some(key) => key,
                None => return,
            }
        };
        skeleton.clear();
        if !push_skeleton(key, skeleton) {
            return;
        }
        match first_skeletons.filter(|_| i == first) {
            Some(table) => match table.get(fst, skeleton.as_bytes()) {
                Some((after, out)) => (node, output) = (after, Output::new(out)),
                None => return,
            },
            None => {
                for &b in skeleton.as_bytes() {
                    match step(fst, node, output, b) {
                        Some(next) => (node, output) = next,
                        None => return,
                    }
                }
            }
        }
        text_key.push_str(key);
        if i < reach {
            // A listed name reaches this far already.
            continue;
        }
        // The group of listed keys with this skeleton and the text's
        // first sound.
        let Some(group) = step(fst, node, output, 0)
            .and_then(|(after, out)| step(fst, after, out, initial_class(text_key.as_bytes()[0])))
            .filter(|(after, _)| after.is_final())
        else {
            continue;
        };
        if i == first && first_is_frequent() {
            // A frequent word alone is never a variant (see
            // `variant_stands_alone`).
            continue;
        }
        if !variant_stands_alone(tokens, text, first, i) {
            // `score_match` would reject any variant of these words: spare
            // comparing the listed keys.
            continue;
        }
        let from = similar_keys.len();
        text_soft.clear();
        push_soft_form(text_key, text_soft);
        // Similarity 0.8 allows one edit in five letters: a key whose
        // length is further off cannot reach it.
        let max_len = text_key.len() * 3 / 2 + 1;
        let listed_keys = index
            .variant_keys(group.1.cat(group.0.final_output()).value())
            .filter(|(_, listed)| listed.len() <= max_len)
            .take(MAX_VARIANT_CANDIDATES);
        for (ordinal, listed) in listed_keys {
            let (a, b) = (text_key.len(), listed.len());
            if a.abs_diff(b) * 3 > a.max(b) {
                continue;
            }
            // The name as listed was the exact walk's to find; the name
            // with a derivational ending added (`Georgian`, `Peterson`) or
            // cut off, or with words cut off, is another word. A final `h`
            // or vowel is spelling (`Berberah`, `Karbalaa`).
            let listed = std::str::from_utf8(listed).unwrap_or("");
            let extended = text_key
                .strip_prefix(listed)
                .map(|tail| (listed, tail))
                .or_else(|| {
                    listed
                        .strip_prefix(text_key.as_str())
                        .map(|tail| (text_key.as_str(), tail))
                });
            if extended.is_some_and(|(shorter, tail)| !is_spelling_tail(shorter, tail)) {
                continue;
            }
            let similar = soft_similarity_at_least(text_soft, listed, soft, MIN_VARIANT_SIMILARITY);
            if let Some(similarity) = similar {
                similar_keys.push((ordinal, similarity));
            }
        }
        if similar_keys.len() > from
            && derives_from_listed_name(index, text_key, &similar_keys[from..])
        {
            similar_keys.truncate(from);
        }
        if similar_keys.len() > from {
            // Most similar first.
            similar_keys[from..].sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            let (key, similarity) = similar_keys[from];
            found.push(KeyMatch {
                first,
                last: i,
                key,
                span: (tokens.token(first).start, tokens.token(i).end),
                inflected: false,
                transliterated,
                variant: Some(similarity),
                variant_keys: (from as u32, similar_keys.len() as u32),
            });
        }
    }
}

/// Whether `key` is a listed name with up to three letters added that
/// make another word of it: a derivational ending (`Georgian`, `Iraqi`,
/// `Peterson`), a word of its own (`London s`, `Tennessee u`), or, in a
/// short word and unless the shorter name is one of `candidates`' own
/// (`Sinah` for Sina), any letters at all: short capitalised words one
/// letter off a town are mostly given names (`Riley`, `Berry`, `Rosie`),
/// and they often hold a shorter place name (`Ril`, `Ber`).
fn derives_from_listed_name(index: &Index, key: &str, candidates: &[(u64, f64)]) -> bool {
    (1..=3).any(|cut| {
        if key.len() <= cut + 2 || !key.is_char_boundary(key.len() - cut) {
            return false;
        }
        let (stem, tail) = key.split_at(key.len() - cut);
        let stem = stem.trim_end_matches(KEY_SEPARATOR as char);
        let Some(listed) = index.find_key(stem) else {
            return false;
        };
        if DERIVATIONAL_ENDINGS.contains(&tail) || tail.contains(KEY_SEPARATOR as char) {
            return true;
        }
        if key.len() > MAX_SHORT_VARIANT_BYTES {
            return false;
        }
        let own = |entity: u32| {
            candidates
                .iter()
                .any(|&(key, _)| index.postings(key).any(|p| p.entity == entity))
        };
        !index.postings(listed).any(|p| own(p.entity))
    })
}

/// Longest key [`derives_from_listed_name`] treats as a short word.
const MAX_SHORT_VARIANT_BYTES: usize = 6;

/// Endings that make another word of a name: a demonym or adjective
/// (`Georgian`, `Iraqi`, `Congolese`, `Londoner`) or a surname
/// (`Peterson`, `Hansen`).
const DERIVATIONAL_ENDINGS: &[&str] = &[
    "n", "an", "ian", "ns", "ans", "s", "es", "i", "is", "er", "ers", "ese", "ish", "ic", "ite",
    "on", "son", "sen",
];

/// Whether the letters one spelling has beyond another, which starts it,
/// are spelling rather than another word: a final `h` or a doubled final
/// vowel (`Berbera`/`Berberah`, `Karbala`/`Karbalaa`), not a derivational
/// ending (`Georgia`/`Georgian`), another vowel (`Kalashnikov`/
/// `Kalashnikovo`), more letters (`Tait`/`Taitou`) nor more words
/// (`Thonon`/`Thonon les Bains`).
fn is_spelling_tail(shorter: &str, tail: &str) -> bool {
    tail == "h" || (matches!(tail, "a" | "e" | "o" | "u") && shorter.ends_with(tail))
}

/// Buffers [`walk_variants`] reuses from one call to the next.
#[derive(Debug, Default)]
struct VariantScratch {
    skeleton: String,
    text_key: String,
    /// The text key's soft form, and the listed key's.
    text_soft: Vec<u8>,
    soft: Vec<u8>,
}

/// Applies the precision rules and ranks the entities of one match; `None`
/// when the match is rejected.
fn score_match(
    index: &Index,
    tokens: &Tokens<'_>,
    text: &str,
    m: KeyMatch,
    variant_keys: &VariantKeys,
    options: &ResolveOptions,
) -> Option<Scored> {
    let (byte_start, byte_end) = m.span;
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
    if m.transliterated && is_hiragana(surface) {
        // Japanese writes names in kanji or katakana; romanised hiragana
        // is grammar (`から` → Kara, `まで` → Made).
        return None;
    }
    if m.variant.is_some() && !variant_stands_alone(tokens, text, m.first, m.last) {
        return None;
    }
    let listed = [(m.key, 1.0)];
    let keys: &[(u64, f64)] = match m.variant {
        None => &listed,
        Some(_) => &variant_keys[m.variant_keys.0 as usize..m.variant_keys.1 as usize],
    };
    // Room for every posting at once: the vector is not regrown.
    let postings: usize = keys
        .iter()
        .map(|&(key, _)| index.postings(key).size_hint().1.unwrap_or(0))
        .sum();
    let mut ranked: Vec<(u32, u32, NameKind, f64)> = Vec::with_capacity(postings);
    // `Ill.`, `Mass.`, `Pa.`: an abbreviation listed with its final period
    // is that only where the text has the period; `Ill` and `Mass` are
    // words.
    let lacks_period =
        surface.len() <= MAX_ABBREVIATION_BYTES && !text[byte_end..].starts_with('.');
    // Computed for the first alias only: most matches have none.
    let mut short_word: Option<Option<bool>> = None;
    for &(key, similarity) in keys {
        for posting in index.postings(key) {
            if lacks_period && index.name_bytes(posting.name_ref).ends_with(b".") {
                continue;
            }
            if !options.kinds.is_empty() {
                match index.entity_kind(posting.entity) {
                    Some(kind) if options.kinds.contains(&kind) => {}
                    _ => continue,
                }
            }
            if is_unrelated_alias(index, posting.entity, posting.name_kind, surface) {
                continue;
            }
            let may_be_short_word = posting.name_kind == NameKind::Alias || m.transliterated;
            if let Some(all_capitals) = may_be_short_word
                .then(|| *short_word.get_or_insert_with(|| short_cased_word(surface)))
                .flatten()
            {
                let listed_with_period = index.name_bytes(posting.name_ref).ends_with(b".");
                if is_short_word_alias(
                    index,
                    (posting.entity, posting.name_kind),
                    all_capitals,
                    (m.transliterated, listed_with_period),
                ) {
                    continue;
                }
            }
            if keys.len() > 1 && ranked.iter().any(|r| r.0 == posting.entity) {
                // Listed under two similar keys: the first, more similar
                // one counts.
                continue;
            }
            // A closer spelling is much likelier the one meant.
            let weight = prior_weight(index, posting.entity, posting.name_kind)
                * similarity.powi(VARIANT_SIMILARITY_EXPONENT);
            ranked.push((posting.entity, posting.name_ref, posting.name_kind, weight));
        }
    }
    if ranked.is_empty() {
        return None;
    }
    prefer_marks_as_written(index, surface, m.inflected, &mut ranked);
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
        // Any prominent candidate will do: `Florida` is the US state
        // even where Uruguay's department of that name ranks first here.
        let prominent = ranked.iter().any(|r| is_prominent(index, r.0));
        // An abbreviation in capitals, listed so (`EU`), is no word.
        if !prominent
            && (is_common_word(word) || is_frequent_word(word))
            && !(is_abbreviation(surface) && listed_as_written())
        {
            // A frequent word names an obscure place far less often than it
            // is just a word (`Center`, `David`, `По`).
            return None;
        }
        if index.feature_class(best) < FeatureClass::Country
            && !m.inflected
            && follows_a_given_name(tokens, text, m.first)
        {
            // `Andrew Trapani`, `Jerry West`, `Matthew D. Flores`: a town's
            // name after a given name or an initial is a surname.
            return None;
        }
        if index.feature_class(best) == FeatureClass::Region
            && DIRECTION_WORDS.contains(&word)
            && !names_a_region(tokens, m.last + 1)
        {
            // `Northeast Georgia`, `Eastern traditions`, `Brownstown
            // Central`: a direction, not Iceland's or Zambia's region of
            // that name, unless a region word follows (`Eastern Province`
            // is listed whole).
            return None;
        }
        if index.feature_class(best) <= FeatureClass::City
            && (names_a_county(tokens, m.last + 1)
                || names_a_speaker(tokens, text, m.first, m.last))
        {
            // `Madison County`, `DeKalb County`: the county, which the
            // gazetteer does not hold, not the town. `Lincoln said`,
            // `Mr. Ripley`: a person.
            return None;
        }
        let words_before_institution = if index.feature_class(best) == FeatureClass::Region {
            MAX_WORDS_AFTER_REGION
        } else {
            0
        };
        if index.feature_class(best) < FeatureClass::Country
            && starts_capitalised_name(tokens, m.last + 1)
            && is_frequent_word(word)
            && !opens_institution_word(tokens, m.last + 1, words_before_institution)
        {
            // `David Walker`, `Владимира Путина`, `Moscow Times`: a frequent
            // word leading another capitalised word is part of some other
            // name. An institution's name keeps its place (`Texas
            // Department of Health`, `Paris High School`, `Tennessee Arts
            // Commission`).
            return None;
        }
    }
    // After the word checks, which judge the name by the region's
    // prominence.
    if !names_a_region(tokens, m.last + 1) {
        prefer_namesake_cities(index, &mut ranked);
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
    if let Some(similarity) = m.variant {
        confidence *= VARIANT_CONFIDENCE * similarity;
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
    Some(Scored {
        byte_start,
        byte_end,
        ranked,
        inflected: m.inflected,
        transliterated: m.transliterated,
        variant: m.variant.is_some(),
        needs_support: m.variant.is_some() && m.first == m.last,
        coreference: false,
    })
}

/// How much a candidate listed with the marks the text writes (`Şuşa`)
/// outweighs one reached only once the marks are folded away (`Susa`).
const MARKS_AS_WRITTEN_BOOST: f64 = 10.0;

/// Ranks up the candidates listed with the surface's diacritics: folding
/// makes `Şuşa` (Shusha, Azerbaijan) one key with `Susa` (Sousse, Tunisia),
/// but a writer who writes the marks names the place spelt with them. An
/// inflected surface need only start with the name (`Şuşaya`). The index
/// keeps a posting per spelling that differs in marks, so an entity may
/// come twice: the better posting stays.
fn prefer_marks_as_written(
    index: &Index,
    surface: &str,
    inflected: bool,
    ranked: &mut Vec<(u32, u32, NameKind, f64)>,
) {
    if ranked.len() < 2 {
        return;
    }
    // One buffer for the folded letters; the cheap fold test before the
    // alphabet table.
    let mut folded = String::new();
    let marked = !surface.is_ascii()
        && surface.chars().any(|c| {
            if c.is_ascii() {
                return false;
            }
            folded.clear();
            normalize_into(c, &mut folded);
            !folded.chars().eq(c.to_lowercase()) && c.is_alphabetic()
        });
    if marked {
        let written = surface.to_lowercase();
        for r in ranked.iter_mut() {
            let name = index.name(r.1).to_lowercase();
            let as_written = if inflected {
                written.starts_with(&name)
            } else {
                written == name
            };
            if as_written {
                r.3 *= MARKS_AS_WRITTEN_BOOST;
            }
        }
    }
    // Postings of one entity are adjacent (sorted by entity per key).
    ranked.dedup_by(|next, kept| {
        if next.0 != kept.0 {
            return false;
        }
        if next.3 > kept.3 {
            std::mem::swap(next, kept);
        }
        true
    });
}

/// A bare name shared by a first-level region and the city it is named
/// after (`Trabzon`, `Lənkəran`, `Murmansk`) is read as the city: where
/// the region's prior is higher, the two trade priors, so the city takes
/// the region's place among the candidates and no other candidate moves.
/// Inflected and bare forms rank alike, and a word for the region after
/// the name ([`names_a_region`]) keeps the region.
fn prefer_namesake_cities(index: &Index, ranked: &mut [(u32, u32, NameKind, f64)]) {
    for r in 0..ranked.len() {
        if index.feature_class(ranked[r].0) != FeatureClass::Region {
            continue;
        }
        let Some(region) = index.admin1(ranked[r].0) else {
            continue;
        };
        let in_region = |c: &(u32, u32, NameKind, f64)| {
            matches!(
                index.feature_class(c.0),
                FeatureClass::City | FeatureClass::Capital
            ) && index.admin1(c.0) == Some(region)
        };
        if !ranked.iter().any(|c| in_region(c) && c.3 < ranked[r].3) {
            // No city of the region would move: spare comparing names.
            continue;
        }
        let city = ranked
            .iter()
            .position(|c| in_region(c) && is_namesake(index, c.0, ranked[r].0));
        if let Some(c) = city {
            if ranked[r].3 > ranked[c].3 {
                let region_weight = ranked[r].3;
                ranked[r].3 = ranked[c].3;
                ranked[c].3 = region_weight;
            }
        }
    }
}

/// Whether two entities' primary names spell the same name, up to
/// diacritics, vowels and script: `Lankaran` and `Lənkəran`, but not
/// `Oklahoma City` and `Oklahoma`.
fn is_namesake(index: &Index, a: u32, b: u32) -> bool {
    let skeleton = |entity: u32| {
        let name = index
            .entity_shared(entity)
            .map(|e| e.name.clone())
            .unwrap_or_default();
        let ascii = any_ascii::any_ascii(&normalize(&name)).to_lowercase();
        let mut out = String::new();
        for word in ascii.split(|c: char| !c.is_ascii_alphabetic()) {
            if !word.is_empty() {
                out.push(' ');
                push_skeleton(word, &mut out);
            }
        }
        out
    };
    let a = skeleton(a);
    !a.trim().is_empty() && a == skeleton(b)
}

/// Words after a name that make it the region's (`Kermanshah province`,
/// `Murmansk governor`, `Trabzon ili`, `Lənkəran rayonu`).
const REGION_WORDS: &[&str] = &[
    "province",
    "region",
    "oblast",
    "governor",
    "governorate",
    "state",
    "ili",
    "ilinde",
    "valisi",
    "rayonu",
    "rayonunda",
    "rayonunun",
];

/// Whether token `i`, or the next one after a suffix such as `'s` or
/// Turkish `'un`, is one of [`REGION_WORDS`].
fn names_a_region(tokens: &Tokens<'_>, i: usize) -> bool {
    let is_region_word =
        |i: usize| i < tokens.len() && REGION_WORDS.contains(&tokens.normalized(i));
    is_region_word(i)
        || (i < tokens.len() && tokens.normalized(i).len() <= 3 && is_region_word(i + 1))
}

/// Words of direction that some countries use alone as the names of their
/// first-level regions.
const DIRECTION_WORDS: &[&str] = &[
    "north",
    "south",
    "east",
    "west",
    "northeast",
    "northwest",
    "southeast",
    "southwest",
    "northern",
    "southern",
    "eastern",
    "western",
    "central",
    "centre",
    "center",
    "centro",
];

/// Capitalised words after a name that make it a county or a township.
const COUNTY_WORDS: &[&str] = &["County", "Counties", "Parish", "Township", "Borough"];

/// Whether token `i` is a county word after a single space.
fn names_a_county(tokens: &Tokens<'_>, i: usize) -> bool {
    tokens
        .word_after_space(i)
        .is_some_and(|word| COUNTY_WORDS.contains(&word))
}

/// Verbs of speech after a subject: a town's name right before one is a
/// person's (`Ripley said`).
const SPEECH_VERBS: &[&str] = &["said", "told", "added", "explained", "wrote", "asked"];

/// Titles before a person's surname.
const TITLES: &[&str] = &[
    "Mr",
    "Mrs",
    "Ms",
    "Dr",
    "Sen",
    "Rep",
    "Gov",
    "Rev",
    "Sgt",
    "Lt",
    "Capt",
    "Judge",
    "Coach",
    "Sheriff",
    "Mayor",
    "Officer",
    "Deputy",
    "Chief",
    "Detective",
    "Trooper",
    "Councilman",
    "Councilwoman",
    "Commissioner",
    "Superintendent",
    "Principal",
    "Senator",
    "Representative",
];

/// Whether the match, one word, is a person's name by its neighbours: a
/// verb of speech right after it (`Lincoln said`), an age between commas
/// (`Brian Munford, 43, of Richmond`) or a title right before it (`Mr.
/// Ripley`, `Sheriff Boone`).
fn names_a_speaker(tokens: &Tokens<'_>, text: &str, first: usize, last: usize) -> bool {
    if first > 0 {
        let before = first - 1;
        let gap = &text[tokens.token(before).end..tokens.token(first).start];
        if matches!(gap, " " | ". ") && TITLES.contains(&tokens.surface(before)) {
            return true;
        }
        if follows_locative_word(text, tokens.token(first).start) {
            // `the 20-year-old from Brampton said`: the place speaks for
            // its speaker.
            return false;
        }
    }
    if gives_an_age(&text[tokens.token(last).end..]) {
        return true;
    }
    tokens
        .word_after_space(last + 1)
        .is_some_and(|word| SPEECH_VERBS.contains(&word))
}

/// Whether `rest` opens with an age between commas (`, 43,`), as news
/// writes it after a person's name; a year (`, 2009,`) has four digits.
fn gives_an_age(rest: &str) -> bool {
    let Some(rest) = rest.strip_prefix(", ") else {
        return false;
    };
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    (1..=3).contains(&digits) && rest[digits..].starts_with(',')
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
        if is_abbreviation(surface) && listed_as_written() {
            // `US` in capitals is not the word `us`, even opening a
            // sentence.
            return true;
        }
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

/// Whether a word is an abbreviation in a script with case: two to four
/// letters, all capitals (`УК`, `США`). Abbreviations belong to one
/// language; romanised, they would meet another's (`УК`, the Russian
/// criminal code, is not the `UK`).
fn is_abbreviation(word: &str) -> bool {
    let mut letters = 0;
    for c in word.chars() {
        if !c.is_uppercase() {
            return false;
        }
        letters += 1;
        if letters > 4 {
            return false;
        }
    }
    letters >= 2
}

/// Whether `text` is written in hiragana only (with the prolonged sound
/// mark).
fn is_hiragana(text: &str) -> bool {
    text.chars()
        .all(|c| matches!(c, '\u{3041}'..='\u{309F}' | '\u{30FC}'))
}

/// An unlisted spelling must carry the name alone: not all of its words
/// are frequent words (`Fire Department` is not `Fara Department`), and it does
/// not sit inside a run of capitalised words, where it is far more often
/// a surname (`Gillian Welch`, `Shimon Peres`) or part of another name
/// than a misspelt place.
fn variant_stands_alone(tokens: &Tokens<'_>, text: &str, first: usize, last: usize) -> bool {
    if (first..=last).all(|i| {
        let word = tokens.normalized(i);
        is_common_word(word) || is_frequent_word(word)
    }) {
        return false;
    }
    if starts_capitalised_name(tokens, last + 1) {
        return false;
    }
    // Part of a hyphenated compound (`Трули-Пулли`, `Fruli-Pulli`): the
    // whole compound was the name to try.
    let after = &text[tokens.token(last).end..];
    if text[..tokens.token(first).start].ends_with('-')
        || after
            .strip_prefix('-')
            .is_some_and(|rest| rest.chars().next().is_some_and(char::is_uppercase))
    {
        return false;
    }
    if first == 0 {
        return true;
    }
    let before = first - 1;
    let gap = &text[tokens.token(before).end..tokens.token(first).start];
    let capitalised_before = matches!(gap, " " | ". ")
        && tokens
            .surface(before)
            .chars()
            .next()
            .is_some_and(char::is_uppercase);
    // `In Tahran …` opens a sentence with an ordinary word.
    !capitalised_before
        || (opens_sentence(text, tokens.token(before).start)
            && is_frequent_word(tokens.normalized(before)))
}

/// Capitalised frequent words that open a place's name rather than name
/// a person (`North Dakota`, `Lake Michigan`, `Greater Manchester`).
const PLACE_MODIFIERS: &[&str] = &[
    "north", "south", "east", "west", "northern", "southern", "eastern", "western", "central",
    "upper", "lower", "greater", "new", "old", "great", "little", "lake", "mount", "port", "fort",
    "saint", "st", "san", "santa", "el", "la", "los", "las", "le", "de", "downtown", "upstate",
    "rural", "metro", "gulf", "cape", "city",
];

/// Whether token `i` comes right after a given name or an initial: a
/// capitalised frequent word that is no place modifier or article (`Andrew`,
/// `Jerry`), or one capital letter and a period (`D.`), after a single
/// space.
fn follows_a_given_name(tokens: &Tokens<'_>, text: &str, i: usize) -> bool {
    if i == 0 {
        return false;
    }
    let before = i - 1;
    let gap = &text[tokens.token(before).end..tokens.token(i).start];
    let surface = tokens.surface(before);
    let mut letters = surface.chars();
    let Some(first) = letters.next() else {
        return false;
    };
    if !first.is_uppercase() {
        return false;
    }
    let initial = gap == ". " && letters.next().is_none();
    let given = gap == " "
        && surface.chars().skip(1).all(char::is_lowercase)
        && is_frequent_word(tokens.normalized(before))
        && !PLACE_MODIFIERS.contains(&tokens.normalized(before))
        && !ARTICLES.contains(&tokens.normalized(before))
        && !opens_sentence(text, tokens.token(before).start);
    initial || given
}

/// Whether token `i` follows the previous one after a single space and
/// starts with a capital letter.
fn starts_capitalised_name(tokens: &Tokens<'_>, i: usize) -> bool {
    tokens
        .word_after_space(i)
        .is_some_and(|word| word.chars().next().is_some_and(char::is_uppercase))
}

/// Countries, continents, first-level regions of countries of
/// [`PROMINENT_REGION_COUNTRY_POPULATION`] or more, and cities (capitals
/// too) of 100,000 people or more: the capital of a small territory named
/// by a frequent word (`The Valley`, Anguilla) needs a capital letter
/// only.
fn is_prominent(index: &Index, entity: u32) -> bool {
    match index.feature_class(entity) {
        FeatureClass::Region => index.country(entity).is_none_or(|code| {
            let population = index.country_population(code);
            population == 0 || population >= PROMINENT_REGION_COUNTRY_POPULATION
        }),
        class if class > FeatureClass::Region => true,
        _ => index.population(entity) >= PROMINENT_POPULATION,
    }
}

/// Population of a country from which its first-level regions count as
/// prominent: the parishes of Barbados and Dominica (`St. Michael`,
/// `Patrick`) or the departments of Uruguay (`Flores`) are named in the
/// news far less often than the saints and people who share their names.
const PROMINENT_REGION_COUNTRY_POPULATION: u64 = 5_000_000;

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
        variant,
        needs_support: _,
        coreference,
    } = scored;
    let (best, name_ref, name_kind, score) = ranked[0];
    // Tokens stop before a period; an abbreviation listed with its final
    // period (`U.S.`, `Kan.`) takes it back, once the document context has
    // chosen the entity (`Kan` is also a town in Iran).
    let mut byte_end = byte_end;
    if index.name_bytes(name_ref).ends_with(b".") && text[byte_end..].starts_with('.') {
        byte_end += 1;
    }
    let surface = text[byte_start..byte_end].to_string();
    let entity = index.entity_shared(best)?;
    let matched_name = index.name(name_ref).to_string();
    let match_kind = match name_kind {
        _ if coreference => MatchKind::Coreference,
        _ if inflected => MatchKind::Inflected,
        _ if variant => MatchKind::Variant,
        _ if transliterated => MatchKind::Transliterated,
        NameKind::Transliterated => MatchKind::Transliterated,
        NameKind::Primary if surface == matched_name => MatchKind::Exact,
        NameKind::Primary => MatchKind::Normalized,
        NameKind::Alias => MatchKind::Alias,
    };
    let runners_up = ranked.iter().skip(1).take(options.max_candidates);
    let mut candidates = Vec::with_capacity(runners_up.len());
    for &(entity, name_ref, _, score) in runners_up {
        candidates.push(Candidate {
            entity: index.entity_shared(entity)?,
            score,
            matched_name: index.name(name_ref).to_string(),
        });
    }
    Ok(Mention {
        span: Span::of_bytes(converter, byte_start, byte_end),
        surface,
        entity,
        score,
        match_kind,
        matched_name,
        candidates,
    })
}
