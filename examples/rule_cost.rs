//! Per-rule cost on a tree: for every built-in rule, the time its regex spends on the files the
//! prefilter selects it for, run over whole files. Prints the 25 most expensive rules with the
//! longest match their pattern allows (`None` = unbounded: such a rule runs over whole blobs in
//! a real scan, bounded ones only in windows around their keywords).
//!
//! usage: cargo run --release --example rule_cost -- DIR

use std::time::{Duration, Instant};

use sprawl::detect::matcher;

fn main() {
    let dir = std::env::args().nth(1).expect("usage: rule_cost DIR");
    let rules = sprawl::rules::builtin().expect("built-in rules");
    let mut files = Vec::new();
    let mut stack = vec![std::path::PathBuf::from(dir)];
    while let Some(p) = stack.pop() {
        let Ok(rd) = std::fs::read_dir(&p) else {
            continue;
        };
        for e in rd.flatten() {
            let path = e.path();
            if path.is_dir() {
                stack.push(path);
            } else if let Ok(data) = std::fs::read(&path)
                && !data[..data.len().min(8192)].contains(&0)
            {
                files.push(String::from_utf8_lossy(&data).into_owned());
            }
        }
    }
    let lower: Vec<String> = files.iter().map(|f| f.to_ascii_lowercase()).collect();
    let t0 = Instant::now();
    let mut compile: Vec<(Duration, String)> = Vec::new();
    for rule in &rules {
        let t = Instant::now();
        let _ = rule.pattern.compiled();
        compile.push((t.elapsed(), rule.id.clone()));
    }
    println!(
        "compiling every pattern: {:.1} ms",
        t0.elapsed().as_secs_f64() * 1000.0
    );
    compile.sort_by_key(|c| std::cmp::Reverse(c.0));
    for (d, id) in compile.iter().take(8) {
        println!("  compile {:>6.1} ms  {id}", d.as_secs_f64() * 1000.0);
    }
    let t1 = Instant::now();
    let detector = sprawl::detect::Detector::new(rules.clone());
    println!(
        "prefilter build: {:.1} ms",
        t1.elapsed().as_secs_f64() * 1000.0
    );
    let pf = sprawl::detect::prefilter::Prefilter::new(&rules);
    let (mut seen, mut lower_buf, mut cands, mut total_cands) =
        (Vec::new(), Vec::new(), Vec::new(), 0usize);
    let tp = Instant::now();
    for f in &files {
        pf.candidates(f.as_bytes(), &mut seen, &mut lower_buf, &mut cands);
        total_cands += cands.len();
    }
    println!(
        "prefilter over all files: {:.1} ms, {} candidate (rule, file) pairs, {} keywords",
        tp.elapsed().as_secs_f64() * 1000.0,
        total_cands,
        rules.iter().map(|r| r.keywords.len()).sum::<usize>()
    );
    let t2 = Instant::now();
    let mut scratch = sprawl::detect::Scratch::default();
    let mut n = 0;
    for f in &files {
        n += detector.detect(f.as_bytes(), &mut scratch).len();
    }
    println!(
        "detect over all files (1 thread): {:.1} ms, {n} matches",
        t2.elapsed().as_secs_f64() * 1000.0
    );
    let mut costs: Vec<(Duration, usize, String)> = Vec::new();
    let mut total = Duration::ZERO;
    for (i, rule) in rules.iter().enumerate() {
        let kws: Vec<String> = rule
            .keywords
            .iter()
            .map(|k| k.to_ascii_lowercase())
            .collect();
        let selected: Vec<usize> = (0..files.len())
            .filter(|&f| kws.iter().any(|k| lower[f].contains(k.as_str())))
            .collect();
        let _ = rule.pattern.compiled();
        let start = Instant::now();
        let mut out = Vec::new();
        for &f in &selected {
            matcher::run_rule(i, rule, files[f].as_bytes(), &mut out);
        }
        let spent = start.elapsed();
        total += spent;
        let reach = rule.pattern.compiled().and_then(|c| c.max_len);
        costs.push((
            spent,
            selected.len(),
            format!("{} (max match {reach:?})", rule.id),
        ));
    }
    println!(
        "{} files; regex time over all rules {:.1} ms",
        files.len(),
        total.as_secs_f64() * 1000.0
    );
    costs.sort_by_key(|c| std::cmp::Reverse(c.0));
    for (d, n, id) in costs.iter().take(25) {
        println!("{:>8.1} ms {n:>6} files  {id}", d.as_secs_f64() * 1000.0);
    }
}
