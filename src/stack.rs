//! Parsing and visiting recurse once per nesting level, and a stack overflow aborts the
//! process. All rule work runs on threads with a large stack, beside the nesting cap in `input`.

/// Virtual reservation only: pages are committed as they are touched.
pub const RULE_THREAD_STACK: usize = 512 << 20;

pub fn with_big_stack<T: Send>(work: impl FnOnce() -> T + Send) -> T {
    std::thread::scope(|scope| {
        std::thread::Builder::new()
            .name("rules2actions-worker".into())
            .stack_size(RULE_THREAD_STACK)
            .spawn_scoped(scope, work)
            .expect("spawn a worker thread")
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    })
}
