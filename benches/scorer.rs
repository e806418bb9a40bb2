//! Speed of the knowledge layer: load the whole bank (target ≤ 50 ms), compile
//! it for scoring with the sentence model and its cached statement embeddings
//! (target ≤ 200 ms), and score one answer (target ≤ 20 ms), by words only
//! and by words and meaning. Run with `cargo bench --bench scorer` (after
//! `scripts/fetch-minilm.sh`; the first run fills the statement cache).

use mockint::bank::{Bank, BankSource};
use mockint::scorer::{embed, semantic, Scorer};
use std::hint::black_box;
use std::time::{Duration, Instant};

fn time<T>(label: &str, target_ms: Option<f64>, runs: u32, mut f: impl FnMut() -> T) {
    black_box(f()); // warm up
    let mut best = Duration::MAX;
    let mut total = Duration::ZERO;
    for _ in 0..runs {
        let t = Instant::now();
        black_box(f());
        let d = t.elapsed();
        best = best.min(d);
        total += d;
    }
    let mean = total.as_secs_f64() * 1000.0 / f64::from(runs);
    let verdict = match target_ms {
        Some(t) if mean <= t => format!("  (target ≤ {t} ms: ok)"),
        Some(t) => format!("  (target ≤ {t} ms: MISSED)"),
        None => String::new(),
    };
    println!(
        "{label:<40} mean {mean:>8.3} ms   best {:>8.3} ms{verdict}",
        best.as_secs_f64() * 1000.0
    );
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
    let model = match semantic::Model::load(&embed::default_dir()) {
        Ok(m) => Some(std::sync::Arc::new(m)),
        Err(e) => {
            println!("sentence model: {e}; semantic timings skipped");
            None
        }
    };
    if let Some(m) = &model {
        // Fills the statement cache on the first run.
        let t = Instant::now();
        black_box(Scorer::with_model(bank.clone(), Some(m.clone())));
        println!(
            "first compile with the sentence model: {:.0} ms",
            t.elapsed().as_secs_f64() * 1000.0
        );
        let dir = embed::default_dir();
        time(
            "load bank + sentence model + cached vectors",
            Some(200.0),
            5,
            || {
                let b = Bank::load(&source).unwrap();
                let m = semantic::Model::load(&dir).unwrap();
                Scorer::with_model(b, Some(std::sync::Arc::new(m)))
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
    if scorer.is_semantic() {
        time("score one answer (words + meaning)", Some(20.0), 30, || {
            scorer.score(&q, ANSWER)
        });
        time(
            "score one off-topic answer (words + meaning)",
            Some(20.0),
            30,
            || scorer.score(&q, story),
        );
    }
    time("resolve question text", None, 200, || {
        scorer.resolve("terraform", "How do you lock Terraform state?")
    });
}
