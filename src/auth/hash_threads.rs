//! The threads argon2 runs on: as many as there are hashing permits, at a
//! lower CPU priority (nice 10) than the rest of the app. Under a flood of
//! sign-ins, the pages other people are reading keep the processor
//! (`scripts/bench login-flood` measures it); when nothing else wants the
//! CPU, hashing still gets all of it.

use crate::error::AppError;
use std::sync::mpsc::{Sender, channel};
use std::sync::{Arc, Mutex};

/// How much lower than the app's other threads (0 is normal, 19 the lowest).
const NICE: i32 = 10;

type Job = Box<dyn FnOnce() + Send>;

/// A handle on the hashing threads; they stop when the last handle is dropped.
#[derive(Clone)]
pub struct HashThreads {
    jobs: Sender<Job>,
}

impl HashThreads {
    pub fn start(threads: usize) -> Self {
        let (jobs, queue) = channel::<Job>();
        let queue = Arc::new(Mutex::new(queue));
        for n in 0..threads.max(1) {
            let queue = queue.clone();
            std::thread::Builder::new()
                .name(format!("argon2-{n}"))
                .spawn(move || {
                    lower_priority();
                    loop {
                        // The lock is held only while waiting for the next job.
                        let job = match queue.lock() {
                            Ok(queue) => queue.recv(),
                            Err(_) => return,
                        };
                        match job {
                            Ok(job) => job(),
                            Err(_) => return, // every handle is gone
                        }
                    }
                })
                .expect("the system can start a thread");
        }
        Self { jobs }
    }

    /// Runs `work` on a hashing thread and waits for its result.
    pub async fn run<T: Send + 'static>(&self, work: impl FnOnce() -> T + Send + 'static) -> Result<T, AppError> {
        let (done, result) = tokio::sync::oneshot::channel();
        let job: Job = Box::new(move || {
            let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(work));
            let _ = done.send(outcome);
        });
        self.jobs.send(job).map_err(|_| AppError::Internal(anyhow::anyhow!("the hashing threads have stopped")))?;
        match result.await {
            Ok(Ok(value)) => Ok(value),
            _ => Err(AppError::Internal(anyhow::anyhow!("a password hash failed"))),
        }
    }
}

fn lower_priority() {
    #[cfg(target_os = "linux")]
    {
        // SAFETY: gettid and setpriority take plain integers and touch no
        // memory of ours. On Linux a thread's nice value is its own, so this
        // lowers the calling (hashing) thread only.
        let failed = unsafe {
            let tid = libc::syscall(libc::SYS_gettid) as libc::id_t;
            libc::setpriority(libc::PRIO_PROCESS, tid, NICE) != 0
        };
        if failed {
            tracing::warn!("could not lower the priority of a hashing thread");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn work_runs_on_a_lower_priority_thread_and_comes_back() {
        let threads = HashThreads::start(1);
        let (name, nice) = threads
            .run(|| {
                let name = std::thread::current().name().map(str::to_owned);
                let stat = std::fs::read_to_string("/proc/thread-self/stat").unwrap_or_default();
                // Field 19 of stat is the nice value (after the parenthesised name).
                let nice =
                    stat.rsplit(')').next().and_then(|rest| rest.split_whitespace().nth(16)?.parse::<i32>().ok());
                (name, nice)
            })
            .await
            .unwrap();
        assert_eq!(name.as_deref(), Some("argon2-0"));
        if cfg!(target_os = "linux") {
            assert_eq!(nice, Some(NICE));
        }
        assert!(threads.run(|| panic!("boom")).await.is_err(), "a panic is an error, not a hang");
        assert_eq!(threads.run(|| 2 + 2).await.unwrap(), 4, "and the thread survives it");
    }
}
