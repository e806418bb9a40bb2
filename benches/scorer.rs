//! Speed of the knowledge layer: load the whole bank (target ≤ 50 ms); load
//! the sentence model (in a session this happens in the background while the
//! first question is spoken); load and compile the bank for scoring with the
//! cached statement embeddings (target ≤ 200 ms); and score one answer
//! (target ≤ 20 ms) by words only and by words and meaning — cold (no
//! sentence embedded yet) and at the end of a turn whose earlier sentences
//! were embedded while the candidate spoke (the realistic case), with the
//! ratio. Run with `cargo bench --bench scorer` (after
//! `scripts/fetch-minilm.sh`; the first run fills the statement cache).

use mockint::bank::{Bank, BankSource};
use mockint::scorer::{embed, prewarm, semantic, Scorer};
use std::hint::black_box;
use std::time::{Duration, Instant};

/// Mean and best of `runs` timings of `f`, after `setup` (not timed) each time.
fn measure<S, T>(runs: u32, mut setup: impl FnMut() -> S, mut f: impl FnMut(S) -> T) -> (f64, f64) {
    black_box(f(setup())); // warm up
    let mut best = Duration::MAX;
    let mut total = Duration::ZERO;
    for _ in 0..runs {
        let s = setup();
        let t = Instant::now();
        black_box(f(s));
        let d = t.elapsed();
        best = best.min(d);
        total += d;
    }
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    (ms(total) / f64::from(runs), ms(best))
}

fn report(label: &str, target_ms: Option<f64>, (mean, best): (f64, f64)) {
    let verdict = match target_ms {
        Some(t) if mean <= t => format!("  (target ≤ {t} ms: ok)"),
        Some(t) => format!("  (target ≤ {t} ms: MISSED)"),
        None => String::new(),
    };
    println!("{label:<52} mean {mean:>8.3} ms   best {best:>8.3} ms{verdict}");
}

fn time<T>(label: &str, target_ms: Option<f64>, runs: u32, mut f: impl FnMut() -> T) -> (f64, f64) {
    let m = measure(runs, || (), |()| f());
    report(label, target_ms, m);
    m
}

const ANSWER: &str = "So, um, state locking prevents two people from running terraform apply at the same time \
and corrupting the state file. Traditionally you'd use a dynamo DB table alongside the S3 bucket for the lock. \
Since Terraform one point ten you can set use lockfile to true and it uses S3 conditional writes, so you don't \
need the DynamoDB table at all. I chose it because it's simpler and cheaper, one less resource to manage, and \
if a lock gets stuck after a crash you can clear it with terraform force unlock.";

fn main() {
    let source = match std::env::var_os("MOCKINT_BANK_DIR") {
        Some(d) => BankSource::Dir(d.into()),
        None => BankSource::Embedded,
    };
    let bank = Bank::load(&source).expect("bank loads");
    println!(
        "bank: {} ({} rounds, {} questions)",
        source.describe(),
        bank.rounds.len(),
        bank.question_count()
    );
    time("load whole bank (parse + validate)", Some(50.0), 20, || {
        Bank::load(&source).unwrap()
    });
    time("compile bank for scoring (lexical)", None, 10, || {
        Scorer::lexical(bank.clone())
    });
    let dir = embed::default_dir();
    let model = match semantic::Model::load(&dir) {
        Ok(m) => Some(std::sync::Arc::new(m)),
        Err(e) => {
            println!("sentence model: {e}; semantic timings skipped");
            None
        }
    };
    if let Some(m) = &model {
        if let Err(e) = m.wait_loaded() {
            println!("sentence model: {e}");
        }
        // Fills the statement cache on the first run.
        let t = Instant::now();
        black_box(Scorer::with_model(bank.clone(), Some(m.clone())));
        println!(
            "first compile with the sentence model: {:.0} ms",
            t.elapsed().as_secs_f64() * 1000.0
        );
        time(
            "load the sentence model (in the background)",
            None,
            3,
            || embed::Embedder::load(&dir).unwrap(),
        );
        time(
            "load bank + compile + cached statement vectors",
            Some(200.0),
            5,
            || {
                let b = Bank::load(&source).unwrap();
                Scorer::with_model(b, Some(std::sync::Arc::new(m.reopen())))
            },
        );
    }
    let lexical = Scorer::lexical(bank.clone());
    let q = lexical
        .bank()
        .round("terraform")
        .and_then(|r| r.question.first())
        .or_else(|| {
            lexical
                .bank()
                .rounds
                .first()
                .and_then(|r| r.question.first())
        })
        .expect("a question")
        .clone();
    let story =
        "Last summer I went hiking with my brother and we got caught in a thunderstorm halfway up \
        the mountain, so we waited under a ledge for an hour and then ate sandwiches at the top.";
    time("score one answer (lexical)", Some(20.0), 200, || {
        lexical.score(&q, ANSWER)
    });
    time(
        "score one off-topic answer (lexical)",
        Some(20.0),
        50,
        || lexical.score(&q, story),
    );
    let scorer = Scorer::with_model(bank.clone(), model.clone());
    if let (true, Some(m)) = (scorer.is_semantic(), &model) {
        let cold = measure(30, || m.forget_sentences(), |()| scorer.score(&q, ANSWER));
        report("score one answer (words + meaning), cold", Some(20.0), cold);
        // The realistic case: every sentence but the last was embedded while
        // the candidate was still talking.
        let last = ANSWER
            .trim_end_matches('.')
            .rfind(". ")
            .map_or(0, |i| i + 2);
        let earlier = prewarm::finished_units(scorer.normalizer(), &ANSWER[..last]);
        let warm = measure(
            30,
            || {
                m.forget_sentences();
                m.prewarm_sentences(&earlier).unwrap();
            },
            |()| scorer.score(&q, ANSWER),
        );
        report(
            &format!(
                "score at turn end, {} earlier sentences cached",
                earlier.len()
            ),
            Some(20.0),
            warm,
        );
        // In a spoken session the last chunk is usually transcribed during
        // the end-of-turn silence, and its sentence prewarmed before the
        // turn ends (live sessions: endpoint → reply issued 2–15 ms).
        let all = prewarm::finished_units(scorer.normalizer(), ANSWER);
        let ready = measure(
            30,
            || {
                m.forget_sentences();
                m.prewarm_sentences(&all).unwrap();
            },
            |()| scorer.score(&q, ANSWER),
        );
        report(
            "score at turn end, every sentence prewarmed",
            Some(20.0),
            ready,
        );
        let tail = [ANSWER[last..].trim_end_matches('.')];
        time(
            &format!(
                "  of which: embed the last sentence ({} words)",
                tail[0].split_whitespace().count()
            ),
            None,
            30,
            || m.embed(&tail).unwrap(),
        );
        println!(
            "{:<52} mean {:>8.1} x   best {:>8.1} x",
            "cold / warm",
            cold.0 / warm.0,
            cold.1 / warm.1
        );
        let off = measure(30, || m.forget_sentences(), |()| scorer.score(&q, story));
        report(
            "score one off-topic answer (words + meaning), cold",
            Some(20.0),
            off,
        );
    }
    time("resolve question text", None, 200, || {
        scorer.resolve("terraform", "How do you lock Terraform state?")
    });
}
