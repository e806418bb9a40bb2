//! Spoken commands said the way a person says them, in a terminal, the
//! interviewer speaking on the PulseAudio virtual devices and the candidate's
//! voice fed into the virtual microphone in real time. Found trying the
//! session by hand: "Pause." said alone waited out a thinking pause (6.5 s),
//! so "Let's continue." said four seconds later joined it, and the two were
//! graded as the answer; an answer begun as the interviewer came back was
//! kept only as a remark (the question said again after "Welcome back" was
//! taken for one not yet heard); and Enter while paused started a recording
//! instead of going on; and "Pause, please." said a moment into the
//! follow-up was taken for the answer going on (the reply taken back), so
//! the command was graded with the answer and the follow-up asked again;
//! "Skip this one." said there lost its "Sk" (the turn began where the VAD
//! first called it speech) and, once heard, waited out a thinking pause.

mod common;
use common::audio::VirtualAudio;
use common::pty::Pty;
use common::record::{events, record};
use std::path::Path;
use std::sync::Mutex;
use std::time::Duration;

/// Real-time audio on a 2-core machine: one scenario at a time.
static SERIAL: Mutex<()> = Mutex::new(());

const ANSWER: &str = "The Cluster Autoscaler watches for pending pods that cannot be scheduled \
and adds nodes to the node group. It also removes nodes that stay underused.";

/// A one-question spoken session in a terminal on `va`, listening.
fn listening(va: &VirtualAudio, tmp: &Path) -> Pty {
    let term = logged_session(va, tmp, &[]);
    term.expect("(listening", Duration::from_secs(120));
    term
}

/// Plays `text` (espeak-ng, US English) into the microphone `after` from
/// now; returns when it ends, on the microphone's clock.
fn say(va: &VirtualAudio, tmp: &Path, name: &str, text: &str, after: Duration) -> Duration {
    let wav = common::espeak(&tmp.join(format!("{name}.wav")), &["-v", "en-us"], text);
    play(va, &mockint::audio::load_wav(&wav).unwrap().samples, after)
}

/// Plays `clip` into the microphone `after` from now; returns when it ends,
/// on the microphone's clock.
fn play(va: &VirtualAudio, clip: &[f32], after: Duration) -> Duration {
    let at = va.mic_clock() + after;
    va.play_at(at, clip);
    at + Duration::from_secs_f64(clip.len() as f64 / 16_000.0)
}

/// Ends the session (Ctrl-C keeps what was heard) and reads its record.
fn finish(mut term: Pty, tmp: &Path) -> (serde_json::Value, String) {
    if term.child.try_wait().unwrap().is_none() {
        term.send(b"\x03");
    }
    term.wait(Duration::from_secs(20));
    (record(&tmp.join("s")), term.shown())
}

/// The answer misses what the rubric wants, so a follow-up comes; `command`
/// is said 300 ms after it appears. Returns when the command ends.
fn over_the_follow_up(va: &VirtualAudio, tmp: &Path, term: &Pty, command: &str) -> Duration {
    say(va, tmp, "a", ANSWER, Duration::from_millis(500));
    term.expect("Follow-up [", Duration::from_secs(60));
    say(va, tmp, "c", command, Duration::from_millis(300))
}

/// The answer, heard: its "nodes … node group" (CI, 2026-12-06: espeak-ng's
/// "pending pods" was once heard "bending pads", and the answer was there).
fn is_the_answer(a: &str) -> bool {
    a.contains("node")
}

fn answers(r: &serde_json::Value) -> Vec<String> {
    events(r, "answer")
        .iter()
        .map(|e| e["text"].as_str().unwrap().to_lowercase())
        .collect()
}

/// The record holds one answer, the answer itself, without the command
/// word `command` said after or over it.
fn one_answer_without(r: &serde_json::Value, command: &str, screen: &str) {
    let answers = answers(r);
    assert!(
        answers.len() == 1 && !answers[0].contains(command) && is_the_answer(&answers[0]),
        "the command was part of the answer, or the answer was lost: {answers:?}\n{screen}"
    );
}

#[test]
fn pause_said_alone_pauses_at_once_and_a_later_resume_is_not_joined_to_it() {
    let _one = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let va = VirtualAudio::start();
    let tmp = tempfile::tempdir().unwrap();
    let term = listening(&va, tmp.path());
    // "Pause, please.", and four seconds after it, whatever was said between.
    let paused = say(
        &va,
        tmp.path(),
        "p",
        "Pause, please.",
        Duration::from_secs(1),
    );
    let wait = paused + Duration::from_secs(4) - va.mic_clock();
    say(&va, tmp.path(), "r", "Let's continue.", wait);
    // They answer as soon as the interviewer is back, over the question
    // they heard before the pause, said again.
    term.expect("Welcome back", Duration::from_secs(30));
    let end = say(&va, tmp.path(), "a", ANSWER, Duration::from_millis(500));
    va.wait_for_mic(end + Duration::from_secs(8), || term.screen());
    let (r, screen) = finish(term, tmp.path());
    assert_eq!(events(&r, "paused").len(), 1, "{screen}");
    assert_eq!(events(&r, "resumed").len(), 1, "{screen}");
    let answers = answers(&r);
    assert!(
        answers.iter().all(|a| !a.contains("pause")) && answers.iter().any(|a| is_the_answer(a)),
        "the commands were graded, or the answer was lost: {answers:?}\n{screen}"
    );
}

#[test]
fn enter_while_paused_goes_on() {
    let _one = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let va = VirtualAudio::start();
    let tmp = tempfile::tempdir().unwrap();
    let mut term = listening(&va, tmp.path());
    say(
        &va,
        tmp.path(),
        "p",
        "Pause, please.",
        Duration::from_secs(1),
    );
    term.expect(
        "(paused — say \"let's continue\", or press Enter",
        Duration::from_secs(30),
    );
    term.send(b"\r");
    term.expect("Welcome back", Duration::from_secs(20));
    let (r, screen) = finish(term, tmp.path());
    assert_eq!(events(&r, "resumed").len(), 1, "{screen}");
    assert!(!screen.contains("(recording"), "{screen}");
}

#[test]
fn pause_said_over_the_start_of_a_follow_up_pauses_and_the_answer_stays_whole() {
    let _one = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let va = VirtualAudio::start();
    let tmp = tempfile::tempdir().unwrap();
    let term = listening(&va, tmp.path());
    let paused = over_the_follow_up(&va, tmp.path(), &term, "Pause, please.");
    term.expect("Paused.", Duration::from_secs(30));
    va.wait_for_mic(paused + Duration::from_secs(2), || term.screen());
    let (r, screen) = finish(term, tmp.path());
    assert_eq!(events(&r, "paused").len(), 1, "{screen}");
    one_answer_without(&r, "pause", &screen);
}

/// Found by hand (2026-12-07): "Pause, please." said 1.5 s after an
/// answer's last word, before the interviewer replied, joined the answer's
/// text, and the interview never paused. The command closing an answer now
/// ends the turn after a command's short silence; the answer is kept, and
/// on resume the interviewer replies to it.
#[test]
fn pause_said_just_after_an_answer_pauses_and_is_not_part_of_it() {
    let _one = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let va = VirtualAudio::start();
    let tmp = tempfile::tempdir().unwrap();
    let term = listening(&va, tmp.path());
    let answered = say(&va, tmp.path(), "a", ANSWER, Duration::from_millis(500));
    let gap = answered + Duration::from_millis(1_500) - va.mic_clock();
    let paused = say(&va, tmp.path(), "p", "Pause, please.", gap);
    term.expect("Paused.", Duration::from_secs(60));
    let late = va.mic_clock().saturating_sub(paused);
    let resumed = say(
        &va,
        tmp.path(),
        "r",
        "Let's continue.",
        Duration::from_millis(500),
    );
    term.expect("Welcome back", Duration::from_secs(30));
    // The reply to the answer: it missed what the rubric wants.
    term.expect("Follow-up [", Duration::from_secs(30));
    va.wait_for_mic(resumed + Duration::from_secs(1), || term.screen());
    let (r, screen) = finish(term, tmp.path());
    assert_eq!(events(&r, "paused").len(), 1, "{screen}");
    assert!(
        late < Duration::from_millis(4_000),
        "paused {late:?} after the words\n{screen}"
    );
    one_answer_without(&r, "pause", &screen);
}

/// "Skip" to a follow-up skips the follow-up: the answer given is graded
/// (it was thrown away, the question marked skipped, until 2026-12-07).
#[test]
fn skip_said_over_the_start_of_a_follow_up_grades_the_answer_at_once() {
    let _one = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let va = VirtualAudio::start();
    let tmp = tempfile::tempdir().unwrap();
    let term = listening(&va, tmp.path());
    let said = over_the_follow_up(&va, tmp.path(), &term, "Skip this one.");
    // Acted on after the closing silence of a command, not a thinking pause.
    term.expect("Rating ", Duration::from_secs(30));
    let late = va.mic_clock().saturating_sub(said);
    let (r, screen) = finish(term, tmp.path());
    assert!(events(&r, "skipped").is_empty(), "{screen}");
    assert_eq!(events(&r, "scored").len(), 1, "{screen}");
    assert!(
        late < Duration::from_millis(4_000),
        "skipped {late:?} after the words\n{screen}"
    );
    one_answer_without(&r, "skip", &screen);
}

/// "It's good." said alone, and the interviewer starting to ask for more.
fn asked_for_more(va: &VirtualAudio, tmp: &Path) -> Pty {
    let term = listening(va, tmp);
    say(va, tmp, "g", "It's good.", Duration::from_millis(500));
    term.expect("I only caught", Duration::from_secs(40));
    term
}

/// Found by hand: a lone spoken "Skip." was written "It's good." and graded
/// as the answer, the question lost. A whole first answer of a few words is
/// met with "could you say more?"; "skip" said then skips.
/// Twice in full runs "Skip this one." said after the asking was heard
/// "This one." and graded with the few words: Silero calls "Ski" speech for
/// three frames, too few to open a turn, and the turn opened on "this" with
/// 300 ms of pre-roll that cut the "S" (Whisper then hears "Keep this one."
/// or "This one."). Speech frames up to 400 ms before the opening run now
/// begin the turn.
#[test]
fn a_few_words_said_alone_are_met_with_say_more_not_graded() {
    let _one = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let va = VirtualAudio::start();
    let tmp = tempfile::tempdir().unwrap();
    let term = asked_for_more(&va, tmp.path());
    // Once the interviewer has finished asking.
    let t0 = std::time::Instant::now();
    while !term
        .screen()
        .split("I only caught")
        .nth(1)
        .is_some_and(|after| after.contains("(listening"))
    {
        assert!(t0.elapsed() < Duration::from_secs(30), "{}", term.screen());
        std::thread::sleep(Duration::from_millis(50));
    }
    say(
        &va,
        tmp.path(),
        "s",
        "Skip this one.",
        Duration::from_millis(800),
    );
    term.expect("No problem.", Duration::from_secs(40));
    let (r, screen) = finish(term, tmp.path());
    assert_eq!(events(&r, "prompted").len(), 1, "{screen}");
    assert_eq!(events(&r, "skipped").len(), 1, "{screen}");
    assert!(events(&r, "scored").is_empty(), "graded: {screen}");
}

/// "Skip." said over the interviewer's "could you say more?" skips too.
/// It failed in a full run the same way (the voice kept from over the
/// asking began after "Skip"); the voice kept now goes back over short gaps.
#[test]
fn skip_said_over_say_more_skips() {
    let _one = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let va = VirtualAudio::start();
    let tmp = tempfile::tempdir().unwrap();
    let term = asked_for_more(&va, tmp.path());
    say(
        &va,
        tmp.path(),
        "s",
        "Skip this one.",
        Duration::from_millis(600),
    );
    term.expect("No problem.", Duration::from_secs(40));
    let (r, screen) = finish(term, tmp.path());
    assert_eq!(events(&r, "skipped").len(), 1, "{screen}");
    assert!(events(&r, "scored").is_empty(), "graded: {screen}");
}

/// `text` in the interviewer's own Piper voice at rate 0.8, rendered
/// without the voice's random variation (so every run hears the same
/// words; with it, Whisper sometimes heard "Skip." as "Let's get."), played
/// `speed` times as fast (higher and quicker, as a resampled recording).
fn piper_words(text: &str, speed: f64) -> Vec<f32> {
    use mockint::models::store::{piper_config_path, piper_model_path};
    use mockint::tts::piper::{render, Reading};
    let mut voice =
        mockint::tts::piper_model::PiperModel::load(&piper_model_path(), &piper_config_path(), 1)
            .expect("run scripts/setup.sh (the Piper voice)");
    voice.config.noise_scale = 0.0;
    voice.config.noise_w = 0.0;
    let rate = (voice.config.sample_rate as f64 * speed).round() as u32;
    let clip = render(&mut voice, text, 0.8, Reading::AsSaid).unwrap();
    mockint::audio::resample::resample(&clip, rate, 16_000).unwrap()
}

/// "Skip." in the interviewer's own voice, 0.5 s long.
fn piper_skip() -> Vec<f32> {
    piper_words("Skip.", 1.0)
}

/// A one-question session, its log (what was kept when listening began,
/// what chunks and words set aside were heard as) shown with the screen on
/// a failure.
fn logged_session(va: &VirtualAudio, tmp: &Path, extra: &[&str]) -> Pty {
    let mut cmd = va.kubernetes_session(tmp, "1");
    let log = ["short_words", "heard_commands", "floor", "listen"]
        .map(|m| format!("mockint::session::voice::{m}=debug"))
        .join(",")
        + ",mockint::stt=debug";
    cmd.args(extra).env("RUST_LOG", log);
    Pty::spawn_logging(cmd, &tmp.join("log.txt"))
}

/// The first question is shown; "Skip." is said `after` that.
fn skip_over_the_question(va: &VirtualAudio, tmp: &Path, after: Duration, extra: &[&str]) {
    let term = logged_session(va, tmp, extra);
    term.expect("Interviewer [00:00]", Duration::from_secs(120));
    play(va, &piper_skip(), after);
    term.expect("No problem.", Duration::from_secs(40));
    let (r, screen) = finish(term, tmp);
    assert_eq!(events(&r, "skipped").len(), 1, "{screen}");
    assert!(answers(&r).is_empty(), "{screen}");
}

/// Found by hand (2026-12-07): a short "Skip." said in the middle of a
/// question was lost, and the candidate sat in silence until the check-in:
/// it barged in, but the session's VAD opened no turn for so short a word.
/// The words of a barge-in that opens no turn are now heard once they have
/// ended, and a command among them is acted on.
#[test]
fn skip_said_in_the_middle_of_the_question_skips_it() {
    let _one = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let va = VirtualAudio::start();
    let tmp = tempfile::tempdir().unwrap();
    skip_over_the_question(&va, tmp.path(), Duration::from_secs(5), &[]);
}

/// Found by a CI run (2026-12-07), then placed on purpose: a "Skip." said
/// across the end of the question was judged when the line ended — cut
/// there and heard as "It's good." or "Let's get.", or not yet loud long
/// enough to count — and the candidate sat in silence. Words still being
/// said when the line ends are now heard whole once they end. The word is
/// timed against the question's length in this voice, measured first in a
/// session where nothing is said: it ends just before the line ends, runs
/// across its end, and starts at it.
#[test]
fn skip_said_across_the_end_of_the_question_skips_it() {
    let _one = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let va = VirtualAudio::start();
    let length = {
        let tmp = tempfile::tempdir().unwrap();
        let watch = va.watch_speaker();
        let term = logged_session(&va, tmp.path(), &[]);
        let first = watch.first_loud(Duration::from_secs(120));
        term.expect("(listening", Duration::from_secs(60));
        std::thread::sleep(Duration::from_millis(1_500));
        let last = watch.last_loud().unwrap();
        drop(finish(term, tmp.path()));
        last - first
    };
    let skip = piper_skip();
    for before_end in [300, 200, 100, 0] {
        let tmp = tempfile::tempdir().unwrap();
        let watch = va.watch_speaker();
        let term = logged_session(&va, tmp.path(), &[]);
        let at = watch.first_loud(Duration::from_secs(120)) + length;
        va.play_at(at - Duration::from_millis(before_end), &skip);
        term.expect("No problem.", Duration::from_secs(40));
        let (r, screen) = finish(term, tmp.path());
        let context = format!("said {before_end} ms before the line's end:\n{screen}");
        assert_eq!(events(&r, "skipped").len(), 1, "{context}");
        assert!(answers(&r).is_empty(), "{context}");
    }
}

/// Said where it cannot barge in (here barge-in is off; by hand, a follow-up
/// whose echo the word was not loud enough over), "Skip." was too early to
/// be kept as the start of the answer when the line ended, and was lost.
/// Short words over a question's line are now set aside and heard when it
/// ends.
#[test]
fn skip_said_where_it_cannot_barge_in_skips_when_the_question_ends() {
    let _one = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let va = VirtualAudio::start();
    let tmp = tempfile::tempdir().unwrap();
    skip_over_the_question(&va, tmp.path(), Duration::from_secs(3), &["--no-barge-in"]);
}

/// A lone "Skip." while listening is acted on after a command's short
/// silence. By hand (2026-12-07) Whisper, steered by the round's jargon,
/// wrote it "Scap,", and the turn waited out an answer's silence (about 6 s)
/// before the word was heard again without the prompt; a short turn is now
/// heard again as soon as it is transcribed (by hand: 1.1 s).
#[test]
fn a_lone_skip_is_acted_on_within_moments() {
    let _one = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let va = VirtualAudio::start();
    let tmp = tempfile::tempdir().unwrap();
    let term = listening(&va, tmp.path());
    let said = play(&va, &piper_skip(), Duration::from_millis(800));
    term.expect("No problem.", Duration::from_secs(30));
    let late = va.mic_clock().saturating_sub(said);
    let (r, screen) = finish(term, tmp.path());
    assert_eq!(events(&r, "skipped").len(), 1, "{screen}");
    assert!(
        late < Duration::from_millis(3_000),
        "skipped {late:?} after the word\n{screen}"
    );
}

/// Waits (20 s at most) until `needle` is on the screen more than `seen`
/// times; `what` names it in the failure.
fn once_more(term: &Pty, needle: &str, seen: usize, what: &str) {
    let t0 = std::time::Instant::now();
    while term.screen().matches(needle).count() <= seen {
        assert!(
            t0.elapsed() < Duration::from_secs(20),
            "{what}: no \"{needle}\":\n{}",
            term.screen()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// Found by hand (2026-12-07): paused, the candidate said what they were
/// asked to say — "Resume." — and tiny.en heard "Where's him?" (Piper's
/// voice; "with you" in espeak-ng's British voice, "Rizzoom." with the
/// jargon prompt), so they stayed paused. The interviewer now asks for
/// "let's continue", which every voice tried was heard saying. Here the
/// candidate says the words the screen asks for, in the interviewer's own
/// voice, plain and 15 % fast (a voice in which "Resume." is "Where's him?").
#[test]
fn saying_what_the_paused_screen_asks_for_resumes() {
    let _one = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let va = VirtualAudio::start();
    let tmp = tempfile::tempdir().unwrap();
    let term = listening(&va, tmp.path());
    let hint = "(paused — say \"";
    for (n, speed) in [1.0, 1.15].into_iter().enumerate() {
        let paused = say(
            &va,
            tmp.path(),
            "p",
            "Pause, please.",
            Duration::from_secs(1),
        );
        once_more(&term, hint, n, "the pause");
        let screen = term.screen();
        let rest = &screen[screen.rfind(hint).unwrap() + hint.len()..];
        let asked = &rest[..rest.find('"').unwrap()];
        let words = format!("{}{}.", asked[..1].to_uppercase(), &asked[1..]);
        let after = (paused + Duration::from_secs(2)).saturating_sub(va.mic_clock());
        let said = play(&va, &piper_words(&words, speed), after);
        once_more(
            &term,
            "Welcome back",
            n,
            &format!("\"{words}\" (speed {speed})"),
        );
        let late = va.mic_clock().saturating_sub(said);
        assert!(
            late < Duration::from_millis(4_000),
            "resumed {late:?} after \"{words}\" (speed {speed}):\n{}",
            term.shown()
        );
        once_more(&term, "(listening", n + 1, "listening again");
    }
    let (r, screen) = finish(term, tmp.path());
    assert_eq!(events(&r, "resumed").len(), 2, "{screen}");
}
