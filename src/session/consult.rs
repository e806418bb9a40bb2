//! The model's side of a session: the interviewer's [`Consult`]s performed on
//! a thread of their own, so a slow or dead model never stalls listening,
//! keys or Ctrl-C. One request at a time; a reply to a request the
//! interviewer has moved on from is dropped. Without a model the reply is
//! the offline result (the score as graded, the bank's follow-up).

use crate::bank::Question;
use crate::interviewer::{Consult, Reply};
use crate::llm::LlmGrader;
use std::sync::mpsc;
use std::time::Duration;

/// What the consulting thread is given: the request, its question, and
/// the request's number.
type Job = (u64, Consult, Question);

pub struct Consultant {
    jobs: Option<mpsc::Sender<Job>>,
    replies: mpsc::Receiver<(u64, Reply)>,
    /// The number of the latest request; older replies are stale.
    latest: u64,
    /// A request of this number was sent and not answered yet.
    waiting: Option<u64>,
}

impl Consultant {
    /// A thread that asks `llm` (or answers offline without one).
    pub fn spawn(llm: Option<LlmGrader>) -> Consultant {
        let (jobs, job_rx) = mpsc::channel::<Job>();
        let (reply_tx, replies) = mpsc::channel();
        std::thread::Builder::new()
            .name("consult".into())
            .spawn(move || {
                for (n, request, question) in job_rx {
                    let reply = answer(llm.as_ref(), &request, &question);
                    if reply_tx.send((n, reply)).is_err() {
                        return;
                    }
                }
            })
            .expect("spawn the consulting thread");
        Consultant {
            jobs: Some(jobs),
            replies,
            latest: 0,
            waiting: None,
        }
    }

    /// Sends `request` about `question`; its reply supersedes any pending one.
    pub fn ask(&mut self, request: &Consult, question: &Question) {
        self.latest += 1;
        self.waiting = Some(self.latest);
        if let Some(jobs) = &self.jobs {
            let _ = jobs.send((self.latest, request.clone(), question.clone()));
        }
    }

    /// Forgets the pending request (the interviewer moved on without it).
    pub fn cancel(&mut self) {
        self.waiting = None;
    }

    /// Whether a request is waiting for its reply.
    pub fn is_waiting(&self) -> bool {
        self.waiting.is_some()
    }

    /// The reply to the latest request, waiting at most `wait`.
    pub fn reply(&mut self, wait: Duration) -> Option<Reply> {
        let deadline = std::time::Instant::now() + wait;
        loop {
            let left = deadline.saturating_duration_since(std::time::Instant::now());
            let (n, reply) = match self.replies.recv_timeout(left) {
                Ok(r) => r,
                Err(_) => return None,
            };
            if self.waiting == Some(n) {
                self.waiting = None;
                return Some(reply);
            }
        }
    }
}

impl Drop for Consultant {
    fn drop(&mut self) {
        // The thread ends after the request in hand (bounded by the budget).
        self.jobs.take();
    }
}

/// The reply to one request: the model's, or the offline result.
pub fn answer(llm: Option<&LlmGrader>, request: &Consult, q: &Question) -> Reply {
    match (request, llm) {
        (
            Consult::Grade {
                answer, offline, ..
            },
            Some(llm),
        ) => Reply::Score {
            score: Box::new(llm.review(q, answer, (**offline).clone())),
        },
        (Consult::Grade { offline, .. }, None) => Reply::Score {
            score: offline.clone(),
        },
        (
            Consult::FollowUp {
                answer, follow_up, ..
            },
            llm,
        ) => {
            let f = &q.follow_ups[*follow_up];
            let (text, note) = match llm {
                Some(llm) => llm.phrase_follow_up(q, answer, f),
                None => (f.prompt.clone(), None),
            };
            Reply::FollowUp { text, note }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bank::Bank;
    use crate::scorer::Scorer;

    fn question() -> Question {
        let bank = Bank::embedded().unwrap();
        bank.round("kubernetes")
            .unwrap()
            .question
            .iter()
            .find(|q| !q.follow_ups.is_empty())
            .unwrap()
            .clone()
    }

    #[test]
    fn without_a_model_the_offline_result_comes_back() {
        let q = question();
        let offline = Scorer::new(Bank::embedded().unwrap()).score(&q, "Pods run containers.");
        let mut c = Consultant::spawn(None);
        c.ask(
            &Consult::Grade {
                index: 0,
                answer: "Pods run containers.".into(),
                offline: Box::new(offline.clone()),
            },
            &q,
        );
        assert!(c.is_waiting());
        match c.reply(Duration::from_secs(5)) {
            Some(Reply::Score { score }) => assert_eq!(*score, offline),
            other => panic!("expected the offline score, got {other:?}"),
        }
        assert!(!c.is_waiting());
        c.ask(
            &Consult::FollowUp {
                index: 0,
                answer: "x".into(),
                follow_up: 0,
            },
            &q,
        );
        match c.reply(Duration::from_secs(5)) {
            Some(Reply::FollowUp { text, note }) => {
                assert_eq!(text, q.follow_ups[0].prompt);
                assert_eq!(note, None);
            }
            other => panic!("expected the bank's follow-up, got {other:?}"),
        }
    }

    #[test]
    fn a_reply_to_a_superseded_request_is_dropped() {
        let q = question();
        let mut c = Consultant::spawn(None);
        let follow_up = |answer: &str| Consult::FollowUp {
            index: 0,
            answer: answer.into(),
            follow_up: 0,
        };
        c.ask(&follow_up("first"), &q);
        c.ask(&follow_up("second"), &q);
        // Both are answered; only the second counts, and only once.
        assert!(c.reply(Duration::from_secs(5)).is_some());
        assert!(c.reply(Duration::from_millis(200)).is_none());
        c.ask(&follow_up("third"), &q);
        c.cancel();
        assert!(c.reply(Duration::from_millis(500)).is_none());
    }
}
