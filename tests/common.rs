//! Helpers shared by the test modules.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::Arc;

use gazetteer::index::Index;
use gazetteer::resolve::{resolve, Mention, OverlapPolicy, ResolveOptions, Span};
use serde_json::Value;

/// The embedded default index, built once per process and shared.
pub fn index() -> Arc<Index> {
    gazetteer::default_index().expect("the embedded default index builds")
}

/// Mentions of `text` under the default options (leftmost-longest).
pub fn mentions(text: &str) -> Vec<Mention> {
    resolve(&index(), text, &ResolveOptions::default()).expect("resolve succeeds")
}

/// Mentions of `text` under an overlap policy.
pub fn mentions_with(text: &str, overlap: OverlapPolicy) -> Vec<Mention> {
    let options = ResolveOptions {
        overlap,
        ..ResolveOptions::default()
    };
    resolve(&index(), text, &options).expect("resolve succeeds")
}

/// `text[start..end]` in code points.
pub fn char_slice(text: &str, start: usize, end: usize) -> String {
    assert!(start <= end, "char span {start}..{end} is reversed");
    assert!(
        end <= text.chars().count(),
        "char span {start}..{end} runs past the text"
    );
    text.chars().skip(start).take(end - start).collect()
}

/// `text[start..end]` in UTF-16 code units; panics if the span splits a
/// surrogate pair.
pub fn utf16_slice(text: &str, start: usize, end: usize) -> String {
    let units: Vec<u16> = text.encode_utf16().collect();
    assert!(
        start <= end && end <= units.len(),
        "UTF-16 span {start}..{end} out of range"
    );
    String::from_utf16(&units[start..end])
        .unwrap_or_else(|_| panic!("UTF-16 span {start}..{end} splits a surrogate pair"))
}

/// `text[start..end]` in UTF-8 bytes; panics if the span splits a character.
pub fn byte_slice(text: &str, start: usize, end: usize) -> String {
    text.get(start..end)
        .unwrap_or_else(|| {
            panic!("byte span {start}..{end} is not a char-boundary range of the text")
        })
        .to_string()
}

/// Asserts that all three offset units of `m` slice `text` back to its
/// surface.
pub fn assert_offsets(text: &str, m: &Mention) {
    assert_span_slices(text, &m.surface, span_units(&m.span));
}

/// `[start, end, byte_start, byte_end, utf16_start, utf16_end]`.
pub fn span_units(s: &Span) -> [usize; 6] {
    [
        s.start,
        s.end,
        s.byte_start,
        s.byte_end,
        s.utf16_start,
        s.utf16_end,
    ]
}

/// Asserts that `[start, end, byte_start, byte_end, utf16_start, utf16_end]`
/// each slice `text` to `surface`.
pub fn assert_span_slices(text: &str, surface: &str, span: [usize; 6]) {
    let [start, end, byte_start, byte_end, utf16_start, utf16_end] = span;
    assert!(!surface.is_empty(), "empty surface at {span:?}");
    assert_eq!(
        byte_slice(text, byte_start, byte_end),
        surface,
        "bytes of {span:?}"
    );
    assert_eq!(char_slice(text, start, end), surface, "chars of {span:?}");
    assert_eq!(
        utf16_slice(text, utf16_start, utf16_end),
        surface,
        "UTF-16 of {span:?}"
    );
}

/// A short description of mentions for failure messages.
pub fn describe(mentions: &[Mention]) -> Vec<(String, String, usize, usize)> {
    mentions
        .iter()
        .map(|m| {
            (
                m.surface.clone(),
                m.entity.id.clone(),
                m.span.start,
                m.span.end,
            )
        })
        .collect()
}

/// The first mention with surface `surface`; fails the test, listing
/// what was found, when there is none.
pub fn mention_of<'a>(found: &'a [Mention], surface: &str) -> &'a Mention {
    found
        .iter()
        .find(|m| m.surface == surface)
        .unwrap_or_else(|| panic!("{surface} in {:?}", describe(found)))
}

/// Path of a file under `tests/fixtures`.
pub fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("fixtures")
        .join(name)
}

/// Runs the `gazetteer` binary with `args`, without the environment
/// settings a developer's shell may carry.
pub fn run_gazetteer(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gazetteer"))
        .args(args)
        .env_remove("GAZETTEER_INDEX")
        .env_remove("GAZETTEER_LOG")
        .stdin(Stdio::null())
        .output()
        .expect("the binary runs")
}

/// A path as `&str`, for command lines.
pub fn path_str(path: &Path) -> &str {
    path.to_str().expect("UTF-8 path")
}

/// Asserts the command succeeded; returns its stderr.
pub fn succeeded(output: &Output) -> String {
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(
        output.status.success(),
        "exit {:?}\nstdout: {}\nstderr: {stderr}",
        output.status.code(),
        String::from_utf8_lossy(&output.stdout),
    );
    stderr
}

/// `gazetteer lookup NAME --index DIR`, parsed.
pub fn cli_lookup(index: &Path, name: &str) -> Vec<Value> {
    let output = run_gazetteer(&["lookup", name, "--index", path_str(index)]);
    succeeded(&output);
    let json: Value = serde_json::from_slice(&output.stdout).expect("JSON");
    json.as_array().expect("array").clone()
}

/// Every file of a directory with its bytes.
pub fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(dir)
        .expect("read dir")
        .map(|e| {
            let e = e.unwrap();
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

/// A source file with malformed lines for `gazetteer build`, and what the
/// build must say about it.
pub struct MalformedSource<'a> {
    /// The build flag that reads the file (`--geonames`, `--wikidata`).
    pub flag: &'a str,
    /// The file.
    pub file: &'a Path,
    /// `LINE: REASON` of a line skipped with a warning.
    pub skipped: &'a str,
    /// The summary line of what was skipped.
    pub summary: &'a str,
    /// `LINE: REASON` of the first malformed line, where `--strict` stops.
    pub strict_error: &'a str,
}

/// Builds `source` into `out`: malformed lines are skipped with a warning
/// naming file and line and a summary; with `--strict` the build fails at
/// the first one and leaves `out` as it was. Returns `out`'s snapshot.
pub fn assert_malformed_lines_skipped(
    source: &MalformedSource<'_>,
    out: &Path,
) -> BTreeMap<String, Vec<u8>> {
    let file = path_str(source.file);
    let stderr = succeeded(&run_gazetteer(&[
        "build",
        source.flag,
        file,
        "--out",
        path_str(out),
    ]));
    let warning = format!("warning: skipped {file}:{}", source.skipped);
    assert!(stderr.contains(&warning), "{warning} in {stderr}");
    assert!(stderr.contains(source.summary), "{stderr}");
    let before = snapshot(out);

    let output = run_gazetteer(&[
        "build",
        source.flag,
        file,
        "--strict",
        "--out",
        path_str(out),
    ]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    let error = format!("{file}:{}", source.strict_error);
    assert!(stderr.contains(&error), "{error} in {stderr}");
    assert_eq!(snapshot(out), before);
    before
}
