//! Snapshot creation: what telemetry receives, built by borrowing the failure (no copy,
//! no allocation), for 0, 4 and 8 tags; and, for comparison, the one-line `Display` of
//! a snapshot written into a reused `String` (what a logging hook pays on top), also
//! with system tags.

mod common;

use std::fmt::Write;
use std::hint::black_box;

use common::TagValues;
use criterion::Criterion;
use escalation_telemetry::prelude::*;

fn snapshot(c: &mut Criterion) {
    let mut group = c.benchmark_group("snapshot");
    for tags in [0, 4, 8] {
        let info = common::failure::<DefaultTags>(tags, TagValues::Static, 3);
        group.bench_function(format!("from_failure_info/{tags}_tags"), |b| {
            b.iter(|| FailureSnapshot::from_failure_info(black_box(&info)));
        });
    }
    for tags in [0, 4, 8] {
        let info = common::failure::<DefaultTags>(tags, TagValues::Static, 3);
        let mut line = String::with_capacity(512);
        group.bench_function(format!("display/{tags}_tags"), |b| {
            b.iter(|| {
                line.clear();
                write!(line, "{}", black_box(&info).snapshot())
                    .expect("writing to a String cannot fail");
                black_box(&line);
            });
        });
    }
    // The same 4 tags plus 3 system tags, one overridden by the failure.
    let info = common::failure::<DefaultTags>(4, TagValues::Static, 3);
    let system = [
        tag!("service", "orders"),
        tag!("component", "overridden"),
        tag!("node", "node-7"),
    ];
    let mut line = String::with_capacity(512);
    group.bench_function("display/4_tags_3_system", |b| {
        b.iter(|| {
            line.clear();
            write!(
                line,
                "{}",
                black_box(&info).snapshot().with_system_tags(&system)
            )
            .expect("writing to a String cannot fail");
            black_box(&line);
        });
    });
    group.finish();
}

fn main() {
    common::run(&[snapshot]);
}
