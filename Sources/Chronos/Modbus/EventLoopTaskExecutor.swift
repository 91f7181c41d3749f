import NIOCore

/// Runs Swift tasks on one NIO event loop. A polling task that prefers it (with
/// `withTaskExecutorPreference`) runs on the thread that owns its connection, so a reply resumes
/// the waiting request without waking another thread: fewer context switches per read.
final class EventLoopTaskExecutor: TaskExecutor {
    let eventLoop: any EventLoop

    init(_ eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        eventLoop.execute { [self] in
            job.runSynchronously(on: asUnownedTaskExecutor())
        }
    }
}
