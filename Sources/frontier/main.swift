import ArgumentParser
import Logging
import NIOCore
import NIOPosix

// Swift concurrency runs on NIO's event loops: the handler, the upstream
// client and the server then share threads instead of waking a second pool
// for every request (measured: p50 0.49 vs 0.58 ms through the gateway on one
// connection). It must be installed on the main thread before the first task
// starts, hence a main.swift rather than @main.
_ = NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
LoggingSystem.bootstrap { label in LineLogHandler(label: label) }
await runFrontier()

/// Parses the command line and runs the chosen command, as `@main` would.
/// A function of its own: in top-level code the compiler picks the synchronous `run()`.
func runFrontier() async {
    do {
        var command = try FrontierCommand.parseAsRoot()
        if var asyncCommand = command as? any AsyncParsableCommand {
            try await asyncCommand.run()
        } else {
            try command.run()
        }
    } catch {
        FrontierCommand.exit(withError: error)
    }
}
