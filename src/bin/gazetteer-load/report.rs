//! The results of a run, as text or JSON.

use std::collections::BTreeMap;
use std::fmt::Write;

use serde::Serialize;

use crate::load::{Outcome, Plan};
use crate::RunArgs;

/// What `run` prints; the JSON form is this struct.
#[derive(Debug, Serialize)]
pub struct Report {
    /// `--label`, when given.
    pub label: Option<String>,
    /// Server URI.
    pub target: String,
    /// `index_version` the server answered with (`noop` from the no-op
    /// server).
    pub index_version: Option<String>,
    /// The text files and their sizes in bytes.
    pub texts: Vec<TextInfo>,
    /// Whether `options.listed_spellings_only` was sent.
    pub listed_spellings_only: bool,
    /// Calls in flight.
    pub concurrency: usize,
    /// HTTP/2 connections.
    pub connections: usize,
    /// Warm-up before measuring, seconds.
    pub warmup_seconds: f64,
    /// Length of the measured window, seconds.
    pub seconds: f64,
    /// Successful calls in the window.
    pub calls_ok: u64,
    /// Failed calls in the window.
    pub calls_failed: u64,
    /// Failed calls by gRPC status code.
    pub errors: BTreeMap<&'static str, u64>,
    /// One failure message.
    pub first_error: Option<String>,
    /// Successful calls per second.
    pub calls_per_second: f64,
    /// Text of successful calls, MB (10^6 bytes) per second.
    pub text_mb_per_second: f64,
    /// Mentions per successful answer.
    pub mentions_per_call: f64,
    /// Latency of successful calls, milliseconds.
    pub latency_ms: Latency,
    /// Client CPU time over the window as a share of one core, percent.
    pub client_cpu_percent: Option<f64>,
    /// Server CPU time over the window as a share of one core, percent.
    pub server_cpu_percent: Option<f64>,
    /// Server CPU time per completed call (failed ones included), microseconds.
    pub server_cpu_us_per_call: Option<f64>,
}

/// One input text.
#[derive(Debug, Serialize)]
pub struct TextInfo {
    /// Its path as given.
    pub path: String,
    /// Its size in UTF-8 bytes.
    pub bytes: usize,
}

/// Latency percentiles in milliseconds.
#[derive(Debug, Serialize)]
pub struct Latency {
    /// Median.
    pub p50: f64,
    /// 90th percentile.
    pub p90: f64,
    /// 99th percentile.
    pub p99: f64,
    /// Largest.
    pub max: f64,
    /// Mean.
    pub mean: f64,
}

impl Report {
    /// Summarises a run.
    pub fn new(args: &RunArgs, plan: &Plan, outcome: &Outcome) -> Self {
        let seconds = outcome.elapsed.as_secs_f64();
        let per_second = |n: f64| if seconds > 0.0 { n / seconds } else { 0.0 };
        let ms = |micros: u64| micros as f64 / 1000.0;
        let h = &outcome.latency;
        let calls = outcome.calls();
        Self {
            label: args.label.clone(),
            target: plan.endpoint.clone(),
            index_version: outcome.index_version.clone(),
            texts: plan
                .texts
                .iter()
                .map(|t| TextInfo {
                    path: t.path.display().to_string(),
                    bytes: t.text.len(),
                })
                .collect(),
            listed_spellings_only: args.listed_spellings_only,
            concurrency: plan.concurrency,
            connections: plan.connections,
            warmup_seconds: plan.warmup.as_secs_f64(),
            seconds,
            calls_ok: outcome.ok,
            calls_failed: calls - outcome.ok,
            errors: outcome.errors.clone(),
            first_error: outcome.first_error.clone(),
            calls_per_second: per_second(outcome.ok as f64),
            text_mb_per_second: per_second(outcome.text_bytes as f64) / 1e6,
            mentions_per_call: if outcome.ok > 0 {
                outcome.mentions as f64 / outcome.ok as f64
            } else {
                0.0
            },
            latency_ms: Latency {
                p50: ms(h.value_at_quantile(0.50)),
                p90: ms(h.value_at_quantile(0.90)),
                p99: ms(h.value_at_quantile(0.99)),
                max: ms(h.max()),
                mean: h.mean() / 1000.0,
            },
            client_cpu_percent: outcome
                .client_cpu
                .map(|c| per_second(c.as_secs_f64()) * 100.0),
            server_cpu_percent: outcome
                .server_cpu
                .map(|c| per_second(c.as_secs_f64()) * 100.0),
            server_cpu_us_per_call: outcome
                .server_cpu
                .filter(|_| calls > 0)
                .map(|c| c.as_secs_f64() * 1e6 / calls as f64),
        }
    }

    /// The report as aligned text lines.
    pub fn text(&self) -> String {
        let mut out = String::new();
        let mut line = |key: &str, value: String| {
            let _ = writeln!(out, "{key:<14} {value}");
        };
        if let Some(label) = &self.label {
            line("label", label.clone());
        }
        line(
            "target",
            match &self.index_version {
                Some(version) => format!("{} (index {version})", self.target),
                None => self.target.clone(),
            },
        );
        let texts: Vec<String> = self
            .texts
            .iter()
            .map(|t| format!("{} ({} bytes)", t.path, t.bytes))
            .collect();
        line("texts", texts.join(", "));
        line(
            "load",
            format!(
                "{} calls in flight over {} connection(s), {:.2} s measured after {:.1} s warm-up",
                self.concurrency, self.connections, self.seconds, self.warmup_seconds
            ),
        );
        line(
            "calls",
            format!("{} ok, {} failed", self.calls_ok, self.calls_failed),
        );
        line(
            "throughput",
            format!(
                "{:.1} calls/s, {:.2} MB/s of text, {:.1} mentions/call",
                self.calls_per_second, self.text_mb_per_second, self.mentions_per_call
            ),
        );
        let l = &self.latency_ms;
        line(
            "latency (ms)",
            format!(
                "p50 {:.3}  p90 {:.3}  p99 {:.3}  max {:.3}  mean {:.3}",
                l.p50, l.p90, l.p99, l.max, l.mean
            ),
        );
        if let Some(cpu) = self.client_cpu_percent {
            line("client CPU", format!("{cpu:.0}% of a core"));
        }
        if let (Some(cpu), Some(per_call)) = (self.server_cpu_percent, self.server_cpu_us_per_call)
        {
            line(
                "server CPU",
                format!("{cpu:.0}% of a core, {per_call:.1} µs per call"),
            );
        }
        if !self.errors.is_empty() {
            let errors: Vec<String> = self
                .errors
                .iter()
                .map(|(code, n)| format!("{code} {n}"))
                .collect();
            line("errors", errors.join(", "));
        }
        if let Some(first) = &self.first_error {
            line("first error", first.clone());
        }
        out
    }
}
