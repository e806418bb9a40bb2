//! The Piper voice on the real audio stack: a private PulseAudio server, its
//! virtual speaker's monitor captured in this process through cpal (the
//! same capture code the microphone uses), and the product's speaker made
//! by `tts::open` as every session makes it.

mod common;

use common::audio::VirtualAudio;
use mockint::audio::capture::MicSource;
use mockint::audio::source::AudioSource;
use mockint::tts::VoiceSettings;
use mockint::vad::{rms, FRAME};
use std::io::Read;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The moments (arrival in this process) of loud 30-ms frames heard on the
/// speaker's monitor, until stopped.
struct Monitor {
    loud: Arc<Mutex<Vec<Instant>>>,
    stop: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Monitor {
    fn start() -> Monitor {
        let loud: Arc<Mutex<Vec<Instant>>> = Arc::default();
        let stop = Arc::new(AtomicBool::new(false));
        let (ready_tx, ready_rx) = std::sync::mpsc::channel();
        let (l, s) = (loud.clone(), stop.clone());
        let thread = std::thread::spawn(move || {
            let mut mic = MicSource::open(None).expect("capture the speaker's monitor");
            let _ = ready_tx.send(());
            let mut frame = [0f32; FRAME];
            while !s.load(Ordering::SeqCst) && mic.next_frame(&mut frame).unwrap_or(false) {
                if rms(&frame) > 0.01 {
                    l.lock().unwrap().push(Instant::now());
                }
            }
        });
        ready_rx.recv().unwrap();
        Monitor {
            loud,
            stop,
            thread: Some(thread),
        }
    }

    fn heard(&self) -> Vec<Instant> {
        self.loud.lock().unwrap().clone()
    }
}

impl Drop for Monitor {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

const LONG: &str = "Walk me through how you would design the network for a production \
    Kubernetes cluster on AWS, including subnets, routing, load balancers, and how pods \
    reach managed databases in private subnets. Then tell me how you would secure it.";

fn ms(d: Duration) -> u64 {
    d.as_millis() as u64
}

#[test]
fn piper_speaks_first_audio_soon_and_a_stop_cuts_it_within_150_ms() {
    let va = VirtualAudio::start();
    // This process is the client: cpal (ALSA's pulse plugin) reaches the
    // private server through these, and the monitor is its default input.
    for (k, v) in va.env() {
        std::env::set_var(k, v);
    }
    let ok = std::process::Command::new("pactl")
        .args(["set-default-source", "spk.monitor"])
        .envs(va.env())
        .status()
        .unwrap();
    assert!(ok.success());
    // Nobody listens to the virtual microphone here: drain its FIFO so that
    // its writer never blocks.
    let fifo = va.dir.path().join("mic.fifo");
    std::thread::spawn(move || {
        if let Ok(mut f) = std::fs::File::open(fifo) {
            let mut buf = [0u8; 4096];
            while f.read(&mut buf).is_ok_and(|n| n > 0) {}
        }
    });
    let monitor = Monitor::start();

    let opened = mockint::tts::open(&VoiceSettings {
        rate: 1.0,
        ..Default::default()
    });
    assert!(
        opened.warning.is_none(),
        "{:?} (run scripts/setup.sh)",
        opened.warning
    );
    assert!(opened.describe.starts_with("Piper"), "{}", opened.describe);
    let mut speaker = opened.speaker;
    std::thread::sleep(Duration::from_millis(500));
    assert!(monitor.heard().is_empty(), "the speaker is quiet at first");

    // Streaming: the first sentence plays while the rest is synthesised.
    let said = Instant::now();
    speaker.say(LONG).unwrap();
    assert!(speaker.is_speaking(), "speaking as soon as say returns");
    while speaker.first_audio().is_none() && said.elapsed() < Duration::from_secs(5) {
        std::thread::sleep(Duration::from_millis(5));
    }
    let first = speaker.first_audio().expect("first audio reported");
    std::thread::sleep(Duration::from_millis(2500).saturating_sub(said.elapsed()));
    let heard_first = *monitor.heard().first().expect("speech on the speaker");
    eprintln!(
        "say → first samples to the device {} ms; → heard on the monitor {} ms",
        ms(first - said),
        ms(heard_first - said)
    );
    assert!(first >= said && heard_first >= first);
    assert!(
        first - said < Duration::from_millis(1500),
        "first audio {} ms after say",
        ms(first - said)
    );
    assert!(
        speaker.is_speaking(),
        "the long text is not over after 2.5 s"
    );

    // Stop mid-sentence: silence on the speaker within 150 ms.
    let stopped = Instant::now();
    speaker.stop();
    assert!(!speaker.is_speaking(), "not speaking once stopped");
    std::thread::sleep(Duration::from_millis(1500));
    let heard = monitor.heard();
    let before = heard.iter().filter(|&&t| t < stopped).count();
    assert!(
        before >= 20,
        "speech was playing before the stop: {before} loud frames"
    );
    let last = *heard.last().unwrap();
    let tail = last.saturating_duration_since(stopped);
    eprintln!("stop → last loud frame on the monitor {} ms", ms(tail));
    assert!(
        tail <= Duration::from_millis(150),
        "speech went on {} ms after the stop",
        ms(tail)
    );

    // A new line after a stop plays again from its start.
    speaker.say("Thanks, that is all.").unwrap();
    let again = Instant::now();
    while speaker.is_speaking() && again.elapsed() < Duration::from_secs(10) {
        std::thread::sleep(Duration::from_millis(10));
    }
    let quiet = Instant::now();
    assert!(!speaker.is_speaking(), "a short line ends by itself");
    std::thread::sleep(Duration::from_millis(500));
    let after: Vec<Instant> = monitor.heard().into_iter().filter(|&t| t > again).collect();
    assert!(
        after.len() >= 10,
        "the next line was heard: {} frames",
        after.len()
    );
    assert!(
        speaker.first_audio().unwrap() > again,
        "first audio is this line's"
    );
    // is_speaking is truthful: it ends when the audio has been heard.
    let last = *after.last().unwrap();
    eprintln!(
        "short line heard until {} ms after is_speaking ended",
        last.saturating_duration_since(quiet).as_millis()
    );
    assert!(
        last <= quiet + Duration::from_millis(200),
        "audio went on {} ms after is_speaking turned false",
        last.saturating_duration_since(quiet).as_millis()
    );
    assert!(
        quiet.duration_since(last) < Duration::from_millis(600),
        "is_speaking stayed true {} ms after the audio ended",
        quiet.duration_since(last).as_millis()
    );
}
